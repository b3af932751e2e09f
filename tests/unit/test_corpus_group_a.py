"""Group A's generated families and the corpus builder: determinism, coverage, valid rows, and that
length does not give the label away."""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.corpus import build
from benchmarks.corpus.families import group_a
from benchmarks.corpus.spec import DIFFICULTIES, LANGUAGES, ROLES, Draft, Family
from benchmarks.router_data import prompt_key

NAMES = (
    "extraction",
    "formatting",
    "classification",
    "translation",
    "summarization",
    "factual-qa",
    "rewriting",
    "customer-support",
    "scheduling",
    "hr",
    "sql",
    "conversation",
)


def _drafts(family: Family, seed: str = "20261203") -> list[Draft]:
    return list(family.generate(random.Random(f"{seed}:{family.name}")))


@pytest.fixture(scope="module")
def generated() -> dict[str, list[Draft]]:
    return {f.name: _drafts(f) for f in group_a.FAMILIES}


def _chars(d: Draft) -> int:
    return sum(len(c) for _, c in d.messages)


def test_the_group_lists_only_the_assigned_families_once() -> None:
    names = [f.name for f in group_a.FAMILIES]
    assert len(names) == len(set(names))
    assert set(names) <= set(NAMES)


def test_same_seed_same_drafts_and_another_seed_other_drafts() -> None:
    for family in group_a.FAMILIES[:3]:
        assert _drafts(family) == _drafts(family)
        assert _drafts(family) != _drafts(family, seed="1")


def test_every_family_covers_every_language_and_both_ends(generated: dict[str, list[Draft]]) -> None:
    for name, drafts in generated.items():
        cells = Counter((d.difficulty, d.language) for d in drafts)
        for lang in LANGUAGES:
            for difficulty in ("simple", "complex"):
                assert cells[(difficulty, lang)] >= 3, (name, difficulty, lang)
        english = sum(1 for d in drafts if d.language == "en") / len(drafts)
        assert 0.33 <= english <= 0.47, (name, english)
        assert 120 <= len(drafts) <= 300, (name, len(drafts))


def test_each_family_difficulty_and_language_has_five_phrasings(generated: dict[str, list[Draft]]) -> None:
    for name, drafts in generated.items():
        templates: dict[tuple[str, str], set[str]] = {}
        for d in drafts:
            templates.setdefault((d.difficulty, d.language), set()).add(d.template)
        for cell, seen in templates.items():
            assert len(seen) >= 5, (name, cell, seen)


def test_drafts_are_valid_and_texts_unique_after_the_builder_folds_them(generated: dict[str, list[Draft]]) -> None:
    for name, drafts in generated.items():
        family = next(f for f in group_a.FAMILIES if f.name == name)
        for d in drafts:
            build.validate(d, family)
            assert d.difficulty in DIFFICULTIES and all(r in ROLES for r, _ in d.messages)
            assert "{" not in d.messages[-1][1].replace("{}", "") or name == "sql", d.template  # unfilled slot
        keys = [prompt_key(d.messages) for d in drafts]
        assert len(set(keys)) >= 0.95 * len(keys), name  # the builder drops the few repeats


def test_length_is_not_the_label(generated: dict[str, list[Draft]]) -> None:
    """Simple rows with a pasted payload are as long as a complex request; many complex rows are short."""
    for name, drafts in generated.items():
        simple = [_chars(d) for d in drafts if d.difficulty == "simple"]
        complex_ = [_chars(d) for d in drafts if d.difficulty == "complex"]
        long_simple = [n for n in simple if n >= 600]
        short_complex = [n for n in complex_ if n <= 400]
        assert len(long_simple) >= 0.25 * len(simple), name
        assert len(short_complex) >= 0.2 * len(complex_), name
        assert statistics.median(long_simple) > statistics.median(short_complex), name


def test_builder_rows_have_stable_ids_labels_and_are_byte_identical(tmp_path: Path) -> None:
    families = group_a.FAMILIES[:2]
    first = build.encode(build.build(families, 7, None).rows)
    again = build.encode(build.build(families, 7, None).rows)
    assert first == again
    rows = [json.loads(line) for line in first.decode().splitlines()]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    row = rows[0]
    assert row["source"] == "generated" and row["label_source"] == "task-type"
    assert row["id"].startswith(f"gen/{row['family']}/{row['language']}/")
    assert {"simple": "tier-1", "medium": "tier-2", "complex": "frontier"}[row["difficulty"]] == row["label"]
    assert row["split"] in ("train", "calibration", "heldout")
    # An id depends on its own text only: building one family alone gives that family the same ids.
    alone = build.build(families[:1], 7, None).rows
    assert {r["id"] for r in alone} <= {r["id"] for r in rows}


def test_builder_merges_benchmark_rows_and_refuses_bad_drafts(tmp_path: Path) -> None:
    bench = tmp_path / "bench.jsonl"
    row = {
        "id": "gsm8k/0001",
        "source": "gsm8k",
        "task": "math",
        "difficulty": "complex",
        "label": "frontier",
        "label_source": "task-type",
        "split": "train",
        "messages": [{"role": "user", "content": "2+2?"}],
    }
    bench.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    built = build.build(group_a.FAMILIES[:1], 7, bench)
    assert built.benchmark_rows == 1 and built.duplicates["gsm8k"] == 1
    family = group_a.FAMILIES[0]
    bad = Draft(family.name, "t", "simple", "it", "t/0", (("user", "ciao"),))
    with pytest.raises(build.InvalidDraft, match="language"):
        build.validate(bad, family)
    with pytest.raises(build.InvalidDraft, match="last message"):
        build.validate(Draft(family.name, "t", "simple", "en", "t/0", (("user", "x"), ("assistant", "y"))), family)


def test_the_command_builds_without_the_benchmark_file_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus.jsonl"
    assert build.main(["--out", str(out), "--benchmarks", str(tmp_path / "absent.jsonl"), "--families", "sql"]) == 0
    printed = capsys.readouterr().out
    assert "is absent" in printed and "sql" in printed and "median" in printed
    families = {json.loads(line)["family"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert families == {"sql"}
    with pytest.raises(SystemExit, match="unknown families"):
        build.main(["--out", str(out), "--families", "no-such-family"])
