"""Faults injected under load: a tier-1 replica SIGKILLed, the frontier misbehaving, the ledger's database down.

Each fault reports `max_recover_s` (how long until requests were served normally again, or for a frontier
fault how long the client waited for its error) and `hung` (requests the client gave up on), plus the
request ids it saw, for the ledger audit at the end.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from typing import Any

import httpx

from benchmarks.reliability_client import Outcome, Request, new_session, run_clients, send, tally
from benchmarks.reliability_stack import Stack

FRONTIER_FAULTS = ("429", "500", "garbage", "slowloris", "cut")


def tier1_request(rng: random.Random, n: int) -> Request:
    """Short chat on tier-1, half streamed: the load of the replica and ledger faults."""
    stream = rng.random() < 0.5
    body: dict[str, Any] = {
        "model": "tier-1",
        "messages": [{"role": "user", "content": f"Say hi {n}"}],
        "max_tokens": 8,
        "stream": stream,
    }
    return Request("tier1-stream" if stream else "tier1-json", "/v1/chat/completions", body)


def _probe(tier: str) -> Request:
    body = {"model": tier, "messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 4}
    return Request("probe", "/v1/chat/completions", body)


async def settle(
    stack: Stack, tiers: tuple[str, ...] = ("tier-1", "frontier"), timeout_s: float = 120.0
) -> float | None:
    """Seconds until every replica of `tiers` is ready with a closed breaker (a half-open one needs a request
    to close it, so one is sent while waiting); None if that did not happen within `timeout_s`. Run before a
    phase, so that a breaker an earlier phase opened is not counted against it (each phase's own figures show
    where one opened)."""
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=30) as http, new_session(4) as session:
        while time.monotonic() - started < timeout_s:
            state = {t["name"]: t["replicas"] for t in (await http.get(f"{stack.tierd.url}/v1/tiers")).json()["tiers"]}
            waiting = [
                name
                for name in tiers
                if not all(r["status"] == "ready" and r["breaker"] == "closed" for r in state[name])
            ]
            if not waiting:
                return time.monotonic() - started
            await asyncio.gather(*(send(session, stack.tierd.url, _probe(name), 30) for name in waiting))
            await asyncio.sleep(0.5)
    return None


def recovery_s(outcomes: list[Outcome], fault_at: float) -> float | None:
    """Seconds from the fault until every request started after it was answered: the start of the last one
    that failed, or 0 when none did. None when nothing started after the fault succeeded at all."""
    after = [o for o in outcomes if o.started >= fault_at]
    failed = [o.started for o in after if o.verdict() != "ok"]
    last_failed = max(failed, default=fault_at)
    if not any(o.verdict() == "ok" and o.started > last_failed for o in after):
        return None
    return last_failed - fault_at


async def replica_kill(stack: Stack, *, clients: int, duration_s: float, timeout_s: float) -> dict[str, Any]:
    """SIGKILL replica a a third of the way into a load on tier-1; b alone must take the traffic at once."""
    victim = stack.replicas[0]
    killed_at: list[float] = []

    async def kill_later() -> None:
        await asyncio.sleep(duration_s / 3)
        pid = victim.process.pid
        assert pid is not None
        killed_at.append(time.monotonic())
        os.killpg(pid, signal.SIGKILL)  # the engine is its own process group's leader

    load = run_clients(stack.tierd.url, tier1_request, clients=clients, duration_s=duration_s, timeout_s=timeout_s)
    outcomes, _ = await asyncio.gather(load, kill_later())
    kill = killed_at[0]
    in_flight = [o for o in outcomes if o.started < kill < o.started + o.elapsed_s]
    recover = recovery_s(outcomes, kill)
    return {
        "replica": victim.root,
        **tally(outcomes),
        "in_flight_at_kill": len(in_flight),
        "interrupted": sum(o.verdict() != "ok" for o in in_flight),
        "failed_after_kill": sum(o.verdict() != "ok" for o in outcomes if o.started >= kill),
        "max_recover_s": recover,
        "request_ids": [o.request_id for o in outcomes if o.request_id],
    }


def _fault_request(fault: str, stream: bool) -> Request:
    body = {
        "model": "frontier",
        "messages": [{"role": "user", "content": f"[[rel-{fault}]] What is the capital of France?"}],
        "max_tokens": 16,
        "stream": stream,
        "stream_options": {"include_usage": True} if stream else None,
    }
    return Request(f"{fault}-{'stream' if stream else 'json'}", "/v1/chat/completions", body)


def _error_as_documented(o: Outcome) -> bool:
    """A failing frontier must end in an OpenAI-style error: a JSON error body, or a stream's error event."""
    if o.hung or o.transport_error is not None or o.status is None:
        return False
    return o.stream_error if o.status == 200 else o.openai_error


