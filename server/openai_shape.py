"""Answers in OpenAI's published shape: what an upstream sent, less what OpenAI's schema does not have. Pure.

vLLM answers with its own fields beside OpenAI's (`token_ids`, `stop_reason`, `prompt_logprobs`,
`kv_transfer_params`, `reasoning`, ...) and sends `null` for optional fields that OpenAI either fills or
leaves out (`annotations`, `function_call`, `usage.prompt_tokens_details`, ...). Strict clients and
generated SDKs refuse both. `shape` takes a parsed chat.completion, chat.completion.chunk or
text_completion (JSON answer or stream chunk) and, in place:
- keeps only the fields of OpenAI's schema (spec 2.3.0) at every level (tierd's own `tierd` key is added
  to a stream's usage chunk after this, by the cost meter in server/response_cost.py);
- drops `null` where the schema does not allow it, and fills the required-but-nullable fields
  (`message.refusal`, `logprobs.refusal`, a choice's `logprobs`) with `null` when they are missing;
- makes `usage.total_tokens` the sum of prompt and completion tokens, and `created` whole seconds.
It returns whether it changed anything, so that a caller re-serialises only what changed. Bodies of other
objects (and error bodies: server/errors.py) are left alone. One `id` per stream is the stream's business
(server/escalation/streams.py), as this sees one chunk at a time.
"""

from __future__ import annotations

import re
from typing import Any

CHAT_COMPLETION = "chat.completion"
CHAT_CHUNK = "chat.completion.chunk"
TEXT_COMPLETION = "text_completion"  # a completion and each of its stream chunks alike

_TOP = {
    CHAT_COMPLETION: frozenset(
        {"id", "object", "created", "model", "choices", "usage", "service_tier", "system_fingerprint"}
    ),
    CHAT_CHUNK: frozenset(
        {"id", "object", "created", "model", "choices", "usage", "service_tier", "system_fingerprint"}
    ),
    TEXT_COMPLETION: frozenset({"id", "object", "created", "model", "choices", "usage", "system_fingerprint"}),
}
# Optional fields that may be null; every other optional field is dropped when null.
_TOP_NULLABLE = {
    CHAT_COMPLETION: frozenset({"service_tier"}),
    CHAT_CHUNK: frozenset({"service_tier", "usage"}),
    TEXT_COMPLETION: frozenset(),
}
_CHOICE = {
    CHAT_COMPLETION: frozenset({"index", "message", "logprobs", "finish_reason"}),
    CHAT_CHUNK: frozenset({"index", "delta", "logprobs", "finish_reason"}),
    TEXT_COMPLETION: frozenset({"index", "text", "logprobs", "finish_reason"}),
}
_MESSAGE = frozenset({"role", "content", "refusal", "tool_calls", "annotations", "function_call", "audio"})
_DELTA = frozenset({"role", "content", "refusal", "tool_calls", "function_call"})
_NULLABLE_TEXT = frozenset({"content", "refusal"})  # a message's or delta's; null stays, a message gets both
_CHOICE_NULLABLE = frozenset({"logprobs", "finish_reason"})
_LOGPROBS = frozenset({"content", "refusal"})
_BYTES = frozenset({"bytes"})
_TOOL_CALL = frozenset({"id", "type", "function", "custom"})
_TOOL_CALL_CHUNK = frozenset({"index", "id", "type", "function"})
_FUNCTION = frozenset({"name", "arguments"})
_CUSTOM = frozenset({"name", "input"})
_TOKEN_LOGPROB = frozenset({"token", "logprob", "bytes", "top_logprobs"})
_TOP_LOGPROB = frozenset({"token", "logprob", "bytes"})
_TEXT_LOGPROBS = frozenset({"tokens", "token_logprobs", "top_logprobs", "text_offset"})
_USAGE = frozenset(
    {"prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"}
)
_USAGE_DETAILS = {
    "prompt_tokens_details": frozenset({"cached_tokens", "audio_tokens"}),
    "completion_tokens_details": frozenset(
        {"reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"}
    ),
}
_MILLISECONDS_AFTER = 10**11  # a `created` past the year 5138 in seconds is in milliseconds


def shape(body: dict[str, Any]) -> bool:
    """Put a parsed chat or completions answer (or stream chunk) in OpenAI's shape; True when it changed."""
    kind = body.get("object")
    if not isinstance(kind, str) or kind not in _TOP:
        return False
    changed = _keep(body, _TOP[kind], _TOP_NULLABLE[kind])
    changed |= _whole_seconds(body)
    choices = body.get("choices")
    if isinstance(choices, list):
        for choice in choices:
            if isinstance(choice, dict):
                changed |= _choice(choice, kind)
    usage = body.get("usage")
    if isinstance(usage, dict):
        changed |= _usage(usage)
    return changed


def _keep(obj: dict[str, Any], allowed: frozenset[str], nullable: frozenset[str] = frozenset()) -> bool:
    """Drop the keys outside `allowed`, and those inside it that are null but may not be."""
    if obj.keys() <= allowed and None not in obj.values():  # the usual case, tested at C speed
        return False
    drop = [k for k, v in obj.items() if k not in allowed or (v is None and k not in nullable)]
    for key in drop:
        del obj[key]
    return bool(drop)


