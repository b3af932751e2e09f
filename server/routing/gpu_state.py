"""GPU state in the placement decision: which GPUs are hot, and which replicas run on them. Pure.

The gateway keeps a `GpuView`, a snapshot of every GPU NVML sees (utilization smoothed over a few
seconds, memory, power against its limit, clock throttle reasons) and of which replicas run on which
GPU (server/telemetry/gpu_watch.py builds it). Before placement, `with_gpu_pressure` marks each replica
whose GPU is hot; placement treats that mark like saturation (server/routing/placement.py): within a
tier it prefers replicas on cool GPUs, and a tier whose every replica is on a hot GPU spills per policy.

A GPU is hot when
- its utilization (or its power draw against the limit) stays high *while requests queue* on the
  replicas that share it, whatever their tier (three replicas on one GPU compete for it); a busy GPU
  whose replicas keep up is doing its job, not hot; or
- its clocks are held down for heat or by a hardware brake (thermal or hardware slowdown).
Unknown readings (no NVML, a stale snapshot, a replica with no known GPU) never make a GPU hot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from server.routing.marginal import attributable_watts
from server.routing.placement import estimated_waiting
from tiers.base import ReplicaSnapshot, TierSnapshot

# Clock reasons that mean the GPU is slowed for heat or by hardware, not merely at its power cap
# (sw_power_cap is what a fully used GPU normally shows; it counts through the power rule instead).
DEFAULT_THROTTLE_REASONS = frozenset({"hw_slowdown", "sw_thermal", "hw_thermal", "hw_power_brake"})


@dataclass(frozen=True, slots=True)
class GpuPolicy:
    hot_utilization_pct: float = 90.0
    hot_power_share: float = 0.95  # power draw / limit at which a GPU counts as busy like full utilization
    hot_min_waiting: float = 1.0  # requests queued on its replicas, together, that make a busy GPU hot
    throttle_reasons: frozenset[str] = DEFAULT_THROTTLE_REASONS


DEFAULT_GPU_POLICY = GpuPolicy()


@dataclass(frozen=True, slots=True)
class GpuState:
    """One GPU now. `key` is NVML's index as a string; config and CUDA_VISIBLE_DEVICES may name it by
    index or by UUID (`matches`)."""

    key: str
    uuid: str
    name: str
    utilization_pct: float | None  # smoothed
    memory_used_bytes: int | None
    memory_total_bytes: int | None
    power_watts: float | None
    power_limit_watts: float | None
    throttle_reasons: tuple[str, ...] = ()

    def matches(self, ref: str) -> bool:
        ref = ref.strip()
        return ref == self.key or ref == self.uuid or f"GPU-{ref}" == self.uuid

    @property
    def power_share(self) -> float | None:
        if self.power_watts is None or not self.power_limit_watts:
            return None
        return self.power_watts / self.power_limit_watts

    def to_dict(self) -> dict[str, Any]:
        gib = 1024**3
        return {
            "gpu": self.key,
            "name": self.name,
            "utilization_pct": round(self.utilization_pct, 1) if self.utilization_pct is not None else None,
            "memory_used_gib": round(self.memory_used_bytes / gib, 2) if self.memory_used_bytes is not None else None,
            "memory_total_gib": round(self.memory_total_bytes / gib, 2)
            if self.memory_total_bytes is not None
            else None,
            "power_watts": round(self.power_watts, 1) if self.power_watts is not None else None,
            "power_limit_watts": self.power_limit_watts,
            "throttle_reasons": list(self.throttle_reasons),
        }


@dataclass(frozen=True, slots=True)
class GpuView:
    """Every GPU, and the replicas NVML's process list places on them (which wins over the configured
    GPUs of a replica: a wrong CUDA_VISIBLE_DEVICES or index order is corrected by what NVML sees)."""

    gpus: tuple[GpuState, ...]
    discovered: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # replica id -> GPU keys
    taken_at: float = 0.0

    def replica_gpus(self, replica: ReplicaSnapshot) -> tuple[GpuState, ...]:
        refs = self.discovered.get(replica.replica_id) or replica.gpus
        return tuple(g for g in self.gpus if any(g.matches(ref) for ref in refs))


def hot_gpus(view: GpuView, tiers: Sequence[TierSnapshot], policy: GpuPolicy = DEFAULT_GPU_POLICY) -> dict[str, str]:
    """GPU key -> why it is hot, for the GPUs that are."""
    queued: dict[str, float] = {g.key: 0.0 for g in view.gpus}
    for tier in tiers:
        for replica in tier.replicas:
            for gpu in view.replica_gpus(replica):
                queued[gpu.key] += estimated_waiting(replica)
    hot: dict[str, str] = {}
    for gpu in view.gpus:
        throttled = sorted(set(gpu.throttle_reasons) & policy.throttle_reasons)
        if throttled:
            hot[gpu.key] = f"GPU {gpu.key} throttled ({', '.join(throttled)})"
            continue
        busy = []
        if gpu.utilization_pct is not None and gpu.utilization_pct >= policy.hot_utilization_pct:
            busy.append(f"utilization {gpu.utilization_pct:.0f}% >= {policy.hot_utilization_pct:g}%")
        share = gpu.power_share
        if share is not None and share >= policy.hot_power_share:
            busy.append(f"power {share:.0%} of its limit")
        if busy and queued[gpu.key] >= policy.hot_min_waiting:
            hot[gpu.key] = f"GPU {gpu.key} hot ({', '.join(busy)}, {queued[gpu.key]:g} waiting on its replicas)"
    return hot


def with_gpu_pressure(
    tiers: Sequence[TierSnapshot], view: GpuView | None, policy: GpuPolicy = DEFAULT_GPU_POLICY
) -> tuple[list[TierSnapshot], dict[str, str]]:
    """The snapshots with each replica's GPUs (as NVML found them) and the pressure of hot ones set, and
    the hot GPUs with their reasons. Without a view, the snapshots as they are."""
    if view is None or not view.gpus:
        return list(tiers), {}
    hot = hot_gpus(view, tiers, policy)
    marked: list[TierSnapshot] = []
    for tier in tiers:
        replicas = []
        for replica in tier.replicas:
            gpus = view.replica_gpus(replica)
            pressure = "; ".join(hot[g.key] for g in gpus if g.key in hot) or None
            replicas.append(replace(replica, gpus=tuple(g.key for g in gpus) or replica.gpus, gpu_pressure=pressure))
        marked.append(replace(tier, replicas=tuple(replicas)))
    return marked, hot


def replica_watts(
    tiers: Sequence[TierSnapshot], view: GpuView | None, gpus_per_replica: Mapping[str, float]
) -> dict[str, float]:
    """Each replica's share of its GPUs' power draw now (replica id -> W; tier -> GPUs per replica), for
    the energy owned hardware spends on a request; {} without GPU state."""
    if view is None:
        return {}
    watts: dict[str, float] = {}
    for tier in tiers:
        for replica in tier.replicas:
            drawn = tuple(g.power_watts for g in view.replica_gpus(replica) if g.power_watts is not None)
            share = attributable_watts(drawn, gpus_per_replica.get(tier.name, 1.0))
            if share is not None:
                watts[replica.replica_id] = share
    return watts


def gpu_explanation(
    view: GpuView | None, tiers: Sequence[TierSnapshot], replica_id: str | None, hot: Mapping[str, str]
) -> dict[str, Any]:
    """For /v1/route: the chosen replica's GPUs, every replica's GPU map and the hot GPUs; {} without
    GPU state."""
    if view is None or not view.gpus:
        return {}
    replicas = {r.replica_id: r for t in tiers for r in t.replicas}
    chosen = replicas.get(replica_id) if replica_id is not None else None
    return {
        "replica_gpus": [g.to_dict() for g in view.replica_gpus(chosen)] if chosen is not None else [],
        "gpu_map": {rid: list(r.gpus) for rid, r in replicas.items() if r.gpus},
        "hot": dict(hot),
    }
