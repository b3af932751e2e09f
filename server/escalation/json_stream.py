"""A guarded JSON request: the tier is asked for a stream, which tierd assembles into one JSON answer.

Why: a non-streamed upstream call cannot be stopped with its tokens kept. Cancelling it aborts the
generation, but vLLM then sends nothing, so tierd would know neither the text nor how many tokens it paid
for. Streamed, the runaway guard (runaway.py) can watch the text and stop the generation early, and the
tokens generated are known from the chunks' usage.

The trade-off: the client gets tierd's assembly of the chunks, an OpenAI-shaped `chat.completion` or
`text_completion` with one choice (id, created and model from the tier's chunks), not the tier's own JSON
body, and the gateway parses every chunk instead of one body. Requests whose JSON holds more than one plain
choice (`n > 1`, log-probabilities, tool calls, echo: runaway.guardable_json) are sent as they came,
unguarded.
"""

from __future__ import annotations

import json
from typing import Any

from server.escalation import streams
from server.escalation.answer import iter_payloads
from server.escalation.runaway import Trip, Watch
from tiers.base import Tier, UpstreamError, UpstreamResponse


async def post_via_stream(
    tier: Tier, path: str, body: dict[str, Any], request_id: str, replica: str | None, watch: Watch, *, chat: bool
) -> tuple[UpstreamResponse, Trip | None]:
    """The tier's answer to `body` as a JSON response, and the guard's stop if it stopped the generation.
    Raises UpstreamError as post_json does, also for an error the tier sends inside the stream."""
    opened: list[str] = []
    events = streams.events(tier, path, {**body, "stream": True}, request_id, replica, opened.append)
    try:
        done = await streams.read(events, None, False, watch, chat)
    finally:
        await events.aclose()
    payloads = list(iter_payloads(done.events))
    for payload in payloads:
        error = payload.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            status = code if isinstance(code, int) and code >= 400 else 500
            raise UpstreamError(status, str(error.get("message") or "the tier failed mid-stream"), body=payload)
    answer = done.assembler.answer(complete=True)
    first = next((p for p in payloads if "id" in p), {})
    choice: dict[str, Any] = {"index": 0}
    if chat:
        choice["message"] = {"role": "assistant", "content": answer.text, "refusal": None}
    else:
        choice["text"] = answer.text
    choice.update(logprobs=None, finish_reason=answer.finish_reason)
    assembled: dict[str, Any] = {
        "id": first.get("id", "tierd-assembled"),
        "object": "chat.completion" if chat else "text_completion",
        "created": first.get("created"),
        "model": first.get("model"),
        "choices": [choice],
    }
    if first.get("system_fingerprint"):
        assembled["system_fingerprint"] = first["system_fingerprint"]
    if answer.prompt_tokens is not None and answer.completion_tokens is not None:
        assembled["usage"] = {
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
            "total_tokens": answer.prompt_tokens + answer.completion_tokens,
        }
    raw = json.dumps(assembled, separators=(",", ":")).encode()
    replica_id = opened[0] if opened else (replica or tier.name)
    return UpstreamResponse(200, raw, replica_id, {"content-type": "application/json"}), done.stopped
