"""Corpus difficulty -> a deployment's tier (routing.learned.labels), and the evaluation's pure parts."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.router_folds import best_length_cut, family_folds, random_router, route_scores
from server.routing.learned.labels import check_label_map, default_label_map, row_label

TIERS = ["tier-1", "tier-2", "frontier"]


def test_the_default_map_sends_each_difficulty_to_its_tier() -> None:
    assert default_label_map(TIERS) == {"simple": "tier-1", "medium": "tier-2", "complex": "frontier"}
    assert default_label_map(["small", "big"]) == {"simple": "small", "medium": "big", "complex": "big"}


def test_a_family_entry_wins_over_its_difficulty_and_measured_rows_keep_their_label() -> None:
    mapping = {"simple": "tier-1", "medium": "tier-2", "complex": "frontier", "complex/code": "tier-2"}
    assert row_label({"difficulty": "complex", "family": "code", "label": "frontier"}, mapping) == "tier-2"
    assert row_label({"difficulty": "complex", "family": "legal", "label": "frontier"}, mapping) == "frontier"
    measured = {"difficulty": "complex", "family": "code", "label": "tier-1", "label_source": "measured"}
    assert row_label(measured, mapping) == "tier-1"
    assert row_label({"label": "tier-2"}, mapping) == "tier-2"  # no difficulty: the row's own label


@pytest.mark.parametrize(("mapping", "says"), [({"hard": "tier-1"}, "difficulty"), ({"simple": "gpu"}, "gpu")])
def test_a_wrong_map_is_refused_with_the_reason(mapping: dict[str, str], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        check_label_map(mapping, TIERS)


def test_folds_keep_families_whole_and_balance_rows() -> None:
    families = ["a"] * 50 + ["b"] * 30 + ["c"] * 30 + ["d"] * 20 + ["e"] * 10
    assignment = family_folds(families, 2)
    assert set(assignment) == set("abcde")
    sizes = [sum(1 for f in families if assignment[f] == k) for k in range(2)]
    assert sorted(sizes) == [70, 70]
    assert family_folds(families, 2) == assignment  # stable


def test_simple_vs_complex_leaves_medium_rows_out() -> None:
    labels = np.array([0, 0, 1, 2, 2])
    chosen = np.array([0, 1, 0, 2, 0])
    clear = np.array([True, True, False, True, True])
    scores = route_scores(chosen, labels, clear, TIERS)
    assert scores["simple_vs_complex"] == 0.5 and scores["clear_rows"] == 4
    assert scores["accuracy"] == 0.4 and scores["confusion"]["tier-2"]["tier-1"] == 1


def test_the_length_cut_is_the_best_in_hindsight() -> None:
    cut = best_length_cut([10, 20, 30, 400, 500], np.array([0, 0, 2, 2, 2]))
    assert cut["simple_vs_complex"] == 1.0 and cut["max_chars_for_cheapest"] == 20


def test_a_random_router_with_the_same_split_scores_by_the_shares() -> None:
    scores = random_router(np.array([0, 0, 2, 2]), np.array([0, 2, 2, 2]), 3)
    # half routed to tier-1 at random, a quarter labelled simple: 0.5*0.25 + 0.5*0.75
    assert scores["simple_vs_complex"] == pytest.approx(0.5)
