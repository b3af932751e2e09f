"""One tier's answer, as the checks see it, from a JSON body or from a stream of SSE chunks. Pure.

Only choice 0 is checked: with `n > 1` the other choices ride along with it. A Responses API answer (an
`object: "response"` body, or its typed `response.*` events) is read into the same Answer: its output text,
its function calls, its status as a finish reason, and `input_tokens`/`output_tokens` as the token counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DONE = b"[DONE]"


@dataclass(frozen=True, slots=True)
class ToolCall:
    name: str
    arguments: str  # JSON text, as the model wrote it


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    finish_reason: str | None
    tool_calls: tuple[ToolCall, ...] = ()
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    # Log-probabilities of the generated tokens, when the tier was asked for them.
    token_logprobs: tuple[float, ...] | None = None
    complete: bool = True  # False for a streamed prefix
    runaway: str | None = None  # the runaway guard stopped the generation: what it saw (runaway.py)
    note: str | None = None  # what of the upstream's usage was unreadable (usage_note)


# An upstream's body is read, never trusted: a field of the wrong type (string token counts, a negative count,
# a non-numeric logprob, a dict where a list belongs) reads as unknown, so that checking, pricing and booking
# the answer never raise; a request whose answer cannot be read still gets its record.


# No answer comes near it; bigger "counts" would overflow a float price and an INTEGER ledger column.
MAX_TOKEN_COUNT = 2**31 - 1


def token_count(value: Any) -> int | None:
    """A usage figure as tierd books it: an integer from 0 to MAX_TOKEN_COUNT, else unknown."""
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_TOKEN_COUNT
    return value if ok else None


def usage_note(usage: Any, fields: tuple[str, ...] = ("prompt_tokens", "completion_tokens")) -> str | None:
    """What of an upstream's usage could not be booked (it counts as unknown), for the attempt's record;
    None when it was absent or readable."""
    if usage is None:
        return None
    if not isinstance(usage, dict):
        return f"usage unreadable ({type(usage).__name__}), booked as unknown"
    bad = [f"{name}={usage[name]!r:.40}" for name in fields if name in usage and token_count(usage[name]) is None]
    return f"usage unreadable ({', '.join(bad)}), booked as unknown" if bad else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text_field(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _token_logprobs(logprobs: Any) -> list[float] | None:
    """Chat: {"content": [{"logprob": x}, ...]}; completions: {"token_logprobs": [x, ...]}."""
    if not isinstance(logprobs, dict):
        return None
    if isinstance(logprobs.get("content"), list):
        return [float(t["logprob"]) for t in logprobs["content"] if isinstance(t, dict) and _number(t.get("logprob"))]
    if isinstance(logprobs.get("token_logprobs"), list):
        return [float(x) for x in logprobs["token_logprobs"] if _number(x)]
    return None


def _tool_call(call: dict[str, Any]) -> ToolCall:
    function = call.get("function")
    function = function if isinstance(function, dict) else {}
    return ToolCall(str(function.get("name") or ""), str(function.get("arguments") or ""))


def _is_function_call(item: Any) -> bool:
    return isinstance(item, dict) and item.get("type") == "function_call"


def _index(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# A Responses API `incomplete_details.reason`, as the chat finish reason the checks know.
_INCOMPLETE_REASONS = {"max_output_tokens": "length", "content_filter": "content_filter"}
# The events that end a Responses stream, each carrying the whole response (with its usage).
RESPONSE_END_EVENTS = frozenset({"response.completed", "response.incomplete", "response.failed"})


def _response_finish_reason(response: dict[str, Any], has_calls: bool) -> str | None:
    status = response.get("status")
    if status == "completed":
        return "tool_calls" if has_calls else "stop"
    if status == "incomplete":
        reason = (response.get("incomplete_details") or {}).get("reason")
        return _INCOMPLETE_REASONS.get(str(reason), str(reason or "incomplete"))
    return str(status) if status else None


def _response_text_and_logprobs(output: list[Any]) -> tuple[str, list[float] | None]:
    texts: list[str] = []
    logprobs: list[float] | None = None
    for item in output:
        if not isinstance(item, dict) or item.get("type") != "message":
            continue
        for part in item.get("content") or []:
            if isinstance(part, dict) and part.get("type") == "output_text":
                texts.append(str(part.get("text") or ""))
                if isinstance(part.get("logprobs"), list) and part["logprobs"]:
                    logprobs = (logprobs or []) + (_token_logprobs({"content": part["logprobs"]}) or [])
    return "".join(texts), logprobs


def answer_from_response(body: dict[str, Any]) -> Answer:
    """A Responses API response object."""
    output = body.get("output")
    output = output if isinstance(output, list) else []
    text, logprobs = _response_text_and_logprobs(output)
    calls = tuple(
        ToolCall(str(item.get("name") or ""), str(item.get("arguments") or ""))
        for item in output
        if isinstance(item, dict) and item.get("type") == "function_call"
    )
    raw_usage = body.get("usage")
    usage = raw_usage if isinstance(raw_usage, dict) else {}
    return Answer(
        text=text,
        finish_reason=_response_finish_reason(body, bool(calls)),
        tool_calls=calls,
        prompt_tokens=token_count(usage.get("input_tokens")),
        completion_tokens=token_count(usage.get("output_tokens")),
        token_logprobs=tuple(logprobs) if logprobs is not None else None,
        note=usage_note(raw_usage, ("input_tokens", "output_tokens")),
    )


def answer_from_json(body: dict[str, Any]) -> Answer:
    """A non-streamed chat, completions or Responses API response."""
    if body.get("object") == "response":
        return answer_from_response(body)
    choices = body.get("choices")
    choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
    message = choice.get("message")
    if isinstance(message, dict):  # chat
        text = _text_field(message.get("content")) or ""
        tool_calls = message.get("tool_calls")
        calls = tuple(_tool_call(c) for c in tool_calls if isinstance(c, dict)) if isinstance(tool_calls, list) else ()
    else:  # completions
        text, calls = _text_field(choice.get("text")) or "", ()
    raw_usage = body.get("usage")
    usage = raw_usage if isinstance(raw_usage, dict) else {}
    logprobs = _token_logprobs(choice.get("logprobs"))
    return Answer(
        text=text,
        finish_reason=_text_field(choice.get("finish_reason")),
        tool_calls=calls,
        prompt_tokens=token_count(usage.get("prompt_tokens")),
        completion_tokens=token_count(usage.get("completion_tokens")),
        token_logprobs=tuple(logprobs) if logprobs is not None else None,
        note=usage_note(raw_usage),
    )


class SseSplitter:
    """Cuts a byte stream into SSE events (vLLM ends each with a blank line), whatever the chunking."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        self._buffer += chunk
        *events, self._buffer = self._buffer.split(b"\n\n")
        return [event + b"\n\n" for event in events if event.strip()]

    def rest(self) -> bytes:
        """Whatever did not end with a blank line (normally nothing)."""
        rest, self._buffer = self._buffer, b""
        return rest


