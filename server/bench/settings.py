"""The `bench` section of the tierd config: how `tierd bench hardware` sweeps each local tier (and, in
`quality`, how `tierd bench quality` asks and scores them)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from server.bench.quality_settings import QualityBenchSettings
from server.config_base import StrictModel

PositiveInt = Annotated[int, Field(ge=1)]


class BenchSlo(StrictModel):
    """The latency a step must keep to count as usable; the knee is the fastest step within it."""

    ttft_p95_s: float = Field(2.0, gt=0, description="95th percentile time to first token, seconds")
    itl_p95_s: float = Field(0.1, gt=0, description="95th percentile inter-token latency, seconds")


class BenchSettings(StrictModel):
    slo: BenchSlo = Field(default_factory=BenchSlo)
    concurrency: list[PositiveInt] | None = Field(
        None, description="explicit concurrency steps; default: 1, 2, 4, ... until throughput stops rising"
    )
    max_concurrency: int = Field(256, ge=1, description="the doubling sweep stops here at the latest")
    min_gain: float = Field(
        0.05, ge=0, description="a step must raise output tokens/s by this share over the best so far, else stop"
    )
    requests_per_stream: int = Field(4, ge=1, description="requests per step = max(min_requests, this x concurrency)")
    min_requests: int = Field(16, ge=1)
    warmup_requests: int = Field(2, ge=0, description="sent one at a time before the sweep, not measured")
    output_tokens: list[PositiveInt] = Field(
        default_factory=lambda: [64, 128, 256],
        min_length=1,
        description="each request generates one of these (drawn at random; ignore_eos makes it exact)",
    )
    dataset: Path | None = Field(
        None, description="JSONL of chat requests (`messages`) for the prompt mix; default: the router starter set"
    )
    max_prompt_chars: int = Field(6000, ge=16, description="longer prompts are cut to fit the context window")
    sample_interval_s: float = Field(0.5, gt=0, description="NVML (or CPU) sampling period during a step")
    request_timeout_s: float = Field(600.0, gt=0)
    seed: int = 20261128
    quality: QualityBenchSettings = Field(
        default_factory=QualityBenchSettings, description="`tierd bench quality`: prompts, budgets, scoring"
    )

    @field_validator("concurrency")
    @classmethod
    def _increasing(cls, steps: list[int] | None) -> list[int] | None:
        if steps is not None and (not steps or any(b <= a for a, b in itertools.pairwise(steps))):
            raise ValueError("concurrency steps must be a non-empty, strictly increasing list")
        return steps
