"""Placement against real vLLM replicas: load spreads over tier-1's two replicas, and once their
queues reach the limit tierd spills to tier-2 — checked from the replicas' own /metrics."""

from __future__ import annotations

import asyncio
import collections
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import TierdServer, VllmServer, attached_tier, remote_tier, running_tierd
from tiers.telemetry.vllm_metrics import parse_vllm_metrics

pytestmark = pytest.mark.integration

MAX_WAITING = 2
CONCURRENT = 16


@pytest.fixture
def replicas(tiny_model_dir: Path, tmp_path: Path) -> Iterator[dict[str, VllmServer]]:
    # Two slots per tier-1 replica, so 16 concurrent requests must queue or go elsewhere.
    small = ("--max-num-seqs", "2")
    servers = {
        "a": VllmServer(tiny_model_dir, "tiny-t1", tmp_path / "a", extra_args=small),
        "b": VllmServer(tiny_model_dir, "tiny-t1", tmp_path / "b", extra_args=small),
        "t2": VllmServer(tiny_model_dir, "tiny-t2", tmp_path / "t2"),
    }
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


async def _watch(servers: list[VllmServer], seen: dict[str, float], stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        while not stop.is_set():
            for server in servers:
                load = parse_vllm_metrics((await http.get(f"{server.root}/metrics")).text, 0.0)
                seen[server.root] = max(seen.get(server.root, 0.0), load.waiting)
            await asyncio.sleep(0.05)


async def test_load_spreads_over_replicas_and_spills_past_the_waiting_limit(
    replicas: dict[str, VllmServer], tmp_path: Path
) -> None:
    a, b, t2 = replicas["a"], replicas["b"], replicas["t2"]
    tier1 = {
        **attached_tier("tier-1", a),
        "urls": [a.root, b.root],
        "cost": {"hardware": "cpu", "tokens_per_hour": 2e6},
        "max_num_seqs": 2,
    }
    config = {
        "placement": {"max_waiting": MAX_WAITING, "scrape_interval_s": 0.2, "load_max_age_s": 5},
        "tiers": [tier1, attached_tier("tier-2", t2, max_num_seqs=16), remote_tier("frontier", None)],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
    }
    before = {s.root: s.load() for s in (a, b, t2)}
    with running_tierd(config, tmp_path / "tierd") as gateway:
        await asyncio.sleep(1.0)  # a few scrapes: before the first, load is unknown and nothing spills
        answers, max_waiting = await _burst(gateway, [a, b])
        after = {s.root: s.load() for s in (a, b, t2)}
        streamed = await _stream_once(gateway)
    served = {root: after[root].requests_finished_total - before[root].requests_finished_total for root in after}
    tiers = collections.Counter(h["x-tierd-tier"] for h in answers)
    replicas_used = collections.Counter(h["x-tierd-replica"] for h in answers)
    print("tiers", dict(tiers), "replicas", dict(replicas_used), "served", served, "max waiting", max_waiting)

    assert all(h["x-tierd-tier"] in {"tier-1", "tier-2"} for h in answers)
    # Spread: both tier-1 replicas served requests, by their own success counters.
    assert served[a.root] >= 1 and served[b.root] >= 1
    # Spill: tier-2 served the rest, by its own counter, and tierd said why.
    assert served[t2.root] == tiers["tier-2"] >= 1
    assert served[a.root] + served[b.root] == tiers["tier-1"]
    spilled = [h["x-tierd-placement"] for h in answers if h["x-tierd-tier"] == "tier-2"]
    pattern = rf"tier-1 saturated \(tier-1-[01]: waiting \d+ >= {MAX_WAITING}\); spilled to tier-2"
    assert all(re.fullmatch(pattern, r) for r in spilled), spilled
    # tier-1's queues never went past the limit, by their own waiting gauges.
    assert max_waiting <= MAX_WAITING
    costs = [h["x-tierd-cost-usd"] for h in answers if h["x-tierd-tier"] == "tier-1"]
    assert all(float(c) > 0 for c in costs), costs
    # A stream goes to the chosen replica too, and carries no cost header (its usage comes last).
    assert streamed.status_code == 200 and "x-tierd-cost-usd" not in streamed.headers
    assert streamed.text.rstrip().endswith("data: [DONE]")


async def _stream_once(gateway: TierdServer) -> httpx.Response:
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8, "stream": True}
    async with httpx.AsyncClient(timeout=60) as http:
        return await http.post(f"{gateway.url}/v1/chat/completions", json=body)


async def _burst(gateway: TierdServer, watched: list[VllmServer]) -> tuple[list[httpx.Headers], float]:
    seen: dict[str, float] = {}
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch(watched, seen, stop))
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 256, "ignore_eos": True}
    async with httpx.AsyncClient(timeout=180) as http:

        async def send(i: int) -> httpx.Response:
            # 0.05 s apart: faster than tier-1 finishes them, slow enough for scrapes to see each step.
            await asyncio.sleep(i * 0.05)
            return await http.post(f"{gateway.url}/v1/chat/completions", json=body)

        responses = await asyncio.gather(*(send(i) for i in range(CONCURRENT)))
    stop.set()
    await watcher
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses if r.status_code != 200]
    return [r.headers for r in responses], max(seen.values())
