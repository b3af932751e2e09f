"""The router's starter set: the committed JSONL and the builder's pure helpers.

No source packages and no network: the file is read as committed, the helpers run on
small inputs.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.router_data import (
    DEFAULT_SEED,
    DIFFICULTY_TO_LABEL,
    LABEL_SOURCES,
    SPLITS,
    Candidate,
    assign_split,
    difficulty_for,
    make_row,
    normalise_messages,
    pick,
    prompt_key,
)

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "router_starter.jsonl"
KEYS = ["id", "source", "task", "difficulty", "label", "label_source", "split", "messages"]
SPLIT_NAMES = {s for s, _ in SPLITS}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def test_every_row_has_the_schema(rows: list[dict[str, Any]]) -> None:
    assert 2500 <= len(rows) <= 3500
    for r in rows:
        assert list(r) == KEYS, r["id"]
        assert all(isinstance(r[k], str) and r[k] for k in KEYS[:-1]), r["id"]
        assert r["id"].startswith(r["source"] + "/")
        assert r["difficulty"] in DIFFICULTY_TO_LABEL and r["split"] in SPLIT_NAMES
        assert r["label_source"] in LABEL_SOURCES
        assert r["messages"] and all(
            list(m) == ["role", "content"]
            and m["role"] in ("system", "user", "assistant")
            and isinstance(m["content"], str)
            and m["content"].strip()
            for m in r["messages"]
        ), r["id"]
        assert r["messages"][-1]["role"] == "user", r["id"]


def test_labels_follow_difficulty(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        assert r["label"] == DIFFICULTY_TO_LABEL[r["difficulty"]], r["id"]
        assert r["label_source"] == "task-type"  # until the benchmark harness measures them


def test_every_class_is_in_every_split_and_roughly_balanced(rows: list[dict[str, Any]]) -> None:
    cells = Counter((r["difficulty"], r["split"]) for r in rows)
    assert {(d, s) for d in DIFFICULTY_TO_LABEL for s in SPLIT_NAMES} <= set(cells)
    per_class = Counter(r["difficulty"] for r in rows)
    assert max(per_class.values()) < 1.3 * min(per_class.values())
    per_split = Counter(r["split"] for r in rows)
    assert 0.65 < per_split["train"] / len(rows) < 0.75
    # No single source dominates the set.
    assert max(Counter(r["source"] for r in rows).values()) < 0.12 * len(rows)


def test_no_duplicate_ids_or_prompts(rows: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    keys = Counter(prompt_key([(m["role"], m["content"]) for m in r["messages"]]) for r in rows)
    assert max(keys.values()) == 1


def test_file_is_sorted_and_split_matches_the_hash(rows: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert all(r["split"] == assign_split(r["id"], DEFAULT_SEED) for r in rows)


def test_assign_split_is_deterministic_and_proportional() -> None:
    ids = [f"src/{i:04d}" for i in range(4000)]
    first = [assign_split(i, 7) for i in ids]
    assert first == [assign_split(i, 7) for i in ids]
    share = Counter(first)
    assert 0.67 < share["train"] / 4000 < 0.73
    assert 0.12 < share["calibration"] / 4000 < 0.18 and 0.12 < share["heldout"] / 4000 < 0.18
    assert first != [assign_split(i, 8) for i in ids]  # the seed matters


def test_normalise_messages() -> None:
    few_shot = [
        {"role": "system", "content": "Answer Yes or No."},
        {"role": "system", "name": "example_user", "content": "Is 2 > 1?"},
        {"role": "system", "name": "example_assistant", "content": "Yes"},
        {"role": "user", "content": "Is 1 > 2?", "extra": 1},
    ]
    assert normalise_messages(few_shot) == (
        ("system", "Answer Yes or No."),
        ("user", "Is 2 > 1?"),
        ("assistant", "Yes"),
        ("user", "Is 1 > 2?"),
    )
    # A task given only as system messages is what the user asks.
    assert normalise_messages([{"role": "system", "content": "a"}, {"role": "system", "content": "b"}]) == (
        ("system", "a"),
        ("user", "b"),
    )
    assert normalise_messages([{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]) is None
    assert normalise_messages([{"role": "user", "content": "  "}]) is None
    assert normalise_messages([{"role": "tool", "content": "x"}]) is None
    assert normalise_messages("not a list") is None and normalise_messages([]) is None


def test_prompt_key_folds_case_and_whitespace_but_keeps_roles() -> None:
    assert prompt_key([("user", "Hello   World\n")]) == prompt_key([("user", "hello world")])
    assert prompt_key([("system", "hello")]) != prompt_key([("user", "hello")])


def _cand(i: int, text: str, difficulty: Any = "simple") -> Candidate:
    return Candidate("evals/x", f"{i:04d}", "classification", difficulty, (("user", text),))


def test_make_row_maps_difficulty_and_accepts_measured_labels() -> None:
    row = make_row(_cand(1, "hi", "medium"), seed=1)
    assert (row.id, row.label, row.difficulty, row.label_source) == ("evals/x/0001", "tier-2", "medium", "task-type")
    measured = make_row(_cand(1, "hi", "medium"), seed=1, label_source="measured", label="tier-1")
    assert (measured.label, measured.difficulty, measured.split) == ("tier-1", "simple", row.split)
    assert json.loads(row.to_json())["messages"] == [{"role": "user", "content": "hi"}]
    assert list(json.loads(row.to_json())) == KEYS
    assert all(difficulty_for(label) == d for d, label in DIFFICULTY_TO_LABEL.items())
    with pytest.raises(ValueError):
        make_row(_cand(1, "hi"), seed=1, label_source="guessed")


def test_pick_caps_dedupes_and_is_reproducible() -> None:
    cands = [_cand(i, f"prompt {i % 7}") for i in range(20)] + [_cand(99, "x" * 9000)]
    seen: set[str] = set()
    dropped: Counter[str] = Counter()
    chosen = pick(cands, 5, 3, seen, dropped)
    assert len(chosen) == 5 and len({prompt_key(c.messages) for c in chosen}) == 5
    again = pick(list(reversed(cands)), 5, 3, set(), Counter())
    assert [c.id for c in again] == [c.id for c in chosen]  # input order does not matter
    everything = pick(cands, None, 3, set(), dropped)
    assert len(everything) == 7 and dropped["too-long"] == 1
    assert pick(cands, None, 3, seen | {prompt_key(c.messages) for c in everything}, Counter()) == []