def _fill_null(obj: dict[str, Any], required: tuple[str, ...]) -> bool:
    """Required fields that may be null, which some upstreams leave out."""
    missing = [k for k in required if k not in obj]
    for key in missing:
        obj[key] = None
    return bool(missing)


def _whole_seconds(body: dict[str, Any]) -> bool:
    created = body.get("created")
    if isinstance(created, bool) or not isinstance(created, int | float):
        return False
    seconds = int(created // 1000 if created >= _MILLISECONDS_AFTER else created)
    if seconds == created and isinstance(created, int):
        return False
    body["created"] = seconds
    return True


def _choice(choice: dict[str, Any], kind: str) -> bool:
    # finish_reason is required (null until the last chunk of a stream); logprobs required but nullable.
    changed = _keep(choice, _CHOICE[kind], _CHOICE_NULLABLE)
    changed |= _fill_null(choice, ("logprobs", "finish_reason") if kind == CHAT_CHUNK else ("logprobs",))
    logprobs = choice.get("logprobs")
    if isinstance(logprobs, dict):
        changed |= _text_logprobs(logprobs) if kind == TEXT_COMPLETION else _chat_logprobs(logprobs)
    message = choice.get("message" if kind == CHAT_COMPLETION else "delta")
    if isinstance(message, dict):
        changed |= _message(message, chunk=kind == CHAT_CHUNK)
    return changed


def _message(message: dict[str, Any], *, chunk: bool) -> bool:
    changed = _keep(message, _DELTA if chunk else _MESSAGE, _NULLABLE_TEXT)
    if not chunk:
        changed |= _fill_null(message, ("content", "refusal"))
    calls = message.get("tool_calls")
    if isinstance(calls, list):
        for call in calls:
            if isinstance(call, dict):
                changed |= _tool_call(call, chunk=chunk)
    function_call = message.get("function_call")
    if isinstance(function_call, dict):
        changed |= _keep(function_call, _FUNCTION)
    return changed


def _tool_call(call: dict[str, Any], *, chunk: bool) -> bool:
    changed = _keep(call, _TOOL_CALL_CHUNK if chunk else _TOOL_CALL)
    function = call.get("function")
    if isinstance(function, dict):
        changed |= _keep(function, _FUNCTION)
    custom = call.get("custom")
    if isinstance(custom, dict):
        changed |= _keep(custom, _CUSTOM)
    return changed


def _chat_logprobs(logprobs: dict[str, Any]) -> bool:
    changed = _keep(logprobs, _LOGPROBS, _LOGPROBS)
    changed |= _fill_null(logprobs, ("content", "refusal"))
    for tokens in (logprobs.get("content"), logprobs.get("refusal")):
        if not isinstance(tokens, list):
            continue
        for token in tokens:
            if not isinstance(token, dict):
                continue
            changed |= _keep(token, _TOKEN_LOGPROB, _BYTES)
            changed |= _fill_null(token, ("bytes",))
            for top in token.get("top_logprobs") or ():
                if isinstance(top, dict):
                    changed |= _keep(top, _TOP_LOGPROB, _BYTES) | _fill_null(top, ("bytes",))
    return changed


def _text_logprobs(logprobs: dict[str, Any]) -> bool:
    return _keep(logprobs, _TEXT_LOGPROBS)


def _usage(usage: dict[str, Any]) -> bool:
    changed = _keep(usage, _USAGE)
    for name, fields in _USAGE_DETAILS.items():
        details = usage.get(name)
        if isinstance(details, dict):
            changed |= _keep(details, fields)
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if isinstance(prompt, int) and isinstance(completion, int) and usage.get("total_tokens") != prompt + completion:
        usage["total_tokens"] = prompt + completion
        changed = True
    return changed


# What vLLM 0.32 sends as `"field":null` in compact JSON, none of which OpenAI's shape keeps as null: its own
# fields, and OpenAI's optional ones that may not be null. Taking these bytes out of an event leaves what
# `shape` would (the pattern cannot occur inside a JSON string, where quotes are escaped, nor as a
# completion's top-logprobs entry, whose values are numbers), so an event of vLLM's usual kind reaches its
# shape without a json.dumps. A field that opens its object (`{"x":null`) is left to `shape`.
_NULL_FIELDS = re.compile(
    rb',"(?:token_ids|stop_reason|routed_experts|prompt_token_ids|prompt_text|prompt_logprobs|kv_transfer_params'
    rb"|ec_transfer_params|metrics|reasoning|annotations|audio|function_call|prompt_tokens_details"
    rb'|completion_tokens_details)":null(?=[,}])'
)


def without_null_fields(data: bytes) -> bytes:
    """Compact JSON less the `"field":null` members `shape` would drop anyway (see _NULL_FIELDS)."""
    return _NULL_FIELDS.sub(b"", data)
