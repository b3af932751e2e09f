"""Routing decision latency: features + classification + placement, per request.

    python -m benchmarks.router_overhead [--prompts 1000] [--classifiers rules,learned,hybrid,...]
                                         [--config FILE | --preset cpu]

Times `Router.decide` (what the request path runs) on varied prompts — short questions,
code, math, multi-turn chats, other scripts, long pasted documents — one classifier at a time
(the config's sections, with `routing.classifier` swapped), and prints p50/p99 for each. The
`learned-embed` and `hybrid-embed` variants set `fast_path_confidence: 1.0`: every request pays
for the MiniLM embedding. Writes the figures to benchmarks/results/router_overhead.json.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.report import percentile, write_report
from server.routing.wiring import build_router
from server.settings import LearnedClassifierSettings, Settings, load_settings
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot

DEFAULT_OUT = Path(__file__).parent / "results" / "router_overhead.json"

_SHORT = [
    "What is the capital of {x}?",
    "Classify the sentiment: I {x} this movie.",
    "Translate to French: good {x}",
    "Extract the email from: contact {x}@example.com today",
    "Say hi to {x}",
]
_HARD = [
    "Prove step by step that {x} has infinitely many solutions, then write a Python function for it.",
    "```python\ndef {x}(n):\n    return [i for i in range(n) if i % 2]\n```\nRefactor this and add unit tests.",
    "Solve: 17 + 25 * {x} = ? Show your reasoning and compare two methods.",
    "Plan a migration of our {x} service to Kubernetes, analyze the trade-offs.",
]
_OTHER_SCRIPTS = ["今日は{x}の天気はどうですか", "Привет, {x}! Как дела?", "مرحبا {x} كيف حالك", "नमस्ते {x}"]


def varied_bodies(n: int, seed: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bodies: list[dict[str, Any]] = []
    for i in range(n):
        kind = rng.random()
        word = rng.choice(["Paris", "alpha", "ocean", "matrix", "lambda", "river"]) + str(i)
        if kind < 0.45:
            text = rng.choice(_SHORT).format(x=word)
        elif kind < 0.75:
            text = rng.choice(_HARD).format(x=word)
        elif kind < 0.85:
            text = rng.choice(_OTHER_SCRIPTS).format(x=word)
        else:  # a pasted document with a question on top
            text = f"Summarize this for {word}:\n" + ("lorem ipsum dolor sit amet " * rng.randint(100, 2000))
        messages = [{"role": "user", "content": text}]
        if rng.random() < 0.2:
            messages = [{"role": "system", "content": "Be brief."}, *messages]
        bodies.append({"model": "auto", "messages": messages})
    return bodies


def _snapshots(tier_names: list[str]) -> list[TierSnapshot]:
    ready = ReplicaSnapshot("r", "http://x/v1", ReplicaStatus.READY, 0, 0, 0.0)
    return [TierSnapshot(n, TierKind.VLLM_MANAGED, n, True, True, (ready,)) for n in tier_names]


def with_classifier(settings: Settings, variant: str) -> Settings:
    """`rules`, `learned`, `hybrid`, or `learned-embed`/`hybrid-embed` (the lexical fast path off)."""
    name, _, embed = variant.partition("-")
    routing = settings.routing.model_copy(update={"classifier": name})
    if embed:
        learned = settings.routing.learned or LearnedClassifierSettings()
        routing = routing.model_copy(update={"learned": learned.model_copy(update={"fast_path_confidence": 1.0})})
    return settings.model_copy(update={"routing": routing})


def measure(settings: Settings, variant: str, prompts: int) -> dict[str, Any]:
    router = build_router(with_classifier(settings, variant))
    snapshots = _snapshots([t.name for t in settings.tiers])
    bodies = varied_bodies(prompts)
    for body in bodies[:50]:  # warm caches (regex compilation is already done at build time)
        router.decide(body, None, snapshots)
    timings = []
    stages: Counter[str] = Counter()
    for body in bodies:
        start = time.perf_counter_ns()
        decision = router.decide(body, None, snapshots)
        timings.append((time.perf_counter_ns() - start) / 1e6)
        if decision.classification is not None:
            stages.update(r for r in decision.classification.matched_rules if r.startswith("learned:"))
    timings.sort()
    return {
        "classifier": variant,
        "embedded_share": stages["learned:semantic"] / len(bodies),
        "prompts": len(bodies),
        "p50_ms": statistics.median(timings),
        "p99_ms": percentile(timings, 0.99),
        "max_ms": timings[-1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=1000)
    parser.add_argument("--classifiers", default="rules,learned,hybrid,learned-embed,hybrid-embed")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path)
    group.add_argument("--preset", default="cpu")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    settings = load_settings(args.config, preset=args.preset)
    results = []
    for variant in args.classifiers.split(","):
        result = measure(settings, variant, args.prompts)
        results.append(result)
        print(
            f"{variant:14s} p50 {result['p50_ms']:.3f} ms, p99 {result['p99_ms']:.3f} ms, "
            f"max {result['max_ms']:.3f} ms over {result['prompts']} prompts "
            f"(embedded {result['embedded_share']:.0%})",
            flush=True,
        )
    write_report(args.out, {"benchmark": "router_overhead", "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
