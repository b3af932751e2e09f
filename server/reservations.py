"""Budgets that hold, on the service's side: caps on what one request may ask for, and the worst case it
reserves once its routing decision is known (server/accounting/budgets.py holds and settles it).

Caps (config `budgets`), checked before routing; over one, 400 invalid_value naming the field:
`max_n` choices, `max_output_tokens` for `n` x the request's own max_tokens (or max_completion_tokens,
max_output_tokens), `max_messages` chat messages or Responses API input items.

The worst case a request reserves (`worst_case_usd`), in dollars:
- per attempt on a tier: prompt bound x its $/input token + n x max output tokens x its $/output token, where
  the prompt bound (`prompt_bound_tokens`) is the UTF-8 size of the JSON of every field that becomes prompt
  (messages, prompt, input, instructions, tools, response_format): a token is at least one byte, and the
  JSON's quotes and keys outweigh a chat template's few tokens per message, so no tokenizer counts more
  (characters / 4 would: CJK text runs near one token per character, and templates add tokens); the max
  output tokens are
  the request's own (clamped to the tier's `limits.max_tokens`), else the tier's `defaults.max_tokens`, else its
  cap, else `budgets.assumed_max_tokens`, and the prices are the tier's (`Pricer.worst_prices`: a tier without
  a price yet is priced as the most expensive priced tier);
- the attempts: the tier placement chose and, when its answer is checked and may escalate, the
  `escalation.max_escalations` most expensive of the tiers above it that the request may use (its only_tiers,
  the tiers' generation limits), whatever their readiness now (a tier may become ready while it runs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from server.accounting.auth_settings import BudgetSettings
from server.accounting.budgets import KeyLimits, Verdict
from server.errors import ApiError
from server.generation import GenerationRules, items_field, requested_max_tokens
from server.pricing import Pricer
from server.routing.router import RouteDecision


class BudgetHolder(Protocol):
    """Where holds are kept (server/accounting/admission.py's Gatekeeper)."""

    async def reserve(
        self, key: KeyLimits | None, request_id: str, amount_usd: float, *, local_only: bool
    ) -> Verdict: ...


# The fields a request's prompt is made of, on any of the three endpoints (tools and schemas are put into the
# prompt by the engines' chat templates).
_PROMPT_FIELDS = ("messages", "prompt", "input", "instructions", "tools", "functions", "response_format", "text")


def prompt_bound_tokens(body: Mapping[str, Any]) -> int:
    """More prompt tokens than any tokenizer makes of the request (see the module's docstring)."""
    fields = {name: body[name] for name in _PROMPT_FIELDS if name in body}
    return len(json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8", "replace"))


def choices(body: Mapping[str, Any]) -> int:
    n = body.get("n")
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 1 else 1


def over_cap(caps: BudgetSettings, path: str, body: Mapping[str, Any]) -> ApiError | None:
    """The first cap the request exceeds, as its 400 (None: within all)."""
    n = choices(body)
    if n > caps.max_n:
        return ApiError("invalid_value", f"n is {n}; this tierd takes at most {caps.max_n} (budgets.max_n)", "n")
    asked = requested_max_tokens(path, body)
    if asked is not None and n * asked > caps.max_output_tokens:
        field = next(f for f in ("max_tokens", "max_completion_tokens", "max_output_tokens") if body.get(f) == asked)
        return ApiError(
            "invalid_value",
            f"n x {field} is {n} x {asked} = {n * asked} output tokens; this tierd takes at most "
            f"{caps.max_output_tokens} per request (budgets.max_output_tokens)",
            field,
        )
    field = items_field(path)
    items = body.get(field)
    if isinstance(items, list) and len(items) > caps.max_messages:
        return ApiError(
            "invalid_value",
            f"{field} has {len(items)} items; this tierd takes at most {caps.max_messages} (budgets.max_messages)",
            field,
        )
    return None


@dataclass(frozen=True, slots=True)
class AttemptBound:
    """The worst one attempt on a tier may cost: its token bounds and prices."""

    prompt_tokens: int
    output_tokens: int  # all choices together
    usd_per_input_token: float
    usd_per_output_token: float

    @property
    def usd(self) -> float:
        return self.prompt_tokens * self.usd_per_input_token + self.output_tokens * self.usd_per_output_token


def worst_case_usd(first: AttemptBound, above: Sequence[AttemptBound], max_escalations: int) -> float:
    """The first attempt plus the `max_escalations` most expensive attempts escalation may add."""
    climbs = sorted((a.usd for a in above), reverse=True)[: max(0, max_escalations)]
    return first.usd + sum(climbs)


class Reserver:
    """Estimates a request's worst case from its decision, and holds it."""

    def __init__(
        self,
        holder: BudgetHolder,
        pricer: Pricer,
        generation: GenerationRules,
        order: Sequence[str],
        *,
        max_escalations: int,
        assumed_max_tokens: int,
    ) -> None:
        self.holder = holder
        self.pricer = pricer
        self.generation = generation
        self.order = list(order)
        self.max_escalations = max_escalations
        self.assumed_max_tokens = assumed_max_tokens

    def bound(self, tier: str, path: str, body: Mapping[str, Any], prompt_tokens: int) -> AttemptBound:
        per_choice = self.generation.output_tokens(tier, path, body) or self.assumed_max_tokens
        per_input, per_output = self.pricer.worst_prices(tier)
        return AttemptBound(prompt_tokens, choices(body) * per_choice, per_input, per_output)

    def estimate(
        self,
        path: str,
        body: Mapping[str, Any],
        first_tier: str,
        prompt_tokens: int,
        *,
        may_escalate: bool,
        allowed: frozenset[str] | None,
    ) -> float:
        first = self.bound(first_tier, path, body, prompt_tokens)
        if not may_escalate or first_tier not in self.order:
            return worst_case_usd(first, [], 0)
        above = [
            self.bound(t, path, body, prompt_tokens)
            for t in self.order[self.order.index(first_tier) + 1 :]
            if (allowed is None or t in allowed) and self.generation.over_limit(t, path, body) is None
        ]
        return worst_case_usd(first, above, self.max_escalations)

    async def reserve(
        self,
        path: str,
        body: Mapping[str, Any],
        decision: RouteDecision,
        key: KeyLimits | None,
        lease: str,
        prompt_tokens: int,
        *,
        allowed: frozenset[str] | None,
        may_escalate: bool,
    ) -> str | None:
        """Hold the decided request's worst case under `lease` (`prompt_tokens`: its `prompt_bound_tokens`,
        counted once per request). None: held; a budget's words: it is spent and
        the policy keeps the request local (decide it again on local tiers and reserve again, `allowed` then
        set, which is counted and never refused). Raises the 429 (or 503) of a refusal."""
        assert decision.placement.tier is not None
        amount = self.estimate(
            path,
            body,
            decision.placement.tier,
            prompt_tokens,
            may_escalate=may_escalate,
            allowed=allowed,
        )
        verdict = await self.holder.reserve(key, lease, amount, local_only=allowed is not None)
        if verdict.refusal is not None:
            raise ApiError(verdict.refusal, verdict.message, retry_after_s=verdict.retry_after())
        return verdict.local_only
