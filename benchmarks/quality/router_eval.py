"""Evaluating one router over the outcome matrix: a tier choice per item becomes a (cost, quality) point, and
points become a RouterCurve with its hull, AIQ and oracle savings share (curves.py defines them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.quality.curves import CurvePoint, aiq, hull_value, nondecreasing_hull, oracle_savings_share
from benchmarks.quality.matrix import IntVector, OutcomeMatrix
from benchmarks.quality.model import REFERENCE_TIER

QUALITY_TARGETS = (0.95, 0.97)  # shares of the frontier's quality for the oracle savings share


@dataclass
class RouterCurve:
    name: str
    points: list[CurvePoint]  # everything it was evaluated at (one point for a fixed router)
    hull: list[CurvePoint]  # non-decreasing convex hull of the points and the always-tier points
    aiq: float | None
    savings_share: dict[str, float | None]  # "0.95" / "0.97" x frontier quality -> share of the oracle's savings
    quality_at_oracle_cost: float | None = None  # the hull's quality at the full oracle's $ per request
    operating_point: CurvePoint | None = None  # its one setting (rules, oracle) or its default thresholds
    tier_share: dict[str, float] | None = None  # share of items per tier at the operating point
    detail: dict[str, Any] = field(default_factory=dict)
    aiq_by_dataset: dict[str, float | None] = field(default_factory=dict)
    # The tier chosen per item at each evaluated setting, to replay the same router on a subset of the items
    # (not written out). Empty for oracle and random, which are rebuilt from the subset itself.
    choices: list[IntVector] = field(default_factory=list, repr=False)
    operating_choice: IntVector | None = field(default=None, repr=False)  # the tier per item at the operating point

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aiq": self.aiq,
            "aiq_by_dataset": self.aiq_by_dataset,
            "savings_share": self.savings_share,
            "quality_at_oracle_cost": self.quality_at_oracle_cost,
            "operating_point": self.operating_point.to_json() if self.operating_point else None,
            "tier_share": self.tier_share,
            "hull": [p.to_json() for p in self.hull],
            "points": [p.to_json() for p in self.points],
            "detail": self.detail,
        }


class Evaluator:
    """Turns a tier choice per item into a curve point, and points into a RouterCurve."""

    def __init__(self, m: OutcomeMatrix) -> None:
        self.m = m
        rows = np.arange(len(m))
        self._rows = rows
        self.always = {t: self.point(np.full(len(m), i, dtype=np.int64), t) for i, t in enumerate(m.tiers)}
        costs = [p.cost for p in self.always.values()]
        self.cost_range = (min(costs), max(costs))
        self.extremes = list(self.always.values())  # mixed into every hull (curves.py says why)
        self.oracle_cost = self.point(m.cheapest_adequate, "oracle").cost
        self.oracle_points = self._budgeted_oracle()
        self.oracle_hull = nondecreasing_hull([*self.oracle_points, *self.extremes])

    def _budgeted_oracle(self) -> list[CurvePoint]:
        """The oracle's choices with less to spend than the full oracle: it upgrades items from the cheapest
        tier to their cheapest adequate tier best quality-per-dollar first (the greedy fractional-knapsack
        order), so its curve bounds the other routers' from above at every cost."""
        m, full = self.m, self.m.cheapest_adequate
        rows = self._rows
        gain = m.quality[rows, full] - m.quality[:, 0]
        spend = m.cost[rows, full] - m.cost[:, 0]
        rate = np.where(spend > 0, gain / np.where(spend > 0, spend, 1.0), np.inf)
        order = [i for i in np.argsort(-rate, kind="stable") if full[i] > 0]
        chosen = np.zeros(len(m), dtype=np.int64)
        points = [self.point(chosen, "oracle, upgrading 0 items")]
        for k, i in enumerate(order, 1):
            chosen[i] = full[i]
            points.append(self.point(chosen, f"oracle, upgrading {k} items"))
        return points

    def point(self, chosen: IntVector, label: str) -> CurvePoint:
        cost = float(self.m.cost[self._rows, chosen].mean())
        quality = float(self.m.quality[self._rows, chosen].mean())
        return CurvePoint(cost, quality, label)

    def share(self, chosen: IntVector) -> dict[str, float]:
        counts = np.bincount(chosen, minlength=len(self.m.tiers)) / len(chosen)
        return {t: float(s) for t, s in zip(self.m.tiers, counts, strict=True)}

    def curve(self, name: str, points: list[CurvePoint], **extra: Any) -> RouterCurve:
        hull = nondecreasing_hull([*points, *self.extremes])
        frontier = self.always[self.m.tiers[-1]]
        savings = {
            f"{q:.2f}": oracle_savings_share(hull, q * frontier.quality, frontier.cost, self.oracle_hull)
            for q in QUALITY_TARGETS
        }
        at_oracle = hull_value(hull, self.oracle_cost)
        return RouterCurve(name, points, hull, aiq(hull, *self.cost_range), savings, at_oracle, **extra)

    def random_at_split(self, name: str, chosen: IntVector) -> RouterCurve:
        """The expected point of sending the same number of items to each tier as `chosen` does, but at random.

        Each item lands on tier t with probability n_t / N under a uniformly random assignment of exactly n_t
        items to each tier, so the expected quality is sum_t n_t / N x (tier t's mean quality over all items),
        and likewise the cost: exact, with no draw. A router that knows which items a tier gets right beats it
        at (about) the same cost."""
        share = self.share(chosen)
        quality = sum(s * self.always[t].quality for t, s in share.items())
        cost = sum(s * self.always[t].cost for t, s in share.items())
        point = CurvePoint(cost, quality, name)
        return self.curve(name, [point], operating_point=point, tier_share=share)

    def fixed(self, name: str, chosen: IntVector, **extra: Any) -> RouterCurve:
        point = self.point(chosen, name)
        curve = self.curve(name, [point], operating_point=point, tier_share=self.share(chosen), **extra)
        curve.choices = [chosen]
        return curve


def tier_mapping(configured: Sequence[str], run: Sequence[str]) -> dict[str, str]:
    """Configured tier name -> the run tier that answers for it (itself, or the next one above, or the last)."""
    mapping: dict[str, str] = {}
    for i, name in enumerate(configured):
        if name in run:
            mapping[name] = name
        elif i == len(configured) - 1 and run[-1] == REFERENCE_TIER:
            mapping[name] = REFERENCE_TIER
        else:
            mapping[name] = next((t for t in configured[i + 1 :] if t in run), run[-1])
    return mapping
