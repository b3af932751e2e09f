"""Host CPU and memory telemetry through psutil."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import psutil

from tiers.telemetry.base import CpuSample, TelemetrySnapshot


def _busy_and_total(times: Any) -> tuple[float, float]:
    # Linux counts guest time inside user/nice already; psutil.cpu_percent subtracts it the same way.
    total = sum(times) - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    return total - times.idle - getattr(times, "iowait", 0.0), total


class CpuSource:
    """CPU utilisation since the previous sample, host memory and the 1-minute load average.

    Non-blocking, like `psutil.cpu_percent(interval=None)` (a blocking `interval=0.1` in a hot path
    is the anti-pattern to avoid), but the previous reading is kept here rather than in psutil's
    per-thread module state: samples taken from `asyncio.to_thread` land on varying worker threads,
    where `cpu_percent` would report 0 on each new one. The constructor primes the first reading.
    """

    name = "cpu"

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._cores = psutil.cpu_count(logical=True) or os.cpu_count() or 1
        self._lock = threading.Lock()
        self._last = _busy_and_total(psutil.cpu_times())
        self._last_pct = 0.0

    def _utilization_pct(self) -> float:
        with self._lock:
            busy, total = _busy_and_total(psutil.cpu_times())
            last_busy, last_total = self._last
            if total - last_total <= 0:  # two reads within one clock tick: nothing new to report
                return self._last_pct
            self._last = (busy, total)
            self._last_pct = round(min(100.0, max(0.0, (busy - last_busy) / (total - last_total) * 100)), 1)
            return self._last_pct

    def read(self) -> CpuSample:
        memory = psutil.virtual_memory()
        return CpuSample(
            utilization_pct=self._utilization_pct(),
            cores=self._cores,
            memory_used_bytes=int(memory.total - memory.available),
            memory_total_bytes=int(memory.total),
            load_avg_1m=float(psutil.getloadavg()[0]),
        )

    def sample(self) -> TelemetrySnapshot:
        return TelemetrySnapshot(source=self.name, taken_at=self._clock(), gpus=(), cpu=self.read())
