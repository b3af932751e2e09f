"""Recorded telemetry: replay a trace where there is no GPU, and record one where there is.

`TraceSource` stands in for `NvmlSource` on GPU-less machines (tests, CI, placement
simulations): it replays snapshots recorded on real hardware (`record`, used by
`benchmarks/gpu_probe.py`) against an injectable clock, so the same trace gives the same
readings at the same simulated times.

Format: JSON Lines, one snapshot per line, shaped like `TelemetrySnapshot` with `taken_at`
replaced by `t`, seconds since the first line:
    {"t": 0.0, "source": "nvml", "gpus": [{"index": 0, "name": "NVIDIA H200", ...}], "cpu": {...}}
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from tiers.telemetry.base import TelemetrySnapshot, TelemetrySource


def read_trace(path: str | Path) -> list[TelemetrySnapshot]:
    """The trace's snapshots, each with `taken_at` set to its relative time `t`."""
    path = Path(path)
    snapshots: list[TelemetrySnapshot] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            t = float(data.pop("t"))
            snapshot = TelemetrySnapshot.from_dict({**data, "taken_at": t})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}:{lineno}: not a telemetry snapshot: {exc!r}") from exc
        if t < 0 or (snapshots and t < snapshots[-1].taken_at):
            raise ValueError(f"{path}:{lineno}: t must be >= 0 and never decrease, got {t}")
        snapshots.append(snapshot)
    if not snapshots:
        raise ValueError(f"{path}: the trace has no snapshots")
    return snapshots


def write_trace(path: str | Path, snapshots: Iterable[TelemetrySnapshot]) -> None:
    lines, origin = [], None
    for snapshot in snapshots:
        origin = snapshot.taken_at if origin is None else origin
        data = snapshot.to_dict()
        del data["taken_at"]
        lines.append(json.dumps({"t": round(snapshot.taken_at - origin, 3), **data}))
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


class TraceSource:
    """Replays a trace: `sample()` returns the last snapshot whose `t` has passed on `clock`.

    Replayed snapshots are stamped with the wall time they stand for (`wall` at construction plus
    their `t`), so a finished trace goes stale exactly as a silent device would. With `loop=True`
    it wraps around after the last snapshot plus one more step (the gap between the last two).
    """

    def __init__(
        self,
        trace: str | Path | list[TelemetrySnapshot],
        *,
        loop: bool = False,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._snapshots = read_trace(trace) if isinstance(trace, str | Path) else list(trace)
        if not self._snapshots:
            raise ValueError("a trace needs at least one snapshot")
        self._times = [s.taken_at for s in self._snapshots]
        self.name = f"trace:{self._snapshots[0].source}"
        self.loop = loop
        step = self._times[-1] - self._times[-2] if len(self._times) > 1 else 0.0
        self.period_s = self._times[-1] + (step if step > 0 else 1.0)
        self._clock, self._started = clock, clock()
        self._wall_start = wall()

    def sample(self) -> TelemetrySnapshot:
        elapsed = self._clock() - self._started
        cycle_start = elapsed - elapsed % self.period_s if self.loop else 0.0
        position = elapsed - cycle_start
        index = max(0, bisect.bisect_right(self._times, position) - 1)
        snapshot = self._snapshots[index]
        t = min(snapshot.taken_at, position)  # a trace starting after t=0 shows its first line early
        return dataclasses.replace(snapshot, source=self.name, taken_at=self._wall_start + cycle_start + t)


def record(
    source: TelemetrySource,
    path: str | Path,
    n: int,
    interval_s: float,
    on_sample: Callable[[TelemetrySnapshot], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[TelemetrySnapshot]:
    """Takes `n` samples `interval_s` apart (on a fixed schedule, so slow samples do not add
    drift), calls `on_sample` with each, and writes them to `path` as a trace."""
    snapshots: list[TelemetrySnapshot] = []
    start = clock()
    for i in range(n):
        delay = start + i * interval_s - clock()
        if delay > 0:
            sleep(delay)
        snapshots.append(source.sample())
        if on_sample is not None:
            on_sample(snapshots[-1])
    write_trace(path, snapshots)
    return snapshots
