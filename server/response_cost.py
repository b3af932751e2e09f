"""The cost of a stream, told at its end (an attempt's own cost is computed in server/pricing.py).

Non-streamed answers carry `x-tierd-cost-usd`. A stream's headers leave before any token, so its
cost rides in the stream: tierd asks every tier for `stream_options.include_usage` and reads the
final usage chunk (the one with `"choices": []`) as it passes. The client then gets:
- when it asked for usage: that chunk, with tierd's figures added under a `tierd` key
  (`{"cost_usd": "0.0000123400", "cost_basis": "...", "request_id": "..."}`), the OpenAI SDK keeps unknown
  fields (`chunk.model_extra["tierd"]`);
- otherwise: no usage chunk (as it asked), and an SSE comment `: tierd {...}` before `data: [DONE]`,
  which SSE clients ignore and `curl -N` shows.
The cost covers every attempt: earlier (escalated-from) attempts are added to the final tier's own.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from server.errors import error_code_of
from server.escalation.answer import SseSplitter, data_event, event_payload, token_count, usage_note
from server.routing.costs import format_usd

# What the final attempt's answer of these tokens cost (server/pricing.py); None when unknown.
PriceOf = Callable[[int | None, int | None], float | None]
_DONE = b"data: [DONE]"


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """What a finished stream used and cost, for the accounting (None where unknown)."""

    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None  # every attempt's
    ttft_s: float | None
    duration_s: float
    completed: bool = True  # False: cut before its end (the client left, or tierd stopped)
    error_code: str | None = None  # an error event in the stream (an upstream that failed mid-stream)
    attempt_cost_usd: float | None = None  # the final attempt's own cost, without earlier attempts
    # Answer chunks handed on (about one token each, per choice): what a stream cut before its usage chunk
    # is charged for (server/recording.py).
    delivered_chunks: int = 0
    usage_note: str | None = None  # what of the usage chunk was unreadable (booked as unknown)


def _is_usage_event(event: bytes) -> bool:
    # Cheap byte tests first: only the final usage chunk has an empty choices list.
    return b'"usage"' in event and (b'"choices":[]' in event or b'"choices": []' in event)


class StreamMeter:
    """Reads a stream's events as they pass, takes the usage chunk, and says the cost at the end."""

    def __init__(
        self,
        *,
        price: PriceOf,
        client_wants_usage: bool,
        request_id: str,
        cost_basis: str,
        earlier_usd: float | None,
    ) -> None:
        self._splitter = SseSplitter()
        self._price, self._earlier = price, earlier_usd
        self._wants_usage = client_wants_usage
        self._request_id, self._basis = request_id, cost_basis
        self._figures: dict[str, Any] | None = None
        self.usage: dict[str, Any] = {}
        self.cost_usd: float | None = None
        self.own_cost_usd: float | None = None
        self.error_code: str | None = None
        self.usage_note: str | None = None
        self.done = False  # the `data: [DONE]` event has been handed on to the client
        self.delivered_chunks = 0

    def feed(self, chunk: bytes) -> bytes:
        out: list[bytes] = []
        for event in self._splitter.feed(chunk):
            if event.startswith(b'data: {"error"'):
                self.error_code = error_code_of(event_payload(event))
            if _is_usage_event(event):
                payload = event_payload(event)
                if payload is not None and isinstance(payload.get("usage"), dict):
                    self.usage = payload["usage"]
                    self.usage_note = usage_note(self.usage)
                    self.cost_usd = self._cost(self.usage)
                    self._figures = {
                        "cost_usd": format_usd(self.cost_usd),
                        "cost_basis": self._basis,
                        "request_id": self._request_id,
                    }
                    if not self._wants_usage:
                        continue
                    payload["tierd"] = self._figures
                    event = data_event(payload)
            elif event.startswith(b"data: {") and self.error_code is None:
                self.delivered_chunks += 1
            if event.startswith(_DONE):
                self.done = True
                if self._figures is not None and not self._wants_usage:
                    out.append(b": tierd " + json.dumps(self._figures, separators=(",", ":")).encode() + b"\n\n")
            out.append(event)
        return b"".join(out)

    def rest(self) -> bytes:
        return self._splitter.rest()

    def _cost(self, usage: dict[str, Any]) -> float | None:
        own = self._price(token_count(usage.get("prompt_tokens")), token_count(usage.get("completion_tokens")))
        self.own_cost_usd = own
        return own + self._earlier if own is not None and self._earlier is not None else None


async def metered(
    chunks: AsyncIterator[bytes],
    meter: StreamMeter,
    started: float | None = None,
    on_end: Callable[[StreamEnd], None] | None = None,
) -> AsyncGenerator[bytes, None]:
    """Relay `chunks` through `meter`; `on_end` gets usage, cost, TTFT and duration (from `started`, a
    time.monotonic() at the request's start) when the stream ends, whether it finished or was cut."""
    started = time.monotonic() if started is None else started
    first_at: float | None = None
    completed = False
    try:
        async for chunk in chunks:
            out = meter.feed(chunk)
            if out:
                first_at = first_at or time.monotonic()
                yield out
        rest = meter.rest()
        if rest:
            yield rest
        completed = True
    finally:
        if on_end is not None:
            ttft = None if first_at is None else first_at - started
            end = StreamEnd(
                token_count(meter.usage.get("prompt_tokens")),
                token_count(meter.usage.get("completion_tokens")),
                meter.cost_usd,
                ttft,
                time.monotonic() - started,
                # A client that closes as soon as it reads [DONE] can cancel this generator at that very
                # yield: it got the whole answer, so the stream counts as complete, not as a 499.
                completed=completed or meter.done,
                error_code=meter.error_code,
                attempt_cost_usd=meter.own_cost_usd,
                delivered_chunks=meter.delivered_chunks,
                usage_note=meter.usage_note,
            )
            on_end(end)
