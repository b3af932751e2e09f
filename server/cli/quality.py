"""`tierd bench quality`: the quality harness's command line (benchmarks/quality/pipeline.py does the work)."""

from __future__ import annotations

import argparse
import logging
import os
import shlex
from collections.abc import Callable
from pathlib import Path

from server.bench.quality_settings import DEFAULT_SEED
from server.settings import ENV_OVERRIDE_PREFIX, ConfigError, Settings

AddConfigArgs = Callable[[argparse.ArgumentParser], None]
LoadSettings = Callable[[argparse.Namespace], Settings]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_quality_command(
    bench_sub: argparse._SubParsersAction[argparse.ArgumentParser], add_config_args: AddConfigArgs, load: LoadSettings
) -> None:
    quality = bench_sub.add_parser(
        "quality",
        help="each tier's answers on real datasets, scored against the frontier (or the references); router replay",
        description="Asks every tier below the frontier (managed tiers are launched here, one at a time) and the "
        "frontier each dataset item, caching every answer in SQLite (a rerun computes only what is missing), "
        "scores the answers (GSM8K numeric match, HumanEval tests in a sandboxed process, evals `ideal` match, "
        "MT-Bench judged by the frontier or, without one, embedding similarity), replays routers over the cached "
        "outcomes and writes OUT/report.md, OUT/report.html, OUT/results.json, PNG plots and "
        "OUT/router_labels.jsonl. Without a reachable frontier (or with --reference-mode) the datasets' reference "
        "answers stand in for it.",
    )
    add_config_args(quality)
    quality.add_argument(
        "--datasets",
        required=True,
        help="comma-separated: gsm8k, humaneval, mtbench, evals:NAME, jsonl:PATH or a .jsonl path; "
        "NAME@N draws N items from that one",
    )
    quality.add_argument("--sample", type=_positive, help="items drawn per dataset (default: all)")
    quality.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed (same items on every run)")
    quality.add_argument("--out", type=Path, required=True, help="folder for the report, plots, labels, cache")
    quality.add_argument("--tiers", help="comma-separated tiers to evaluate below the frontier (default: all)")
    quality.add_argument("--concurrency", type=_positive, help="calls in flight per tier (default: the config's)")
    quality.add_argument(
        "--reference-mode", action="store_true", help="use the datasets' answers in place of the frontier"
    )
    quality.add_argument("--url", help="send every call through this running tierd (…/v1), pinned to each tier")
    quality.add_argument("--cache", type=Path, help="the SQLite outcome cache (default: OUT/outcomes.sqlite)")
    quality.set_defaults(func=lambda args: _bench_quality(args, load))


def _command_line(argv: list[str]) -> str:
    """The command as a reader reruns it: `TIERD__...` overrides in effect change the config (max_tokens, say),
    and so the cache keys, so they are part of it."""
    overrides = [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(ENV_OVERRIDE_PREFIX)]
    return shlex.join([*overrides, "tierd", *argv])


def _bench_quality(args: argparse.Namespace, load: LoadSettings) -> int:
    from benchmarks.quality.datasets import DatasetError
    from benchmarks.quality.pipeline import QualityOptions, run_quality

    settings = load(args)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = str(args.config) if args.config else f"preset {args.preset or 'cpu'}"
    options = QualityOptions(
        datasets=args.datasets,
        out=args.out,
        sample=args.sample,
        seed=args.seed,
        tiers=tuple(t.strip() for t in (args.tiers or "").split(",") if t.strip()),
        concurrency=args.concurrency,
        reference_mode=args.reference_mode,
        url=args.url,
        cache=args.cache,
        command=_command_line(args.argv),
        config=config,
    )
    try:
        run_quality(settings, options)
    except DatasetError as exc:
        raise ConfigError(str(exc)) from None
    return 0
