"""The replay's curve math on hand-computed examples: hull, AIQ, the oracle savings share."""

from __future__ import annotations

import pytest

from benchmarks.quality.curves import (
    CurvePoint,
    aiq,
    cheapest_cost_reaching,
    hull_value,
    nondecreasing_hull,
    oracle_savings_share,
)


def _pts(*pairs: tuple[float, float]) -> list[CurvePoint]:
    return [CurvePoint(c, q) for c, q in pairs]


def _pairs(points: list[CurvePoint]) -> list[tuple[float, float]]:
    return [(p.cost, p.quality) for p in points]


# Always-cheapest A = (0, 0.4) and always-frontier F = (10, 0.9) are the extremes; the router has
# R1 = (2, 0.7), R2 = (6, 0.82) and R3 = (4, 0.6), which R1 beats (cheaper and better), so R3 drops out.
EXAMPLE = _pts((0, 0.4), (2, 0.7), (4, 0.6), (6, 0.82), (10, 0.9))


def test_hull_drops_dominated_points_and_keeps_the_concave_envelope() -> None:
    # R2 stays: the chord R1 -> F passes x = 6 at 0.7 + 4/8 * 0.2 = 0.8 < 0.82.
    assert _pairs(nondecreasing_hull(EXAMPLE)) == [(0, 0.4), (2, 0.7), (6, 0.82), (10, 0.9)]
    # A point under a chord goes: (5, 0.5) lies under the chord (0, 0.4) -> (10, 0.9), which is 0.65 at x = 5.
    assert _pairs(nondecreasing_hull(_pts((0, 0.4), (5, 0.5), (10, 0.9)))) == [(0, 0.4), (10, 0.9)]
    # Dearer and worse is never on the hull: (10, 0.9) after (5, 1.0).
    assert _pairs(nondecreasing_hull(_pts((0, 0.4), (5, 1.0), (10, 0.9)))) == [(0, 0.4), (5, 1.0)]


def test_aiq_on_a_hand_computed_example() -> None:
    hull = nondecreasing_hull(EXAMPLE)
    # Trapezoids over the hull: [0,2] 2 * (0.4 + 0.7) / 2 = 1.1; [2,6] 4 * (0.7 + 0.82) / 2 = 3.04;
    # [6,10] 4 * (0.82 + 0.9) / 2 = 3.44. Area 7.58 over the cost range 10: AIQ = 0.758.
    assert aiq(hull, 0, 10) == pytest.approx(0.758)
    # Held flat after the best point: (0, 0.4) -> (5, 1.0) is 5 * 1.4 / 2 = 3.5, then 1.0 x 5 = 5: 8.5 / 10.
    assert aiq(nondecreasing_hull(_pts((0, 0.4), (5, 1.0), (10, 0.9))), 0, 10) == pytest.approx(0.85)
    # Nothing below the cheapest point: a lone (2, 0.5) over [0, 10] is 8 x 0.5 = 4: 0.4.
    assert aiq(_pts((2, 0.5)), 0, 10) == pytest.approx(0.4)
    assert hull_value(_pts((2, 0.5)), 1.0) == 0.0
    # No cost spread, no average.
    assert aiq(hull, 3, 3) is None


def test_oracle_savings_share_on_a_hand_computed_example() -> None:
    hull = nondecreasing_hull(EXAMPLE)
    # The oracle's budgeted curve: A = (0, 0.4) to the full oracle (3, 1.0); F = (10, 0.9) is under it.
    oracle = nondecreasing_hull(_pts((0, 0.4), (3, 1.0), (10, 0.9)))
    # 95% of frontier quality 0.9: target 0.855. The router reaches it between R2 (6, 0.82) and F (10, 0.9) at
    # 6 + (0.855 - 0.82) / 0.08 * 4 = 7.75, saving 2.25; the oracle at 0.455 / 0.6 * 3 = 2.275, saving 7.725.
    assert cheapest_cost_reaching(hull, 0.95 * 0.9) == pytest.approx(7.75)
    assert oracle_savings_share(hull, 0.95 * 0.9, 10, oracle) == pytest.approx(2.25 / 7.725)
    # 97%: target 0.873: the router at 6 + 0.053 / 0.08 * 4 = 8.65 (saving 1.35), the oracle at 0.473 / 0.6 * 3.
    assert oracle_savings_share(hull, 0.97 * 0.9, 10, oracle) == pytest.approx(1.35 / (10 - 0.473 / 0.6 * 3))
    # The oracle is 100% by construction, at every target.
    for target in (0.5, 0.855, 0.873, 0.9):
        assert oracle_savings_share(oracle, target, 10, oracle) == pytest.approx(1.0)
    # Unreachable target, or an oracle that saves nothing (its curve is the frontier point alone): None.
    assert oracle_savings_share(hull, 0.95, 10, oracle) is None
    assert oracle_savings_share(hull, 0.855, 10, _pts((10, 0.9))) is None


def test_oracle_savings_share_never_passes_100_percent() -> None:
    # A router whose hull edges past the oracle's (graded scores can do that) is capped at 100%.
    oracle = _pts((0, 0.4), (3, 1.0))
    better = _pts((0, 0.4), (2, 1.0))
    assert oracle_savings_share(better, 0.855, 10, oracle) == 1.0
