"""The cost model: what one token costs on each tier, and what one response cost. Pure.

Local tiers pay for hardware by the hour, so their $/token is amortized:

    $/token = ($/hour of the profile x GPUs per replica) / (tokens per hour of one replica)

with prompt and generated tokens counted alike (vLLM's `prompt_tokens` + `generation_tokens`
counters). Two figures come out of it:

- *fully loaded*: tokens per hour = the replica's measured full-load throughput
  (`cost.tokens_per_hour`). What a token costs when the hardware is kept busy; this is the figure
  responses carry and placement compares.
- *at current load*: tokens per hour = the replica's live counter rate. What each token costs given
  how busy the replica is right now (an idle replica makes its few tokens expensive). Used in place
  of the fully loaded figure when no throughput was measured.

The frontier is priced per token from its list prices per 1M input/output tokens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from tiers.base import ReplicaSnapshot, TierSnapshot

CostBasis = Literal["list-price", "measured-throughput", "live-rate", "unknown"]
SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class TierPricing:
    """What the config says a tier costs; resolved once at startup (hardware profile read then)."""

    tier: str
    # Frontier (or any per-token priced tier): list prices; None for hardware-priced tiers.
    usd_per_1m_input: float | None = None
    usd_per_1m_output: float | None = None
    # Local tiers: $/hour of one replica (profile $/hour x GPUs per replica) and, when measured,
    # one replica's full-load throughput in tokens per hour.
    usd_per_replica_hour: float | None = None
    tokens_per_replica_hour: float | None = None
    hardware: str = ""  # e.g. "l4 (cloud) x1", for explanations
    # Reserved or owned hardware: paid for whether used or not, so placement prices a spare token at
    # its power alone (server/routing/marginal.py); accounting still books the amortized figure.
    sunk: bool = False
    # Owned hardware pays its power: $/kWh x PUE (reserved and cloud prices include it: None).
    usd_per_kwh_at_the_meter: float | None = None
    # The profile's power draw under load x GPUs per replica, when NVML gives no reading.
    profile_watts_per_replica: float | None = None
    gpus_per_replica: float = 1.0

    @property
    def per_token_priced(self) -> bool:
        return self.usd_per_1m_input is not None and self.usd_per_1m_output is not None


@dataclass(frozen=True, slots=True)
class TierCost:
    """A tier's $/token now. For list-priced tiers input and output differ; otherwise they are equal."""

    tier: str
    basis: CostBasis
    usd_per_input_token: float | None
    usd_per_output_token: float | None
    fully_loaded_usd_per_token: float | None = None
    current_load_usd_per_token: float | None = None

    @property
    def known(self) -> bool:
        return self.usd_per_input_token is not None and self.usd_per_output_token is not None

    def blended(self, output_share: float) -> float | None:
        """$/token for a request whose tokens are `output_share` generated; None when unknown."""
        if self.usd_per_input_token is None or self.usd_per_output_token is None:
            return None
        return self.usd_per_input_token * (1 - output_share) + self.usd_per_output_token * output_share

    def request_usd(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        if self.usd_per_input_token is None or self.usd_per_output_token is None:
            return None
        return prompt_tokens * self.usd_per_input_token + completion_tokens * self.usd_per_output_token


def current_tokens_per_hour(replicas: Sequence[ReplicaSnapshot]) -> float | None:
    """Live throughput of the replicas with fresh rates, per replica; None when no replica has one."""
    rates = [r.rates for r in replicas if r.rates is not None]
    if not rates:
        return None
    per_second = sum(r.prompt_tokens_per_s + r.generation_tokens_per_s for r in rates) / len(rates)
    return per_second * SECONDS_PER_HOUR


def tier_cost(pricing: TierPricing, snapshot: TierSnapshot | None = None) -> TierCost:
    if pricing.per_token_priced:
        assert pricing.usd_per_1m_input is not None and pricing.usd_per_1m_output is not None
        return TierCost(pricing.tier, "list-price", pricing.usd_per_1m_input / 1e6, pricing.usd_per_1m_output / 1e6)
    hourly = pricing.usd_per_replica_hour
    if hourly is None:
        return TierCost(pricing.tier, "unknown", None, None)
    full = hourly / pricing.tokens_per_replica_hour if pricing.tokens_per_replica_hour else None
    live_tph = current_tokens_per_hour(snapshot.replicas) if snapshot is not None else None
    # No tokens in the last interval: every token costs "infinitely" much at this load.
    current = (hourly / live_tph if live_tph > 0 else math.inf) if live_tph is not None else None
    if full is not None:
        return TierCost(pricing.tier, "measured-throughput", full, full, full, current)
    if current is not None and math.isfinite(current):
        return TierCost(pricing.tier, "live-rate", current, current, None, current)
    return TierCost(pricing.tier, "unknown", None, None, None, current)


def cost_table(pricing: Mapping[str, TierPricing], snapshots: Sequence[TierSnapshot]) -> dict[str, TierCost]:
    return {s.name: tier_cost(pricing[s.name], s) for s in snapshots if s.name in pricing}


def format_usd(value: float | None) -> str:
    """Header form: plain decimal dollars with 10 places, or `unknown`."""
    return "unknown" if value is None else f"{value:.10f}"


def frontier_cost(
    frontier: TierPricing | None, prompt_tokens: int | None, completion_tokens: int | None
) -> float | None:
    """Counterfactual: what the frontier would have charged at its list prices for the same tokens.
    None when the frontier has no list prices or the tokens are unknown."""
    if frontier is None or not frontier.per_token_priced or prompt_tokens is None:
        return None
    return tier_cost(frontier).request_usd(prompt_tokens, completion_tokens or 0)


def savings_usd(counterfactual: float | None, cost_usd: float | None) -> float | None:
    """The counterfactual minus the cost; a request that cost more than the frontier would have (an
    escalation) saves nothing rather than a negative amount. None when either figure is unknown."""
    if counterfactual is None or cost_usd is None:
        return None
    return max(0.0, counterfactual - cost_usd)
