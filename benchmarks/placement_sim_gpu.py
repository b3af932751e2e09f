"""The placement simulation on a GPU pool, priced at the margin (`python -m benchmarks.placement_sim` runs it
after its own traces and writes it under `gpu_pool`).

H200s on a reserved (committed) rate: the profile's cloud $/hour, paid whether used or not. tier-1 runs
two replicas of a small model, a quarter of a GPU each, on GPUs 0 and 1; tier-2 one replica of a
7B-class model on half of GPU 2 (each replica is charged its share). The same queueing model as
placement_sim drives the replicas. At every scrape each GPU reads as NVML would show it: utilization =
the busiest replica's batch share on it (one full batch keeps a GPU flat out), power = idle +
(TDP - idle) x utilization; the gateway's own smoothing and hot rule read them
(server/telemetry/gpu_watch.py, server/routing/gpu_state.py).

Strategies on the same arrivals, at three steady loads, all under the same bounds (max_waiting 4, queue
wait 2 s):
- always-frontier;
- amortized: placement as it was, tiers ordered by their fully loaded $/token at the reserved rate, no
  GPU state;
- marginal: placement at the margin (reserved capacity: a spare token costs nothing; the frontier: its
  list price), without GPU state;
- marginal+gpu: the same, reading the GPU pool (replicas on hot GPUs avoided), as the gateway does.
Cost, as paid: the reserved fleet by the hour (the same for both local strategies) plus the frontier's
list price. Also what accounting books (local tokens amortized). Two frontier prices: GPT-4o and
GPT-4o-mini. Against the mini, tier-2's amortized $/token is above the frontier's list price, so
amortized placement sends tier-1's overflow to the frontier although tier-2 sits paid for and idle.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from benchmarks.placement_sim import MAX_QUEUE_WAIT_S, Replica, TierModel, arrivals, run_events
from benchmarks.report import percentile
from server.routing.costs import TierPricing, tier_cost
from server.routing.gpu_state import replica_watts, with_gpu_pressure
from server.routing.marginal import RequestDemand
from server.routing.placement import Placement, PlacementPolicy, place
from server.telemetry.gpu_watch import GpuWatch
from tiers.base import ReplicaSnapshot, TierSnapshot
from tiers.hardware import load_profiles
from tiers.telemetry.base import GpuSample, TelemetrySnapshot

G_TIER1 = TierModel("tier-1", "h200", replicas=2, slots=16, decode_tok_s=40.0)
G_TIER2 = TierModel("tier-2", "h200", replicas=1, slots=8, decode_tok_s=30.0)
SHARE = {"tier-1": 0.25, "tier-2": 0.5}  # GPUs per replica
PLACED_ON = {"tier-1-0": "0", "tier-1-1": "1", "tier-2-0": "2"}
IDLE_WATTS = 120.0
FRONTIERS = {"gpt-4o": (2.50, 10.00), "gpt-4o-mini": (0.15, 0.60)}
LOADS = ("steady-0.5x", "steady-1.5x", "steady-3x")
STRATEGIES = ("always-frontier", "amortized", "marginal", "marginal+gpu")


def pool_pricing(frontier: tuple[float, float]) -> dict[str, TierPricing]:
    h200 = load_profiles()["h200"]
    table = {
        m.name: TierPricing(
            m.name,
            usd_per_replica_hour=h200.usd_per_hour("reserved") * SHARE[m.name],
            tokens_per_replica_hour=m.tokens_per_replica_hour(),
            hardware=f"h200 (reserved) x{SHARE[m.name]:g}",
            sunk=True,  # reserved: the power is in the rate, so a spare token adds nothing
            profile_watts_per_replica=h200.owned.power_draw_watts * SHARE[m.name],
            gpus_per_replica=SHARE[m.name],
        )
        for m in (G_TIER1, G_TIER2)
    }
    table["frontier"] = TierPricing("frontier", *frontier)
    return table


def gpu_readings(replicas: dict[str, Replica], now: float, tdp: float) -> TelemetrySnapshot:
    gpus = []
    for index in ("0", "1", "2"):
        on_it = [r for rid, r in replicas.items() if PLACED_ON[rid] == index]
        util = 100.0 * max(min(1.0, r.running / r.model.slots) for r in on_it)
        watts = IDLE_WATTS + (tdp - IDLE_WATTS) * util / 100
        gpus.append(GpuSample(int(index), "NVIDIA H200", f"GPU-sim-{index}", util, None, None, watts, tdp, None))
    return TelemetrySnapshot("sim", now, tuple(gpus), None)


def simulate(strategy: str, reqs: list[tuple[float, int, int]], table: dict[str, TierPricing]) -> dict[str, Any]:
    pools = {m.name: [Replica(f"{m.name}-{i}", m) for i in range(m.replicas)] for m in (G_TIER1, G_TIER2)}
    by_id = {r.rid: r for rs in pools.values() for r in rs}
    policy = PlacementPolicy(max_waiting=4, max_queue_wait_s=MAX_QUEUE_WAIT_S, pricing=table)
    tdp = load_profiles()["h200"].tdp_watts
    readings: dict[str, TelemetrySnapshot | None] = {"latest": None}
    watch = GpuWatch(lambda: readings["latest"], smoothing_s=5.0)
    shares = {name: p.gpus_per_replica for name, p in table.items()}

    def on_scrape(now: float) -> None:
        readings["latest"] = gpu_readings(by_id, now, tdp)

    def decide(prompt: int, completion: int, snaps: list[TierSnapshot]) -> Placement:
        kwargs: dict[str, Any] = {"on_frontier_missing": "error", "policy": policy}
        if strategy == "always-frontier":
            return place("frontier", snaps, pinned=True, **kwargs)
        if strategy == "amortized":
            return place("tier-1", snaps, pinned=False, **kwargs)
        demand = RequestDemand(prompt, completion)
        if strategy == "marginal":
            return place("tier-1", snaps, pinned=False, demand=demand, **kwargs)
        view = watch.view(snaps)
        marked, _ = with_gpu_pressure(snaps, view)
        watts = replica_watts(marked, view, shares)
        return place("tier-1", marked, pinned=False, demand=demand, watts=watts, **kwargs)

    def snapshot(replica: Replica) -> ReplicaSnapshot:
        return replace(replica.snapshot(), gpus=(PLACED_ON[replica.rid],))

    booked = {name: tier_cost(p) for name, p in table.items()}
    out = run_events(reqs, pools, decide, booked, snapshot=snapshot, on_scrape=on_scrape)
    n = len(reqs)
    span_h = reqs[-1][0] / 3600  # the fleet is paid over the arrivals' span, the same for every strategy
    fleet_usd_per_hour = sum((table[m.name].usd_per_replica_hour or 0.0) * m.replicas for m in (G_TIER1, G_TIER2))
    fleet = 0.0 if strategy == "always-frontier" else fleet_usd_per_hour * span_h
    return {
        "requests": n,
        "paid_per_1k_requests_usd": (fleet + out.frontier_usd) / n * 1000,
        "frontier_paid_per_1k_requests_usd": out.frontier_usd / n * 1000,
        "booked_per_1k_requests_usd": out.usd / n * 1000,
        "p95_queue_wait_s": percentile(out.waits, 0.95),
        "served": out.served,
    }


def gpu_pool_section(seconds: float, seed: int) -> dict[str, Any]:
    cap = G_TIER1.capacity_rps()
    print(f"\nGPU pool: reserved H200s; tier-1 {cap:.2f} req/s, tier-2 {G_TIER2.capacity_rps():.2f} req/s")
    print(
        f"{'frontier':<12} {'load':<12} {'strategy':<16} {'paid $/1k':>9} {'frontier $/1k':>13} {'p95 wait':>9}  served"
    )
    results: dict[str, Any] = {}
    for frontier, prices in FRONTIERS.items():
        table = pool_pricing(prices)
        results[frontier] = {}
        for load in LOADS:
            reqs = arrivals(load, seconds, seed, cap)
            row = results[frontier][load] = {s: simulate(s, reqs, table) for s in STRATEGIES}
            for strategy, r in row.items():
                print(
                    f"{frontier:<12} {load:<12} {strategy:<16} {r['paid_per_1k_requests_usd']:>9.4f} "
                    f"{r['frontier_paid_per_1k_requests_usd']:>13.4f} {r['p95_queue_wait_s']:>8.2f}s  {r['served']}"
                )
            row["marginal_saving_vs_amortized"] = (
                1 - row["marginal"]["paid_per_1k_requests_usd"] / row["amortized"]["paid_per_1k_requests_usd"]
            )
            row["marginal_saving_vs_frontier"] = (
                1 - row["marginal"]["paid_per_1k_requests_usd"] / row["always-frontier"]["paid_per_1k_requests_usd"]
            )
    amortized_usd = {
        m.name: round(1e6 * (tier_cost(pool_pricing(FRONTIERS["gpt-4o"])[m.name]).usd_per_input_token or 0), 4)
        for m in (G_TIER1, G_TIER2)
    }
    return {
        "parameters": {
            "gpus": {"0": ["tier-1-0"], "1": ["tier-1-1"], "2": ["tier-2-0"]},
            "gpus_per_replica": SHARE,
            "pricing": "h200 reserved at its cloud rate (sunk)",
            "fully_loaded_usd_per_1m_tokens": amortized_usd,
            "frontier_usd_per_1m": {k: {"input": v[0], "output": v[1]} for k, v in FRONTIERS.items()},
            "loads_x_tier1_capacity": list(LOADS),
            "bounds": {"max_waiting": 4, "max_queue_wait_s": MAX_QUEUE_WAIT_S},
        },
        "results": results,
    }
