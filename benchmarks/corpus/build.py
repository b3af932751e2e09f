"""Build the router's labelled corpus: every generated family, plus benchmark-derived rows.

    python -m benchmarks.corpus.build --out benchmarks/data/router_corpus.jsonl [--seed 20261203]
        [--benchmarks benchmarks/data/router_benchmarks.jsonl] [--families a,b]

Each family of `benchmarks.corpus.families.FAMILIES` runs with its own `random.Random(f"{seed}:{name}")`,
so adding, removing or changing one family never changes another's rows. Drafts are validated, duplicates
(same text, case and whitespace folded) are dropped, and each row's id is a hash of its own text only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus.families import FAMILIES
from benchmarks.corpus.spec import DIFFICULTIES, LANGUAGES, ROLES, Draft, Family
from benchmarks.router_data import DIFFICULTY_TO_LABEL, JSONL_DUMPS, assign_split, prompt_key

DEFAULT_SEED = 20261203
DEFAULT_OUT = Path(__file__).parents[1] / "data" / "router_corpus.jsonl"
DEFAULT_BENCHMARKS = Path(__file__).parents[1] / "data" / "router_benchmarks.jsonl"


class InvalidDraft(ValueError):
    """A family produced a request the corpus cannot hold; the message names the family and the fault."""


def validate(draft: Draft, family: Family) -> None:
    def fail(why: str) -> None:
        raise InvalidDraft(f"family {family.name!r}, template {draft.template!r}: {why}")

    if draft.family != family.name:
        fail(f"draft names family {draft.family!r}")
    if draft.language not in LANGUAGES:
        fail(f"language {draft.language!r} not in {LANGUAGES}")
    if draft.difficulty not in DIFFICULTIES:
        fail(f"difficulty {draft.difficulty!r} not in {DIFFICULTIES}")
    if not draft.task or not draft.template:
        fail("empty task or template")
    if not draft.messages:
        fail("no messages")
    for role, content in draft.messages:
        if role not in ROLES:
            fail(f"role {role!r} not in {ROLES}")
        if not isinstance(content, str) or not content.strip():
            fail("empty message")
    if draft.messages[-1][0] != "user":
        fail("the last message is not the user's")


def row_id(draft: Draft) -> str:
    digest = hashlib.sha256(prompt_key(draft.messages).encode("utf-8")).hexdigest()
    return f"gen/{draft.family}/{draft.language}/{digest[:10]}"


def draft_row(draft: Draft, seed: int) -> dict[str, Any]:
    rid = row_id(draft)
    return {
        "id": rid,
        "source": "generated",
        "family": draft.family,
        "task": draft.task,
        "difficulty": draft.difficulty,
        "label": DIFFICULTY_TO_LABEL[draft.difficulty],
        "label_source": "task-type",
        "language": draft.language,
        "template": draft.template,
        "split": assign_split(rid, seed),
        "messages": [{"role": r, "content": c} for r, c in draft.messages],
    }


@dataclass
class Built:
    rows: list[dict[str, Any]] = field(default_factory=list)
    duplicates: Counter[str] = field(default_factory=Counter)  # per family
    benchmark_rows: int = 0


def generated_rows(families: Iterable[Family], seed: int, built: Built, seen: set[str]) -> None:
    for family in families:
        for draft in family.generate(random.Random(f"{seed}:{family.name}")):
            validate(draft, family)
            key = prompt_key(draft.messages)
            if key in seen:
                built.duplicates[family.name] += 1
                continue
            seen.add(key)
            built.rows.append(draft_row(draft, seed))


def benchmark_rows(path: Path) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [k for k in ("id", "source", "difficulty", "label", "messages") if k not in row]
        if missing or row["source"] == "generated":
            raise InvalidDraft(f"{path}:{n}: benchmark row lacks {missing} or claims source 'generated'")
        yield row


def build(families: Sequence[Family], seed: int, benchmarks: Path | None) -> Built:
    built = Built()
    seen: set[str] = set()
    generated_rows(families, seed, built, seen)
    if benchmarks is not None:
        for row in benchmark_rows(benchmarks):
            messages = tuple((m["role"], m["content"]) for m in row["messages"])
            key = prompt_key(messages)
            if key in seen:
                built.duplicates[str(row["source"])] += 1
                continue
            seen.add(key)
            built.rows.append(row)
            built.benchmark_rows += 1
    built.rows.sort(key=lambda r: str(r["id"]))
    return built


def encode(rows: Sequence[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, **JSONL_DUMPS) + "\n" for r in rows).encode("utf-8")


def prompt_chars(row: dict[str, Any]) -> int:
    return sum(len(m["content"]) for m in row["messages"])


def summary(rows: Sequence[dict[str, Any]]) -> str:
    by_family: dict[str, Counter[str]] = {}
    for r in rows:
        by_family.setdefault(str(r.get("family") or r["source"]), Counter())[str(r["difficulty"])] += 1
    head = f"{'family':<22}" + "".join(f"{d:>9}" for d in DIFFICULTIES) + f"{'total':>8}"
    lines = [head, "-" * len(head)]
    for name, cnt in sorted(by_family.items()):
        lines.append(f"{name:<22}" + "".join(f"{cnt[d]:>9}" for d in DIFFICULTIES) + f"{sum(cnt.values()):>8}")
    totals = Counter(str(r["difficulty"]) for r in rows)
    lines.append(f"{'all':<22}" + "".join(f"{totals[d]:>9}" for d in DIFFICULTIES) + f"{len(rows):>8}")
    langs = Counter(str(r.get("language", "?")) for r in rows)
    lines.append("languages: " + ", ".join(f"{k} {v} ({v / len(rows):.0%})" for k, v in sorted(langs.items())))
    lines.append("prompt length in characters (all messages), quartiles:")
    for d in DIFFICULTIES:
        lengths = sorted(prompt_chars(r) for r in rows if r["difficulty"] == d)
        if len(lengths) >= 2:
            q1, q2, q3 = statistics.quantiles(lengths, n=4)
            lines.append(f"  {d:<8} n={len(lengths):<6} q1 {q1:>7.0f}  median {q2:>7.0f}  q3 {q3:>7.0f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.corpus.build", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output JSONL (default: {DEFAULT_OUT})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generation and split seed ({DEFAULT_SEED})")
    p.add_argument(
        "--benchmarks",
        type=Path,
        default=DEFAULT_BENCHMARKS,
        help=f"benchmark-derived rows to merge, same schema (default: {DEFAULT_BENCHMARKS})",
    )
    p.add_argument("--families", default="", help="comma-separated family names to build (default: all)")
    args = p.parse_args(argv)
    families: Sequence[Family] = FAMILIES
    if args.families:
        wanted = set(args.families.split(","))
        unknown = wanted - {f.name for f in FAMILIES}
        if unknown:
            sys.exit(f"corpus.build: unknown families {sorted(unknown)}; known: {[f.name for f in FAMILIES]}")
        families = [f for f in FAMILIES if f.name in wanted]
    benchmarks: Path | None = args.benchmarks
    if benchmarks is not None and not benchmarks.exists():
        print(f"benchmark rows: {benchmarks} is absent; building the generated families alone")
        benchmarks = None
    try:
        built = build(families, args.seed, benchmarks)
    except InvalidDraft as exc:
        sys.exit(f"corpus.build: {exc}")
    data = encode(built.rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(summary(built.rows))
    print(f"families: {len(families)}; benchmark rows merged: {built.benchmark_rows}")
    print(f"duplicates dropped: {dict(sorted(built.duplicates.items())) or 'none'}")
    print(f"wrote {args.out} ({len(data)} bytes)\nsha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
