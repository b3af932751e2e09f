"""How well the escalation checks catch junk: precision and recall on recorded answers against hand labels.

    python -m benchmarks.check_accuracy [--folds 5]

Reads tests/fixtures/escalation/corpus.jsonl (the bundled models' real answers to first-contact requests,
recorded by tests/fixtures/escalation/record_corpus.py) and labels.jsonl (a person's verdict on each: is this a
correct and useful reply?), runs the checks offline (no model calls; the relevance check runs the MiniLM
embedder), prints a table and writes benchmarks/results/check_accuracy.json.

"Positive" means the check flags the answer as not acceptable (it would escalate). Each check is measured on
every row, and the cpu preset's check sets (main's before this work, and the preset's now) on their own
tier's rows. The relevance threshold is cross-validated: the rows are split into folds by request (all
samplings of one request in one fold); each fold is judged with the threshold that maximises F1 on the other
folds, so no reported row was used to choose the threshold it was judged with. The preset's threshold is the
one chosen on all rows. The refusal patterns were written by reading this corpus: their figures are in-sample.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.report import percentile, write_report
from server.escalation.answer import Answer, answer_from_json
from server.escalation.checks import Check, CheckRequest, default_checks
from server.escalation.relevance import RelevanceCheck

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "escalation"
PRESET = REPO / "server" / "presets" / "cpu.yaml"
DEFAULT_OUT = Path(__file__).parent / "results" / "check_accuracy.json"

# main's refusal patterns before the corpus was recorded (commit 2652f2f), for the old check set.
MAIN_REFUSALS = (
    r"\bi(?:'m| am) (?:sorry|afraid),? but i (?:can(?:'|no)t|won't|am unable)",
    r"\bi (?:can(?:'|no)t|won't|am unable to) (?:help|assist|comply|provide|do that)",
    r"\bas an ai(?: language model)?\b",
)
# The cpu preset's check sets at that commit.
MAIN_SETS = {
    "tier-1": ["empty", "truncation", "degeneration", "echo", "refusal", "json", "tool_calls"],
    "tier-2": ["empty", "truncation", "degeneration", "echo", "json"],
}
THRESHOLD_GRID = [round(0.02 * i, 2) for i in range(0, 46)]  # 0.00 .. 0.90
# Each false alarm escalates an acceptable answer (a frontier call, a share of the escalation budget), so the
# threshold is the highest one that flags at most this share of the acceptable answers it is chosen on.
MAX_FALSE_ALARM_RATE = 0.05


@dataclass(frozen=True)
class Row:
    row: str
    tier: str
    prompt_id: str
    answer: Answer
    request: CheckRequest
    bad: bool  # the hand label: not acceptable


def _prompt_text(body: dict[str, Any]) -> str:
    # What tierd hands the checks (server/routing/features.py): the messages' text, lower-cased.
    return "\n".join(str(m.get("content") or "") for m in body["messages"]).lower()


def load_rows(fixtures: Path = FIXTURES) -> list[Row]:
    labels = {}
    for line in (fixtures / "labels.jsonl").read_text().splitlines():
        if line.strip():
            label = json.loads(line)
            labels[label["row"]] = label
    rows = []
    for line in (fixtures / "corpus.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record["row"] not in labels:
            raise SystemExit(f"{record['row']} has no hand label in labels.jsonl")
        answer = answer_from_json(record["response"])
        if record.get("mean_logprob") is not None:
            # The corpus keeps the mean only; low_confidence reads nothing else.
            answer = Answer(
                answer.text,
                answer.finish_reason,
                answer.tool_calls,
                answer.prompt_tokens,
                answer.completion_tokens,
                (float(record["mean_logprob"]),),
            )
        request = CheckRequest.from_body(record["request"], _prompt_text(record["request"]))
        bad = not labels[record["row"]]["acceptable"]
        rows.append(Row(record["row"], record["tier"], record["prompt_id"], answer, request, bad))
    return rows


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @classmethod
    def of(cls, flags: Sequence[bool], bad: Sequence[bool]) -> Scores:
        pairs = list(zip(flags, bad, strict=True))
        return cls(
            tp=sum(f and b for f, b in pairs),
            fp=sum(f and not b for f, b in pairs),
            fn=sum(b and not f for f, b in pairs),
            tn=sum(not f and not b for f, b in pairs),
        )

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        n = self.tp + self.fp + self.fn + self.tn
        return {
            "rows": n,
            "flagged": self.tp + self.fp,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def best_threshold(similarities: Sequence[float], bad: Sequence[bool]) -> float:
    """The highest grid threshold (flag when similarity < threshold) that flags at most MAX_FALSE_ALARM_RATE
    of the acceptable answers. Not F1: most recorded answers are bad, so F1 is best when everything is flagged."""
    good = [s for s, b in zip(similarities, bad, strict=True) if not b]

    def false_alarm_rate(threshold: float) -> float:
        return sum(s < threshold for s in good) / len(good) if good else 0.0

    return max(t for t in THRESHOLD_GRID if false_alarm_rate(t) <= MAX_FALSE_ALARM_RATE)


def cross_validated_flags(
    rows: Sequence[Row], similarities: Sequence[float], folds: int, seed: int = 0
) -> tuple[list[bool], list[float]]:
    """Out-of-fold relevance flags, and each fold's threshold. Folds group rows by request."""
    prompts = sorted({r.prompt_id for r in rows})
    random.Random(seed).shuffle(prompts)
    fold_of = {p: i % folds for i, p in enumerate(prompts)}
    flags = [False] * len(rows)
    thresholds = []
    for fold in range(folds):
        train = [i for i, r in enumerate(rows) if fold_of[r.prompt_id] != fold]
        threshold = best_threshold([similarities[i] for i in train], [rows[i].bad for i in train])
        thresholds.append(threshold)
        for i, r in enumerate(rows):
            if fold_of[r.prompt_id] == fold:
                flags[i] = similarities[i] < threshold
    return flags, thresholds


