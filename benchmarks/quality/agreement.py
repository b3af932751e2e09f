"""How far an open-ended scorer (embedding similarity, a judge) agrees with the exact answers, where both apply.

On every item whose own scorer checks an exact answer (`exact`, `includes`, `numeric`, `choice`, GSM8K's
number, an evals `ideal`), each tier below the frontier is scored a second time by the other scorer, and the
two verdicts of "adequate" (model.adequate, against the frontier's score under the same scorer) are compared,
the exact answer being the truth: agreement (same verdict), precision (of what the scorer calls adequate, the
share that is right) and recall (of the right answers, the share it calls adequate). Those second scores go
through the cache like the first, so a rerun computes nothing again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from benchmarks.quality.cache import OutcomeCache
from benchmarks.quality.model import BenchItem, Outcome, Score, adequate
from benchmarks.quality.scoring import score_all
from benchmarks.quality.user_jsonl import EXACT_FAMILY

if TYPE_CHECKING:
    from benchmarks.quality.scorers import ScorerRegistry

EXACT_SCORERS = EXACT_FAMILY | {"gsm8k", "evals-match"}
ScoreTable = Mapping[tuple[str, str, str], Score]


@dataclass(frozen=True, slots=True)
class ScorerAgreement:
    scorer: str  # the open-ended scorer compared with the exact answers
    pairs: int  # (item, tier) pairs where both verdicts exist
    adequate_by_scorer: int
    adequate_by_exact: int
    adequate_by_both: int
    agreeing: int

    @property
    def agreement(self) -> float | None:
        return self.agreeing / self.pairs if self.pairs else None

    @property
    def precision(self) -> float | None:
        return self.adequate_by_both / self.adequate_by_scorer if self.adequate_by_scorer else None

    @property
    def recall(self) -> float | None:
        return self.adequate_by_both / self.adequate_by_exact if self.adequate_by_exact else None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "agreement": self.agreement, "precision": self.precision, "recall": self.recall}


def compare(
    items: Sequence[BenchItem],
    tiers: Sequence[str],
    exact: ScoreTable,
    other: ScoreTable,
    scorer: str,
    threshold: float,
) -> ScorerAgreement:
    """Pure: the two score tables' adequacy verdicts on every tier below the frontier (`tiers[-1]`)."""
    frontier = tiers[-1]
    pairs = by_scorer = by_exact = both = agreeing = 0
    for item in items:
        keys = [(item.dataset, item.item_id, t) for t in tiers]
        if not all(k in exact and exact[k].valid and k in other and other[k].valid for k in keys):
            continue
        top = (item.dataset, item.item_id, frontier)
        for key in keys[:-1]:
            right = adequate(exact[key].value, exact[top].value, threshold)
            called = adequate(other[key].value, other[top].value, threshold)
            pairs += 1
            by_exact += right
            by_scorer += called
            both += right and called
            agreeing += right == called
    return ScorerAgreement(scorer, pairs, by_scorer, by_exact, both, agreeing)


async def cross_check(
    items: Sequence[BenchItem],
    outcomes: Mapping[str, Mapping[tuple[str, str], Outcome]],
    tiers: Sequence[str],
    exact: ScoreTable,
    registry: ScorerRegistry,
    cache: OutcomeCache,
    *,
    scorers: Sequence[str],
    judge_model: str,
    concurrency: int,
    threshold: float,
) -> list[ScorerAgreement]:
    checked = [item for item in items if item.scorer in EXACT_SCORERS]
    out = []
    for scorer in scorers:
        rescored = [replace(item, scorer=scorer) for item in checked]
        result = await score_all(
            rescored, outcomes, tiers, registry, cache, judge_model=judge_model, concurrency=concurrency
        )
        out.append(compare(checked, tiers, exact, result.scores, scorer, threshold))
    return out
