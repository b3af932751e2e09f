"""The parts of a tier's config section that are plain knobs: upstream timeouts and response limits, the
supervision of managed replicas, and what a local replica costs (server/settings.py assembles the tiers)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server.config_base import StrictModel as _Strict


class Timeouts(_Strict):
    connect_s: float = Field(5.0, gt=0)
    read_s: float = Field(600.0, gt=0, description="longest silence between two bytes of an answer")
    total_s: float = Field(
        900.0, gt=0, description="the most one call to the tier may take, to its last byte (a stream's too), retries "
        "included; past it the attempt fails with 504 upstream_timeout",
    )  # fmt: skip
    trickle_s: float = Field(
        30.0, gt=0, description="longest one piece of an answer may take once begun: a non-streamed body after its "
        "headers, one SSE event (a slowloris upstream is cut here: 504 upstream_timeout)",
    )  # fmt: skip


class ResponseLimits(_Strict):
    max_body_bytes: int = Field(
        32 * 1024 * 1024, ge=1024, description="a larger non-streamed answer fails with 502 upstream_response_too_large"
    )
    max_event_bytes: int = Field(
        4 * 1024 * 1024, ge=1024, description="a larger SSE event ends the stream with upstream_response_too_large"
    )


class Supervision(_Strict):
    health_interval_s: float = Field(1.0, gt=0)
    startup_timeout_s: float = Field(600.0, gt=0)
    unhealthy_after: int = Field(3, ge=1)
    hung_after_s: float = Field(60.0, gt=0)
    backoff_initial_s: float = Field(1.0, gt=0)
    backoff_max_s: float = Field(60.0, gt=0)
    stop_timeout_s: float = Field(15.0, gt=0)


class LocalCost(_Strict):
    """What one replica of a local tier costs: hardware $/hour over its tokens per hour."""

    hardware: str = Field("auto", description="a gpu_configs/ profile name, or auto (NVML device 0, else cpu)")
    pricing: Literal["cloud", "reserved", "owned"] = Field(
        "cloud",
        description="the profile's cloud on-demand price, its reserved price (else the cloud one), or owned TCO; "
        "reserved and owned capacity is sunk: placement prices its spare tokens at their power only",
    )
    gpus_per_replica: float = Field(1.0, gt=0, description="devices one replica occupies (fractions when shared)")
    tokens_per_hour: float | None = Field(
        None, gt=0, description="one replica's measured full-load throughput (prompt + generated); else live rates"
    )
