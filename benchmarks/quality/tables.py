"""Per tier x dataset and per tier x category figures: quality, agreement with the frontier, cost, tokens, latency.

Read straight from the ScoredOutcomes (every scored outcome counts, even on items some other tier lacks), so
these tables describe each tier on everything it answered. "Agreement with the frontier" is the share of the
tier's items, among those the frontier also has a score for, where the tier's answer is adequate
(model.adequate against the frontier's quality on the same item).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from statistics import fmean
from typing import Any

from benchmarks.quality.matrix import index_scored
from benchmarks.quality.model import ScoredOutcome, adequate
from benchmarks.report import percentile

ALL = "all"


@dataclass(frozen=True, slots=True)
class TierGroupStats:
    tier: str
    group: str  # a dataset, a category, or "all"
    items: int  # outcomes with a score
    quality: float | None  # mean of the scores
    agreement: float | None  # share adequate against the frontier (items the frontier also has)
    cost_per_request: float | None  # mean $
    prompt_tokens: float | None  # means, over outcomes that report them
    completion_tokens: float | None
    latency_p50_s: float | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return fmean(present) if present else None


def _stats(tier: str, group: str, outcomes: Sequence[ScoredOutcome], agreement: list[bool]) -> TierGroupStats:
    latencies = [o.latency_s for o in outcomes if o.latency_s is not None]
    return TierGroupStats(
        tier=tier,
        group=group,
        items=len(outcomes),
        quality=_mean([o.quality for o in outcomes]),
        agreement=fmean(agreement) if agreement else None,
        cost_per_request=_mean([o.cost_usd for o in outcomes]),
        prompt_tokens=_mean([o.prompt_tokens for o in outcomes]),
        completion_tokens=_mean([o.completion_tokens for o in outcomes]),
        latency_p50_s=percentile(latencies, 0.5) if latencies else None,
    )


def group_stats(
    scored: Sequence[ScoredOutcome],
    tiers: Sequence[str],
    group_of: Callable[[ScoredOutcome], str],
    threshold: float,
) -> list[TierGroupStats]:
    """One row per tier and group (groups sorted), then one per tier over everything (group "all")."""
    frontier = tiers[-1]
    table = index_scored(scored)
    rows: list[TierGroupStats] = []
    for tier in tiers:
        mine = [o for o in scored if o.tier == tier]
        by_group: dict[str, list[ScoredOutcome]] = {}
        for o in mine:
            by_group.setdefault(group_of(o), []).append(o)
        for group, outcomes in [*sorted(by_group.items()), (ALL, mine)]:
            agreement = [
                adequate(o.quality, best.quality, threshold)
                for o in outcomes
                if (best := table[(o.dataset, o.item_id)].get(frontier)) is not None
            ]
            rows.append(_stats(tier, group, outcomes, agreement))
    return rows
