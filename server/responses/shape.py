"""A tier's Responses API answer, shaped into OpenAI's published schema (spec 2.3.0). Pure.

vLLM's Responses objects carry fields of its own (`kv_transfer_params`, `input_messages`, per-turn token
lists, `phase`-less tool echoes, ...) and send `null` where the schema allows no null (`user`, `text`,
a tool's `allowed_callers`), while leaving out some fields the schema requires (`error`, an output
text's `logprobs`). Each object tierd knows is cut down to the schema's properties: a `null` stays only
where the schema allows it, a required nullable field that is missing is added as `null`. Objects of kinds
tierd does not know (a hosted tool's call, from the frontier) pass as they came: the frontier is OpenAI.

Log-probabilities that tierd asked for (a check needed them) and the client did not are emptied, as
OpenAI leaves them when `include` does not ask for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.responses.protocol import RESPONSES_LOGPROBS


@dataclass(frozen=True, slots=True)
class Shape:
    """An object's properties in the schema, those of them that may be null, and those required though null."""

    fields: frozenset[str]
    nullable: frozenset[str] = frozenset()
    required_null: frozenset[str] = frozenset()

    def apply(self, value: Mapping[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in value.items() if k in self.fields and (v is not None or k in self.nullable)}
        for key in self.required_null:
            out.setdefault(key, None)
        return out


def _shape(fields: str, nullable: str = "", required_null: str = "") -> Shape:
    return Shape(frozenset(fields.split()), frozenset(nullable.split()), frozenset(required_null.split()))


RESPONSE = _shape(
    "id object status created_at completed_at error incomplete_details instructions max_output_tokens "
    "max_tool_calls metadata model output output_text parallel_tool_calls previous_response_id prompt "
    "prompt_cache_key prompt_cache_retention reasoning safety_identifier service_tier background temperature "
    "text tool_choice tools top_logprobs top_p truncation usage user conversation",
    nullable="metadata top_logprobs temperature top_p service_tier prompt_cache_retention previous_response_id "
    "reasoning background max_tool_calls prompt truncation completed_at error incomplete_details instructions "
    "output_text conversation max_output_tokens",
    required_null="metadata temperature top_p error incomplete_details instructions",
)
USAGE = _shape("input_tokens input_tokens_details output_tokens output_tokens_details total_tokens")
INPUT_DETAILS = _shape("cached_tokens")
OUTPUT_DETAILS = _shape("reasoning_tokens")
ITEMS = {
    "message": _shape("id type role content phase status", nullable="phase"),
    "function_call": _shape("id type call_id namespace name arguments status"),
    "reasoning": _shape("type id encrypted_content summary content status", nullable="encrypted_content"),
}
PARTS = {"output_text": _shape("type text annotations logprobs"), "refusal": _shape("type refusal")}
FUNCTION_TOOL = _shape(
    "type name description parameters strict defer_loading",
    nullable="description parameters strict",
    required_null="parameters strict",
)
TEXT = _shape("format verbosity", nullable="verbosity")
FORMATS = {
    "text": _shape("type"),
    "json_object": _shape("type"),
    "json_schema": _shape("type description name schema strict", nullable="strict"),
}
REASONING = _shape("effort summary generate_summary", nullable="effort summary generate_summary")
INCOMPLETE = _shape("reason")
# A typed stream event's own properties (OpenAI's ResponseStreamEvent family, for the kinds tierd reads).
EVENTS = {
    kind: _shape(f"type sequence_number {fields}")
    for kind, fields in {
        "response.created": "response",
        "response.in_progress": "response",
        "response.queued": "response",
        "response.completed": "response",
        "response.incomplete": "response",
        "response.failed": "response",
        "response.output_item.added": "item output_index",
        "response.output_item.done": "item output_index",
        "response.content_part.added": "content_index item_id output_index part",
        "response.content_part.done": "content_index item_id output_index part",
        "response.output_text.delta": "content_index delta item_id logprobs output_index",
        "response.output_text.done": "content_index item_id logprobs output_index text",
        "response.refusal.delta": "content_index delta item_id output_index",
        "response.refusal.done": "content_index item_id output_index refusal",
        "response.function_call_arguments.delta": "delta item_id output_index",
        "response.function_call_arguments.done": "arguments item_id output_index",
        "error": "code message param",
    }.items()
}


def client_wants_logprobs(request: Mapping[str, Any]) -> bool:
    include = request.get("include")
    return isinstance(include, list) and RESPONSES_LOGPROBS in include


def _logprobs(value: Any, keep: bool) -> list[Any]:
    return value if keep and isinstance(value, list) else []


def _part(part: Any, logprobs: bool) -> Any:
    shape = PARTS.get(str(part.get("type"))) if isinstance(part, Mapping) else None
    if shape is None:
        return part
    out = shape.apply(part)
    if part.get("type") == "output_text":
        out["logprobs"] = _logprobs(part.get("logprobs"), logprobs)
        out.setdefault("annotations", [])
    return out


def _item(item: Any, logprobs: bool) -> Any:
    shape = ITEMS.get(str(item.get("type"))) if isinstance(item, Mapping) else None
    if shape is None:
        return item
    out = shape.apply(item)
    if isinstance(out.get("content"), list) and out.get("type") == "message":
        out["content"] = [_part(p, logprobs) for p in out["content"]]
    return out


def _tool(tool: Any) -> Any:
    if isinstance(tool, Mapping) and tool.get("type") == "function":
        return FUNCTION_TOOL.apply(tool)
    return tool


def _text(text: Any) -> dict[str, Any]:
    if not isinstance(text, Mapping):  # OpenAI always says what format the text was in
        return {"format": {"type": "text"}}
    out = TEXT.apply(text)
    fmt = out.get("format")
    shape = FORMATS.get(str(fmt.get("type"))) if isinstance(fmt, Mapping) else None
    if shape is not None and isinstance(fmt, Mapping):
        out["format"] = shape.apply(fmt)
    else:
        out.pop("format", None)
    return out


def _usage(usage: Mapping[str, Any]) -> dict[str, Any]:
    out = USAGE.apply(usage)
    details = {"input_tokens_details": INPUT_DETAILS, "output_tokens_details": OUTPUT_DETAILS}
    for key, shape in details.items():
        out[key] = shape.apply(out[key]) if isinstance(out.get(key), Mapping) else {}
    out.setdefault("input_tokens_details", {}).setdefault("cached_tokens", 0)
    out.setdefault("output_tokens_details", {}).setdefault("reasoning_tokens", 0)
    return out


def shape_response(response: Mapping[str, Any], *, logprobs: bool) -> dict[str, Any]:
    """A Responses API response object in OpenAI's schema; `logprobs`: the client asked for them."""
    out = RESPONSE.apply(response)
    if isinstance(out.get("output"), list):
        out["output"] = [_item(i, logprobs) for i in out["output"]]
    if isinstance(out.get("tools"), list):
        out["tools"] = [_tool(t) for t in out["tools"]]
    out["text"] = _text(out.get("text"))
    if isinstance(out.get("usage"), Mapping):
        out["usage"] = _usage(out["usage"])
    if isinstance(out.get("reasoning"), Mapping):
        out["reasoning"] = REASONING.apply(out["reasoning"])
    if isinstance(out.get("incomplete_details"), Mapping):
        out["incomplete_details"] = INCOMPLETE.apply(out["incomplete_details"])
    return out


def shape_event(event: Mapping[str, Any], *, logprobs: bool) -> dict[str, Any]:
    """One typed stream event in OpenAI's schema (an event of a kind tierd does not know passes as it is)."""
    shape = EVENTS.get(str(event.get("type")))
    if shape is None:
        return dict(event)
    out = shape.apply(event)
    if isinstance(out.get("response"), Mapping):
        out["response"] = shape_response(out["response"], logprobs=logprobs)
    if "item" in out:
        out["item"] = _item(out["item"], logprobs)
    if "part" in out:
        out["part"] = _part(out["part"], logprobs)
    if out["type"] in ("response.output_text.delta", "response.output_text.done"):
        out["logprobs"] = _logprobs(out.get("logprobs"), logprobs)
    if out["type"] == "error":
        sequence = out.get("sequence_number")
        return error_event(out, sequence if isinstance(sequence, int) else 0)
    return out


def error_event(error: Mapping[str, Any], sequence_number: int) -> dict[str, Any]:
    """An error as the typed `error` event of a Responses stream: from a chat-style `{"error": {...}}`'s
    inner object (what tierd sends when an upstream fails mid-stream) or an upstream's own error event
    (vLLM's `code` may be its HTTP status, an integer: the schema wants a string or null)."""
    code = error.get("code")
    return {
        "type": "error",
        "sequence_number": sequence_number,
        "code": code if isinstance(code, str) else None,
        "message": str(error.get("message") or "the upstream failed"),
        "param": error.get("param") if isinstance(error.get("param"), str) else None,
    }
