"""What tierd adds on the request path: the same requests straight to a vLLM replica and through
tierd, streamed and not, at several concurrency levels, interleaved in one run.

    python -m benchmarks.gateway_overhead [--levels 1,8,32] [--shapes stream,json] [--requests 64] [--max-tokens 32]

Prints added latency (p50/p99 of TTFT and of the whole request; a JSON answer's TTFT is its
whole time), the throughput ratio (through tierd / direct) and tierd's own CPU per request, and
writes the figures as JSON. Every request generates exactly `--max-tokens` tokens (`ignore_eos`),
so both paths do the same work. tierd runs with its defaults on the request path: the ledger
(SQLite), metrics, the rules classifier and placement over scraped load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

from benchmarks.processes import TierdServer, VllmServer, tiny_test_model
from benchmarks.report import percentile, write_report

DEFAULT_OUT = Path(__file__).parent / "results" / "gateway_overhead.json"


@dataclass(frozen=True)
class Sample:
    ttft_s: float
    total_s: float


@dataclass(frozen=True)
class Batch:
    samples: list[Sample]
    wall_s: float


async def _one(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> Sample:
    started = time.perf_counter()
    if not body["stream"]:
        response = await client.post(url, json=body)
        _check(response)
        total = time.perf_counter() - started
        return Sample(total, total)
    ttft = None
    async with client.stream("POST", url, json=body) as response:
        if response.status_code != 200:
            await response.aread()
        _check(response)
        async for line in response.aiter_lines():
            if ttft is None and line.startswith("data: {") and '"content":""' not in line and '"content"' in line:
                ttft = time.perf_counter() - started
    total = time.perf_counter() - started
    return Sample(ttft if ttft is not None else total, total)


class RequestFailed(Exception):
    """A request of the benchmark was answered with an error: the run measures nothing after that."""


def _check(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise RequestFailed(f"{response.request.url} answered {response.status_code}: {response.text[:500]}")


async def _batch(client: httpx.AsyncClient, url: str, body: dict[str, Any], requests: int, concurrency: int) -> Batch:
    gate = asyncio.Semaphore(concurrency)

    async def run() -> Sample:
        async with gate:
            return await _one(client, url, body)

    started = time.perf_counter()
    samples = await asyncio.gather(*(run() for _ in range(requests)))
    return Batch(list(samples), time.perf_counter() - started)


def _summary(batches: list[Batch]) -> dict[str, float]:
    samples = [s for b in batches for s in b.samples]
    ttft = [s.ttft_s for s in samples]
    total = [s.total_s for s in samples]
    return {
        "ttft_p50_ms": percentile(ttft, 0.5) * 1e3,
        "ttft_p99_ms": percentile(ttft, 0.99) * 1e3,
        "total_p50_ms": percentile(total, 0.5) * 1e3,
        "total_p99_ms": percentile(total, 0.99) * 1e3,
        "requests_per_s": len(samples) / sum(b.wall_s for b in batches),
        "requests": len(samples),
    }


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def measure(direct_url: str, tierd_url: str, tierd_pid: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    results = []
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        for shape, concurrency in [(shape, level) for shape in args.shapes for level in args.levels]:
            body_direct = _body(args.served_name, args.max_tokens, shape == "stream")
            body_tierd = _body("tier-1", args.max_tokens, shape == "stream")
            await _batch(client, direct_url, body_direct, concurrency, concurrency)  # warm-up
            await _batch(client, tierd_url, body_tierd, concurrency, concurrency)
            direct: list[Batch] = []
            through: list[Batch] = []
            per_round = max(concurrency, args.requests // args.rounds)
            tierd_cpu = 0.0
            for _ in range(args.rounds):  # interleaved, so drift hits both paths alike
                direct.append(await _batch(client, direct_url, body_direct, per_round, concurrency))
                cpu_before = _cpu_s(tierd_pid)
                through.append(await _batch(client, tierd_url, body_tierd, per_round, concurrency))
                tierd_cpu += _cpu_s(tierd_pid) - cpu_before
            d, t = _summary(direct), _summary(through)
            results.append(
                {
                    "shape": shape,
                    "concurrency": concurrency,
                    "direct": d,
                    "tierd": t,
                    "added_ttft_p50_ms": t["ttft_p50_ms"] - d["ttft_p50_ms"],
                    "added_ttft_p99_ms": t["ttft_p99_ms"] - d["ttft_p99_ms"],
                    "added_total_p50_ms": t["total_p50_ms"] - d["total_p50_ms"],
                    "added_total_p99_ms": t["total_p99_ms"] - d["total_p99_ms"],
                    "throughput_ratio": t["requests_per_s"] / d["requests_per_s"],
                    # What tierd itself burns per relayed request: on a box where the client, tierd
                    # and vLLM share two cores, this is what turns into added latency.
                    "tierd_cpu_ms_per_request": tierd_cpu / t["requests"] * 1e3,
                }
            )
            _print_row(results[-1])
    return results


def _body(model: str, max_tokens: int, stream: bool) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [{"role": "user", "content": "Write a short note about the weather."}],
        "max_tokens": max_tokens,
        "ignore_eos": True,
        "stream": stream,
    }


def _print_header() -> None:
    print(
        f"{'shape':>6} | {'conc.':>5} | {'added TTFT p50/p99 ms':>22} | {'added total p50/p99 ms':>23} | "
        f"{'direct req/s':>12} | {'tierd req/s':>11} | {'ratio':>5} | {'tierd CPU ms/req':>16}"
    )


def _print_row(r: dict[str, Any]) -> None:
    print(
        f"{r['shape']:>6} | {r['concurrency']:>5} | {r['added_ttft_p50_ms']:>10.2f} / {r['added_ttft_p99_ms']:>9.2f} | "
        f"{r['added_total_p50_ms']:>11.2f} / {r['added_total_p99_ms']:>9.2f} | "
        f"{r['direct']['requests_per_s']:>12.2f} | {r['tierd']['requests_per_s']:>11.2f} | "
        f"{r['throughput_ratio']:>5.3f} | {r['tierd_cpu_ms_per_request']:>16.2f}",
        flush=True,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,8,32", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--shapes", default="stream,json", type=lambda s: s.split(","), help="stream and/or json")
    parser.add_argument("--requests", type=int, default=64, help="requests per path per level")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds per level")
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--model-dir", type=Path, help="model folder (default: the tiny test model)")
    parser.add_argument(
        "--runaway", action="store_true", help="tier-1 with the runaway guard on (JSON then goes upstream streamed)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.served_name = "bench-model"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    model_dir = args.model_dir or tiny_test_model()
    with tempfile.TemporaryDirectory(prefix="tierd-bench-", dir=Path.home() / ".cache") as workdir:
        vllm = VllmServer(model_dir, args.served_name, Path(workdir) / "vllm", extra_args=("--max-num-seqs", "64"))
        vllm.start()
        try:
            vllm.wait_ready()
            config: dict[str, Any] = {
                "server": {"log_level": "warning", "log_unknown_fields": False},
                "tiers": [
                    {"name": "tier-1", "kind": "vllm", "served_model_name": args.served_name, "urls": [vllm.root]}
                ],
                "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
            }
            if args.runaway:
                config["escalation"] = {"tiers": {"tier-1": {"runaway": {"enabled": True}}}}
            tierd = TierdServer(config, Path(workdir) / "tierd").start()
            try:
                tierd.wait_ready()
                _print_header()
                try:
                    results = asyncio.run(
                        measure(f"{vllm.root}/v1/chat/completions", f"{tierd.url}/v1/chat/completions", tierd.pid, args)
                    )
                except RequestFailed as exc:
                    print(f"benchmark stopped: {exc}\n--- tierd's log ---\n{tierd.log_tail(40)}", file=sys.stderr)
                    return 1
                # A stopped request would be shorter than its direct twin: the figures would not compare.
                metrics = httpx.get(f"{tierd.url}/metrics", timeout=10).text
                stops = sum(
                    float(line.split()[-1])
                    for line in metrics.splitlines()
                    if line.startswith("tierd_runaway_stops_total")
                )
                print(f"runaway guard stops: {stops:.0f}")
            finally:
                tierd.stop()
        finally:
            vllm.stop()
    report = {
        "benchmark": "gateway_overhead",
        "command": " ".join(["python -m benchmarks.gateway_overhead", *(argv if argv is not None else sys.argv[1:])]),
        "max_tokens": args.max_tokens,
        "runaway_guard": args.runaway,
        "runaway_stops": stops,
        "model": str(model_dir),
        "levels": results,
        "median_added_total_p50_ms": statistics.median(r["added_total_p50_ms"] for r in results),
    }
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
