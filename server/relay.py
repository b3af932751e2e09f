"""Relaying one tier's stream to the client unchanged, with honest failure signals on both sides of the
first byte: before it, an upstream failure is raised (and becomes an HTTP error); after it, only an SSE
error event can tell the client."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from server.escalation.streams import error_event
from tiers.base import Tier, UpstreamError

log = logging.getLogger("tierd.requests")


async def open_relay(
    tier: Tier, path: str, body: dict[str, Any], request_id: str, replica: str | None
) -> AsyncIterator[bytes]:
    """Start the relay and wait for its first chunk, so that an upstream failure
    before the first byte (an UpstreamError, raised) still becomes a proper HTTP error."""
    relay = _relay(tier, path, body, request_id, replica)
    try:
        first = await anext(relay)
    except StopAsyncIteration:
        first = b""
    return _prepend(first, relay)


async def _relay(
    tier: Tier, path: str, body: dict[str, Any], request_id: str, replica: str | None
) -> AsyncGenerator[bytes, None]:
    started = False
    try:
        async with tier.open_stream(path, body, request_id, replica) as stream:
            async for chunk in stream.iter_bytes():
                started = True
                yield chunk
    except UpstreamError as exc:
        if not started:
            raise
        # Headers are gone: the only honest signal left is an error event, then the end.
        log.warning("request %s: tier %s failed mid-stream: %s", request_id, tier.name, exc.message)
        yield error_event(exc)


async def _prepend(first: bytes, rest: AsyncGenerator[bytes, None]) -> AsyncIterator[bytes]:
    try:
        if first:
            yield first
        async for chunk in rest:
            yield chunk
    finally:
        # Runs on normal end and when the client disconnects (the task is cancelled):
        # closing the relay closes the upstream connection, which aborts the generation.
        await rest.aclose()
