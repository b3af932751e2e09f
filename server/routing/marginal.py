"""Marginal cost, for placement: what sending *this* request to a tier adds, given what already runs. Pure.

Accounting books every local token at its fully loaded amortized price (server/routing/costs.py):
what the hardware costs per token when kept busy. That is the right figure for a bill, and the wrong
one for a placement decision on hardware that is already paid for: on an owned or reserved GPU with
spare capacity, the next token costs almost nothing extra, while the frontier charges its list price.
So placement compares, per eligible tier, for the request's estimated tokens:

- a list-priced tier (the frontier): its list prices;
- a local tier on `cloud` (on-demand) pricing: the amortized fully loaded $/token (capacity follows
  traffic there, so each token pays its share of the hour); unknown without a measured throughput;
- a local tier on `owned` pricing (sunk): the energy its tokens take, watts x $/kWh at the meter
  (PUE included) / the replica's full-load tokens per hour. Watts are NVML's reading of the replica's
  GPUs times its share of them, else the profile's power draw under load;
- a local tier on `reserved` pricing (sunk, power included in the price): nothing for the tokens;
- plus, on a local tier whose best replica has requests waiting, a price of delay: the expected
  queue wait (waiting / requests finished per second, else `assumed_request_s` per waiting request)
  times `delay_usd_per_s`. A queue thus makes a cheap tier dearer smoothly, before it is saturated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from server.routing.costs import TierPricing, tier_cost

MarginalBasis = Literal["list-price", "amortized", "energy", "sunk"]
WATT_HOURS_PER_KWH = 1000.0


@dataclass(frozen=True, slots=True)
class RequestDemand:
    """The request's tokens as placement estimates them before it runs."""

    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True, slots=True)
class DelayPrice:
    usd_per_s: float = 0.0  # 0: queues are left to the saturation rules alone
    assumed_request_s: float = 1.0  # per waiting request, when the replica's finish rate is unknown


@dataclass(frozen=True, slots=True)
class MarginalCost:
    tier: str
    usd: float  # tokens + delay
    basis: MarginalBasis
    delay_usd: float = 0.0
    wait_s: float = 0.0

    def describe(self) -> str:
        queue = f", queue ~{self.wait_s:.1f}s" if self.wait_s > 0 else ""
        return f"{self.tier} ${self.usd:.2e} ({self.basis}{queue})"

    def to_dict(self) -> dict[str, object]:
        return {"usd": self.usd, "basis": self.basis, "delay_usd": self.delay_usd, "queue_wait_s": self.wait_s}


def expected_wait_s(waiting: float, requests_per_s: float | None, delay: DelayPrice) -> float:
    if waiting <= 0:
        return 0.0
    if requests_per_s is not None and requests_per_s > 0:
        return waiting / requests_per_s
    return waiting * delay.assumed_request_s


def _tokens_usd(pricing: TierPricing, demand: RequestDemand, watts: float | None) -> tuple[float, MarginalBasis] | None:
    if pricing.per_token_priced:
        usd = tier_cost(pricing).request_usd(demand.prompt_tokens, demand.completion_tokens)
        return (usd, "list-price") if usd is not None else None
    tokens = demand.prompt_tokens + demand.completion_tokens
    if not pricing.sunk:
        full = tier_cost(pricing)  # without a snapshot: the measured full-load figure or unknown
        if full.basis != "measured-throughput" or full.fully_loaded_usd_per_token is None:
            return None
        return tokens * full.fully_loaded_usd_per_token, "amortized"
    kwh_price = pricing.usd_per_kwh_at_the_meter
    watts = watts if watts is not None else pricing.profile_watts_per_replica
    if kwh_price is None or watts is None or not pricing.tokens_per_replica_hour:
        # Reserved (power is in the price), or a throughput nobody measured: the energy of a few
        # hundred tokens is too small to change an order against any list price.
        return 0.0, "sunk"
    usd_per_hour = watts / WATT_HOURS_PER_KWH * kwh_price
    return tokens * usd_per_hour / pricing.tokens_per_replica_hour, "energy"


def marginal_cost(
    pricing: TierPricing | None,
    demand: RequestDemand,
    *,
    local: bool,
    waiting: float = 0.0,
    requests_per_s: float | None = None,
    watts: float | None = None,
    delay: DelayPrice = DelayPrice(),
) -> MarginalCost | None:
    """What the request adds on this tier; None when its price is unknown (placement then keeps the
    configured order, as it does without prices)."""
    if pricing is None:
        return None
    tokens = _tokens_usd(pricing, demand, watts)
    if tokens is None:
        return None
    usd, basis = tokens
    wait_s = expected_wait_s(waiting, requests_per_s, delay) if local else 0.0
    delay_usd = wait_s * delay.usd_per_s
    return MarginalCost(pricing.tier, usd + delay_usd, basis, delay_usd, wait_s)


def attributable_watts(gpu_watts: tuple[float, ...], gpus_per_replica: float) -> float | None:
    """A replica's share of the power its GPUs draw: their watts x its share of them (a replica on a
    fifth of one GPU gets a fifth; one spread over two GPUs, all of both)."""
    if not gpu_watts:
        return None
    return sum(gpu_watts) * min(1.0, gpus_per_replica / len(gpu_watts))
