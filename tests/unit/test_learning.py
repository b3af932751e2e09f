"""`tierd router learn`'s pure decisions: sampling, the held-out split, and labels from verdicts or feedback."""

from __future__ import annotations

from datetime import UTC, datetime

from server.capture.learning import (
    MeasuredLabel,
    figures,
    label_from_feedback,
    label_from_scores,
    missing_tiers,
    replay_body,
    sample,
    split_heldout,
)
from server.capture.store import CapturedRow

TIERS = ["tier-1", "tier-2", "frontier"]


def _row(request_id: str, endpoint: str = "/chat/completions", answers: dict[str, str] | None = None) -> CapturedRow:
    body = {"model": "auto", "stream": True, "messages": [{"role": "user", "content": request_id}]}
    return CapturedRow(request_id, datetime.now(UTC), endpoint, body, None, "tier-1", "tier-1", answers or {})


def test_the_label_is_the_cheapest_tier_the_judge_calls_adequate() -> None:
    assert label_from_scores(TIERS, {"tier-1": 0.9, "tier-2": 1.0}) == "tier-1"
    assert label_from_scores(TIERS, {"tier-1": 0.7, "tier-2": 0.8}) == "tier-2"
    assert label_from_scores(TIERS, {"tier-1": 0.2, "tier-2": 0.3}) == "frontier"


def test_feedback_keeps_a_liked_tier_and_moves_a_disliked_one_up() -> None:
    assert label_from_feedback(TIERS, "tier-1", 1.0) == "tier-1"
    assert label_from_feedback(TIERS, "tier-1", -1.0) == "tier-2"
    assert label_from_feedback(TIERS, "tier-2", 0.0) == "frontier"
    assert label_from_feedback(TIERS, "frontier", -1.0) == "frontier"


def test_sampling_takes_only_chat_rows_and_is_seeded() -> None:
    rows = [_row(f"r{i}") for i in range(10)] + [_row("c", endpoint="/completions")]
    picked = sample(rows, 5, seed=3)
    assert len(picked) == 5 and all(r.request_id != "c" for r in picked)
    assert [r.request_id for r in picked] == [r.request_id for r in sample(rows, 5, seed=3)]
    assert len(sample(rows, 50, seed=3)) == 10


def test_the_held_out_slice_is_disjoint_and_never_empties_training() -> None:
    labels = [MeasuredLabel(str(i), {}, "tier-1", {}) for i in range(8)]
    train, held = split_heldout(labels, 0.25, seed=1)
    assert len(held) == 2 and not set(train) & set(held) and sorted(train + held) == list(range(8))
    train, held = split_heldout(labels[:2], 0.9, seed=1)
    assert len(train) == 1 and len(held) == 1


def test_missing_cheap_answers_and_the_body_a_tier_is_asked_again() -> None:
    row = _row("x", answers={"tier-1": "a", "frontier": "b"})
    assert missing_tiers(row, TIERS) == ["tier-2"]
    assert replay_body(row.body) == {"messages": row.body["messages"]}


def test_figures_count_accuracy_quality_frontier_share_and_cost() -> None:
    costs = [[0.0, 0.0, 1.0]] * 4
    result = figures([0, 2, 1, 0], [0, 1, 1, 2], costs, top=2)
    assert (result.accuracy, result.quality, result.frontier_share, result.cost_per_request) == (0.5, 0.75, 0.25, 0.25)
