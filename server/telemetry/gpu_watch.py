"""The GPU snapshot placement reads: each GPU's utilization smoothed over a few seconds, and which
replica runs on which GPU, from the telemetry sampler's latest reading (server/routing/gpu_state.py).

NVML's utilization is the share of the last sample period (1/6 s to 1 s) in which a kernel ran: it
jumps between 0 and 100 on a lightly loaded GPU, so one reading would flip placement back and forth.
An exponential average with a time constant of `smoothing_s` keeps a GPU hot only while it *stays*
busy. The replica map is refreshed on each new reading: a managed replica's process tree is matched
against NVML's compute processes per GPU; a replica found nowhere keeps its configured GPUs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from server.routing.gpu_state import GpuState, GpuView
from tiers.base import TierSnapshot
from tiers.telemetry.base import GpuSample, TelemetrySnapshot
from tiers.telemetry.processes import process_tree


class GpuWatch:
    def __init__(
        self,
        telemetry: Callable[[], TelemetrySnapshot | None],
        smoothing_s: float = 5.0,
        tree: Callable[[int], frozenset[int]] = process_tree,
    ) -> None:
        self._telemetry = telemetry
        self.smoothing_s = smoothing_s
        self._tree = tree
        self._last: TelemetrySnapshot | None = None
        self._smoothed: dict[str, float] = {}  # GPU uuid -> utilization %
        self._view: GpuView | None = None

    def view(self, tiers: Sequence[TierSnapshot]) -> GpuView | None:
        """The GPU snapshot for a decision; None without a fresh NVML reading (a CPU host, a stale one)."""
        snapshot = self._telemetry()
        if snapshot is None or not snapshot.gpus:
            return None
        if snapshot is not self._last:
            self._view = self._update(snapshot, tiers)
        return self._view

    def _smooth(self, gpu: GpuSample, elapsed_s: float) -> float | None:
        if gpu.utilization_pct is None:
            self._smoothed.pop(gpu.uuid, None)
            return None
        previous = self._smoothed.get(gpu.uuid)
        if previous is None or elapsed_s <= 0:
            value = gpu.utilization_pct
        else:
            weight = 1 - math.exp(-elapsed_s / self.smoothing_s)
            value = previous + weight * (gpu.utilization_pct - previous)
        self._smoothed[gpu.uuid] = value
        return value

    def _update(self, snapshot: TelemetrySnapshot, tiers: Sequence[TierSnapshot]) -> GpuView:
        elapsed = snapshot.taken_at - self._last.taken_at if self._last is not None else 0.0
        self._last = snapshot
        gpus = tuple(
            GpuState(
                key=str(g.index),
                uuid=g.uuid,
                name=g.name,
                utilization_pct=self._smooth(g, elapsed),
                memory_used_bytes=g.memory_used_bytes,
                memory_total_bytes=g.memory_total_bytes,
                power_watts=g.power_watts,
                power_limit_watts=g.power_limit_watts,
                throttle_reasons=g.throttle_reasons or (),
            )
            for g in snapshot.gpus
        )
        return GpuView(gpus, self._discover(snapshot, tiers), snapshot.taken_at)

    def _discover(self, snapshot: TelemetrySnapshot, tiers: Sequence[TierSnapshot]) -> dict[str, tuple[str, ...]]:
        """Replica id -> the GPUs whose compute processes include one of the replica's process tree."""
        on_gpu = {str(g.index): frozenset(g.process_pids) for g in snapshot.gpus if g.process_pids}
        if not on_gpu:
            return {}
        found: dict[str, tuple[str, ...]] = {}
        for tier in tiers:
            for replica in tier.replicas:
                if replica.pid is None:
                    continue
                tree = self._tree(replica.pid)
                keys = tuple(key for key, pids in on_gpu.items() if pids & tree)
                if keys:
                    found[replica.replica_id] = keys
        return found
