"""`tierd router learn`'s decisions, without I/O: which captured rows to use, and what label each one gets.

A measured label is the cheapest tier whose answer the judge called adequate (the frontier when none was);
with `/v1/feedback` scores, the answering tier is adequate when its score is positive, and the label is that
tier (a cheaper one may also have been adequate: feedback cannot say, so the label errs towards quality), or
the tier above it when the score is not positive.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from server.capture.store import CapturedRow

# A judge's grade (MT-Bench's 1-10, over 10) at or above which an answer is adequate (the quality harness's).
ADEQUATE_SCORE = 0.8


@dataclass(frozen=True, slots=True)
class MeasuredLabel:
    request_id: str
    body: dict[str, Any]
    label: str
    evidence: dict[str, Any]  # per tier: the judge's score, or the feedback score


def learnable(row: CapturedRow) -> bool:
    """Chat requests with messages: what the router trains on (and what the tiers can be asked again)."""
    messages = row.body.get("messages")
    return row.endpoint.endswith("/chat/completions") and isinstance(messages, list) and bool(messages)


def sample(rows: Sequence[CapturedRow], n: int, seed: int) -> list[CapturedRow]:
    usable = [r for r in rows if learnable(r)]
    return random.Random(seed).sample(usable, min(n, len(usable)))


def split_heldout(labels: Sequence[MeasuredLabel], share: float, seed: int) -> tuple[list[int], list[int]]:
    """(train, held-out) indices; the held-out slice has at least one row and leaves at least one to train."""
    order = list(range(len(labels)))
    random.Random(seed).shuffle(order)
    held = min(max(1, round(len(order) * share)), max(len(order) - 1, 0))
    return sorted(order[held:]), sorted(order[:held])


def label_from_scores(tiers: Sequence[str], scores: Mapping[str, float]) -> str:
    """The cheapest tier below the frontier whose judged score is adequate; the frontier otherwise."""
    for tier in tiers[:-1]:
        if scores.get(tier, 0.0) >= ADEQUATE_SCORE:
            return tier
    return tiers[-1]


def label_from_feedback(tiers: Sequence[str], answered_by: str, score: float) -> str:
    index = tiers.index(answered_by)
    return answered_by if score > 0 else tiers[min(index + 1, len(tiers) - 1)]


def missing_tiers(row: CapturedRow, tiers: Sequence[str]) -> list[str]:
    """The cheap tiers (all but the frontier) with no captured answer: they must be asked."""
    return [t for t in tiers[:-1] if t not in row.answers]


def replay_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """The captured body as one tier is asked it again: its own model is set by the tier, and no stream."""
    return {k: v for k, v in body.items() if k not in ("model", "stream", "stream_options")}


@dataclass(frozen=True, slots=True)
class RoutingFigures:
    """What a router does on labeled rows: accuracy (exact tier), quality (at or above the label), shares."""

    accuracy: float
    quality: float
    frontier_share: float
    cost_per_request: float

    def line(self, name: str) -> str:
        return (
            f"{name:<10} accuracy {self.accuracy:6.1%}  quality {self.quality:6.1%}  "
            f"frontier share {self.frontier_share:6.1%}  cost ${self.cost_per_request * 1000:.4f} per 1k"
        )


def figures(chosen: Sequence[int], labels: Sequence[int], costs: Sequence[Sequence[float]], top: int) -> RoutingFigures:
    n = max(len(chosen), 1)
    return RoutingFigures(
        accuracy=sum(c == label for c, label in zip(chosen, labels, strict=True)) / n,
        quality=sum(c >= label for c, label in zip(chosen, labels, strict=True)) / n,
        frontier_share=sum(c == top for c in chosen) / n,
        cost_per_request=sum(costs[i][c] for i, c in enumerate(chosen)) / n,
    )
