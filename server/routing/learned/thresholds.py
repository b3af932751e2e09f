"""From per-tier probabilities to a tier, and the threshold search behind `tierd router calibrate`. Pure numpy.

The model gives P(label = tier) for each tier, cheapest first; the label is the cheapest adequate tier, so
P(tier i is adequate) = P(label <= i), a cumulative sum. A request goes to the cheapest tier whose adequacy
reaches that tier's threshold; the last tier (the most capable) takes everything else. Raising a cheap tier's
threshold sends more traffic up: better quality, higher cost.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def adequacy(probabilities: npt.ArrayLike) -> FloatArray:
    """P(tier i adequate) for each tier: cumulative over the cheaper-first axis (the last is 1)."""
    cumulative = np.cumsum(np.asarray(probabilities, dtype=np.float64), axis=-1)
    return np.clip(cumulative, 0.0, 1.0)


def choose_index(adequacy_row: Sequence[float], thresholds: Sequence[float]) -> int:
    """The cheapest tier whose adequacy reaches its threshold; `thresholds` has one entry per tier but the last."""
    for i, threshold in enumerate(thresholds):
        if adequacy_row[i] >= threshold:
            return i
    return len(thresholds)


def choose_many(adequacies: FloatArray, thresholds: Sequence[float]) -> IntArray:
    """choose_index for every row at once."""
    n, tiers = adequacies.shape
    chosen = np.full(n, tiers - 1, dtype=np.int64)
    undecided = np.ones(n, dtype=bool)
    for i, threshold in enumerate(thresholds):
        hit = undecided & (adequacies[:, i] >= threshold)
        chosen[hit] = i
        undecided &= ~hit
    return chosen


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a set of thresholds does on a labeled set."""

    thresholds: tuple[float, ...]
    share: tuple[float, ...]  # of requests per tier
    quality: float  # share of requests sent to a tier at or above their label (adequate)
    cost_per_request: float  # mean, with the per-tier costs given


def evaluate(
    adequacies: FloatArray, labels: IntArray, thresholds: Sequence[float], request_costs: FloatArray
) -> Outcome:
    """`request_costs` is (rows, tiers): what each request would cost on each tier."""
    chosen = choose_many(adequacies, thresholds)
    tiers = adequacies.shape[1]
    share = np.bincount(chosen, minlength=tiers) / max(len(chosen), 1)
    quality = float(np.mean(chosen >= labels)) if len(chosen) else 1.0
    cost = float(np.mean(request_costs[np.arange(len(chosen)), chosen])) if len(chosen) else 0.0
    return Outcome(tuple(round(float(t), 4) for t in thresholds), tuple(float(s) for s in share), quality, cost)


class CalibrationError(ValueError):
    pass


def calibrate(
    adequacies: FloatArray,
    labels: IntArray,
    request_costs: FloatArray,
    *,
    target_top_share: float | None = None,
    target_quality: float | None = None,
    grid: int = 41,
) -> Outcome:
    """Thresholds for one target, by exhaustive search over a grid (offline and cheap: RouteLLM-style replay).

    - `target_top_share`: the most capable tier gets at most this share; maximise quality, then minimise cost.
    - `target_quality`: at least this quality; minimise cost, then maximise quality.
    """
    if (target_top_share is None) == (target_quality is None):
        raise CalibrationError("give exactly one target: a top-tier share or a quality")
    tiers = adequacies.shape[1]
    if tiers < 2:
        raise CalibrationError("calibration needs at least two tiers")
    if len(labels) == 0:
        raise CalibrationError("the calibration set is empty")
    # Thresholds above 1 send nothing to a tier; keep the grid small when there are many tiers.
    points = grid if tiers <= 3 else max(6, round(grid ** (2 / (tiers - 1))))
    # 1.01 is "never": that tier gets no traffic.
    values = np.append(np.linspace(0.0, 1.0, points), 1.01)
    best: tuple[tuple[float, float], Outcome] | None = None
    for combo in itertools.product(values, repeat=tiers - 1):
        outcome = evaluate(adequacies, labels, combo, request_costs)
        if target_top_share is not None:
            if outcome.share[-1] > target_top_share + 1e-9:
                continue
            key = (outcome.quality, -outcome.cost_per_request)
        else:
            assert target_quality is not None
            if outcome.quality < target_quality - 1e-9:
                continue
            key = (-outcome.cost_per_request, outcome.quality)
        if best is None or key > best[0]:
            best = (key, outcome)
    if best is None:
        what = (
            f"top-tier share <= {target_top_share}" if target_top_share is not None else f"quality >= {target_quality}"
        )
        raise CalibrationError(f"no thresholds reach {what} on this set")
    return best[1]
