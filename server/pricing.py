"""What a request cost: the one place an attempt's tokens become dollars, and the frontier counterfactual.

Prices come from the config once (server/wiring.py `build_pricing`); a local tier's $/token also
depends on its live load, so each quote reads the tier's snapshot at the time of the answer. The
formulas are pure, in server/routing/costs.py; this only joins them to the tiers.
"""

from __future__ import annotations

from collections.abc import Mapping

from server.routing.costs import TierCost, TierPricing, frontier_cost, savings_usd, tier_cost
from tiers.base import Tier


class Pricer:
    def __init__(self, pricing: Mapping[str, TierPricing], tiers: Mapping[str, Tier]) -> None:
        self.pricing = pricing
        self._tiers = tiers
        # Savings are counted against the most capable per-token priced tier: the frontier.
        self.frontier = next((p for p in reversed(list(pricing.values())) if p.per_token_priced), None)

    def quote(self, tier: str) -> TierCost | None:
        """The tier's $/token now; None when the config gives it no price at all."""
        pricing, live = self.pricing.get(tier), self._tiers.get(tier)
        return tier_cost(pricing, live.snapshot() if live is not None else None) if pricing is not None else None

    def basis(self, tier: str) -> str:
        quote = self.quote(tier)
        return quote.basis if quote is not None else "unknown"

    def attempt_usd(self, tier: str, prompt_tokens: int | None, completion_tokens: int | None) -> float | None:
        """What an answer of these tokens cost on `tier` now; None when its tokens or its price are unknown."""
        if prompt_tokens is None:
            return None
        quote = self.quote(tier)
        return quote.request_usd(prompt_tokens, completion_tokens or 0) if quote is not None else None

    def worst_prices(self, tier: str) -> tuple[float, float]:
        """($/input token, $/output token) a budget assumes for `tier`: its own price, or, while it has none (a
        freshly attached tier before its first scrape), the highest of any priced tier, so that an unknown
        price is never charged as free."""
        quote = self.quote(tier)
        if quote is not None and quote.usd_per_input_token is not None and quote.usd_per_output_token is not None:
            return quote.usd_per_input_token, quote.usd_per_output_token
        known = [q for q in (self.quote(t) for t in self.pricing) if q is not None and q.known]
        return (
            max((q.usd_per_input_token or 0.0 for q in known), default=0.0),
            max((q.usd_per_output_token or 0.0 for q in known), default=0.0),
        )

    def estimate_usd(self, tier: str, prompt_tokens: int, completion_tokens: int) -> float:
        """What `tier` charges for these tokens at `worst_prices` (never None: for budgets)."""
        per_input, per_output = self.worst_prices(tier)
        return prompt_tokens * per_input + completion_tokens * per_output

    def counterfactual(
        self, prompt_tokens: int | None, completion_tokens: int | None, cost_usd: float | None
    ) -> tuple[float | None, float | None]:
        """(what the frontier would have charged for the same tokens, the savings against `cost_usd`)."""
        frontier_usd = frontier_cost(self.frontier, prompt_tokens, completion_tokens)
        return frontier_usd, savings_usd(frontier_usd, cost_usd)
