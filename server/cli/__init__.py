"""The `tierd` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from server.cli.keys import add_keys_commands
from server.cli.quality import add_quality_command
from server.cli.report import add_report_command
from server.cli.router import add_router_commands
from server.settings import PRESETS, ConfigError, Settings, load_settings


def _add_config_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path, help="YAML config file (default: $TIERD_CONFIG, else the cpu preset)")
    group.add_argument("--preset", choices=PRESETS, help="a config shipped with tierd")


def _load(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, preset=args.preset)


def _serve(args: argparse.Namespace) -> int:
    from server.app import create_app
    from server.cli.serving import serve

    settings = _load(args)
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    # The app decides whether auth may stay off from the address it really listens on.
    settings = settings.model_copy(update={"server": settings.server.model_copy(update={"host": host})})
    logging.basicConfig(
        level=settings.server.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_app(settings)
    print(
        f"[tierd] serving on http://{host}:{port}/v1 (tiers: {', '.join(t.name for t in settings.tiers)})", flush=True
    )
    serve(
        app,
        app.state.lifecycle,
        host=host,
        port=port,
        log_level=settings.server.log_level,
        grace_s=settings.server.shutdown_grace_s,
    )
    return 0


def _config_check(args: argparse.Namespace) -> int:
    settings = _load(args)
    if args.show:
        print(json.dumps(settings.model_dump(mode="json"), indent=2))
    else:
        print(
            f"config OK: {len(settings.tiers)} tiers ({', '.join(t.name for t in settings.tiers)}), "
            f"classifier {settings.routing.classifier}"
        )
    return 0


def _models(args: argparse.Namespace) -> int:
    from tiers.models.cli import main as models_main

    return int(models_main(args.models_args))


def _bench_hardware(args: argparse.Namespace) -> int:
    if args.replot is not None:
        from benchmarks.hardware_report import replot

        replot(args.replot)
        return 0
    from benchmarks.hardware import run

    settings = _load(args)
    urls: dict[str, str] = {}
    for item in args.url or []:
        tier, sep, url = item.partition("=")
        if not sep or not url:
            raise ConfigError(f"--url {item!r}: expected TIER=URL")
        urls[tier] = url
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    report = run(
        settings,
        args.out,
        tiers=args.tier or (),
        urls=urls,
        profiles_dir=args.profiles_dir,
        write_profiles=not args.no_profile,
    )
    return 0 if all(t["knee"] for t in report["tiers"]) else 1


def _add_bench_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = sub.add_parser(
        "bench",
        help="benchmarks: `bench hardware` measures each local tier on this hardware, `bench quality` its answers",
    )
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    add_quality_command(bench_sub, _add_config_args, _load)
    hardware = bench_sub.add_parser(
        "hardware",
        help="sweep concurrency on each local tier; write results.json, report.md with plots, a measured profile",
        description="Sweeps each local tier's replica (managed tiers are launched here, one at a time; attached "
        "tiers are driven at their first URL) at concurrency 1, 2, 4, ... per the config's `bench` section, "
        "finds the knee within the SLO and writes OUT/results.json, OUT/report.md with its plots "
        "(throughput_vs_latency.png, cost_vs_concurrency.png; they need the `bench` extra, matplotlib) and "
        "<profiles-dir>/measured/<hardware>-<model>.yaml. Exit status 1 when some tier has no knee. "
        "With --replot DIR instead of --out, nothing is run: DIR/report.md and the plots are redrawn "
        "from DIR/results.json.",
    )
    _add_config_args(hardware)
    target = hardware.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="folder for results.json, report.md, plots, logs")
    target.add_argument(
        "--replot",
        type=Path,
        metavar="DIR",
        help="run nothing: redraw DIR/report.md and its plots from an existing DIR/results.json",
    )
    hardware.add_argument("--tier", action="append", help="only this local tier (repeatable; default: all)")
    hardware.add_argument("--url", action="append", help="TIER=URL: drive this running server instead")
    hardware.add_argument(
        "--profiles-dir",
        type=Path,
        help="gpu_configs folder whose measured/ gets the profile (default: the loaded one)",
    )
    hardware.add_argument("--no-profile", action="store_true", help="write no measured profile")
    hardware.set_defaults(func=_bench_hardware)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tierd",
        description="Tiered inference server: an OpenAI-compatible endpoint that sends each request "
        "to the cheapest adequate tier.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the gateway and its managed vLLM replicas")
    _add_config_args(serve)
    serve.add_argument("--host", help="override server.host")
    serve.add_argument("--port", type=int, help="override server.port")
    serve.set_defaults(func=_serve)

    config = sub.add_parser("config", help="validate a config (and print it resolved with --show)")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    check = config_sub.add_parser("check", help="validate, print a summary")
    _add_config_args(check)
    check.add_argument("--show", action="store_true", help="print the resolved config as JSON")
    check.set_defaults(func=_config_check)

    add_router_commands(sub, _add_config_args, _load)
    add_report_command(sub, _add_config_args, _load)

    add_keys_commands(sub, _add_config_args, _load)

    models = sub.add_parser("models", help="prepare bundled models: prepare [NAME...|--all], list, tiny --out DIR")
    models.add_argument("models_args", nargs=argparse.REMAINDER, help="prepare [NAME...|--all] | tiny --out DIR | list")
    models.set_defaults(func=_models)

    _add_bench_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # what a report quotes as its command
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"tierd: {exc}", file=sys.stderr)
        return 2
