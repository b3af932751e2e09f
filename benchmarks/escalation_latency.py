"""What checking costs a streamed answer that passes: TTFT and total time per stream mode.

    python -m benchmarks.escalation_latency [--requests 40] [--max-tokens 64]

tierd sits in front of one vLLM replica (the tiny model, `ignore_eos`, so every answer is exactly
`--max-tokens` tokens) whose tier has checks that pass (refusal, truncation), so nothing escalates and the
figures are the price of each mode alone: `off` (streamed unchecked), `prefix` (the first `--prefix-tokens`
chunks held and checked) and `buffer` (the whole answer checked before the first byte). Requests are sent
one at a time, modes interleaved, and the figures written to benchmarks/results/escalation_latency.json.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from benchmarks.gateway_overhead import Sample, _one
from benchmarks.processes import TierdServer, VllmServer, tiny_test_model
from benchmarks.report import percentile, write_report

MODES = ("off", "prefix", "buffer")
DEFAULT_OUT = Path(__file__).parent / "results" / "escalation_latency.json"


async def measure(url: str, args: argparse.Namespace) -> dict[str, list[Sample]]:
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": "Say something."}],
        "max_tokens": args.max_tokens,
        "ignore_eos": True,
        "stream": True,
    }
    samples: dict[str, list[Sample]] = {mode: [] for mode in MODES}
    async with httpx.AsyncClient(timeout=120) as client:
        for mode in MODES:  # warm-up
            client.headers["x-tierd-stream-mode"] = mode
            await _one(client, url, body)
        for _ in range(args.requests):
            for mode in MODES:
                client.headers["x-tierd-stream-mode"] = mode
                samples[mode].append(await _one(client, url, body))
    return samples


def summary(samples: list[Sample]) -> dict[str, float]:
    ttft = sorted(s.ttft_s * 1000 for s in samples)
    total = sorted(s.total_s * 1000 for s in samples)
    return {
        "ttft_p50_ms": statistics.median(ttft),
        "ttft_p95_ms": percentile(ttft, 0.95),
        "total_p50_ms": statistics.median(total),
        "total_p95_ms": percentile(total, 0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=40, help="per mode")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--prefix-tokens", type=int, default=16)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tierd-bench-", dir=Path.home() / ".cache") as workdir:
        vllm = VllmServer(tiny_test_model(), "bench-model", Path(workdir) / "vllm").start()
        try:
            vllm.wait_ready()
            config: dict[str, Any] = {
                "server": {"log_level": "warning", "log_unknown_fields": False},
                "tiers": [{"name": "tier-1", "kind": "vllm", "served_model_name": "bench-model", "urls": [vllm.root]}],
                "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
                "escalation": {
                    "prefix_tokens": args.prefix_tokens,
                    "tiers": {"tier-1": {"checks": ["refusal", "truncation"]}},
                },
            }
            tierd = TierdServer(config, Path(workdir) / "tierd").start()
            try:
                tierd.wait_ready()
                samples = asyncio.run(measure(f"{tierd.url}/v1/chat/completions", args))
            finally:
                tierd.stop()
        finally:
            vllm.stop()
    results = {mode: summary(s) for mode, s in samples.items()}
    print(f"{'mode':8s} {'TTFT p50':>10s} {'TTFT p95':>10s} {'total p50':>10s} {'total p95':>10s}")
    for mode, r in results.items():
        print(
            f"{mode:8s} {r['ttft_p50_ms']:8.1f}ms {r['ttft_p95_ms']:8.1f}ms "
            f"{r['total_p50_ms']:8.1f}ms {r['total_p95_ms']:8.1f}ms"
        )
    command = " ".join(["python -m benchmarks.escalation_latency", *(argv if argv is not None else sys.argv[1:])])
    report = {
        "benchmark": "escalation_latency",
        "command": command,
        "max_tokens": args.max_tokens,
        "prefix_tokens": args.prefix_tokens,
        "requests_per_mode": args.requests,
        "modes": results,
    }
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
