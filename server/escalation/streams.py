"""Streams as whole SSE events, for the escalation runner: read some or all, replay, abandon.

Closing an event generator closes its upstream connection, which makes vLLM abort the generation. That is
also how the runaway guard (runaway.py) stops a degenerate generation, while reading or while relaying.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from server.errors import no_answer_message, openai_error
from server.escalation.answer import SseSplitter, StreamAssembler, data_event, event_payload
from server.escalation.runaway import Trip, Watch, ending_events
from server.openai_shape import shape, without_null_fields
from tiers.base import Tier, UpstreamError, UpstreamMalformed, UpstreamResponse

log = logging.getLogger("tierd.requests")


def error_event(exc: UpstreamError, tier: str) -> bytes:
    """After the headers are sent, the only honest way left to say a stream failed (named by its tier: the
    upstream's own detail, which may hold its host, is logged)."""
    log.warning("tier %s failed mid-stream: %s", tier, exc.message)
    message = no_answer_message(exc, tier) if exc.status is None else f"tier {tier!r}: {exc.message}"
    error = {"error": {"message": message, "type": "server_error", "param": None, "code": exc.code}}
    return f"data: {json.dumps(error)}\n\n".encode()


def _without_logprobs(payload: dict[str, Any]) -> bool:
    removed = False
    for choice in payload.get("choices") or []:
        if isinstance(choice, dict) and choice.pop("logprobs", None) is not None:
            removed = True
    return removed


def _is_final_usage(event: bytes) -> bool:
    return b'"choices":[]' in event or b'"choices": []' in event


def _without_chunk_usage(event: bytes) -> bytes:
    """A content chunk without the usage that `continuous_usage_stats` put in it. vLLM writes usage as a
    flat object of counts, so it is cut out of the bytes (no JSON round trip per token); anything else goes
    through JSON."""
    start = event.find(b',"usage":{')
    end = event.find(b"}", start)
    if start >= 0 and event.find(b"{", start + 10, end) < 0:
        return event[:start] + event[end + 1 :]
    payload = event_payload(event)
    if payload is None or payload.pop("usage", None) is None:
        return event
    return data_event(payload)


def _parsed(data: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


@dataclass(slots=True)
class Strip:
    """What an attempt's events become on their way to the client: without what tierd added to the upstream
    request (usage is handled by the cost meter in server/response_cost.py, which reads it first), in
    OpenAI's shape (server/openai_shape.py; an error event in OpenAI's error shape), and with one `id` and
    `created` for the whole stream. An event is re-serialised only when something in it changed."""

    logprobs: bool
    stream_id: str | None = None  # the first chunk's, which every later chunk repeats
    created: int | None = None
    chunk_usage: bool = False  # tierd asked for usage in every chunk (the runaway guard books from it)

    def apply(self, event: bytes) -> bytes:
        if self.chunk_usage and b'"usage"' in event and not _is_final_usage(event):
            event = _without_chunk_usage(event)
        if event.startswith(b"data: {") and event.find(b"\n") == len(event) - 2:  # one line: vLLM's own kind
            event = without_null_fields(event)  # often all there is to change: then no json.dumps
            payload = _parsed(event[6:-2])
        else:
            payload = event_payload(event)
        if payload is None:
            return event
        if "error" in payload or payload.get("object") == "error":  # vLLM's error event, either shape
            return data_event({"error": openai_error(payload, None)})
        changed = _without_logprobs(payload) if self.logprobs else False
        changed |= shape(payload)
        changed |= self._same_identity(payload)
        return data_event(payload) if changed else event

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
    finished: bool  # the stream has ended: by itself, or stopped by the guard (then `stopped` says why)
    stopped: Trip | None = None


async def events(
    tier: Tier,
    path: str,
    body: dict[str, Any],
    request_id: str,
    replica: str | None,
    on_open: Callable[[str], None] | None = None,
) -> AsyncGenerator[list[bytes], None]:
    """The tier's stream as whole SSE events, in groups: the complete events of one read from the upstream.
    `on_open` is told the replica that answered.

    Groups matter on a busy gateway: events that arrived together leave together, in one write to the
    client, instead of one system call each.
    """
    splitter = SseSplitter()
    ended = EndWatch(path)
    async with tier.open_stream(path, body, request_id, replica) as stream:
        if on_open is not None:
            on_open(stream.replica_id)
        async for chunk in stream.iter_bytes():
            group = splitter.feed(chunk)
            if group:
                ended.check(group, stream.replica_id)
                yield group
        rest = splitter.rest()
        if rest.strip():
            ended.check([rest], stream.replica_id)
            yield [rest + b"\n\n"]
        ended.finish(stream.replica_id)


_SSE_FIELDS = (b"data", b"event", b"id", b"retry", b":")


class EndWatch:
    """What tells an upstream's stream from garbage and from a silent cut: every event is SSE, and a chat or
    completions stream ends with `data: [DONE]` (or an error event). Without it the answer may be cut short
    while looking whole, so it ends as a failure (upstream_malformed), never relayed as a success. A Responses
    API stream has no [DONE]: it ends with its own terminal event, which its meter judges."""

    def __init__(self, path: str) -> None:
        self.needs_done = path != "/responses"
        self.seen_end = False

    def check(self, group: list[bytes], replica_id: str) -> None:
        for event in group:
            lines = [line for line in event.strip().splitlines() if line.strip()]
            if not all(line.lstrip().startswith(_SSE_FIELDS) for line in lines):
                raise UpstreamMalformed(f"{replica_id} streamed something that is not server-sent events")
            for line in lines:
                if line.startswith(b"data:"):
                    data = line[5:].strip()
                    # an error event: {"error": ...} or vLLM's older {"object": "error", ...}
                    if data == b"[DONE]" or b'"error"' in data[:40]:
                        self.seen_end = True

    def finish(self, replica_id: str) -> None:
        if self.needs_done and not self.seen_end:
            raise UpstreamMalformed(f"{replica_id} ended its stream without data: [DONE]")


async def read(
    stream: AsyncGenerator[list[bytes], None],
    prefix_chunks: int | None,
    first_only: bool,
    watch: Watch | None = None,
    chat: bool = True,
) -> Read:
    """Read events: only the first group (pass-through), groups up to the first `prefix_chunks` content
    chunks, or all; with a `watch`, only until the guard trips (the stream is then closed and its held
    events end as a stream cut by length does)."""
    done = Read([], StreamAssembler(), finished=False)
    async for group in stream:
        for i, event in enumerate(group):
            payload = event_payload(event)
            if payload is None:
                continue
            done.assembler.add(payload)
            if watch is not None and watch.add(payload) is not None:
                done.events.extend(group[: i + 1])
                ending = ending_events(payload, watch, chat=chat)
                for closing in ending:
                    closing_payload = event_payload(closing)
                    if closing_payload is not None:
                        done.assembler.add(closing_payload)
                done.events.extend(ending)
                done.finished, done.stopped = True, watch.trip
                await stream.aclose()  # vLLM aborts the generation
                return done
        done.events.extend(group)
        if first_only or (prefix_chunks is not None and done.assembler.content_chunks >= prefix_chunks):
            return done
    done.finished = True
    return done


def _cut(group: list[bytes], watch: Watch, chat: bool) -> list[bytes] | None:
    """The group up to the event that trips the guard, then the stream's ending; None: no trip."""
    for i, event in enumerate(group):
        payload = event_payload(event)
        if payload is not None and watch.add(payload) is not None:
            return [*group[: i + 1], *ending_events(payload, watch, chat=chat)]
    return None


async def replay(
    held: list[bytes],
    rest: AsyncGenerator[list[bytes], None] | None,
    strip: Strip,
    watch: Watch | None = None,
    chat: bool = True,
    on_trip: Callable[[Trip], None] | None = None,
    tier: str = "the tier",
) -> AsyncIterator[bytes]:
    """The events already read (at once), then the rest of the live stream (if it has not ended), a group
    at a time; with a `watch`, the relay stops where the guard trips, and the client's stream ends there
    properly (closing `rest` aborts the upstream generation)."""
    try:
        if held:
            yield b"".join(strip.apply(event) for event in held)
        if rest is not None:
            async for group in rest:
                cut = _cut(group, watch, chat) if watch is not None else None
                if cut is not None and on_trip is not None and watch is not None and watch.trip is not None:
                    on_trip(watch.trip)  # before the yield: a client that leaves there must not lose it
                yield b"".join(map(strip.apply, group if cut is None else cut))
                if cut is not None:
                    return
    except UpstreamError as exc:
        yield error_event(exc, tier)
    finally:
        if rest is not None:
            await rest.aclose()


def close_later(stream: AsyncGenerator[list[bytes], None]) -> None:
    """Close an abandoned stream soon (its upstream generation is aborted) without waiting for it here."""
    task = asyncio.ensure_future(stream.aclose())
    task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)
