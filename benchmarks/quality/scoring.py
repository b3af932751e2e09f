"""Outcomes -> scores -> ScoredOutcomes: every answer judged against the frontier's (or the reference).

Scores go through the cache too, keyed by what the answer was compared with, so a rerun (a new plot, a new
router) repeats neither model calls nor judge calls. In reference mode the REFERENCE_TIER's outcomes are
made here from the items' answers: no call, and a cost estimated from the frontier's list price.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from benchmarks.quality.cache import OutcomeCache, basis_hash, outcome_key
from benchmarks.quality.model import REFERENCE_TIER, BenchItem, Outcome, Score, ScoredOutcome
from server.routing.costs import TierPricing
from server.routing.features import CHARS_PER_TOKEN

if TYPE_CHECKING:  # the scorers' package is imported only when scoring starts (it loads heavy parts)
    from benchmarks.quality.scorers import ScorerRegistry

REFERENCE_COST_NOTE = (
    "Reference mode: the frontier's answers are the datasets' reference answers; its cost per request is "
    "estimated at the frontier's list price for the prompt and the reference answer, at ~4 characters per "
    "token (OpenAI's rule of thumb), plus 4 tokens of chat overhead per message."
)


def estimate_tokens(text: str) -> int:
    """About 4 characters per token (OpenAI's rule of thumb for English text, the router's estimate too). Used
    only to price the reference answers as if the frontier had written them, never for a tier that was called."""
    return max(1, math.ceil(len(text) / CHARS_PER_TOKEN))


def reference_answer(item: BenchItem) -> str | None:
    """What the reference 'frontier' says: the reference itself (the first one when it is a JSON list)."""
    if item.reference is None:
        return None
    if item.scorer == "evals-match" and item.reference.startswith("["):
        try:
            ideals = json.loads(item.reference)
        except ValueError:
            return item.reference
        return str(ideals[0]) if isinstance(ideals, list) and ideals else item.reference
    return item.reference


def reference_outcomes(items: Sequence[BenchItem], frontier_pricing: TierPricing) -> list[Outcome]:
    per_in = (frontier_pricing.usd_per_1m_input or 0.0) / 1e6
    per_out = (frontier_pricing.usd_per_1m_output or 0.0) / 1e6
    outcomes = []
    for item in items:
        answer = reference_answer(item)
        if answer is None:
            continue
        prompt = sum(estimate_tokens(m["content"]) + 4 for m in item.messages)
        completion = estimate_tokens(answer)
        outcomes.append(
            Outcome(item.dataset, item.item_id, REFERENCE_TIER, REFERENCE_TIER, "reference", answer, prompt,
                    completion, None, prompt * per_in + completion * per_out)
        )  # fmt: skip
    return outcomes


@dataclass
class ScoringResult:
    scored: list[ScoredOutcome]
    scores: dict[tuple[str, str, str], Score]  # (dataset, item_id, tier) -> score
    dropped_items: list[str] = field(default_factory=list)  # items some tier's score could not be computed for
    from_cache: int = 0
    computed: int = 0


async def score_all(
    items: Sequence[BenchItem],
    outcomes: Mapping[str, Mapping[tuple[str, str], Outcome]],
    tiers: Sequence[str],
    registry: ScorerRegistry,
    cache: OutcomeCache,
    *,
    judge_model: str,
    concurrency: int,
) -> ScoringResult:
    """`tiers` cheapest first, the last being the frontier (or REFERENCE_TIER): its answer is the baseline
    the others are compared with; it is itself scored against the item's reference."""
    frontier = tiers[-1]
    gate = asyncio.Semaphore(concurrency)
    result = ScoringResult([], {})

    async def one(item: BenchItem, tier: str) -> tuple[BenchItem, str, Score]:
        outcome = outcomes[tier].get(item.key)
        if outcome is None or outcome.output is None:
            why = outcome.error if outcome is not None else "no answer"
            return item, tier, Score(0.0, item.scorer, f"call failed: {why}")
        baseline_outcome = outcomes[frontier].get(item.key) if tier != frontier else None
        baseline = baseline_outcome.output if baseline_outcome is not None and frontier != REFERENCE_TIER else None
        key = outcome_key(outcome)
        basis = basis_hash(baseline, item.reference, judge_model)
        cached = cache.get_score(key, item.scorer, basis)
        if cached is not None:
            result.from_cache += 1
            return item, tier, cached
        async with gate:
            score = await registry.score(item, outcome.output, baseline)
        if not score.valid and tier == frontier and item.reference is None:
            # Nothing to compare the frontier with: it is the baseline, as good as itself by definition.
            score = Score(1.0, item.scorer, "the frontier's own answer is the baseline")
        cache.put_score(key, basis, score)
        result.computed += 1
        return item, tier, score

    judged = await asyncio.gather(*(one(item, tier) for item in items for tier in tiers))
    for item, tier, score in judged:
        result.scores[(item.dataset, item.item_id, tier)] = score
    for item in items:
        scores = [result.scores[(item.dataset, item.item_id, t)] for t in tiers]
        if not all(s.valid for s in scores):
            result.dropped_items.append(f"{item.dataset}/{item.item_id}")
            continue
        for tier, score in zip(tiers, scores, strict=True):
            o = outcomes[tier].get(item.key)
            result.scored.append(
                ScoredOutcome(item.dataset, item.item_id, item.category, tier, score.value,
                              (o.cost_usd if o is not None else None) or 0.0,
                              o.latency_s if o is not None else None,
                              o.prompt_tokens if o is not None else None,
                              o.completion_tokens if o is not None else None)
            )  # fmt: skip
    return result
