"""What embedding a prompt costs the router: the ONNX MiniLM encoder (server/routing/embedding.py) on one core.

    python -m benchmarks.embedding_latency [--prompts 1000] [--batch-sizes 1,8,32,128]

Exports the model first if the cache lacks it (`python -m tiers.models prepare-embedder`), then prints the load
time, p50/p99 latency of one `encode([prompt])` call over varied short prompts (the router's case: one request,
one prompt), and throughput when the same prompts are encoded in batches. Writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.report import percentile, write_report

DEFAULT_OUT = Path(__file__).parent / "results" / "embedding_latency.json"

_OPENERS = ["", "Please ", "Can you ", "Quick question: ", "I need help. ", "Hi! "]
_TASKS = [
    "summarise this paragraph about {topic} in two sentences",
    "explain {topic} to a ten-year-old",
    "write a Python function that {code}",
    "what is {a} times {b}?",
    "translate 'the {topic} report is late' into French",
    "give me three arguments for and against {topic}",
    "fix the bug: `def add(a, b): return a - b` returns {a} for add({b}, 0)",
    "prove that the sum of the first {a} odd numbers is a square",
    "draft a polite email declining a meeting about {topic}",
    "compare {topic} and {other} for a small team, with a table",
]
_TOPICS = ["load balancing", "vector databases", "photosynthesis", "the French revolution", "Kubernetes",
           "index funds", "sourdough bread", "TLS certificates", "climate models", "GPU memory"]  # fmt: skip
_CODE = ["parses ISO dates", "merges two sorted lists", "retries an HTTP call", "counts words in a file"]


def make_prompts(n: int, seed: int = 0) -> list[str]:
    """`n` varied chat prompts, 3 to ~60 words, the same for a given seed."""
    rng = random.Random(seed)
    prompts = []
    for _ in range(n):
        task = rng.choice(_TASKS).format(
            topic=rng.choice(_TOPICS),
            other=rng.choice(_TOPICS),
            code=rng.choice(_CODE),
            a=rng.randint(2, 999),
            b=rng.randint(2, 999),
        )
        context = " ".join(rng.choice(_TOPICS) for _ in range(rng.choice([0, 0, 0, 3, 12])))
        prompts.append(f"{rng.choice(_OPENERS)}{task}" + (f" Context: {context}." if context else ""))
    return prompts


def measure(folder: Path, prompts: list[str], batch_sizes: list[int]) -> dict[str, Any]:
    started = time.perf_counter()
    from server.routing.embedding import MiniLmEncoder  # timed: importing onnxruntime is part of a cold start

    imported = time.perf_counter()
    encoder = MiniLmEncoder.load(folder)
    load_s = time.perf_counter() - imported
    import_s = imported - started
    for prompt in prompts[:20]:  # first calls allocate onnxruntime's arenas
        encoder.encode([prompt])

    latencies = []
    cpu_started = time.process_time()
    for prompt in prompts:
        call_started = time.perf_counter()
        encoder.encode([prompt])
        latencies.append(time.perf_counter() - call_started)
    cpu_per_call = (time.process_time() - cpu_started) / len(prompts)
    single = {
        "p50_ms": percentile(latencies, 0.50) * 1e3,
        "p99_ms": percentile(latencies, 0.99) * 1e3,
        "mean_ms": statistics.fmean(latencies) * 1e3,
        "cpu_ms_per_call": cpu_per_call * 1e3,
    }
    batched = []
    for size in batch_sizes:
        call_started = time.perf_counter()
        encoder.encode(prompts, batch_size=size)
        wall = time.perf_counter() - call_started
        per_prompt = wall / len(prompts)
        batched.append({"batch_size": size, "prompts_per_s": 1 / per_prompt, "us_per_prompt": per_prompt * 1e6})
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokens = [len(tokenizer.encode(p).ids) for p in prompts]
    return {
        "import_s": import_s,
        "load_s": load_s,
        "single": single,
        "batched": batched,
        "prompt_tokens": {"min": min(tokens), "p50": percentile(tokens, 0.5), "max": max(tokens)},
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.embedding_latency", description=__doc__)
    parser.add_argument("--prompts", type=int, default=1000)
    parser.add_argument("--batch-sizes", default="1,8,32,128", help="comma-separated encode batch sizes")
    parser.add_argument("--cache-dir", type=Path, default=None, help="model cache (default: tierd's)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from tiers.models.bundled import default_cache_dir
    from tiers.models.minilm import prepare_embedder

    folder = prepare_embedder(args.cache_dir or default_cache_dir())
    prompts = make_prompts(args.prompts)
    figures = measure(folder, prompts, [int(size) for size in args.batch_sizes.split(",")])
    single = figures["single"]
    print(f"import {figures['import_s'] * 1e3:.0f} ms, load (tokenizer + session) {figures['load_s'] * 1e3:.0f} ms")
    print(f"prompt length, tokens: {figures['prompt_tokens']}")
    print(
        f"one prompt per call ({len(prompts)} prompts): p50 {single['p50_ms']:.2f} ms, p99 {single['p99_ms']:.2f} ms,"
        f" mean {single['mean_ms']:.2f} ms, CPU {single['cpu_ms_per_call']:.2f} ms/call"
    )
    for row in figures["batched"]:
        size, rate, cost = row["batch_size"], row["prompts_per_s"], row["us_per_prompt"]
        print(f"batch {size:>4}: {rate:8.0f} prompts/s ({cost:.0f} us/prompt)")
    report = {
        "benchmark": "embedding_latency",
        "command": f"python -m benchmarks.embedding_latency --prompts {args.prompts} --batch-sizes {args.batch_sizes}",
        "model": str(folder),
        "threads": {"intra_op": 1, "inter_op": 1},
        "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()},
        "load_average_1m": os.getloadavg()[0],  # other work on the box skews the figures; this says how much
        **figures,
    }
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
