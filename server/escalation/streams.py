"""Streams as whole SSE events, for the escalation runner: read some or all, replay, abandon.

Closing an event generator closes its upstream connection, which makes vLLM abort the generation.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any

from server.errors import openai_error
from server.escalation.answer import SseSplitter, StreamAssembler, event_payload
from server.openai_shape import shape, without_null_fields
from tiers.base import Tier, UpstreamError, UpstreamResponse


def error_event(exc: UpstreamError) -> bytes:
    """After the headers are sent, the only honest way left to say a stream failed."""
    error = {"error": {"message": exc.message, "type": "server_error", "param": None, "code": exc.code}}
    return f"data: {json.dumps(error)}\n\n".encode()


def _without_logprobs(payload: dict[str, Any]) -> bool:
    removed = False
    for choice in payload.get("choices") or []:
        if isinstance(choice, dict) and choice.pop("logprobs", None) is not None:
            removed = True
    return removed


def _parsed(data: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


@dataclass(slots=True)
class Strip:
    """What an attempt's events become on their way to the client: without what tierd added to the upstream
    request (usage is handled by the cost meter in server/response_cost.py, which reads it first), in
    OpenAI's shape (server/openai_shape.py; an error event in OpenAI's error shape), and with one `id` and
    `created` for the whole stream. An event is re-serialised only when something in it changed."""

    logprobs: bool
    stream_id: str | None = None  # the first chunk's, which every later chunk repeats
    created: int | None = None

    def apply(self, event: bytes) -> bytes:
        if event.startswith(b"data: {") and event.find(b"\n") == len(event) - 2:  # one line: vLLM's own kind
            event = without_null_fields(event)  # often all there is to change: then no json.dumps
            payload = _parsed(event[6:-2])
        else:
            payload = event_payload(event)
        if payload is None:
            return event
        if "error" in payload:
            return _event({"error": openai_error(payload, None)})
        changed = _without_logprobs(payload) if self.logprobs else False
        changed |= shape(payload)
        changed |= self._same_identity(payload)
        return _event(payload) if changed else event

    def _same_identity(self, payload: dict[str, Any]) -> bool:
        if self.stream_id is None:
            self.stream_id, created = payload.get("id"), payload.get("created")
            self.created = created if isinstance(created, int) else None
            return False
        changed = False
        if payload.get("id") != self.stream_id:
            payload["id"], changed = self.stream_id, True
        if self.created is not None and payload.get("created") != self.created:
            payload["created"], changed = self.created, True
        return changed


def shape_json(response: UpstreamResponse, parsed: dict[str, Any], *, strip_logprobs: bool) -> UpstreamResponse:
    """A JSON answer in OpenAI's shape, without the logprobs tierd asked for (re-serialised if it changed)."""
    changed = _without_logprobs(parsed) if strip_logprobs else False
    if not (shape(parsed) or changed):
        return response
    body = json.dumps(parsed, separators=(",", ":")).encode()
    return UpstreamResponse(response.status, body, response.replica_id, response.headers)


@dataclass(slots=True)
class Read:
    events: list[bytes]
    assembler: StreamAssembler
    finished: bool


async def events(
    tier: Tier, path: str, body: dict[str, Any], request_id: str, replica: str | None
) -> AsyncGenerator[list[bytes], None]:
    """The tier's stream as whole SSE events, in groups: the complete events of one read from the upstream.

    Groups matter on a busy gateway: events that arrived together leave together, in one write to the
    client, instead of one system call each.
    """
    splitter = SseSplitter()
    async with tier.open_stream(path, body, request_id, replica) as stream:
        async for chunk in stream.iter_bytes():
            group = splitter.feed(chunk)
            if group:
                yield group
    rest = splitter.rest()
    if rest.strip():
        yield [rest + b"\n\n"]


async def read(stream: AsyncGenerator[list[bytes], None], prefix_chunks: int | None, first_only: bool) -> Read:
    """Read events: only the first group (pass-through), groups up to the first `prefix_chunks` content
    chunks, or all."""
    done = Read([], StreamAssembler(), finished=False)
    async for group in stream:
        done.events.extend(group)
        for event in group:
            payload = event_payload(event)
            if payload is not None:
                done.assembler.add(payload)
        if first_only or (prefix_chunks is not None and done.assembler.content_chunks >= prefix_chunks):
            return done
    done.finished = True
    return done


async def replay(
    held: list[bytes], rest: AsyncGenerator[list[bytes], None] | None, strip: Strip
) -> AsyncIterator[bytes]:
    """The events already read (at once), then the rest of the live stream (if it has not ended), a group
    at a time."""
    try:
        if held:
            yield b"".join(strip.apply(event) for event in held)
        if rest is not None:
            async for group in rest:
                yield b"".join(map(strip.apply, group))
    except UpstreamError as exc:
        yield error_event(exc)
    finally:
        if rest is not None:
            await rest.aclose()


def close_later(stream: AsyncGenerator[list[bytes], None]) -> None:
    """Close an abandoned stream soon (its upstream generation is aborted) without waiting for it here."""
    task = asyncio.ensure_future(stream.aclose())
    task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)