async def frontier_faults(stack: Stack, *, per_fault: int, timeout_s: float) -> dict[str, Any]:
    """Each fault in turn: `per_fault` requests (half streamed) at once; the scripted server counts the calls
    tierd made, so retries show as calls per request. The frontier's breaker, which a fault may open, is
    closed again before the next one (`settle_s`)."""
    results: dict[str, Any] = {}
    async with new_session(per_fault + 4) as session:
        for fault in FRONTIER_FAULTS:
            settled = await settle(stack, ("frontier",))
            before = stack.scripted.stats()["requests"]
            requests = [_fault_request(fault, stream=i % 2 == 1) for i in range(per_fault)]
            outcomes = await asyncio.gather(*(send(session, stack.tierd.url, r, timeout_s) for r in requests))
            calls = stack.scripted.stats()["requests"] - before
            results[fault] = {
                "settle_s": settled,
                "requests": len(outcomes),
                "statuses": tally(outcomes)["statuses"],
                "error_codes": sorted({str(o.error_code) for o in outcomes}),
                "as_openai_error": sum(_error_as_documented(o) for o in outcomes),
                "upstream_calls_per_request": calls / len(outcomes),
                "max_recover_s": max(o.elapsed_s for o in outcomes),
                "hung": sum(o.hung for o in outcomes),
                "undocumented": [o.describe() for o in outcomes if not _error_as_documented(o)][:4],
                "request_ids": [o.request_id for o in outcomes if o.request_id],
            }
    return results


async def watch_ledger(url: str, stop: asyncio.Event, samples: list[tuple[float, float, float]]) -> None:
    """(time, queued rows, overloaded) from tierd's /metrics, four times a second."""
    async with httpx.AsyncClient(timeout=5) as http:
        while not stop.is_set():
            try:
                text = (await http.get(f"{url}/metrics")).text
            except httpx.HTTPError:
                text = ""
            values = {}
            for line in text.splitlines():
                name, _, value = line.partition(" ")
                if name in ("tierd_ledger_queued_rows", "tierd_ledger_overloaded"):
                    values[name] = float(value)
            samples.append(
                (
                    time.monotonic(),
                    values.get("tierd_ledger_queued_rows", -1),
                    values.get("tierd_ledger_overloaded", -1),
                )
            )
            await asyncio.sleep(0.25)


async def ledger_down(
    stack: Stack, *, clients: int, down_s: float, after_s: float, timeout_s: float, drain_timeout_s: float
) -> dict[str, Any]:
    """Stop Postgres under load for `down_s`, start it again, keep the load `after_s` longer, then wait for the
    queue to drain. Nothing may be lost; while the queue is full new requests get 503 with Retry-After."""
    postgres = stack.postgres
    assert postgres is not None
    marks: dict[str, float] = {}
    stop_watch = asyncio.Event()
    samples: list[tuple[float, float, float]] = []

    async def outage() -> None:
        await asyncio.sleep(2)
        marks["down"] = time.monotonic()
        await asyncio.to_thread(postgres.stop)
        await asyncio.sleep(down_s)
        await asyncio.to_thread(postgres.start)
        marks["up"] = time.monotonic()

    watcher = asyncio.create_task(watch_ledger(stack.tierd.url, stop_watch, samples))
    load = run_clients(
        stack.tierd.url, tier1_request, clients=clients, duration_s=2 + down_s + after_s, timeout_s=timeout_s
    )
    outcomes, _ = await asyncio.gather(load, outage())
    for _ in range(int(drain_timeout_s * 4)):  # until the watcher sees an empty queue
        if samples and samples[-1][1] == 0:
            break
        await asyncio.sleep(0.25)
    stop_watch.set()
    await watcher
    drained = [t for t, queued, _ in samples if t > marks["up"] and queued == 0]
    backlog = [o for o in outcomes if o.status == 503 and o.error_code == "ledger_backlog"]
    return {
        **tally(outcomes),
        "down_s": round(marks["up"] - marks["down"], 2),
        "backpressure_503": len(backlog),
        "backpressure_with_retry_after": sum(bool(o.retry_after) for o in backlog),
        "max_queued_rows": max((q for _, q, _ in samples), default=None),
        "overloaded_seen": any(flag == 1 for _, _, flag in samples),
        # From the database's return until tierd's queue was empty again.
        "max_recover_s": (drained[0] - marks["up"]) if drained else None,
        # 503 ledger_backlog is documented as not booked (the ledger is what is behind): left out of the audit.
        "request_ids": [o.request_id for o in outcomes if o.request_id and o.error_code != "ledger_backlog"],
    }
