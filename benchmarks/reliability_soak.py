"""The soak: many clients for a while, a realistic mix, then what the ledger and the clients saw.

The mix (weights in `MIX`): chat pinned to tier-1, streamed and not; `auto` chat, whose tiny-model answers
fail tier-1's checks and escalate to the frontier; `auto` chat that the rules send straight to the frontier
(streamed); completions on tier-1; and requests refused on purpose (an unknown model, a bad temperature), so
documented refusals are part of the load. Added latency is per answered request: the client's whole time
minus the time tierd's attempts spent upstream (the ledger's attempt latencies), so a 200-client queue in
vLLM does not count as gateway time.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

from benchmarks.reliability_client import Outcome, Request, run_clients, tally
from benchmarks.reliability_faults import watch_ledger
from benchmarks.reliability_stack import BookedRow
from benchmarks.report import percentile

CHAT = "/v1/chat/completions"
MIX: list[tuple[str, float]] = [
    ("tier1-json", 0.32),
    ("tier1-stream", 0.32),
    ("escalating-json", 0.10),
    ("frontier-stream", 0.08),
    ("completions", 0.10),
    ("refused", 0.08),
]


def _chat(model: str, text: str, stream: bool, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": text}], "max_tokens": 12}
    if stream:
        body.update(stream=True, stream_options={"include_usage": True})
    return body | extra


def soak_request(rng: random.Random, n: int) -> Request:
    kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    if kind == "tier1-json":
        return Request(kind, CHAT, _chat("tier-1", f"Say hi {n}", False))
    if kind == "tier1-stream":
        return Request(kind, CHAT, _chat("tier-1", f"Say hello {n}", True))
    if kind == "escalating-json":
        return Request(kind, CHAT, _chat("auto", f"What is the capital of France? ({n})", False))
    if kind == "frontier-stream":
        return Request(kind, CHAT, _chat("auto", f"Please prove that {n} + 1 > {n}", True))
    if kind == "completions":
        return Request(
            kind, "/v1/completions", {"model": "tier-1", "prompt": f"Once upon a time {n}", "max_tokens": 12}
        )
    if rng.random() < 0.5:
        return Request(kind, CHAT, _chat("no-such-model", "hi", False))
    return Request(kind, CHAT, _chat("tier-1", "hi", False, temperature=7))


@dataclass
class Soak:
    outcomes: list[Outcome]
    ledger_samples: list[tuple[float, float, float]]  # (time, queued rows, overloaded) from /metrics


async def soak(base_url: str, *, clients: int, duration_s: float, timeout_s: float, seed: int) -> Soak:
    stop, samples = asyncio.Event(), list[tuple[float, float, float]]()
    watcher = asyncio.create_task(watch_ledger(base_url, stop, samples))
    outcomes = await run_clients(
        base_url, soak_request, clients=clients, duration_s=duration_s, timeout_s=timeout_s, seed=seed
    )
    stop.set()
    await watcher
    return Soak(outcomes, samples)


def soak_report(run: Soak, booked: dict[str, BookedRow], duration_s: float) -> dict[str, Any]:
    """The clients' tally, the ledger's rows against them, and the added latency of answered requests. A 503
    `ledger_backlog` is documented as not booked (the ledger is what is behind), so it is not a lost row."""
    outcomes = run.outcomes
    backlog = [o for o in outcomes if o.error_code == "ledger_backlog"]
    ids = [o.request_id for o in outcomes if o.request_id and o.error_code != "ledger_backlog"]
    added = [
        o.elapsed_s - booked[o.request_id].upstream_s
        for o in outcomes
        if o.verdict() == "ok" and o.request_id in booked and booked[o.request_id].attempts
    ]
    by_kind: dict[str, dict[str, int]] = {}  # kind -> the tier whose answer the client got (ledger) -> count
    for o in outcomes:
        tiers = by_kind.setdefault(o.kind, {})
        tier = _tier(booked, o) or "none"
        tiers[tier] = tiers.get(tier, 0) + 1
    escalated = by_kind.get("escalating-json", {}).get("frontier", 0)
    total = [o.elapsed_s for o in outcomes if o.verdict() == "ok"]
    return {
        **tally(outcomes),
        "duration_s": duration_s,
        "requests_per_s": len(outcomes) / duration_s,
        "final_tier_by_kind": by_kind,
        "escalated_to_frontier": escalated,
        "backpressure_503": len(backlog),
        "max_queued_rows": max((q for _, q, _ in run.ledger_samples), default=None),
        "booked_request_ids": len(ids),
        "without_request_id": sum(1 for o in outcomes if not o.request_id),
        "ledger_rows": sum(1 for i in ids if i in booked),
        "lost_rows": sum(1 for i in ids if i not in booked),
        "latency_p50_ms": percentile(total, 0.5) * 1e3 if total else None,
        "latency_p99_ms": percentile(total, 0.99) * 1e3 if total else None,
        "added_p50_ms": percentile(added, 0.5) * 1e3 if added else None,
        "added_p99_ms": percentile(added, 0.99) * 1e3 if added else None,
        "added_latency_samples": len(added),
    }


def _tier(booked: dict[str, BookedRow], o: Outcome) -> str | None:
    row = booked.get(o.request_id or "")
    return row.final_tier if row else None
