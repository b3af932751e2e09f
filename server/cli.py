"""The `tierd` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from server.router_cli import add_router_commands
from server.settings import PRESETS, ConfigError, Settings, load_settings


def _add_config_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path, help="YAML config file (default: $TIERD_CONFIG, else the cpu preset)")
    group.add_argument("--preset", choices=PRESETS, help="a config shipped with tierd")


def _load(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, preset=args.preset)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app

    settings = _load(args)
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    logging.basicConfig(
        level=settings.server.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = create_app(settings)
    print(
        f"[tierd] serving on http://{host}:{port}/v1 (tiers: {', '.join(t.name for t in settings.tiers)})", flush=True
    )
    uvicorn.run(
        app, host=host, port=port, log_level=settings.server.log_level, timeout_graceful_shutdown=10, access_log=False
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

    models = sub.add_parser("models", help="prepare bundled models: prepare [NAME...|--all], list, tiny --out DIR")
    models.add_argument("models_args", nargs=argparse.REMAINDER, help="prepare [NAME...|--all] | tiny --out DIR | list")
    models.set_defaults(func=_models)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"tierd: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
