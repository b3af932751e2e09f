"""Exact-family scorers on users' short-answer rows: final-answer extraction, normalisation, per-row scorer
fields, and the replay figures they feed (the oracle savings share, random at the learned router's split)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.quality.agreement import compare
from benchmarks.quality.matrix import build_matrix
from benchmarks.quality.model import BenchItem, Score, ScoredOutcome
from benchmarks.quality.replay import replay
from benchmarks.quality.router_eval import Evaluator
from benchmarks.quality.scorers.answers import contains_answer, final_answer, normalize_answer
from benchmarks.quality.scorers.exact import ChoiceScorer, ExactScorer, IncludesScorer, NumericScorer
from benchmarks.quality.user_jsonl import DatasetError, default_scorer, load_jsonl
from server.cli import main

SHORT_ANSWERS = Path(__file__).parents[2] / "benchmarks" / "data" / "quality" / "short_answers.jsonl"


def _row(reference: str, scorer: str, **meta: object) -> BenchItem:
    return BenchItem("jsonl:t", "1", "c", ({"role": "user", "content": "q"},), reference, scorer, dict(meta))


async def _value(scorer: object, item: BenchItem, output: str) -> float:
    score: Score = await scorer.score(item, output, None)  # type: ignore[attr-defined]
    assert score.valid, score.detail
    return score.value


@pytest.mark.parametrize(
    ("output", "reference", "right"),
    [
        ("4 + 9 = 13", "13", True),
        ("486 + 141 = 627", "672", False),  # embedding similarity cannot tell these apart; numbers can
        ("627", "672", False),
        ("13.", "13", True),
        ("The total is 1,000.", "1000", True),
        ("1000", "1,000", True),
        ("18.00", "18", True),
        ("The answer is 627 (486 + 141).", "627", True),  # the stated answer, not the last number
        ("Die Antwort ist 13.", "13", True),
        ("答案是 13。", "13", True),
        ("答えは１３です。", "13", True),  # full-width digits
        ("There are 130 of them.", "13", False),
        ("I cannot compute that.", "13", False),
    ],
)
async def test_numeric_reads_the_final_number(output: str, reference: str, right: bool) -> None:
    assert await _value(NumericScorer(), _row(reference, "numeric"), output) == float(right)


async def test_numeric_tolerance_comes_from_the_row() -> None:
    assert await _value(NumericScorer(), _row("3.14", "numeric", tolerance=0.01), "pi is about 3.1416") == 1.0
    assert await _value(NumericScorer(), _row("3.14", "numeric"), "pi is about 3.1416") == 0.0


@pytest.mark.parametrize(
    ("output", "reference", "right"),
    [
        ("The answer is **B**.", "B", True),
        ("Let me think.\nParis is in France.\nAnswer: Paris", "Paris", True),
        ("paris!", "Paris", True),
        ("  New   York. ", "new york", True),
        ("Antwort: Berlin", "Berlin", True),
        ("The capital of France is Paris.", "Paris", False),  # exact wants the answer alone; includes does not
        ("Answer: Lyon", "Paris", False),
    ],
)
async def test_exact_compares_the_extracted_final_answer(output: str, reference: str, right: bool) -> None:
    assert await _value(ExactScorer(), _row(reference, "exact"), output) == float(right)


def test_extraction_and_normalisation() -> None:
    assert final_answer("4 + 9 = 13") == "13"
    assert final_answer("Working...\nThe answer is **B**.") == "B."
    assert normalize_answer("  The **Answer**,  here! ") == "the answer here"
    assert normalize_answer("「東京」。") == "東京"


@pytest.mark.parametrize(
    ("output", "reference", "right"),
    [
        ("The capital of France is Paris.", "Paris", True),
        ("法国的首都是巴黎。", "巴黎", True),
        ("Die Hauptstadt von Italien ist Rom.", "Rom", True),
        ("Die Hauptstadt ist Romanshorn.", "Rom", False),  # whole words only
        ("It is 130.", "13", False),
    ],
)
async def test_includes_finds_whole_words(output: str, reference: str, right: bool) -> None:
    assert await _value(IncludesScorer(), _row(reference, "includes"), output) == float(right)
    assert contains_answer(output, reference) is right


PLANETS = ["A) Venus", "B) Mars", "C) Jupiter", "D) Saturn"]


@pytest.mark.parametrize(
    ("output", "right"),
    [
        ("The answer is B", True),
        ("B", True),
        ("(B)", True),
        ("B) Mars", True),
        ("Mars is known as the Red Planet.", True),
        ("Die Antwort ist B.", True),
        ("答案\uff1aB", True),  # a full-width colon
        ("A) Venus", False),
        ("It could be Mars or Jupiter.", False),  # two options named: none picked
        ("I don't know.", False),
    ],
)
async def test_choice_matches_a_letter_or_an_option_text(output: str, right: bool) -> None:
    assert await _value(ChoiceScorer(), _row("B", "choice", choices=PLANETS), output) == float(right)


async def test_choice_with_plain_options_and_a_text_reference() -> None:
    row = _row("negative", "choice", choices=["positive", "negative"])
    assert await _value(ChoiceScorer(), row, "The review is negative.") == 1.0
    assert await _value(ChoiceScorer(), row, "Positive") == 0.0
    # The label wins over a text that names another option: "C) Plomo" picks C.
    metals = _row("C", "choice", choices=["A) Hierro", "B) Litio", "C) Oro", "D) Plomo"])
    assert await _value(ChoiceScorer(), metals, "C) Plomo") == 1.0


def _write(tmp_path: Path, *rows: dict[str, object]) -> Path:
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _ask(**extra: object) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": "q"}], **extra}


def test_rows_carry_their_scorer_and_short_references_default_to_exact(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _ask(reference="13"),
        _ask(reference="Paris"),
        _ask(reference="a long reference answer of many more than five words"),
        _ask(),
        _ask(reference="B", scorer="choice", choices=PLANETS),
        _ask(reference="2.5", scorer="numeric", tolerance=0.1),
    )
    items = load_jsonl(path, "jsonl:mine")
    assert [i.scorer for i in items] == ["numeric", "exact", "similarity", "similarity", "choice", "numeric"]
    assert items[4].meta["choices"] == PLANETS and items[5].meta["tolerance"] == 0.1
    assert default_scorer("1,000") == "numeric" and default_scorer("one two three four five") == "exact"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_ask(reference="x", scorer="fuzzy"), "unknown scorer 'fuzzy'; use one of exact, includes, numeric"),
        (_ask(reference="B", scorer="choice"), "scorer 'choice' needs `choices`"),
        (_ask(scorer="exact"), "scorer 'exact' needs a `reference`"),
        (_ask(reference="many", scorer="numeric"), "needs a reference that is a number"),
        (_ask(reference="Paris", tolerance=1), "`tolerance` must be a number >= 0"),
    ],
)
def test_bad_scorer_fields_name_the_line(tmp_path: Path, row: dict[str, object], message: str) -> None:
    path = _write(tmp_path, _ask(reference="1"), row)
    with pytest.raises(DatasetError, match=f"{path}:2: ") as info:
        load_jsonl(path, "jsonl:mine")
    assert message in str(info.value)


def test_an_unknown_scorer_is_a_clear_cli_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _ask(reference="x", scorer="fuzzy"))
    args = ["bench", "quality", "--datasets", f"jsonl:{path}", "--reference-mode", "--out", str(tmp_path / "o")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "unknown scorer 'fuzzy'" in err and "Traceback" not in err


def test_the_committed_short_answer_set_loads_with_its_scorers() -> None:
    items = load_jsonl(SHORT_ANSWERS, "jsonl:short_answers")
    assert len(items) >= 100
    assert {i.scorer for i in items} == {"numeric", "includes", "choice"}
    assert len({i.category for i in items}) >= 7


# --- replay: the savings share and random at the same split ------------------------------------------------

TIERS = ("tier-1", "tier-2", "frontier")
COSTS = {"tier-1": 1.0, "tier-2": 2.0, "frontier": 10.0}


def _matrix_inputs(qualities: list[tuple[float, float, float]]) -> tuple[list[BenchItem], list[ScoredOutcome]]:
    items, scored = [], []
    for i, row in enumerate(qualities):
        item = BenchItem("s", f"{i:03d}", "c", ({"role": "user", "content": f"question {i}"},))
        items.append(item)
        scored += [ScoredOutcome("s", item.item_id, "c", t, q, COSTS[t]) for t, q in zip(TIERS, row, strict=True)]
    return items, scored


def test_random_at_a_split_is_the_share_weighted_tier_means() -> None:
    # tier-1 right on items 0-1 of 4 (mean 0.5), tier-2 on item 0-2 (0.75), the frontier on all.
    items, scored = _matrix_inputs([(1, 1, 1), (1, 1, 1), (0, 1, 1), (0, 0, 1)])
    ev = Evaluator(build_matrix(items, scored, TIERS))
    # 2 items to tier-1, 1 to tier-2, 1 to the frontier, whichever they are.
    curve = ev.random_at_split("random at split", np.array([0, 2, 1, 0]))
    assert curve.operating_point is not None
    assert curve.operating_point.quality == pytest.approx(0.5 * 0.5 + 0.25 * 0.75 + 0.25 * 1.0)
    assert curve.operating_point.cost == pytest.approx(0.5 * 1 + 0.25 * 2 + 0.25 * 10)
    assert curve.tier_share == {"tier-1": 0.5, "tier-2": 0.25, "frontier": 0.25}


def test_in_replay_the_oracle_saves_100_percent_and_no_router_more() -> None:
    rows = [(1, 1, 1)] * 5 + [(0, 1, 1)] * 5 + [(0, 0, 1)] * 10 + [(0.5, 0.9, 1)] * 4
    items, scored = _matrix_inputs(rows)
    result = replay(items, scored, TIERS, settings=None, seed=1, include_learned=False)
    for router in result.routers:
        for share in router.savings_share.values():
            assert share is None or 0.0 <= share <= 1.0
    assert result.router("oracle").savings_share == {"0.95": 1.0, "0.97": 1.0}


def test_agreement_counts_precision_and_recall_against_the_exact_answers() -> None:
    items = [BenchItem("d", str(i), "c", ({"role": "user", "content": "q"},), "1", "numeric") for i in range(4)]
    exact = {}
    other = {}
    # exact right on items 0 and 1 at tier-1; the other scorer calls 0 and 2 adequate.
    for i, (right, called) in enumerate([(1, 1), (1, 0), (0, 1), (0, 0)]):
        exact[("d", str(i), "tier-1")] = Score(float(right), "numeric")
        exact[("d", str(i), "frontier")] = Score(1.0, "numeric")
        other[("d", str(i), "tier-1")] = Score(0.9 if called else 0.3, "similarity")
        other[("d", str(i), "frontier")] = Score(1.0, "similarity")
    result = compare(items, ("tier-1", "frontier"), exact, other, "similarity", 0.8)
    assert (result.pairs, result.agreement, result.precision, result.recall) == (4, 0.5, 0.5, 0.5)
