"""A replica's load as small frozen snapshots: what vLLM's /metrics said, and token rates between two reads.

Pure data, imported by the tier contract (tiers/base.py) and by the scraper that fills it
(tiers/telemetry/vllm_metrics.py); it imports neither, so neither imports the other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReplicaLoad:
    taken_at: float
    running: float
    waiting: float
    kv_cache_usage: float  # 0-1
    prompt_tokens_total: float
    generation_tokens_total: float
    requests_finished_total: float

    def is_stale(self, max_age_s: float, now: float | None = None) -> bool:
        return (time.time() if now is None else now) - self.taken_at > max_age_s


@dataclass(frozen=True, slots=True)
class TokenRates:
    prompt_tokens_per_s: float
    generation_tokens_per_s: float
    requests_per_s: float


def token_rates(earlier: ReplicaLoad, later: ReplicaLoad) -> TokenRates | None:
    """Rates between two snapshots; None when they cannot be compared (same instant, or a
    counter went backwards because the replica restarted)."""
    elapsed = later.taken_at - earlier.taken_at
    deltas = (
        later.prompt_tokens_total - earlier.prompt_tokens_total,
        later.generation_tokens_total - earlier.generation_tokens_total,
        later.requests_finished_total - earlier.requests_finished_total,
    )
    if elapsed <= 0 or min(deltas) < 0:
        return None
    return TokenRates(*(d / elapsed for d in deltas))
