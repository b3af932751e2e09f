"""Streams as whole SSE events, for the escalation runner: read some or all, replay, abandon.

Closing an event generator closes its upstream connection, which makes vLLM abort the generation.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Any

from server.escalation.answer import SseSplitter, StreamAssembler, event_payload
from tiers.base import Tier, UpstreamError, UpstreamResponse


def error_event(exc: UpstreamError) -> bytes:
    """After the headers are sent, the only honest way left to say a stream failed."""
    error = {"error": {"message": exc.message, "type": "server_error", "param": None, "code": exc.code}}
    return f"data: {json.dumps(error)}\n\n".encode()


def _without_logprobs(payload: dict[str, Any]) -> dict[str, Any]:
    for choice in payload.get("choices") or []:
        if isinstance(choice, dict):
            choice.pop("logprobs", None)
    return payload


@dataclass(frozen=True, slots=True)
class Strip:
    """What tierd added to the upstream request and must take out of the answer (usage is handled by the
    cost meter in server/response_cost.py, which reads it first)."""

    logprobs: bool

    def apply(self, event: bytes) -> bytes:
        payload = event_payload(event) if self.logprobs else None
        if payload is None:
            return event
        return b"data: " + json.dumps(_without_logprobs(payload), separators=(",", ":")).encode() + b"\n\n"


def strip_logprobs_json(response: UpstreamResponse, parsed: dict[str, Any]) -> UpstreamResponse:
    body = json.dumps(_without_logprobs(parsed), separators=(",", ":")).encode()
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
