"""Pure parts of the learned router: request vectors, hashing, thresholds and their calibration."""

from __future__ import annotations

import numpy as np
import pytest

from server.routing.features import CUE_SCAN_CHARS, extract_features
from server.routing.learned.thresholds import (
    CalibrationError,
    adequacy,
    calibrate,
    choose_index,
    choose_many,
    evaluate,
)
from server.routing.learned.vectors import NUMERIC_FEATURES, hash_text, numeric_vector


def _body(text: str, **extra: object) -> dict[str, object]:
    return {"model": "auto", "messages": [{"role": "user", "content": text}], **extra}


def test_numeric_vector_has_one_value_per_named_feature() -> None:
    features = extract_features(_body("Prove step by step that 2 + 2 = 4", tools=[{"type": "function"}]))
    vector = numeric_vector(features)
    assert vector.shape == (len(NUMERIC_FEATURES),)
    named = dict(zip(NUMERIC_FEATURES, vector.tolist(), strict=True))
    assert named["has_tools"] == 1.0
    assert named["log_multi_step_cues"] > 0
    assert named["latin_script"] == 1.0


def test_hash_text_is_stable_sorted_and_counts_repeats() -> None:
    ids, weights = hash_text("the cat and the cat", 1024)
    again, _ = hash_text("the cat and the cat", 1024)
    assert ids.tolist() == again.tolist() == sorted(set(ids.tolist()))
    assert ids.max() < 1024
    # "the", "cat" and "the cat" occur twice: weight 1 + log 2; the others once: 1.
    np.testing.assert_allclose(sorted(weights.tolist()), [1.0] * 3 + [1 + np.log(2)] * 3, rtol=1e-6)


def test_hash_text_handles_empty_odd_and_huge_text() -> None:
    assert len(hash_text("", 64)[0]) == 0
    assert len(hash_text("   \n\t ", 64)[0]) == 0
    assert len(hash_text("日本語のテキスト 🙂 مرحبا", 64)[0]) > 0
    head = "word " * (CUE_SCAN_CHARS // 5)
    ids, weights = hash_text(head + "zebra " * 1_000_000, 1 << 16)
    assert len(ids) == 2  # "word" and "word word": bounded, only the head is read
    head_ids, head_weights = hash_text(head, 1 << 16)
    assert ids.tolist() == head_ids.tolist() and weights.tolist() == head_weights.tolist()


def test_routing_text_is_system_head_and_last_user_turn() -> None:
    body = {
        "messages": [
            {"role": "system", "content": "S" * 2000},
            {"role": "user", "content": "first question"},
            {"role": "assistant", "content": "an answer"},
            {"role": "user", "content": [{"type": "text", "text": "the real question"}, {"type": "image_url"}]},
        ]
    }
    text = extract_features(body).routing_text
    assert text.startswith("S" * 500 + "\n")
    assert text.endswith("the real question")
    assert "first question" not in text
    assert extract_features({"messages": []}).routing_text == ""
    assert extract_features({"prompt": "plain completion"}).routing_text == "plain completion"


def test_adequacy_is_cumulative_and_choose_picks_the_cheapest_adequate_tier() -> None:
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]])
    adequate = adequacy(probabilities)
    np.testing.assert_allclose(adequate[:, -1], 1.0)
    np.testing.assert_allclose(adequate[2], [0.3, 0.7, 1.0])
    assert [choose_index(row, [0.5, 0.5]) for row in adequate.tolist()] == [0, 2, 1]
    assert choose_many(adequate, [0.5, 0.5]).tolist() == [0, 2, 1]
    assert choose_many(adequate, [1.01, 1.01]).tolist() == [2, 2, 2]  # "never" thresholds
    assert choose_many(adequate, [0.0, 0.0]).tolist() == [0, 0, 0]


def _calibration_set(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A noisy but informative model: probabilities lean towards the true label."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, size=n)
    logits = rng.normal(size=(n, 3))
    logits[np.arange(n), labels] += 2.0
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    costs = np.tile([0.0001, 0.0004, 0.01], (n, 1))
    return adequacy(probabilities), labels, costs


def test_calibrate_respects_a_frontier_share_target_and_maximises_quality() -> None:
    adequate, labels, costs = _calibration_set()
    outcome = calibrate(adequate, labels, costs, target_top_share=0.2)
    assert outcome.share[-1] <= 0.2
    # Nothing on the grid with the same share bound is better.
    for t1 in np.linspace(0, 1, 11):
        for t2 in np.linspace(0, 1, 11):
            other = evaluate(adequate, labels, [t1, t2], costs)
            if other.share[-1] <= 0.2:
                assert other.quality <= outcome.quality + 1e-9


def test_calibrate_meets_a_quality_target_at_the_lowest_cost() -> None:
    adequate, labels, costs = _calibration_set()
    outcome = calibrate(adequate, labels, costs, target_quality=0.9)
    assert outcome.quality >= 0.9
    always_top = evaluate(adequate, labels, [1.01, 1.01], costs)
    assert always_top.quality == 1.0
    assert outcome.cost_per_request < always_top.cost_per_request
    tighter = calibrate(adequate, labels, costs, target_quality=0.97)
    assert tighter.cost_per_request >= outcome.cost_per_request
    assert tighter.share[-1] >= outcome.share[-1]


def test_calibrate_rejects_bad_requests() -> None:
    adequate, labels, costs = _calibration_set(20)
    with pytest.raises(CalibrationError, match="exactly one target"):
        calibrate(adequate, labels, costs)
    with pytest.raises(CalibrationError, match="exactly one target"):
        calibrate(adequate, labels, costs, target_top_share=0.2, target_quality=0.9)
    with pytest.raises(CalibrationError, match="empty"):
        calibrate(adequate[:0], labels[:0], costs[:0], target_quality=0.9)