def data_event(payload: dict[str, Any]) -> bytes:
    """A JSON object as one compact `data:` event (event_payload's inverse)."""
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def event_payload(event: bytes) -> dict[str, Any] | None:
    """The JSON object of a `data:` event; None for `[DONE]`, comments and anything unparsable."""
    data = b"".join(line[5:].strip() for line in event.split(b"\n") if line.startswith(b"data:"))
    if not data or data == DONE:
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


@dataclass
class _PartialCall:
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class StreamAssembler:
    """Accumulates streamed chunks (chat deltas or completion texts) into an Answer."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._calls: dict[int, _PartialCall] = {}
        self._logprobs: list[float] = []
        self._saw_logprobs = False
        self.finish_reason: str | None = None
        self.prompt_tokens: int | None = None
        self.completion_tokens: int | None = None
        self.note: str | None = None
        self.content_chunks = 0  # chunks that carried generated text or tool-call arguments

    def add(self, payload: dict[str, Any]) -> None:
        kind = payload.get("type")
        if isinstance(kind, str) and kind.startswith("response."):
            self._add_response_event(kind, payload)
            return
        usage = payload.get("usage")
        self.note = usage_note(usage) or self.note
        if isinstance(usage, dict):
            self.prompt_tokens = token_count(usage.get("prompt_tokens", self.prompt_tokens))
            self.completion_tokens = token_count(usage.get("completion_tokens", self.completion_tokens))
        choices = payload.get("choices")
        for choice in choices if isinstance(choices, list) else []:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta")
            piece = (_text_field(delta.get("content")) if isinstance(delta, dict) else None) or choice.get("text")
            if isinstance(piece, str) and piece:
                self._text.append(piece)
                self.content_chunks += 1
            calls = delta.get("tool_calls") if isinstance(delta, dict) else None
            for call in calls if isinstance(calls, list) else []:
                self._add_call(call)
            logprobs = _token_logprobs(choice.get("logprobs"))
            if logprobs is not None:
                self._saw_logprobs = True
                self._logprobs.extend(logprobs)
            if isinstance(choice.get("finish_reason"), str) and choice["finish_reason"]:
                self.finish_reason = choice["finish_reason"]

    def _add_call(self, call: Any) -> None:
        if not isinstance(call, dict):
            return
        partial = self._calls.setdefault(_index(call.get("index")), _PartialCall())
        function = call.get("function")
        function = function if isinstance(function, dict) else {}
        partial.name += str(function.get("name") or "")
        if function.get("arguments"):
            partial.arguments.append(str(function["arguments"]))
            self.content_chunks += 1

    def _add_response_event(self, kind: str, event: dict[str, Any]) -> None:
        """A Responses API stream's typed event: text deltas, function calls by output index, and the end."""
        if kind == "response.output_text.delta" and event.get("delta"):
            self._text.append(str(event["delta"]))
            self.content_chunks += 1
            logprobs = _token_logprobs({"content": event.get("logprobs")})
            if logprobs:
                self._saw_logprobs = True
                self._logprobs.extend(logprobs)
        elif kind == "response.output_item.added" and _is_function_call(event.get("item")):
            name = str(event["item"].get("name") or "")
            self._calls.setdefault(_index(event.get("output_index")), _PartialCall(name))
        elif kind == "response.function_call_arguments.delta" and event.get("delta"):
            partial = self._calls.setdefault(_index(event.get("output_index")), _PartialCall())
            partial.arguments.append(str(event["delta"]))
            self.content_chunks += 1
        elif kind in RESPONSE_END_EVENTS and isinstance(event.get("response"), dict):
            whole = answer_from_response(event["response"])
            # Calls streamed as deltas make it a tool-call answer, whatever the final object's output says.
            self.finish_reason = "tool_calls" if whole.finish_reason == "stop" and self._calls else whole.finish_reason
            self.prompt_tokens, self.completion_tokens = whole.prompt_tokens, whole.completion_tokens
            self.note = whole.note or self.note
            if whole.tool_calls and not self._calls:  # calls that came whole, without argument deltas
                self._calls = {i: _PartialCall(c.name, [c.arguments]) for i, c in enumerate(whole.tool_calls)}

    def answer(self, complete: bool) -> Answer:
        calls = tuple(ToolCall(c.name, "".join(c.arguments)) for _, c in sorted(self._calls.items()))
        return Answer(
            text="".join(self._text),
            finish_reason=self.finish_reason,
            tool_calls=calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            token_logprobs=tuple(self._logprobs) if self._saw_logprobs else None,
            complete=complete,
            note=self.note,
        )


def iter_payloads(events: list[bytes]) -> Iterator[dict[str, Any]]:
    for event in events:
        payload = event_payload(event)
        if payload is not None:
            yield payload
