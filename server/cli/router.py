"""`tierd router train|calibrate` and `tierd route`: the learned router's offline commands and a dry run."""

from __future__ import annotations

import argparse
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from server.routing.classifiers.learned import LearnedClassifier
from server.routing.features import extract_features
from server.routing.learned.labels import check_label_map, default_label_map
from server.routing.learned.thresholds import CalibrationError, Outcome, adequacy, calibrate, evaluate
from server.routing.learned.training import TrainingDataError, file_sha256, read_examples
from server.settings import ConfigError, LearnedClassifierSettings, OpenAITierSettings, Settings

Loader = Callable[[argparse.Namespace], Settings]
DEFAULT_COMPLETION_TOKENS = 256


def add_router_commands(sub: Any, add_config_args: Callable[[argparse.ArgumentParser], None], load: Loader) -> None:
    router = sub.add_parser("router", help="train and calibrate the learned router")
    router_sub = router.add_subparsers(dest="router_command", required=True)

    train = router_sub.add_parser("train", help="train a router model from labeled JSONL")
    add_config_args(train)
    train.add_argument("--data", type=Path, required=True, help="JSONL: messages|prompt, label (a tier), [split]")
    train.add_argument("--out", type=Path, required=True, help="folder to write the model into")
    train.add_argument("--split", default="train", help="rows of this split, when the file has splits (default train)")
    train.add_argument("--embedder-dir", help="prepared MiniLM folder (default: the one `make setup` prepares)")
    train.set_defaults(func=lambda a: _train(a, load(a)))

    cal = router_sub.add_parser(
        "calibrate", help="pick thresholds for a target on a labeled set, and write them into the config"
    )
    add_config_args(cal)
    cal.add_argument("--data", type=Path, required=True, help="labeled JSONL, as for train")
    cal.add_argument("--split", default="calibration", help="rows of this split (default calibration)")
    target = cal.add_mutually_exclusive_group(required=True)
    target.add_argument("--target-frontier-share", type=float, help="most capable tier gets at most this share")
    target.add_argument("--target-quality", type=float, help="at least this share of requests answered adequately")
    cal.add_argument(
        "--completion-tokens",
        type=int,
        default=DEFAULT_COMPLETION_TOKENS,
        help=f"completion length assumed for costs (default {DEFAULT_COMPLETION_TOKENS})",
    )
    cal.add_argument(
        "--tier-cost",
        action="append",
        default=[],
        metavar="TIER=USD_PER_1M",
        help="$ per 1M tokens of a local tier (default 0; remote tiers use their list prices)",
    )
    cal.add_argument("--dry-run", action="store_true", help="print the result; do not write the config")
    cal.set_defaults(func=lambda a: _calibrate(a, load(a)))

    from server.cli.learn import add_learn_command

    add_learn_command(router_sub, add_config_args, load)

    route = sub.add_parser("route", help="print the routing decision for a prompt as JSON (nothing is generated)")
    add_config_args(route)
    route.add_argument("prompt", help="the user message")
    route.add_argument("--system", help="a system prompt")
    route.add_argument("--url", help="ask a running tierd (e.g. http://127.0.0.1:8000) instead of deciding here")
    route.set_defaults(func=lambda a: _route(a, load(a)))


def label_map(settings: Settings) -> dict[str, str]:
    """How corpus rows' difficulties become this config's tiers (routing.learned.labels, else the default)."""
    tiers = [t.name for t in settings.tiers]
    learned = settings.routing.learned
    mapping = dict(learned.labels) if learned is not None and learned.labels else default_label_map(tiers)
    try:
        check_label_map(mapping, tiers)
    except ValueError as exc:
        raise ConfigError(f"routing.learned.{exc}") from None
    return mapping


