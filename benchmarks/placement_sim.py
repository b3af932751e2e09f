"""Placement under load: the REAL placement code over a queueing model of the replicas.

    python -m benchmarks.placement_sim [--seconds 600] [--seed 1] [--out FILE]

An event simulation: requests arrive (Poisson, at a rate that follows a load trace), each
placement call gets the same snapshots tierd builds — loads as of the last `/metrics` scrape
(every `scrape_interval_s`), tierd's live in-flight counts, slot counts, breaker state — and
`server.routing.placement.place` decides. Each replica runs up to `slots` requests at once
(prefill, then decode at a fixed per-sequence rate) and queues the rest FIFO.

Three strategies run the same arrivals: always-local (tier-1 never spills: `never_spill`),
always-frontier (pinned to the frontier) and tierd (the default policy with the bounds below).
Costs use the cost model (`server.routing.costs`): local tiers at their fully loaded $/token,
from the gpu_configs/ profile's cloud $/hour and the full-load throughput this same queueing
model gives; the frontier at list prices. A second figure charges the local hardware by the
hour for the whole run instead (it is paid whether busy or not).

Traces: `ramp` (0.25x to 2.5x tier-1 capacity, linearly), `steady-2x` (2x tier-1 capacity
throughout: the target) and `recorded` (the arrival rate follows the GPU utilization of the
recorded H200 probe run in tests/fixtures/h200_probe_trace.jsonl, stretched over the run,
peaking at 2.5x tier-1 capacity). All model parameters are synthetic and printed with the results.
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.report import percentile, write_report
from server.routing.costs import TierCost, TierPricing, tier_cost
from server.routing.placement import Placement, PlacementPolicy, place
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.hardware import load_profiles
from tiers.load import ReplicaLoad, token_rates
from tiers.telemetry.trace import read_trace

DEFAULT_OUT = Path(__file__).parent / "results" / "placement_sim.json"
TRACE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "h200_probe_trace.jsonl"
MAX_QUEUE_WAIT_S = 2.0  # the configured bound tierd must keep p95 queue wait under
SCRAPE_INTERVAL_S = 1.0
PROMPT_MEAN, COMPLETION_MEAN = 400, 200
FRONTIER_PRICES = (2.50, 10.00)  # $/1M input, output (the presets' GPT-4o list prices)


@dataclass(frozen=True)
class TierModel:
    name: str
    profile: str  # gpu_configs/ profile, cloud pricing, one GPU per replica
    replicas: int
    slots: int
    decode_tok_s: float  # per sequence
    prefill_tok_s: float = 8000.0

    def mean_service_s(self) -> float:
        return PROMPT_MEAN / self.prefill_tok_s + COMPLETION_MEAN / self.decode_tok_s

    def capacity_rps(self) -> float:
        return self.replicas * self.slots / self.mean_service_s()

    def tokens_per_replica_hour(self) -> float:
        return self.slots / self.mean_service_s() * (PROMPT_MEAN + COMPLETION_MEAN) * 3600


TIER1 = TierModel("tier-1", "l4", replicas=2, slots=16, decode_tok_s=40.0)
TIER2 = TierModel("tier-2", "l40s", replicas=1, slots=16, decode_tok_s=30.0)


@dataclass
class Replica:
    rid: str
    model: TierModel
    running: int = 0
    queue: deque[tuple[float, int, int]] = field(default_factory=deque)
    prompt_total: float = 0.0
    generation_total: float = 0.0
    finished_total: float = 0.0
    loads: list[ReplicaLoad] = field(default_factory=list)
    in_flight_at_load: int = 0

    @property
    def in_flight(self) -> int:
        return self.running + len(self.queue)

    def scrape(self, now: float) -> None:
        kv = min(1.0, self.running / self.model.slots * 0.8)
        load = ReplicaLoad(
            now, self.running, len(self.queue), kv, self.prompt_total, self.generation_total, self.finished_total
        )
        self.loads = [*self.loads[-1:], load]
        self.in_flight_at_load = self.in_flight

    def snapshot(self) -> ReplicaSnapshot:
        load = self.loads[-1] if self.loads else None
        rates = token_rates(*self.loads) if len(self.loads) == 2 else None
        return ReplicaSnapshot(
            self.rid,
            "sim",
            ReplicaStatus.READY,
            self.in_flight,
            0,
            0.0,
            load=load,
            rates=rates,
            in_flight_at_load=self.in_flight_at_load,
            slots=self.model.slots,
        )


def pricing(profiles: dict[str, Any]) -> dict[str, TierPricing]:
    table = {
        m.name: TierPricing(
            m.name,
            usd_per_replica_hour=profiles[m.profile].usd_per_hour("cloud"),
            tokens_per_replica_hour=m.tokens_per_replica_hour(),
            hardware=f"{m.profile} (cloud) x1",
        )
        for m in (TIER1, TIER2)
    }
    table["frontier"] = TierPricing("frontier", *FRONTIER_PRICES)
    return table


def rate_fn(trace: str, seconds: float, capacity_rps: float | None = None) -> Callable[[float], float]:
    """Requests per second at time t: `ramp`, `steady-Kx` (K times tier-1's capacity), or `recorded`."""
    cap = capacity_rps or TIER1.capacity_rps()
    if trace == "ramp":
        return lambda t: cap * (0.25 + 2.25 * t / seconds)
    if trace.startswith("steady-") and trace.endswith("x"):
        times = float(trace.removeprefix("steady-").removesuffix("x"))
        return lambda t: times * cap
    samples = [(s.taken_at, s.gpus[0].utilization_pct or 0.0) for s in read_trace(TRACE)]
    span, peak = samples[-1][0], max(u for _, u in samples) or 1.0

    def recorded(t: float) -> float:
        x = t / seconds * span
        u = next((u for ts, u in reversed(samples) if ts <= x), samples[0][1])
        return cap * 2.5 * max(u, 10.0) / peak  # an idle second still sees a trickle of requests

    return recorded


def arrivals(trace: str, seconds: float, seed: int, capacity_rps: float | None = None) -> list[tuple[float, int, int]]:
    """(time, prompt tokens, completion tokens) by thinning a Poisson process at the peak rate."""
    rng = random.Random(seed)
    rate = rate_fn(trace, seconds, capacity_rps)
    peak = max(rate(seconds * i / 1000) for i in range(1001))
    out: list[tuple[float, int, int]] = []
    t = 0.0
    while True:
        t += rng.expovariate(peak)
        if t >= seconds:
            return out
        if rng.random() < rate(t) / peak:
            prompt = max(16, int(rng.lognormvariate(math.log(PROMPT_MEAN) - 0.5, 1.0)))
            completion = max(8, min(1024, int(rng.expovariate(1 / COMPLETION_MEAN))))
            out.append((t, prompt, completion))


FRONTIER_SNAPSHOT = TierSnapshot(
    "frontier",
    TierKind.OPENAI_REMOTE,
    "f",
    False,
    True,
    (ReplicaSnapshot("frontier-0", "sim", ReplicaStatus.READY, 0, 0, 0.0),),
)


@dataclass
class Outcome:
    """What one run of the event loop gives: requests per tier, queue waits, and dollars at `booked` prices."""

    served: dict[str, int]
    waits: list[float]
    usd: float  # every request at its tier's booked price
    frontier_usd: float  # the frontier's part of it
    end: float  # when the last event happened


def run_events(
    reqs: list[tuple[float, int, int]],
    pools: dict[str, list[Replica]],
    decide: Callable[[int, int, list[TierSnapshot]], Placement],
    booked: Mapping[str, TierCost],
    *,
    snapshot: Callable[[Replica], ReplicaSnapshot] = Replica.snapshot,
    on_scrape: Callable[[float], None] = lambda now: None,
) -> Outcome:
    """The queueing model: arrivals placed by `decide` (given the snapshots tierd would build), replicas
    that run up to `slots` requests (prefill, then decode at a fixed per-sequence rate) and queue the rest FIFO,
    loads scraped every SCRAPE_INTERVAL_S."""
    by_id = {r.rid: r for rs in pools.values() for r in rs}
    events: list[tuple[float, int, str, Any]] = []
    seq = 0
    out = Outcome({name: 0 for name in [*pools, "frontier"]}, [], 0.0, 0.0, 0.0)

    def push(t: float, kind: str, data: Any) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (t, seq, kind, data))

    def start(replica: Replica, now: float, arrived: float, prompt: int, completion: int) -> None:
        replica.running += 1
        out.waits.append(now - arrived)
        service = prompt / replica.model.prefill_tok_s + completion / replica.model.decode_tok_s
        push(now + service, "done", (replica.rid, prompt, completion))

    for r in reqs:
        push(r[0], "arrive", r)
    for k in range(int(reqs[-1][0] / SCRAPE_INTERVAL_S) + 2 if reqs else 0):
        push(k * SCRAPE_INTERVAL_S, "scrape", None)
    while events:
        now, _, kind, data = heapq.heappop(events)
        out.end = max(out.end, now)
        if kind == "scrape":
            for replica in by_id.values():
                replica.scrape(now)
            on_scrape(now)
        elif kind == "done":
            rid, prompt, completion = data
            replica = by_id[rid]
            replica.running -= 1
            replica.prompt_total += prompt
            replica.generation_total += completion
            replica.finished_total += 1
            if replica.queue:
                start(replica, now, *replica.queue.popleft())
        else:
            _, prompt, completion = data
            snaps = [
                TierSnapshot(n, TierKind.VLLM_ATTACHED, n, True, True, tuple(snapshot(r) for r in rs))
                for n, rs in pools.items()
            ] + [FRONTIER_SNAPSHOT]
            decision = decide(prompt, completion, snaps)
            assert decision.tier is not None and decision.replica is not None, decision
            out.served[decision.tier] += 1
            request_usd = booked[decision.tier].request_usd(prompt, completion) or 0.0
            out.usd += request_usd
            if decision.tier == "frontier":
                out.frontier_usd += request_usd
                out.waits.append(0.0)
                continue
            replica = by_id[decision.replica]
            if replica.running < replica.model.slots:
                start(replica, now, now, prompt, completion)
            else:
                replica.queue.append((now, prompt, completion))
    return out