def _flags(check: Check, rows: Sequence[Row]) -> list[bool]:
    return [not check.run(r.answer, r.request).passed for r in rows]


def _preset_sets(preset: Path) -> dict[str, list[Any]]:
    tiers = yaml.safe_load(preset.read_text())["escalation"]["tiers"]
    return {name: list(section.get("checks") or []) for name, section in tiers.items()}


def _spec_name(spec: Any) -> str:
    return spec if isinstance(spec, str) else str(spec["name"])


def measure(rows: Sequence[Row], encoder: Any, folds: int, preset: Path = PRESET) -> dict[str, Any]:
    registry = default_checks(lambda: encoder)
    bad = [r.bad for r in rows]
    relevance = RelevanceCheck(encoder)
    timings, similarities = [], []
    cpu_started = time.process_time()
    for r in rows:
        if not relevance.judges(r.answer, r.request):
            similarities.append(math.inf)  # never flagged, whatever the threshold
            continue
        started = time.perf_counter()
        similarities.append(relevance.similarity(r.answer, r.request))
        timings.append(time.perf_counter() - started)
    cpu_ms = (time.process_time() - cpu_started) / max(1, len(timings)) * 1e3
    cv_flags, fold_thresholds = cross_validated_flags(rows, similarities, folds)
    chosen = best_threshold(similarities, bad)
    preset_sets = _preset_sets(preset)
    preset_threshold = next(
        (
            float(spec.get("min_similarity", 0.2))
            for specs in preset_sets.values()
            for spec in specs
            if isinstance(spec, dict) and spec.get("name") == "relevance"
        ),
        None,
    )

    # Each check alone, on every row; relevance out of fold.
    flags: dict[str, list[bool]] = {
        name: _flags(registry.build(name, {}), rows)
        for name in ("empty", "truncation", "degeneration", "echo", "json", "low_confidence")
    }
    flags["refusal (main's patterns)"] = _flags(registry.build("refusal", {"patterns": MAIN_REFUSALS}), rows)
    flags["refusal"] = _flags(registry.build("refusal", {}), rows)
    flags["relevance (cross-validated)"] = cv_flags
    by_check = {name: Scores.of(f, bad).to_dict() for name, f in flags.items()}

    # The preset's sets on their own tier's rows; a relevance check in a set is judged out of fold too.
    def set_flags(specs: Sequence[Any], refusal_patterns: Sequence[str] | None) -> list[bool]:
        out = [False] * len(rows)
        for spec in specs:
            name = _spec_name(spec)
            if name == "relevance":
                check_flags = cv_flags
            elif name == "refusal" and refusal_patterns is not None:
                check_flags = flags["refusal (main's patterns)"]
            else:
                options = {k: v for k, v in spec.items() if k != "name"} if isinstance(spec, dict) else {}
                check_flags = _flags(registry.build(name, options), rows)
            out = [a or b for a, b in zip(out, check_flags, strict=True)]
        return out

    by_set = {}
    for tier in sorted(set(MAIN_SETS) | set(preset_sets)):
        on_tier = [i for i, r in enumerate(rows) if r.tier == tier]
        tier_bad = [bad[i] for i in on_tier]
        for label, specs, patterns in (
            ("main", MAIN_SETS.get(tier, []), MAIN_REFUSALS),
            ("preset", preset_sets.get(tier, []), None),
        ):
            f = set_flags(specs, patterns)
            by_set[f"{tier} {label}"] = {
                "checks": [_spec_name(s) for s in specs],
                **Scores.of([f[i] for i in on_tier], tier_bad).to_dict(),
            }
    return {
        "rows": len(rows),
        "not_acceptable": sum(bad),
        "rows_by_tier": {t: sum(1 for r in rows if r.tier == t) for t in sorted({r.tier for r in rows})},
        "by_check": by_check,
        "by_set": by_set,
        "relevance": {
            "threshold_chosen_on_all_rows": chosen,
            "preset_threshold": preset_threshold,
            "fold_thresholds": fold_thresholds,
            "folds": folds,
            "latency_ms": {
                "p50": percentile(timings, 0.5) * 1e3,
                "p95": percentile(timings, 0.95) * 1e3,
                "mean": statistics.fmean(timings) * 1e3,
                "cpu_per_check": cpu_ms,
            },
            "judged_rows": len(timings),
            "max_false_alarm_rate": MAX_FALSE_ALARM_RATE,
            "similarity_acceptable_median": statistics.median(
                s for s, b in zip(similarities, bad, strict=True) if not b and math.isfinite(s)
            ),
            "similarity_not_acceptable_median": statistics.median(
                s for s, b in zip(similarities, bad, strict=True) if b and math.isfinite(s)
            ),
        },
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def table(report: dict[str, Any]) -> str:
    lines = [
        "| check or set | rows | flagged | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in [*report["by_check"].items(), *report["by_set"].items()]:
        label = f"{name}: {', '.join(s['checks'])}" if "checks" in s else name
        lines.append(
            f"| {label} | {s['rows']} | {s['flagged']} | {_pct(s['precision'])} | {_pct(s['recall'])} | {s['f1']:.2f} |"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.check_accuracy", description=__doc__)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds for the relevance threshold")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, load: Callable[[], Any] | None = None) -> int:
    args = parse_args(argv)
    from server.routing.embedding import load_prepared

    encoder = (load or load_prepared)()
    rows = load_rows()
    report = measure(rows, encoder, args.folds)
    relevance = report["relevance"]
    print(
        f"{report['rows']} answers, {report['not_acceptable']} not acceptable (hand labels); {report['rows_by_tier']}"
    )
    print(table(report))
    latency = relevance["latency_ms"]
    print(
        f"relevance: threshold {relevance['threshold_chosen_on_all_rows']} on all rows, per fold "
        f"{relevance['fold_thresholds']}; preset {relevance['preset_threshold']}; "
        f"similarity medians {relevance['similarity_acceptable_median']:.2f} (acceptable) / "
        f"{relevance['similarity_not_acceptable_median']:.2f} (not); "
        f"one check p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms, CPU {latency['cpu_per_check']:.1f} ms"
    )
    command = f"python -m benchmarks.check_accuracy --folds {args.folds}"
    # Other work on the box stretches the latency figures; the load average says how much.
    machine = {"cpus": os.cpu_count(), "load_average_1m": os.getloadavg()[0]}
    write_report(args.out, {"benchmark": "check_accuracy", "command": command, "machine": machine, **report})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
