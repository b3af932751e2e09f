"""Telemetry snapshots: small frozen values that placement reads, never the devices themselves.

A `TelemetrySource` takes one snapshot synchronously and cheaply (no sleeping: callers sample
often, from a worker thread). Readings a device does not support are None, and a snapshot
older than the caller's limit counts as unknown rather than as idle.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class GpuSample:
    index: int
    name: str
    uuid: str
    utilization_pct: float | None
    memory_used_bytes: int | None
    memory_total_bytes: int | None
    power_watts: float | None
    power_limit_watts: float | None
    temperature_c: float | None
    # Why the clocks are held down now (NVML's clock event reasons, by name: "sw_power_cap",
    # "hw_slowdown", "sw_thermal", "hw_thermal", "hw_power_brake", ...); None when unreadable.
    throttle_reasons: tuple[str, ...] | None = None
    # Processes with a compute context on this GPU (NVML's list; host pids, so a gateway in another
    # pid namespace cannot match them); None when unreadable.
    process_pids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class CpuSample:
    utilization_pct: float
    cores: int
    memory_used_bytes: int
    memory_total_bytes: int
    load_avg_1m: float


@dataclass(frozen=True, slots=True)
class TelemetrySnapshot:
    source: str
    taken_at: float  # epoch seconds
    gpus: tuple[GpuSample, ...]
    cpu: CpuSample | None

    def age_s(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.taken_at

    def is_stale(self, max_age_s: float, now: float | None = None) -> bool:
        return self.age_s(now) > max_age_s

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TelemetrySnapshot:
        """The inverse of `to_dict`; raises KeyError/TypeError on a malformed mapping."""
        cpu = data.get("cpu")
        return cls(
            source=str(data["source"]),
            taken_at=float(data["taken_at"]),
            gpus=tuple(_gpu_sample(gpu) for gpu in data["gpus"]),
            cpu=CpuSample(**cpu) if cpu is not None else None,
        )


def _gpu_sample(data: dict[str, Any]) -> GpuSample:
    """A GPU's mapping (JSON has lists where the sample has tuples; older traces lack the newer fields)."""
    fields = dict(data)
    for name in ("throttle_reasons", "process_pids"):
        if fields.get(name) is not None:
            fields[name] = tuple(fields[name])
    return GpuSample(**fields)


class TelemetrySource(Protocol):
    name: str

    def sample(self) -> TelemetrySnapshot:
        """One snapshot, now; must not sleep."""
        ...