def learned_classifier(settings: Settings, embedder_dir: str | None = None) -> LearnedClassifier:
    from server.routing.wiring import classifier_context

    section = settings.routing.learned or LearnedClassifierSettings()
    if embedder_dir is not None:
        section = section.model_copy(update={"embedder_dir": embedder_dir})
    return LearnedClassifier.from_config(section, classifier_context(settings))


def _train(args: argparse.Namespace, settings: Settings) -> int:
    from server.routing.learned.training import train
    from server.routing.wiring import load_encoder
    from tiers.models.minilm import EMBEDDER_NAME

    tiers = [t.name for t in settings.tiers]
    started = time.monotonic()
    try:
        examples = read_examples(args.data, tiers, args.split, label_map(settings))
    except (OSError, TrainingDataError) as exc:
        raise ConfigError(f"--data: {exc}") from None
    encoder = load_encoder(args.embedder_dir)
    info = {"data_file": args.data.name, "data_sha256": file_sha256(args.data), "split": args.split}
    model = train(examples, encoder, tiers, embedder_name=EMBEDDER_NAME, training_info=info)
    model.save(args.out, {"created_by": "tierd router train"})
    from server.routing.learned.artifact import load_model

    saved = load_model(args.out)
    counts = ", ".join(f"{t} {saved.training['label_counts'].get(t, 0)}" for t in saved.tiers)
    print(f"trained on {len(examples)} examples ({counts}) in {time.monotonic() - started:.1f} s")
    print(f"model {saved.version} -> {args.out} (data sha256 {info['data_sha256'][:12]})")
    return 0


def parse_tier_costs(items: Sequence[str], settings: Settings) -> dict[str, float]:
    local: dict[str, float] = {}
    for item in items:
        tier, _, value = item.partition("=")
        try:
            local[tier] = float(value)
        except ValueError:
            raise ConfigError(f"--tier-cost {item!r}: expected TIER=USD_PER_1M") from None
    unknown = sorted(set(local) - {t.name for t in settings.tiers})
    if unknown:
        raise ConfigError(f"--tier-cost names unknown tiers {unknown}")
    return local


def request_costs(
    settings: Settings, bodies: Sequence[dict[str, Any]], local: dict[str, float], completion_tokens: int
) -> np.ndarray:
    """(rows, tiers) $ per request: remote tiers at list prices, local tiers at --tier-cost $/1M tokens."""
    prompt = np.array([extract_features(b).prompt_tokens_estimate for b in bodies], dtype=np.float64)
    completion = float(completion_tokens)
    columns = []
    for tier in settings.tiers:
        if isinstance(tier, OpenAITierSettings):
            columns.append((prompt * tier.price_per_1m_input + completion * tier.price_per_1m_output) / 1e6)
        else:
            columns.append((prompt + completion) * local.get(tier.name, 0.0) / 1e6)
    return np.stack(columns, axis=1)


def _describe(outcome: Outcome, tiers: Sequence[str], label: str) -> str:
    share = ", ".join(f"{t} {s:.1%}" for t, s in zip(tiers, outcome.share, strict=True))
    cost = outcome.cost_per_request * 1000
    return f"{label}: {share}; quality {outcome.quality:.1%}; cost ${cost:.4f} per 1k requests"


