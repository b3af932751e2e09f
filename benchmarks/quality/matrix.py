"""Scored outcomes as an (items x tiers) table: quality, cost and adequacy per cell. Pure, numpy only.

Router replay (replay.py) and the measured labels (labels.py) both read it, so they agree on which items
count and on each item's cheapest adequate tier. An item counts only when every tier has a ScoredOutcome
for it: the pipeline leaves out scores that could not be computed (Score.valid False), and an item with a
hole cannot be routed fairly (the router could pick the tier whose answer is missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from benchmarks.quality.model import DEFAULT_ADEQUACY_THRESHOLD, BenchItem, ScoredOutcome, adequate

FloatMatrix = npt.NDArray[np.float64]
BoolMatrix = npt.NDArray[np.bool_]
IntVector = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class OutcomeMatrix:
    tiers: tuple[str, ...]  # cheapest first; the last is the frontier (or REFERENCE_TIER)
    items: tuple[BenchItem, ...]  # the complete items, in the order given
    quality: FloatMatrix  # (items, tiers)
    cost: FloatMatrix  # (items, tiers), $ per request
    adequate: BoolMatrix  # (items, tiers): model.adequate against the last tier; the last tier always
    incomplete: int  # items left out because some tier has no score for them
    threshold: float

    @property
    def cheapest_adequate(self) -> IntVector:
        """Per item, the index of the cheapest adequate tier: the oracle's choice and the measured label."""
        first: IntVector = np.argmax(self.adequate, axis=1).astype(np.int64)
        return first

    def __len__(self) -> int:
        return len(self.items)


def index_scored(scored: Sequence[ScoredOutcome]) -> dict[tuple[str, str], dict[str, ScoredOutcome]]:
    """(dataset, item id) -> tier -> outcome; a later duplicate replaces an earlier one."""
    table: dict[tuple[str, str], dict[str, ScoredOutcome]] = {}
    for outcome in scored:
        table.setdefault((outcome.dataset, outcome.item_id), {})[outcome.tier] = outcome
    return table


def build_matrix(
    items: Sequence[BenchItem],
    scored: Sequence[ScoredOutcome],
    tiers: Sequence[str],
    threshold: float = DEFAULT_ADEQUACY_THRESHOLD,
) -> OutcomeMatrix:
    if len(tiers) < 2:
        raise ValueError(f"router replay needs at least two tiers (cheapest first, frontier last); got {list(tiers)}")
    if len(set(tiers)) != len(tiers):
        raise ValueError(f"tiers repeat: {list(tiers)}")
    table = index_scored(scored)
    complete: list[BenchItem] = []
    quality: list[list[float]] = []
    cost: list[list[float]] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        if item.key in seen:
            continue
        seen.add(item.key)
        row = table.get(item.key, {})
        if all(t in row for t in tiers):
            complete.append(item)
            quality.append([float(row[t].quality) for t in tiers])
            cost.append([float(row[t].cost_usd) for t in tiers])
    q = np.asarray(quality, dtype=np.float64).reshape(len(complete), len(tiers))
    c = np.asarray(cost, dtype=np.float64).reshape(len(complete), len(tiers))
    ok = np.zeros(q.shape, dtype=bool)
    for i in range(len(complete)):
        frontier = q[i, -1]
        ok[i] = [adequate(q[i, t], frontier, threshold) for t in range(len(tiers))]
    ok[:, -1] = True  # the frontier is adequate to itself, whatever the threshold
    return OutcomeMatrix(tuple(tiers), tuple(complete), q, c, ok, len(seen) - len(complete), threshold)