def simulate(strategy: str, reqs: list[tuple[float, int, int]], table: dict[str, TierPricing]) -> dict[str, Any]:
    pools = {m.name: [Replica(f"{m.name}-{i}", m) for i in range(m.replicas)] for m in (TIER1, TIER2)}
    policy = PlacementPolicy(max_waiting=4, max_queue_wait_s=MAX_QUEUE_WAIT_S, pricing=table)
    if strategy == "always-local":
        policy = PlacementPolicy(max_waiting=4, never_spill=frozenset({"tier-1"}), pricing=table)
    pinned = strategy == "always-frontier"

    def decide(prompt: int, completion: int, snaps: list[TierSnapshot]) -> Placement:
        wanted = "frontier" if pinned else "tier-1"
        return place(wanted, snaps, pinned=pinned, on_frontier_missing="error", policy=policy)

    out = run_events(reqs, pools, decide, {name: tier_cost(p) for name, p in table.items()})
    n = len(reqs)
    hours = out.end / 3600
    # The local fleet is paid by the hour whether busy or not; always-frontier needs no fleet.
    fleet_usd_per_hour = sum((table[m.name].usd_per_replica_hour or 0.0) * m.replicas for m in (TIER1, TIER2))
    hardware = 0.0 if strategy == "always-frontier" else fleet_usd_per_hour * hours
    served = out.served
    return {
        "requests": n,
        "cost_per_1k_requests_usd": out.usd / n * 1000,
        "cost_per_1k_hardware_by_hour_usd": (hardware + out.frontier_usd) / n * 1000,
        "p95_queue_wait_s": percentile(out.waits, 0.95),
        "p50_queue_wait_s": percentile(out.waits, 0.50),
        "spill_share": (served["tier-2"] + served["frontier"]) / n if strategy == "tierd" else 0.0,
        "served": served,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    table = pricing(load_profiles())
    params = {
        "tiers": {
            m.name: {
                "profile": m.profile,
                "replicas": m.replicas,
                "slots": m.slots,
                "decode_tok_s_per_seq": m.decode_tok_s,
                "capacity_rps": round(m.capacity_rps(), 3),
                "usd_per_replica_hour": table[m.name].usd_per_replica_hour,
                "fully_loaded_usd_per_1m_tokens": round(1e6 * (tier_cost(table[m.name]).usd_per_input_token or 0), 4),
            }
            for m in (TIER1, TIER2)
        },
        "frontier_usd_per_1m": {"input": FRONTIER_PRICES[0], "output": FRONTIER_PRICES[1]},
        "mean_tokens": {"prompt": PROMPT_MEAN, "completion": COMPLETION_MEAN},
        "policy": {"max_waiting": 4, "max_queue_wait_s": MAX_QUEUE_WAIT_S, "scrape_interval_s": SCRAPE_INTERVAL_S},
        "seconds": args.seconds,
        "seed": args.seed,
    }
    print(f"tier-1 capacity {TIER1.capacity_rps():.2f} req/s; tier-2 {TIER2.capacity_rps():.2f} req/s")
    results: dict[str, Any] = {}
    print(f"{'trace':<10} {'strategy':<16} {'$/1k req':>9} {'$/1k hw/h':>9} {'p95 wait':>9} {'spill':>6}  served")
    for trace in ("ramp", "steady-2x", "recorded"):
        reqs = arrivals(trace, args.seconds, args.seed)
        results[trace] = {}
        for strategy in ("always-local", "always-frontier", "tierd"):
            r = simulate(strategy, reqs, table)
            results[trace][strategy] = r
            print(
                f"{trace:<10} {strategy:<16} {r['cost_per_1k_requests_usd']:>9.4f} "
                f"{r['cost_per_1k_hardware_by_hour_usd']:>9.4f} {r['p95_queue_wait_s']:>8.2f}s "
                f"{r['spill_share']:>6.1%}  {r['served']}"
            )
    steady = results["steady-2x"]
    saving = 1 - steady["tierd"]["cost_per_1k_requests_usd"] / steady["always-frontier"]["cost_per_1k_requests_usd"]
    target = {
        "p95_queue_wait_s": steady["tierd"]["p95_queue_wait_s"],
        "bound_s": MAX_QUEUE_WAIT_S,
        "saving_vs_frontier": saving,
        "met": steady["tierd"]["p95_queue_wait_s"] < MAX_QUEUE_WAIT_S and saving >= 0.40,
    }
    print(
        f"target at 2x tier-1 capacity: p95 queue wait {target['p95_queue_wait_s']:.2f}s (bound {MAX_QUEUE_WAIT_S}s), "
        f"{saving:.1%} cheaper than always-frontier (need >= 40%): {'MET' if target['met'] else 'NOT MET'}"
    )
    from benchmarks.placement_sim_gpu import gpu_pool_section  # the GPU pool and marginal costs

    report = {"benchmark": "placement_sim", "parameters": params, "results": results, "target": target}
    report["gpu_pool"] = gpu_pool_section(args.seconds, args.seed)
    write_report(args.out, report)
    return report


if __name__ == "__main__":
    main()