def _calibrate(args: argparse.Namespace, settings: Settings) -> int:
    tiers = [t.name for t in settings.tiers]
    local_costs = parse_tier_costs(args.tier_cost, settings)
    try:
        examples = read_examples(args.data, tiers, args.split, label_map(settings))
    except (OSError, TrainingDataError) as exc:
        raise ConfigError(f"--data: {exc}") from None
    classifier = learned_classifier(settings)
    staged = classifier.scores_many([extract_features(e.body) for e in examples])
    adequacies = adequacy(np.stack([s.probabilities for s in staged]))
    labels = np.array([e.label for e in examples])
    costs = request_costs(settings, [e.body for e in examples], local_costs, args.completion_tokens)
    try:
        outcome = calibrate(
            adequacies,
            labels,
            costs,
            target_top_share=args.target_frontier_share,
            target_quality=args.target_quality,
        )
    except CalibrationError as exc:
        raise ConfigError(f"calibrate: {exc}") from None
    before = evaluate(adequacies, labels, classifier.thresholds, costs)
    everything_top = evaluate(adequacies, labels, [1.01] * (len(tiers) - 1), costs)
    thresholds = dict(zip(tiers[:-1], outcome.thresholds, strict=True))
    print(f"calibration set: {len(examples)} rows of {args.data.name} (split {args.split})")
    print(_describe(before, tiers, f"current thresholds {list(classifier.thresholds)}"))
    print(_describe(outcome, tiers, f"calibrated {thresholds}"))
    print(_describe(everything_top, tiers, f"always {tiers[-1]}"))
    if not any(args.tier_cost):
        print("(local tiers costed at $0; pass --tier-cost TIER=USD_PER_1M for their amortized hardware cost)")
    if args.dry_run:
        return 0
    if args.config is None:
        print("a preset cannot be edited; put this under routing.learned in your config (or pass --config FILE):")
        print(json.dumps({"thresholds": thresholds}))
        return 0
    write_thresholds(args.config, thresholds)
    print(f"wrote routing.learned.thresholds into {args.config}")
    return 0


def write_thresholds(path: Path, thresholds: dict[str, float]) -> None:
    """Set routing.learned.thresholds in the YAML file, keeping its comments and order; atomic replace."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()
    yaml.preserve_quotes = True
    # ruamel cannot detect a file's indentation; this is the style of tierd's presets and docs
    # (`  - name:` under a key), and a wide width keeps long lines as they were.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    data = yaml.load(path.read_text())
    routing = data.setdefault("routing", CommentedMap())
    learned = routing.get("learned")
    if learned is None:
        learned = routing["learned"] = CommentedMap()
    learned["thresholds"] = CommentedMap((k, float(v)) for k, v in thresholds.items())
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w") as fh:
        yaml.dump(data, fh)
    tmp.replace(path)


def _route(args: argparse.Namespace, settings: Settings) -> int:
    messages = ([{"role": "system", "content": args.system}] if args.system else []) + [
        {"role": "user", "content": args.prompt}
    ]
    body = {"model": "auto", "messages": messages}
    if args.url:
        print(json.dumps(_remote_route(args.url, body), indent=2))
        return 0
    from server.routing.wiring import build_router
    from server.wiring import build_pricing, placement_policy

    # The gateway's own prices, so the tiers are ordered at the margin as `POST /v1/route` orders them.
    router = build_router(settings, placement_policy(settings, build_pricing(settings)))
    decision = router.decide(body, None, offline_snapshots(settings))
    print(json.dumps({**decision.explain(), "decision": decision.short(), "live_state": False}, indent=2))
    return 0


def offline_snapshots(settings: Settings) -> list[Any]:
    """Tier snapshots for deciding offline: every configured tier ready (an unconfigured remote one not)."""
    from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot

    snapshots = []
    replica = ReplicaSnapshot("offline", "", ReplicaStatus.READY, 0, 0, 0.0)
    for tier in settings.tiers:
        if isinstance(tier, OpenAITierSettings):
            model, configured = tier.model or "", tier.configured
            snapshots.append(TierSnapshot(tier.name, TierKind.OPENAI_REMOTE, model, False, configured, (replica,)))
        else:
            kind = TierKind.VLLM_MANAGED if tier.managed else TierKind.VLLM_ATTACHED
            snapshots.append(TierSnapshot(tier.name, kind, tier.served_model_name, True, True, (replica,)))
    return snapshots


def _remote_route(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url.rstrip("/").removesuffix("/v1") + "/v1/route",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise ConfigError(f"{url} answered {exc.code}: {exc.read().decode(errors='replace')[:500]}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ConfigError(f"cannot reach {url}: {exc}") from None
