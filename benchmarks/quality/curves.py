"""Cost-quality curves: the non-decreasing convex hull, AIQ and the share of the oracle's savings. Pure.

A router evaluated at one setting is a point (mean $ per request, mean quality). A router with a knob (the
learned router's thresholds) is a set of points. Mixing two settings at random (send a share p of requests
one way) reaches every point on the segment between them, and nobody would pay more for less quality, so what
a router can deliver is the **non-decreasing convex hull** of its points: the upper concave envelope of the
points that are not beaten by a cheaper one, held flat to the right of its best point.

AIQ (Average Improvement in Quality; RouterBench, Hu et al. 2024, arXiv:2403.12031):

    AIQ = 1 / (c_max - c_min) * integral from c_min to c_max of hull(c) dc

where c_min and c_max are the cheapest and the dearest always-one-tier costs. RouterBench adds the extreme
points to every router's curve; here the hull is taken over the router's points plus every always-one-tier
point (a deployer can always mix in "send everything to tier k", so a fixed router such as `rules` is judged
on what it adds to those), and extended flat from its last point to c_max; it is 0 where no point is that
cheap. AIQ is therefore a mean quality in [0, 1] over the whole cost range, and no router scores below the
random router, whose hull is exactly that of the always-tier points (RouterBench's "zero router").

Oracle savings share at a target quality q* (0.95 or 0.97 x the frontier's quality): the share of what the
oracle saves, reaching the same quality, that the router saves too:

    share = (cost(always frontier) - c_router(q*)) / (cost(always frontier) - c_oracle(q*))

where c_x(q*) is the least cost at which x's hull reaches q* (the oracle's hull being its budgeted curve,
which no router can beat at any cost). The oracle is 100% by construction; 0 means the router saves nothing;
it is capped at 100% (a graded score can let a router edge past the budgeted oracle by rounding). None when
the router's hull never reaches q* or the oracle saves nothing at q*.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EPS = 1e-12


@dataclass(frozen=True, slots=True)
class CurvePoint:
    cost: float  # mean $ per request
    quality: float  # mean quality in [0, 1]
    label: str = ""  # the setting that gave it (thresholds, a mixing share)

    def to_json(self) -> dict[str, float | str]:
        return {"cost": self.cost, "quality": self.quality, "label": self.label}


def _cross(a: CurvePoint, b: CurvePoint, c: CurvePoint) -> float:
    """> 0 when c lies above the line through a and b (seen left to right)."""
    return (b.cost - a.cost) * (c.quality - a.quality) - (b.quality - a.quality) * (c.cost - a.cost)


def nondecreasing_hull(points: Iterable[CurvePoint]) -> list[CurvePoint]:
    """The upper concave envelope of the points no cheaper point beats, cheapest first."""
    ordered = sorted(points, key=lambda p: (p.cost, -p.quality))
    frontier: list[CurvePoint] = []
    for p in ordered:  # Pareto: each kept point is dearer and strictly better than the one before
        if not frontier or p.quality > frontier[-1].quality + EPS:
            frontier.append(p)
    hull: list[CurvePoint] = []
    for p in frontier:  # Andrew's monotone chain, upper half: drop points on or under a chord
        # Collinear points go too; the tolerance (relative to the span, quality being O(1)) absorbs rounding.
        while len(hull) >= 2 and _cross(hull[-2], hull[-1], p) >= -1e-9 * (p.cost - hull[-2].cost):
            hull.pop()
        hull.append(p)
    return hull


def hull_value(hull: Sequence[CurvePoint], cost: float) -> float:
    """Quality the hull reaches at `cost`: 0 below its cheapest point, flat after its last."""
    if not hull or cost < hull[0].cost - EPS:
        return 0.0
    for a, b in itertools.pairwise(hull):
        if cost <= b.cost:
            span = b.cost - a.cost
            return b.quality if span <= EPS else a.quality + (cost - a.cost) / span * (b.quality - a.quality)
    return hull[-1].quality


def area_under(hull: Sequence[CurvePoint], c_min: float, c_max: float) -> float:
    """Exact integral of hull_value over [c_min, c_max] (piecewise linear between breakpoints)."""
    if c_max <= c_min or not hull:
        return 0.0
    start = max(c_min, hull[0].cost)
    if start >= c_max:
        return 0.0
    breaks = sorted({start, c_max, *(p.cost for p in hull if start < p.cost < c_max)})
    return sum((b - a) * (hull_value(hull, a) + hull_value(hull, b)) / 2 for a, b in itertools.pairwise(breaks))


def aiq(hull: Sequence[CurvePoint], c_min: float, c_max: float) -> float | None:
    """Mean hull quality over [c_min, c_max]; None when the costs do not spread (nothing to average over)."""
    if c_max - c_min <= EPS:
        return None
    return area_under(hull, c_min, c_max) / (c_max - c_min)


def cheapest_cost_reaching(hull: Sequence[CurvePoint], target: float) -> float | None:
    """The least cost at which the hull's quality reaches `target`, interpolating along a chord."""
    if not hull:
        return None
    if hull[0].quality >= target - EPS:
        return hull[0].cost
    for a, b in itertools.pairwise(hull):
        if b.quality >= target - EPS:
            return a.cost + (target - a.quality) / (b.quality - a.quality) * (b.cost - a.cost)
    return None


def oracle_savings_share(
    hull: Sequence[CurvePoint], target: float, frontier_cost: float, oracle_hull: Sequence[CurvePoint]
) -> float | None:
    """The module docstring's share, in [0, 1]."""
    oracle_reached = cheapest_cost_reaching(oracle_hull, target)
    reached = cheapest_cost_reaching(hull, target)
    if reached is None or oracle_reached is None:
        return None
    possible = frontier_cost - oracle_reached
    if possible <= EPS:
        return None
    return min(1.0, max(0.0, (frontier_cost - reached) / possible))
