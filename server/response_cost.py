"""What a response cost: one attempt's cost from its usage, and the cost of a stream told at its end.

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
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from server.escalation.answer import Answer, SseSplitter, event_payload
from server.routing.costs import TierPricing, format_usd, tier_cost
from tiers.base import Tier

CostOf = Callable[[str, Answer], "float | None"]


def attempt_cost(pricing: Mapping[str, TierPricing], tiers: Mapping[str, Tier]) -> CostOf:
    """One attempt's cost from its usage and the tier's $/token now; None when either is unknown."""

    def cost_of(tier_name: str, answer: Answer) -> float | None:
        tier_pricing = pricing.get(tier_name)
        if tier_pricing is None or answer.prompt_tokens is None:
            return None
        cost = tier_cost(tier_pricing, tiers[tier_name].snapshot())
        return cost.request_usd(answer.prompt_tokens, answer.completion_tokens or 0)

    return cost_of


_DONE = b"data: [DONE]"


def _is_usage_event(event: bytes) -> bool:
    # Cheap byte tests first: only the final usage chunk has an empty choices list.
    return b'"usage"' in event and (b'"choices":[]' in event or b'"choices": []' in event)


async def metered(
    chunks: AsyncIterator[bytes],
    *,
    tier: str,
    cost_of: CostOf,
    client_wants_usage: bool,
    request_id: str,
    cost_basis: str,
    earlier_usd: float | None = 0.0,
) -> AsyncIterator[bytes]:
    splitter = SseSplitter()
    figures: dict[str, Any] | None = None
    async for chunk in chunks:
        out: list[bytes] = []
        for event in splitter.feed(chunk):
            if _is_usage_event(event):
                payload = event_payload(event)
                if payload is not None and isinstance(payload.get("usage"), dict):
                    figures = _figures(payload["usage"], tier, cost_of, earlier_usd, cost_basis, request_id)
                    if not client_wants_usage:
                        continue
                    payload["tierd"] = figures
                    event = b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"
            if event.startswith(_DONE) and figures is not None and not client_wants_usage:
                out.append(b": tierd " + json.dumps(figures, separators=(",", ":")).encode() + b"\n\n")
            out.append(event)
        if out:
            yield b"".join(out)
    rest = splitter.rest()
    if rest:
        yield rest


def _figures(
    usage: dict[str, Any], tier: str, cost_of: CostOf, earlier: float | None, basis: str, request_id: str
) -> dict[str, Any]:
    answer = Answer(
        "", None, prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens")
    )
    own = cost_of(tier, answer)
    total = own + earlier if own is not None and earlier is not None else None
    return {"cost_usd": format_usd(total), "cost_basis": basis, "request_id": request_id}


def with_usage(body: dict[str, Any]) -> dict[str, Any]:
    """The body tierd sends upstream for a stream: usage always on, whatever the client asked."""
    return {**body, "stream_options": {**(body.get("stream_options") or {}), "include_usage": True}}
