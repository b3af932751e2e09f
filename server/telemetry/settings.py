"""The `telemetry` section: where tierd reads live GPU (or CPU) load for /metrics and the dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from server.config_base import StrictModel

TelemetrySourceName = Literal["auto", "nvml", "cpu", "trace", "off"]


class TelemetrySettings(StrictModel):
    source: TelemetrySourceName = Field(
        "auto",
        description="auto: NVML when an NVIDIA driver answers, else host CPU/memory; nvml: NVML or fail at start; "
        "cpu: host only; trace: replay a recorded trace (hosts without a GPU, demos, tests); off",
    )
    trace_path: Path | None = Field(None, description="JSON Lines trace for source: trace (tiers/telemetry/trace.py)")
    trace_loop: bool = Field(True, description="replay the trace over and over")
    interval_s: float = Field(2.0, gt=0, description="sampling period; NVML reads take about a millisecond")
    max_age_s: float = Field(10.0, gt=0, description="an older snapshot counts as unknown, not as idle")

    @model_validator(mode="after")
    def _trace_needs_path(self) -> TelemetrySettings:
        if self.source == "trace" and self.trace_path is None:
            raise ValueError("source: trace needs trace_path")
        return self
