"""GPU placement check: does the placement decision turn away from a GPU that real work makes hot?

    python benchmarks/gpu_placement_check.py [--idle-s 6] [--load-s 20] [--cool-s 12] [--out DIR]

Reads NVML for real once every half second, through the gateway's own GPU path (NvmlSource ->
GpuWatch's smoothing -> gpu_state's hot rule -> placement). A tier of two replicas, with requests
queued on both: `tier-1-0` on cuda:0 (this GPU), `tier-1-1` on a GPU NVML cannot see (its state is
unknown, so never hot); `tier-1-0` is the less loaded, so an idle GPU gets the request there. Then
torch loads cuda:0 with bf16 matmuls: once the smoothed utilization passes the hot threshold the
decision must move to `tier-1-1`, saying why, and come back when the GPU cools. A second tier with its
only replica on cuda:0 must spill while the GPU is hot. The owned H200 profile's energy price is
computed from the live power reading at each step.

The replicas' load is synthetic (the GPU host has no vLLM); the GPU readings and the decision code
are real. Exit status: 0 every check passes, 1 a check failed, 2 no CUDA or NVML here. Writes
DIR/gpu_placement_check.json. Runs from a checkout on a bare CUDA image (torch, psutil, pyyaml,
nvidia-ml-py), like benchmarks/gpu_probe.py: it imports the decision modules only, not the gateway.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from a checkout, without installing tierd
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.gpu_probe import MatmulLoad, ProbeUnavailable, cuda0_index, import_cuda_torch, open_nvml  # noqa: E402
from server.routing.costs import TierPricing  # noqa: E402
from server.routing.gpu_state import DEFAULT_GPU_POLICY, replica_watts, with_gpu_pressure  # noqa: E402
from server.routing.marginal import RequestDemand  # noqa: E402
from server.routing.placement import PlacementPolicy, place  # noqa: E402
from server.telemetry.gpu_watch import GpuWatch  # noqa: E402
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot  # noqa: E402
from tiers.hardware import load_profiles  # noqa: E402
from tiers.load import ReplicaLoad  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "benchmarks" / "out" / "gpu_placement_check"
INTERVAL_S = 0.5
DEMAND = RequestDemand(prompt_tokens=500, completion_tokens=200)


def replica(replica_id: str, gpus: tuple[str, ...], waiting: float) -> ReplicaSnapshot:
    load = ReplicaLoad(
        time.time(),
        running=8,
        waiting=waiting,
        kv_cache_usage=0.3,
        prompt_tokens_total=0,
        generation_tokens_total=0,
        requests_finished_total=0,
    )
    return ReplicaSnapshot(
        replica_id,
        f"http://{replica_id}",
        ReplicaStatus.READY,
        in_flight=8,
        restarts=0,
        checked_at=time.time(),
        load=load,
        in_flight_at_load=8,
        gpus=gpus,
    )


def tiers(gpu: str) -> list[TierSnapshot]:
    tier1 = (replica("tier-1-0", (gpu,), waiting=1), replica("tier-1-1", ("99",), waiting=2))
    tier2 = (replica("tier-2-0", (gpu,), waiting=1),)
    return [
        TierSnapshot("tier-1", TierKind.VLLM_MANAGED, "small", True, True, tier1),
        TierSnapshot("tier-2", TierKind.VLLM_MANAGED, "medium", True, True, tier2),
        TierSnapshot("frontier", TierKind.OPENAI_REMOTE, "big", False, True, (replica("frontier-0", (), 0),)),
    ]


SHARE = 0.5  # GPUs per local replica


def owned_half_h200(tier: str) -> TierPricing:
    """A replica on half an owned H200, priced as the gateway prices one (server/wiring.py build_pricing)."""
    h200 = load_profiles()["h200"]
    owned = h200.owned
    return TierPricing(
        tier,
        usd_per_replica_hour=h200.usd_per_hour("owned") * SHARE,
        tokens_per_replica_hour=5.0e6,
        hardware=f"h200 (owned) x{SHARE:g}",
        sunk=True,
        usd_per_kwh_at_the_meter=owned.usd_per_kwh * owned.pue,
        profile_watts_per_replica=owned.power_draw_watts * SHARE,
        gpus_per_replica=SHARE,
    )


def policy() -> PlacementPolicy:
    pricing = {
        "tier-1": owned_half_h200("tier-1"),
        "tier-2": owned_half_h200("tier-2"),
        "frontier": TierPricing("frontier", usd_per_1m_input=2.5, usd_per_1m_output=10.0),
    }
    return PlacementPolicy(max_waiting=8, pricing=pricing)


def decide(watch: GpuWatch, gpu: str, placement_policy: PlacementPolicy) -> dict[str, Any]:
    snapshots = tiers(gpu)
    view = watch.view(snapshots)
    marked, hot = with_gpu_pressure(snapshots, view, DEFAULT_GPU_POLICY)
    watts = replica_watts(marked, view, {"tier-1": SHARE, "tier-2": SHARE})
    within = place(
        "tier-1", marked, pinned=False, on_frontier_missing="error", policy=placement_policy, demand=DEMAND, watts=watts
    )
    only_gpu = place(
        "tier-2", marked, pinned=False, on_frontier_missing="error", policy=placement_policy, demand=DEMAND, watts=watts
    )
    state = next((g for g in view.gpus if g.key == gpu), None) if view else None
    return {
        "utilization_smoothed_pct": round(state.utilization_pct, 1) if state and state.utilization_pct else 0.0,
        "power_watts": state.power_watts if state else None,
        "hot": hot.get(gpu),
        "tier1_replica": within.replica,
        "tier1_reason": within.reason,
        "tier2_request_tier": only_gpu.tier,
        "tier2_reason": only_gpu.reason,
        "marginal_usd": {c.tier: c.usd for c in within.costs},
    }


def process_map(source_pid: int, snapshot: Any) -> tuple[str, ...]:
    """The GPUs GpuWatch finds for a replica whose pid is this process (torch holds a context on cuda:0),
    configured with none: NVML's compute-process list, matched against the replica's process tree."""
    probe = replace(replica("probe-0", (), 0), pid=source_pid)
    tier = TierSnapshot("probe", TierKind.VLLM_MANAGED, "m", True, True, (probe,))
    view = GpuWatch(lambda: snapshot).view([tier])
    return view.discovered.get("probe-0", ()) if view is not None else ()


def run(
    idle_s: float, load_s: float, cool_s: float, interval_s: float = INTERVAL_S, smoothing_s: float = 5.0
) -> tuple[dict[str, Any], bool]:
    torch = import_cuda_torch()
    source = open_nvml()
    latest: dict[str, Any] = {"snapshot": None}
    watch = GpuWatch(lambda: latest["snapshot"], smoothing_s=smoothing_s)
    placement_policy = policy()
    load = MatmulLoad(torch, 8192)
    load.thread.start()
    load.ready.wait()
    time.sleep(1.0)  # NVML averages over its last sample period: let the warm-up matmuls fall out of it
    first = source.sample()
    gpu = str(cuda0_index(torch, first))
    steps: list[dict[str, Any]] = []
    raw: dict[str, Any] = {}
    started = time.monotonic()
    try:
        for phase, seconds in (("idle", idle_s), ("load", load_s), ("cool", cool_s)):
            if phase == "load":
                load.go.set()
            if phase == "cool":
                load.stop.set()
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                latest["snapshot"] = source.sample()
                step = {
                    "t": round(time.monotonic() - started, 2),
                    "phase": phase,
                    **decide(watch, gpu, placement_policy),
                }
                steps.append(step)
                if phase == "load":  # the raw reading, new fields included (clock reasons, compute processes)
                    raw["under_load"] = dataclasses.asdict(latest["snapshot"].gpus[int(gpu)])
                elif phase == "idle":
                    raw["idle"] = dataclasses.asdict(latest["snapshot"].gpus[int(gpu)])
                print(
                    f"[{step['t']:5.1f}s] {phase:<4} util~{step['utilization_smoothed_pct']:5.1f}%  "
                    f"power {step['power_watts'] or 0:4.0f} W  tier-1 -> {step['tier1_replica']}  "
                    f"tier-2 request -> {step['tier2_request_tier']}  {step['hot'] or ''}",
                    flush=True,
                )
                time.sleep(interval_s)
    finally:
        load.stop.set()
        load.go.set()
        load.thread.join(timeout=10)
        name = source.device_names[int(gpu)] if int(gpu) < source.device_count else "?"
        source.close()

    def during(phase: str) -> list[dict[str, Any]]:
        return [s for s in steps if s["phase"] == phase]

    loaded = during("load")
    discovered = process_map(source_pid=os.getpid(), snapshot=latest["snapshot"])
    checks = {
        "idle: tier-1 on the GPU's replica": all(s["tier1_replica"] == "tier-1-0" for s in during("idle")),
        "load: the GPU turns hot": any(s["hot"] for s in loaded),
        "load: tier-1 moves to the replica off the hot GPU": any(s["tier1_replica"] == "tier-1-1" for s in loaded),
        "load: a tier only on the hot GPU spills": any(s["tier2_request_tier"] == "frontier" for s in loaded),
        "load: the reason names the GPU": any("GPU" in s["tier1_reason"] for s in loaded if s["hot"]),
        "NVML's process list maps this process's replica to the GPU": discovered == (gpu,),
        "cool: the decision comes back": during("cool")[-1]["tier1_replica"] == "tier-1-0" if during("cool") else False,
    }
    report = {
        "benchmark": "gpu_placement_check",
        "gpu": name,
        "nvml_index": int(gpu),
        "interval_s": interval_s,
        "smoothing_s": smoothing_s,
        "matmul_tflops": round(load.tflops, 1),
        "load_error": load.error,
        "hot_rule": {
            "utilization_pct": DEFAULT_GPU_POLICY.hot_utilization_pct,
            "min_waiting": DEFAULT_GPU_POLICY.hot_min_waiting,
        },
        "first_hot_at_s": next((s["t"] for s in loaded if s["hot"]), None),
        "checks": checks,
        "nvml_samples": raw,
        "discovered_gpus_of_this_process": list(discovered),
        "steps": steps,
    }
    return report, all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle-s", type=float, default=6.0)
    parser.add_argument("--load-s", type=float, default=20.0)
    parser.add_argument("--cool-s", type=float, default=14.0)
    parser.add_argument("--interval-s", type=float, default=INTERVAL_S)
    parser.add_argument("--smoothing-s", type=float, default=5.0, help="the gateway's default")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        report, passed = run(args.idle_s, args.load_s, args.cool_s, args.interval_s, args.smoothing_s)
    except ProbeUnavailable as exc:
        print(f"gpu_placement_check: {exc}", file=sys.stderr)
        return 2
    for check, ok in report["checks"].items():
        print(f"{'PASS' if ok else 'FAIL'}  {check}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "gpu_placement_check.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out / 'gpu_placement_check.json'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
