"""The `placement:` section of the config: how requests spread over replicas and spill between tiers, the GPU
state that makes a replica hot, the price of delay, and the replica choice (server/routing/placement.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server.config_base import StrictModel as _Strict


class BreakerSettings(_Strict):
    failures_to_open: int = Field(3, ge=1, description="consecutive failed requests that open a replica's breaker")
    backoff_s: float = Field(5.0, gt=0, description="open this long before one probe request may pass")
    backoff_max_s: float = Field(60.0, gt=0, description="each failed probe doubles the backoff up to this")


class GpuPlacementSettings(_Strict):
    """When a GPU is hot (server/routing/gpu_state.py): placement then avoids the replicas on it."""

    hot_utilization_pct: float = Field(90.0, gt=0, le=100, description="smoothed utilization that counts as busy")
    hot_power_share: float = Field(0.95, gt=0, le=1.5, description="power draw / limit that counts as busy")
    hot_min_waiting: float = Field(
        1.0, ge=0, description="requests waiting on its replicas (together) that make a busy GPU hot"
    )
    throttle_reasons: list[str] = Field(
        default_factory=lambda: ["hw_slowdown", "sw_thermal", "hw_thermal", "hw_power_brake"],
        description="NVML clock event reasons that make a GPU hot on their own",
    )
    smoothing_s: float = Field(5.0, gt=0, description="time constant of the utilization's moving average")


class PlacementSettings(_Strict):
    """How requests spread over replicas and spill between tiers (see server/routing/placement.py)."""

    max_waiting: int = Field(4, ge=1, description="a replica with this many requests waiting is saturated")
    max_kv_cache_usage: float = Field(0.95, gt=0, le=1, description="... or with this KV-cache use (0-1)")
    max_queue_wait_s: float | None = Field(
        None, gt=0, description="... or whose queue would take longer (waiting / finished per s); null: off"
    )
    spill_to: dict[str, list[str]] = Field(
        default_factory=dict, description="tier -> tiers it may spill to, in order; unlisted: any tier above"
    )
    never_spill: list[str] = Field(default_factory=list, description="tiers whose requests stay even when saturated")
    output_share: float = Field(0.5, ge=0, le=1, description="generated share of tokens when comparing prices")
    scrape_interval_s: float = Field(1.0, gt=0, description="how often each vLLM replica's /metrics is read")
    load_max_age_s: float = Field(5.0, gt=0, description="older load counts as unknown (not saturated)")
    breaker: BreakerSettings = Field(default_factory=BreakerSettings)
    delay_usd_per_s: float = Field(
        0.0, ge=0, description="price of a second of queue wait on a local tier when placing at the margin; 0: off"
    )
    assumed_request_s: float = Field(
        1.0, gt=0, description="queue seconds per waiting request when a replica's finish rate is unknown"
    )
    gpu: GpuPlacementSettings = Field(default_factory=GpuPlacementSettings)
    replica_choice: Literal["affinity", "least_loaded", "random"] = Field(
        "affinity", description="within a tier: cached prompt prefix blended with load, least-loaded, or random"
    )
    prefix_block_chars: int = Field(64, ge=8, description="characters per hashed prompt block (~16 tokens)")
    prefix_max_chars: int = Field(8192, ge=0, description="only the prompt's first characters are hashed")
    prefix_max_entries: int = Field(65_536, ge=1, description="block hashes remembered (LRU), all tiers together")
    prefix_weight: float = Field(1.0, ge=0, description="weight of the cached share of the prompt (0-1)")
    load_weight: float = Field(1.0, ge=0, description="weight of the extra load over the least-busy replica")
