"""The hardware sweep's decisions, pure: summarising a step, when to stop, the knee, $/1M tokens.

`benchmarks/hardware.py` does the I/O (streamed requests, NVML/CPU sampling, files) and calls these.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.report import percentile
from tiers.telemetry import TelemetrySnapshot

SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class RequestSample:
    """One streamed request as the client saw it."""

    ok: bool
    latency_s: float
    ttft_s: float | None = None
    # Gaps between consecutive content chunks, seconds (one chunk usually carries one token).
    itl_s: tuple[float, ...] = ()
    prompt_tokens: int = 0
    output_tokens: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceUse:
    """Telemetry over one step: power and utilisation means (None where the source has no such reading)."""

    source: str
    samples: int
    power_watts_mean: float | None
    power_watts_max: float | None
    gpu_utilization_pct_mean: float | None
    cpu_utilization_pct_mean: float | None


@dataclass(frozen=True, slots=True)
class StepSummary:
    concurrency: int
    requests: int
    errors: int
    wall_s: float
    output_tokens_per_s: float
    total_tokens_per_s: float
    requests_per_s: float
    ttft_p50_s: float | None
    ttft_p95_s: float | None
    itl_p50_s: float | None
    itl_p95_s: float | None
    within_slo: bool
    usd_per_1m_output_tokens: dict[str, float | None]
    device: DeviceUse | None = None
    joules_per_output_token: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def usd_per_1m_output_tokens(usd_per_hour: float, output_tokens_per_s: float) -> float | None:
    """What a million generated tokens cost when the hardware runs at this throughput for the hour."""
    if output_tokens_per_s <= 0:
        return None
    return usd_per_hour / (output_tokens_per_s * SECONDS_PER_HOUR) * 1e6


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def summarize_device(snapshots: Sequence[TelemetrySnapshot]) -> DeviceUse | None:
    """Power is summed over the GPUs of one snapshot (the replica may span several); utilisation averaged."""
    if not snapshots:
        return None
    power: list[float | None] = []
    gpu_util: list[float | None] = []
    for snap in snapshots:
        watts = [g.power_watts for g in snap.gpus if g.power_watts is not None]
        power.append(sum(watts) if watts else None)
        gpu_util.append(_mean([g.utilization_pct for g in snap.gpus]))
    present_power = [p for p in power if p is not None]
    return DeviceUse(
        source=snapshots[0].source,
        samples=len(snapshots),
        power_watts_mean=_mean(power),
        power_watts_max=max(present_power) if present_power else None,
        gpu_utilization_pct_mean=_mean(gpu_util),
        cpu_utilization_pct_mean=_mean([s.cpu.utilization_pct if s.cpu else None for s in snapshots]),
    )


def summarize_step(
    concurrency: int,
    samples: Sequence[RequestSample],
    wall_s: float,
    usd_per_hour: Mapping[str, float],
    slo_ttft_p95_s: float,
    slo_itl_p95_s: float,
    device: DeviceUse | None = None,
) -> StepSummary:
    """Throughput over the step's wall time (first send to last answer); latency percentiles over the
    successful requests. A step with any failed request is not within the SLO."""
    good = [s for s in samples if s.ok]
    output = sum(s.output_tokens for s in good)
    total = output + sum(s.prompt_tokens for s in good)
    ttfts = [s.ttft_s for s in good if s.ttft_s is not None]
    gaps = [g for s in good for g in s.itl_s]
    ttft_p95 = percentile(ttfts, 0.95) if ttfts else None
    itl_p95 = percentile(gaps, 0.95) if gaps else None
    output_tps = output / wall_s if wall_s > 0 else 0.0
    errors = len(samples) - len(good)
    within = (
        errors == 0
        and ttft_p95 is not None
        and ttft_p95 <= slo_ttft_p95_s
        # A step whose answers were single chunks has no gaps to break the ITL bound.
        and (itl_p95 is None or itl_p95 <= slo_itl_p95_s)
    )
    power = device.power_watts_mean if device else None
    return StepSummary(
        concurrency=concurrency,
        requests=len(samples),
        errors=errors,
        wall_s=wall_s,
        output_tokens_per_s=output_tps,
        total_tokens_per_s=total / wall_s if wall_s > 0 else 0.0,
        requests_per_s=len(good) / wall_s if wall_s > 0 else 0.0,
        ttft_p50_s=percentile(ttfts, 0.5) if ttfts else None,
        ttft_p95_s=ttft_p95,
        itl_p50_s=percentile(gaps, 0.5) if gaps else None,
        itl_p95_s=itl_p95,
        within_slo=within,
        usd_per_1m_output_tokens={mode: usd_per_1m_output_tokens(h, output_tps) for mode, h in usd_per_hour.items()},
        device=device,
        joules_per_output_token=power / output_tps if power is not None and output_tps > 0 else None,
    )


def requests_for(concurrency: int, requests_per_stream: int, min_requests: int) -> int:
    """Enough requests that every stream is busy for several answers in a row."""
    return max(min_requests, concurrency * requests_per_stream)


def next_concurrency(
    steps: Sequence[StepSummary],
    *,
    explicit: Sequence[int] | None = None,
    start: int = 1,
    max_concurrency: int = 256,
    min_gain: float = 0.05,
) -> int | None:
    """The next step's concurrency, or None to stop.

    Explicit steps run as listed. Otherwise concurrency doubles from `start` until the last step
    failed completely, the next would pass `max_concurrency`, or the last step did not raise output
    throughput by `min_gain` over the best step before it (throughput has stopped rising)."""
    if explicit is not None:
        return explicit[len(steps)] if len(steps) < len(explicit) else None
    if not steps:
        return start
    last = steps[-1]
    if last.errors == last.requests:
        return None
    if len(steps) >= 2:
        best_before = max(s.output_tokens_per_s for s in steps[:-1])
        if last.output_tokens_per_s < best_before * (1 + min_gain):
            return None
    following = last.concurrency * 2
    return following if following <= max_concurrency else None


def find_knee(steps: Sequence[StepSummary]) -> StepSummary | None:
    """The step with the highest output throughput among those within the SLO; None if none is."""
    usable = [s for s in steps if s.within_slo]
    return max(usable, key=lambda s: (s.output_tokens_per_s, -s.concurrency)) if usable else None
