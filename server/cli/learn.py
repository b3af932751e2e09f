"""`tierd router learn`: measured labels from the deployment's own captured traffic, a retrained router
calibrated to a target, and before/after figures on a held-out slice of that traffic.

With `--judge frontier` every sampled request is answered by each cheap tier (a captured answer is reused,
a missing one asked of the configured tier) and by the frontier; the frontier then grades each cheap answer
with MT-Bench's reference-guided judge prompt (benchmarks/quality's scorer), its own answer as the reference.
With `--judge feedback` the labels come from `/v1/feedback` scores in the ledger: nothing is called.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from server.capture.learning import (
    ADEQUATE_SCORE,
    MeasuredLabel,
    figures,
    label_from_feedback,
    label_from_scores,
    missing_tiers,
    replay_body,
    sample,
    split_heldout,
)
from server.capture.store import CapturedRow, CaptureStore
from server.routing.features import extract_features
from server.routing.learned.training import Example, TrainingDataError, read_examples
from server.settings import ConfigError, OpenAITierSettings, Settings

Loader = Callable[[argparse.Namespace], Settings]
JUDGE_COMPLETION_TOKENS = 300  # what a judge's explanation and verdict take, for the estimate
DEFAULT_COMPLETION_TOKENS = 256


def add_learn_command(
    router_sub: Any, add_config_args: Callable[[argparse.ArgumentParser], None], load: Loader
) -> None:
    learn = router_sub.add_parser("learn", help="label captured traffic, retrain, calibrate, compare before/after")
    add_config_args(learn)
    learn.add_argument("--sample", type=int, required=True, help="how many captured requests to label")
    learn.add_argument("--judge", choices=("frontier", "feedback"), default="frontier")
    target = learn.add_mutually_exclusive_group()
    target.add_argument("--target-quality", type=float, help="at least this share answered adequately")
    target.add_argument("--target-frontier-share", type=float, help="the frontier gets at most this share")
    learn.add_argument("--heldout-share", type=float, default=0.25, help="share of labeled rows kept for before/after")
    learn.add_argument("--base-data", type=Path, help="labeled JSONL trained on with the measured rows")
    learn.add_argument("--out", type=Path, required=True, help="folder for labels, the model and the report")
    learn.add_argument("--dry-run", action="store_true", help="print the frontier calls and their cost; spend nothing")
    learn.add_argument("--seed", type=int, default=0)
    learn.add_argument("--embedder-dir", help="prepared MiniLM folder (default: the one `make setup` prepares)")
    learn.set_defaults(func=lambda a: run_learn(a, load(a)))


def _store(settings: Settings) -> CaptureStore:
    section = settings.capture
    path = section.file(settings.server.state_dir)
    if not path.is_file():
        raise ConfigError(f"no capture file at {path}: set capture.enabled: true and serve some traffic first")
    store = CaptureStore(path, section.retention_days, section.max_rows)
    store.expire()
    return store


def _frontier(settings: Settings) -> OpenAITierSettings:
    top = settings.tiers[-1]
    if not isinstance(top, OpenAITierSettings):
        raise ConfigError(f"--judge frontier needs the last tier to be a remote API; {top.name!r} is not")
    return top


def _check_frontier(settings: Settings) -> None:
    from benchmarks.quality.targets import frontier_configured

    configured, why = frontier_configured(settings)
    if not configured:
        raise ConfigError(f"--judge frontier: {why}; or use --judge feedback")


def estimate(settings: Settings, rows: Sequence[CapturedRow]) -> tuple[int, float, int]:
    """(frontier calls, their estimated $, cheap-tier calls) for labeling `rows` with the frontier as judge:
    one answer per row, then one judge call per cheap tier, at ~4 characters per token."""
    frontier, tiers = _frontier(settings), [t.name for t in settings.tiers]
    per_in, per_out = frontier.price_per_1m_input / 1e6, frontier.price_per_1m_output / 1e6
    calls, usd, cheap = 0, 0.0, 0
    for row in rows:
        prompt = extract_features(row.body).prompt_tokens_estimate
        calls += 1
        usd += prompt * per_in + DEFAULT_COMPLETION_TOKENS * per_out
        judged = len(tiers) - 1
        calls += judged  # the judge reads the question, the reference and the answer
        usd += judged * ((prompt + 2 * DEFAULT_COMPLETION_TOKENS) * per_in + JUDGE_COMPLETION_TOKENS * per_out)
        cheap += len(missing_tiers(row, tiers))
    return calls, usd, cheap


async def _label_with_judge(settings: Settings, rows: Sequence[CapturedRow]) -> tuple[list[MeasuredLabel], float]:
    from benchmarks.quality.model import Message
    from benchmarks.quality.prompts import Request
    from benchmarks.quality.runner import parse_answer
    from benchmarks.quality.scorers.mtbench import RATING_RETRY, load_judge_prompts, parse_rating
    from benchmarks.quality.scorers.mtbench import ask as ask_judge
    from benchmarks.quality.targets import TierAccess, TierGateway
    from server.wiring import build_pricing
    from tiers.http_upstream import HttpClient

    tiers = [t.name for t in settings.tiers]
    frontier = tiers[-1]
    needed = {frontier} | {t for row in rows for t in missing_tiers(row, tiers)}
    client = HttpClient()
    await client.open()
    spent = 0.0
    try:
        gateway = TierGateway(settings, client, build_pricing(settings))
        async with contextlib.AsyncExitStack() as stack:
            access: dict[str, TierAccess] = {t: await stack.enter_async_context(gateway.session(t)) for t in needed}

            async def ask(tier: str, body: dict[str, Any]) -> tuple[str, float]:
                answer = await access[tier].call(Request("/chat/completions", replay_body(body)), "learn")
                text, prompt, completion = parse_answer(answer, "/chat/completions")
                return text, access[tier].cost(prompt, completion) or 0.0

            async def judge(messages: Sequence[Message], max_tokens: int = 512) -> str:
                """The frontier at temperature 0 (the quality harness's judge), its cost counted."""
                nonlocal spent
                body = {"messages": [dict(m) for m in messages], "max_tokens": max_tokens, "temperature": 0.0}
                verdict, cost = await ask(frontier, body)
                spent += cost
                return verdict

            # One verdict per cheap answer: MT-Bench's reference-guided single grade (its `single-math-v1`
            # template), the frontier's own answer as the reference; no pairwise calls.
            template = load_judge_prompts()["single-math-v1"]
            labels = []
            for row in rows:
                answers = dict(row.answers)
                for tier in missing_tiers(row, tiers):
                    answers[tier], _ = await ask(tier, row.body)
                reference, cost = await ask(frontier, row.body)
                spent += cost
                question = _last_user_text(row.body)
                scores: dict[str, float] = {}
                for tier in tiers[:-1]:
                    messages = template.messages(question=question, ref_answer_1=reference, answer=answers[tier])
                    grade, _ = await ask_judge(judge, messages, parse_rating, RATING_RETRY)
                    scores[tier] = grade / 10.0 if grade is not None else 0.0  # no verdict: not shown adequate
                evidence = {"judge_scores": scores, "adequate_at": ADEQUATE_SCORE}
                labels.append(MeasuredLabel(row.request_id, row.body, label_from_scores(tiers, scores), evidence))
    finally:
        await client.close()
    return labels, spent


def _last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


def _feedback_scores(settings: Settings) -> dict[str, float]:
    """request id -> the mean of its feedback scores, from the ledger."""
    from sqlalchemy import create_engine, func, select

    from server.accounting.ledger_schema import FeedbackRow
    from server.accounting.reader import ledger_url_of

    engine = create_engine(ledger_url_of(settings))
    try:
        with engine.connect() as conn:
            query = select(FeedbackRow.request_id, func.avg(FeedbackRow.score)).group_by(FeedbackRow.request_id)
            return {str(r[0]): float(r[1]) for r in conn.execute(query)}
    finally:
        engine.dispose()


def label_with_feedback(settings: Settings, rows: Sequence[CapturedRow]) -> list[MeasuredLabel]:
    tiers = [t.name for t in settings.tiers]
    scores = _feedback_scores(settings)
    labels = []
    for row in rows:
        if row.request_id in scores and row.final_tier in tiers:
            label = label_from_feedback(tiers, row.final_tier, scores[row.request_id])
            evidence = {"feedback_score": scores[row.request_id], "answered_by": row.final_tier}
            labels.append(MeasuredLabel(row.request_id, row.body, label, evidence))
    return labels


def _write_labels(path: Path, labels: Sequence[MeasuredLabel], heldout: set[int]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, m in enumerate(labels):
            row = {
                "id": m.request_id,
                "messages": m.body["messages"],
                "label": m.label,
                "label_source": "measured",
                "split": "heldout" if i in heldout else "train",
                "evidence": m.evidence,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _current_choices(settings: Settings, bodies: Sequence[dict[str, Any]]) -> list[int]:
    """What the configured router (whatever its classifier) picks as each request's minimum tier."""
    from server.cli.router import offline_snapshots
    from server.routing.wiring import build_router

    router, snapshots, tiers = build_router(settings), offline_snapshots(settings), [t.name for t in settings.tiers]
    chosen = []
    for body in bodies:
        decision = router.decide({"model": "auto", **body}, None, snapshots)
        wanted = decision.classification.min_tier if decision.classification else decision.placement.wanted
        chosen.append(tiers.index(wanted) if wanted in tiers else len(tiers) - 1)
    return chosen


def run_learn(args: argparse.Namespace, settings: Settings) -> int:
    tiers = [t.name for t in settings.tiers]
    if args.sample < 2:
        raise ConfigError("--sample: at least 2 rows (one to train on, one held out)")
    if not 0.0 < args.heldout_share < 1.0:
        raise ConfigError("--heldout-share: a share between 0 and 1")
    store = _store(settings)
    rows = sample(store.rows(), args.sample, args.seed)
    print(f"capture: {store.count()} rows in {store.path}; sampled {len(rows)} chat requests (seed {args.seed})")
    if args.judge == "frontier":
        _check_frontier(settings)
        calls, usd, cheap = estimate(settings, rows)
        print(
            f"frontier: {calls} calls ({len(rows)} answers, {calls - len(rows)} judge verdicts), estimated ${usd:.4f}"
        )
        print(f"cheap tiers: {cheap} answers to ask (the rest were captured)")
    if args.dry_run:
        print("dry run: nothing was called or written")
        return 0
    started = time.monotonic()
    if args.judge == "frontier":
        labels, spent = asyncio.run(_label_with_judge(settings, rows))
        print(f"labeled {len(labels)} rows with the frontier as judge; its answers and verdicts cost ${spent:.4f}")
    else:
        labels = label_with_feedback(settings, rows)
        print(f"labeled {len(labels)} rows from /v1/feedback scores")
    if len(labels) < 2:
        raise ConfigError(f"only {len(labels)} rows could be labeled; learn needs at least 2")
    train_idx, held_idx = split_heldout(labels, args.heldout_share, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    labels_path = args.out / "measured_labels.jsonl"
    _write_labels(labels_path, labels, set(held_idx))
    counts = {t: sum(m.label == t for m in labels) for t in tiers}
    print(f"labels -> {labels_path}: {counts}; {len(train_idx)} to train and calibrate on, {len(held_idx)} held out")
    report = _retrain_and_compare(args, settings, labels_path)
    report |= {"labels": counts, "rows": len(labels), "seconds": round(time.monotonic() - started, 1)}
    (args.out / "learn_report.json").write_text(json.dumps(report, indent=2))
    return 0


def _retrain_and_compare(args: argparse.Namespace, settings: Settings, labels_path: Path) -> dict[str, Any]:
    from server.cli.router import label_map, request_costs
    from server.routing.classifiers.learned import LearnedClassifier
    from server.routing.learned.artifact import load_model
    from server.routing.learned.thresholds import CalibrationError, adequacy, calibrate, choose_many
    from server.routing.learned.training import train
    from server.routing.wiring import load_encoder
    from tiers.models.minilm import EMBEDDER_NAME

    tiers = [t.name for t in settings.tiers]
    measured_train = read_examples(labels_path, tiers, "train")
    heldout = read_examples(labels_path, tiers, "heldout")
    base: list[Example] = []
    if args.base_data is not None:
        try:
            base = read_examples(args.base_data, tiers, "train", label_map(settings))
        except (OSError, TrainingDataError) as exc:
            raise ConfigError(f"--base-data: {exc}") from None
    encoder = load_encoder(args.embedder_dir)
    info = {"data_file": labels_path.name, "base_data": str(args.base_data) if args.base_data else None}
    try:
        model = train([*base, *measured_train], encoder, tiers, embedder_name=EMBEDDER_NAME, training_info=info)
    except TrainingDataError as exc:
        raise ConfigError(f"retraining: {exc}") from None
    model_dir = args.out / "model"
    model.save(model_dir, {"created_by": "tierd router learn"})
    section = settings.routing.learned
    fast_path = section.fast_path_confidence if section is not None else 0.9
    saved = load_model(model_dir)
    classifier = LearnedClassifier(saved, encoder, tiers, {}, fast_path)

    def adequacies(examples: Sequence[Example]) -> np.ndarray:
        staged = classifier.scores_many([extract_features(e.body) for e in examples])
        return adequacy(np.stack([s.probabilities for s in staged]))

    thresholds = list(classifier.thresholds)
    target = args.target_quality is not None or args.target_frontier_share is not None
    if target:
        costs = request_costs(settings, [e.body for e in measured_train], {}, DEFAULT_COMPLETION_TOKENS)
        labels = np.array([e.label for e in measured_train])
        try:
            outcome = calibrate(
                adequacies(measured_train), labels, costs,
                target_top_share=args.target_frontier_share, target_quality=args.target_quality,
            )  # fmt: skip
            thresholds = list(outcome.thresholds)
        except CalibrationError as exc:
            print(f"calibration: {exc}; the model's default thresholds are kept")
    held_bodies = [e.body for e in heldout]
    held_labels = [e.label for e in heldout]
    held_costs = request_costs(settings, held_bodies, {}, DEFAULT_COMPLETION_TOKENS).tolist()
    before = figures(_current_choices(settings, held_bodies), held_labels, held_costs, len(tiers) - 1)
    after_chosen = choose_many(adequacies(heldout), thresholds).tolist()
    after = figures(after_chosen, held_labels, held_costs, len(tiers) - 1)
    named = dict(zip(tiers[:-1], thresholds, strict=True))
    print(f"model {saved.version} -> {model_dir} (trained on {len(base)} base + {len(measured_train)} measured rows)")
    print(f"thresholds {named}" + (" (calibrated on the measured training rows)" if target else " (model defaults)"))
    print(f"held-out slice: {len(heldout)} captured requests (local tiers costed at $0)")
    print(before.line("before"))
    print(after.line("after"))
    print("to use it: routing.learned: " + json.dumps({"model": str(model_dir), "thresholds": named}))
    return {
        "model_dir": str(model_dir),
        "thresholds": named,
        "heldout_rows": len(heldout),
        "before": _as_dict(before),
        "after": _as_dict(after),
    }


def _as_dict(value: Any) -> dict[str, float]:
    return {k: getattr(value, k) for k in ("accuracy", "quality", "frontier_share", "cost_per_request")}
