"""Responses API answers for ScriptedTier handlers, shaped as vLLM 0.32 sends them.

They carry vLLM's own fields too (`kv_transfer_params`, per-turn token lists, `null` for `text` and `user`,
no `error`, an output text's `logprobs: null`), as recorded from vLLM's `/v1/responses`, so that tests see
tierd shape them into OpenAI's schema. A stream is typed events with no `data: [DONE]`, and, like vLLM's,
it ends with `response.completed` whatever the status (OpenAI would send `response.incomplete`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from tiers.scripted import Chunk

# vLLM's extras on every response object (tierd must take them out).
_VLLM_EXTRAS: dict[str, Any] = {
    "presence_penalty": 0.0,
    "frequency_penalty": 0.0,
    "kv_transfer_params": None,
    "ec_transfer_params": None,
    "input_messages": None,
    "output_messages": None,
}


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": prompt_tokens,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0, "input_tokens_per_turn": []},
        "output_tokens": completion_tokens,
        "output_tokens_details": {"reasoning_tokens": 0, "tool_output_tokens": 0, "output_tokens_per_turn": []},
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _logprob(token: str, value: float) -> dict[str, Any]:
    return {"token": token, "logprob": value, "bytes": [], "top_logprobs": []}


def _message(text: str, logprobs: Sequence[float] | None, status: str = "completed") -> dict[str, Any]:
    values = None if logprobs is None else [_logprob(f"t{i}", v) for i, v in enumerate(logprobs)]
    part = {"annotations": [], "text": text, "type": "output_text", "logprobs": values}
    message = {"id": "msg_scripted", "content": [part], "role": "assistant", "status": status}
    return {**message, "type": "message", "phase": None}


def _function_call(name: str, arguments: str) -> dict[str, Any]:
    call = {"id": "fc_scripted", "call_id": "call_scripted", "name": name, "arguments": arguments}
    return {**call, "type": "function_call", "status": "completed"}


def _response(
    output: list[dict[str, Any]], *, status: str, usage: dict[str, Any] | None, model: str, max_output_tokens: int
) -> dict[str, Any]:
    incomplete = {"reason": "max_output_tokens"} if status == "incomplete" else None
    return {
        "id": "resp_scripted",
        "created_at": int(time.time()),
        "incomplete_details": incomplete,
        "instructions": None,
        "metadata": None,
        "model": model,
        "object": "response",
        "output": output,
        "parallel_tool_calls": True,
        "temperature": 1.0,
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "background": False,
        "max_output_tokens": max_output_tokens,
        "max_tool_calls": None,
        "previous_response_id": None,
        "prompt": None,
        "reasoning": None,
        "service_tier": "auto",
        "status": status,
        "text": None,
        "top_logprobs": None,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        **_VLLM_EXTRAS,
    }


def responses_response(
    text: str,
    *,
    prompt_tokens: int,
    completion_tokens: int,
    status: str = "completed",
    model: str = "scripted-model",
    logprobs: Sequence[float] | None = None,
    function_call: tuple[str, str] | None = None,
    max_output_tokens: int = 4096,
) -> dict[str, Any]:
    """A non-streamed Responses API response: one message (and a function call when given); `status`
    "incomplete" says the output hit max_output_tokens."""
    output = [_message(text, logprobs)] + ([_function_call(*function_call)] if function_call else [])
    usage = _usage(prompt_tokens, completion_tokens)
    return _response(output, status=status, usage=usage, model=model, max_output_tokens=max_output_tokens)


def responses_stream(
    text_pieces: Sequence[str],
    *,
    prompt_tokens: int,
    completion_tokens: int,
    status: str = "completed",
    model: str = "scripted-model",
    logprobs: Sequence[float] | None = None,
    max_output_tokens: int = 4096,
) -> list[Chunk]:
    """A streamed Responses API answer as vLLM sends it: created, in_progress, the message's item and part,
    one `response.output_text.delta` per piece, their `.done` events, and `response.completed` with usage.
    `logprobs`: one value per piece."""
    text = "".join(text_pieces)
    sequence = iter(range(10_000))

    def event(kind: str, **fields: Any) -> dict[str, Any]:
        return {**fields, "sequence_number": next(sequence), "type": kind}

    def whole(state: str, usage: dict[str, Any] | None, output: list[dict[str, Any]]) -> dict[str, Any]:
        return _response(output, status=state, usage=usage, model=model, max_output_tokens=max_output_tokens)

    where = {"item_id": "msg_scripted", "output_index": 0, "content_index": 0}
    empty = {"annotations": [], "text": "", "type": "output_text", "logprobs": []}
    events: list[Chunk] = [
        event("response.created", response=whole("in_progress", None, [])),
        event("response.in_progress", response=whole("in_progress", None, [])),
        event("response.output_item.added", item={**_message("", None, "in_progress"), "content": []}, output_index=0),
        event("response.content_part.added", part=empty, **where),
    ]
    for i, piece in enumerate(text_pieces):
        values = [] if logprobs is None else [_logprob(piece, logprobs[i])]
        events.append(event("response.output_text.delta", delta=piece, logprobs=values, **where))
    done = _message(text, logprobs)
    events += [
        event("response.output_text.done", text=text, logprobs=[], **where),
        event("response.content_part.done", part=done["content"][0], **where),
        event("response.output_item.done", item=done, output_index=0),
        event("response.completed", response=whole(status, _usage(prompt_tokens, completion_tokens), [done])),
    ]
    return events
