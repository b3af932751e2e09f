"""Dataset loaders of the quality harness, on the real pinned packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.quality import datasets
from benchmarks.quality.datasets import DatasetError, DatasetSpec, parse_specs


def test_specs_parse_kinds_counts_and_jsonl_paths() -> None:
    specs = parse_specs("gsm8k@60, humaneval,mtbench@5,evals:born-first@20,jsonl:data/a.jsonl,b/traffic.jsonl@3")
    assert specs == [
        DatasetSpec("gsm8k", "gsm8k", None, 60),
        DatasetSpec("humaneval", "humaneval", None, None),
        DatasetSpec("mtbench", "mtbench", None, 5),
        DatasetSpec("evals:born-first", "evals", "born-first", 20),
        DatasetSpec("jsonl:a", "jsonl", "data/a.jsonl", None),
        DatasetSpec("jsonl:traffic", "jsonl", "b/traffic.jsonl", 3),
    ]


@pytest.mark.parametrize("bad", ["mmlu", "gsm8k@0", "gsm8k@x", "evals:", "gsm8k,gsm8k", ""])
def test_bad_specs_are_rejected(bad: str) -> None:
    with pytest.raises(DatasetError):
        parse_specs(bad)


def test_gsm8k_items_carry_the_number_after_the_marks() -> None:
    items = datasets.load_gsm8k()
    assert len(items) == 1319
    assert items[0].item_id == "0000" and items[0].scorer == "gsm8k"
    assert all(i.reference and i.reference.lstrip("-").replace(".", "").isdigit() for i in items)
    assert datasets.gsm8k_answer("so 2 + 3 = 5\n#### 1,234") == "1234"


def test_humaneval_items_carry_tests_and_a_runnable_reference() -> None:
    items = datasets.load_humaneval()
    assert len(items) == 164
    first = items[0]
    assert first.item_id == "0000" and first.scorer == "humaneval"
    assert set(first.meta) >= {"prompt", "test", "entry_point"}
    assert first.reference is not None and first.reference.startswith(first.meta["prompt"])


def test_mtbench_is_first_turn_only_with_30_references() -> None:
    items = datasets.load_mtbench()
    assert len(items) == 80 and all(len(i.messages) == 1 for i in items)
    assert sum(i.reference is not None for i in items) == 30
    assert {i.category for i in items} >= {"writing", "math", "coding", "reasoning"}


def test_evals_set_by_starter_or_registry_name_with_its_match_kind() -> None:
    # `sort-numeric` is the router starter set's name for the registry's `sort-numbers`.
    by_starter = datasets.load_evals("sort-numeric")
    by_registry = datasets.load_evals("sort-numbers")
    assert by_starter and [i.reference for i in by_starter] == [i.reference for i in by_registry]
    assert all(i.meta["match"] == "match" and i.scorer == "evals-match" for i in by_starter)
    assert by_starter[0].messages[-1]["role"] == "user"
    assert not by_starter[0].meta["ignore_case"]
    # An Includes eval that says `ignore_case: true` in its registry spec keeps it for the scorer.
    bias = datasets.load_evals("bias_detection")
    assert bias and all(i.meta["match"] == "includes" and i.meta["ignore_case"] for i in bias)
    with pytest.raises(DatasetError, match="evals:no-such-set"):
        datasets.load_evals("no-such-set")


def test_sample_is_deterministic_stable_and_in_id_order() -> None:
    spec = parse_specs("gsm8k")[0]
    items = datasets.load(spec)
    first = datasets.sample_items(items, 25, seed=7)
    assert [i.item_id for i in first] == [i.item_id for i in datasets.sample_items(list(reversed(items)), 25, seed=7)]
    assert [i.item_id for i in first] == sorted(i.item_id for i in first)
    assert [i.item_id for i in first] != [i.item_id for i in datasets.sample_items(items, 25, seed=8)]
    assert len(datasets.sample_items(items, 5000, seed=7)) == len(items)


def test_reference_mode_keeps_only_items_with_answers() -> None:
    items = datasets.load_all(parse_specs("mtbench"), None, 1, require_reference=True)
    assert len(items) == 30


def test_user_jsonl_rows(tmp_path: Path) -> None:
    path = tmp_path / "traffic.jsonl"
    rows = [
        {"messages": [{"role": "user", "content": "hi"}], "reference": "hello", "id": "a", "category": "chat"},
        {"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "2+2?"}]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    items = datasets.load(parse_specs(str(path))[0])
    assert [(i.dataset, i.item_id, i.category, i.reference) for i in items] == [
        ("jsonl:traffic", "00002", "jsonl", None),
        ("jsonl:traffic", "a", "chat", "hello"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"messages": []}', "non-empty list"),
        ('{"messages": [{"role": "robot", "content": "x"}]}', "messages\\[0\\] needs a role"),
        ('{"messages": [{"role": "user", "content": ""}]}', "content must be non-empty"),
        ('{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}', "last message"),
        ('{"messages": [{"role": "user", "content": "q"}], "reference": 3}', "reference"),
    ],
)
def test_bad_jsonl_rows_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "fine"}]}\n' + line + "\n")
    with pytest.raises(DatasetError, match=f"{path}:2: .*{message}"):
        datasets.load_jsonl(path, "jsonl:bad")


def test_repeated_ids_in_jsonl_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    row = json.dumps({"id": "x", "messages": [{"role": "user", "content": "q"}]})
    path.write_text(f"{row}\n{row}\n")
    with pytest.raises(DatasetError, match=":2: id 'x' repeats"):
        datasets.load_jsonl(path, "jsonl:dup")
