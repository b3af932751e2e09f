"""Prefix-cache affinity against load-only and random replica choice, on two real vLLM replicas.

    python -m benchmarks.prefix_affinity [--conversations 12] [--system-prompts 4] [--turns 4]
        [--system-tokens 2000] [--user-tokens 100] [--max-tokens 16] [--arrival-s 1.2] [--think-s 0.5]
        [--tiny | --model-dir DIR]

One tier of two attached vLLM replicas of SmolLM2-135M-Instruct (the bundled model `make setup`
prepares; `--tiny`: the tiny test model, whose prefill is too cheap for a cache hit to show in TTFT)
with prefix caching on (vLLM V1's default, passed explicitly), tierd in front. The workload:
conversations, each with one of a few shared system prompts of ~`--system-tokens` tokens
(deterministic text), `--turns` turns each (a ~`--user-tokens` user message, the model's own answer
kept in the history), temperature 0, streamed, so TTFT is the time to the first content chunk.
Conversation i starts at i x `--arrival-s` and waits `--think-s` between its turns: a steady stream
of overlapping conversations, not one burst, so later conversations can find their system prompt
cached and both replicas are kept busy.

The same workload runs once per `placement.replica_choice`, each on freshly started replicas (their
prefix caches empty) and a fresh tierd (its prefix index empty). Reported per mode: TTFT p50/p90,
and vLLM's prefix-cache hit rate, the deltas of `vllm:prefix_cache_hits_total` over
`vllm:prefix_cache_queries_total` (tokens) during the run, summed over both replicas.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks.processes import TierdServer, VllmServer, tiny_test_model
from benchmarks.report import percentile, write_report
from tiers.models.bundled import default_cache_dir

DEFAULT_OUT = Path(__file__).parent / "results" / "prefix_affinity.json"
MODES = ("affinity", "least_loaded", "random")
BUNDLED_MODEL = "smollm2-135m-instruct"
SERVED = "bench-model"
HITS, QUERIES = "vllm:prefix_cache_hits_total", "vllm:prefix_cache_queries_total"
PROMPT_TOKENS = "vllm:prompt_tokens_total"
_WORDS = (  # noqa: SIM905 (a word list is easier to read as text)
    "invoice ledger account balance quarter audit policy refund customer contract renewal region shipment "
    "warehouse forecast margin budget vendor approval escalation threshold compliance report summary export "
    "field column record schedule priority ticket status owner review"
).split()


class RequestFailed(Exception):
    """A request was answered with an error: nothing after it would measure the same thing."""


@dataclass(frozen=True)
class Conversation:
    index: int
    system: str
    user_turns: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    conversation: int
    turn: int
    ttft_s: float
    prefix_note: bool  # tierd's placement reason said the replica held part of the prompt


def _text(rng: random.Random, tokens: int, count: Any) -> str:
    """Deterministic filler of about `tokens` tokens by the model's own tokenizer."""
    words: list[str] = []
    while count(" ".join(words)) < tokens:
        words += [rng.choice(_WORDS) for _ in range(16)] + [f"({rng.randrange(10_000)})."]
    return " ".join(words)


def build_workload(args: argparse.Namespace, count: Any) -> list[Conversation]:
    rng = random.Random(args.seed)
    systems = [
        f"System prompt {p}: you are the assistant of team {p}. " + _text(rng, args.system_tokens, count)
        for p in range(args.system_prompts)
    ]
    return [
        Conversation(
            i,
            systems[i % len(systems)],
            tuple(
                f"Question {t} of conversation {i}: " + _text(rng, args.user_tokens, count) for t in range(args.turns)
            ),
        )
        for i in range(args.conversations)
    ]


async def _turn(
    client: httpx.AsyncClient, url: str, messages: list[dict[str, str]], max_tokens: int
) -> tuple[float, str, str]:
    """(TTFT, answer text, placement reason) of one streamed turn."""
    body = {"model": "tier-1", "messages": messages, "max_tokens": max_tokens, "temperature": 0, "stream": True}
    started = time.perf_counter()
    ttft: float | None = None
    pieces: list[str] = []
    async with client.stream("POST", url, json=body) as response:
        if response.status_code != 200:
            raise RequestFailed(f"{url} answered {response.status_code}: {(await response.aread())[:500]!r}")
        reason = response.headers.get("x-tierd-placement", "")
        async for line in response.aiter_lines():
            if not line.startswith("data: {"):
                continue
            for choice in json.loads(line[6:]).get("choices", []):
                content = (choice.get("delta") or {}).get("content")
                if content:
                    ttft = ttft if ttft is not None else time.perf_counter() - started
                    pieces.append(content)
    return (ttft if ttft is not None else time.perf_counter() - started), "".join(pieces), reason


async def run_workload(url: str, conversations: list[Conversation], args: argparse.Namespace) -> list[Sample]:
    samples: list[Sample] = []

    async def converse(client: httpx.AsyncClient, conversation: Conversation) -> None:
        await asyncio.sleep(conversation.index * args.arrival_s)
        messages = [{"role": "system", "content": conversation.system}]
        for turn, user in enumerate(conversation.user_turns):
            if turn:
                await asyncio.sleep(args.think_s)
            messages.append({"role": "user", "content": user})
            ttft, answer, reason = await _turn(client, url, messages, args.max_tokens)
            samples.append(Sample(conversation.index, turn, ttft, "blocks cached" in reason))
            messages.append({"role": "assistant", "content": answer})

    async with httpx.AsyncClient(timeout=300) as client:
        await asyncio.gather(*(converse(client, c) for c in conversations))
    return samples


def counters(root: str) -> dict[str, float]:
    """The replica's prefix-cache and prompt-token counters (summed over labels)."""
    wanted = {HITS: 0.0, QUERIES: 0.0, PROMPT_TOKENS: 0.0}
    for line in httpx.get(f"{root}/metrics", timeout=10).text.splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name in wanted:
            wanted[name] += float(line.rsplit(" ", 1)[1])
    return wanted


def _warm_up(replicas: list[VllmServer]) -> None:
    """One short request straight to each replica (not through tierd: its index stays empty), so that
    the first measured request does not pay vLLM's first-request setup."""
    for replica in replicas:
        body = {"model": SERVED, "messages": [{"role": "user", "content": "warm up"}], "max_tokens": 4}
        httpx.post(f"{replica.root}/v1/chat/completions", json=body, timeout=120).raise_for_status()


def run_mode(
    mode: str, model_dir: Path, conversations: list[Conversation], args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    replicas = [
        VllmServer(model_dir, SERVED, workdir / f"{mode}-vllm-{i}", extra_args=("--enable-prefix-caching",))
        for i in range(2)
    ]
    tierd: TierdServer | None = None
    try:
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.wait_ready()
        _warm_up(replicas)
        config: dict[str, Any] = {
            "server": {"log_level": "warning", "log_unknown_fields": False},
            "placement": {"replica_choice": mode, **args.placement},
            "tiers": [
                {
                    "name": "tier-1",
                    "kind": "vllm",
                    "served_model_name": SERVED,
                    "urls": [r.root for r in replicas],
                    "max_num_seqs": 16,  # TINY_ENGINE_ARGS' --max-num-seqs: the replicas' slots
                }
            ],
            "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
        }
        tierd = TierdServer(config, workdir / f"{mode}-tierd").start().wait_ready()
        before = [counters(r.root) for r in replicas]
        started = time.perf_counter()
        samples = asyncio.run(run_workload(f"{tierd.url}/v1/chat/completions", conversations, args))
        wall_s = time.perf_counter() - started
        time.sleep(0.5)  # counters are updated as requests finish; the last stream just closed
        after = [counters(r.root) for r in replicas]
    finally:
        if tierd is not None:
            tierd.stop()
        for replica in replicas:
            replica.stop()
    delta = [{k: a[k] - b[k] for k in a} for a, b in zip(after, before, strict=True)]
    hits, queries = sum(d[HITS] for d in delta), sum(d[QUERIES] for d in delta)
    prompt_tokens = [d[PROMPT_TOKENS] for d in delta]
    ttft = [s.ttft_s for s in samples]
    later = [s.ttft_s for s in samples if s.turn > 0]
    return {
        "ttft_p50_ms": percentile(ttft, 0.5) * 1e3,
        "ttft_p90_ms": percentile(ttft, 0.9) * 1e3,
        "prefix_hit_rate": hits / queries if queries else 0.0,
        "later_turns_ttft_p50_ms": percentile(later, 0.5) * 1e3 if later else None,
        "later_turns_ttft_p90_ms": percentile(later, 0.9) * 1e3 if later else None,
        "requests": len(samples),
        "prefix_cache_hit_tokens": hits,
        "prefix_cache_query_tokens": queries,
        "prompt_tokens_per_replica": prompt_tokens,
        "placed_for_cached_prefix": sum(s.prefix_note for s in samples),
        "wall_s": wall_s,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default=",".join(MODES), type=lambda s: s.split(","))
    parser.add_argument("--conversations", type=int, default=12)
    parser.add_argument("--system-prompts", type=int, default=4, help="shared among the conversations")
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--system-tokens", type=int, default=2000)
    parser.add_argument("--user-tokens", type=int, default=100)
    parser.add_argument("--max-tokens", type=int, default=16)
    parser.add_argument("--arrival-s", type=float, default=1.2, help="conversation i starts at i x this")
    parser.add_argument("--think-s", type=float, default=0.5, help="pause between a conversation's turns")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--prefix-weight", type=float, help="placement.prefix_weight (default: tierd's)")
    parser.add_argument("--load-weight", type=float, help="placement.load_weight (default: tierd's)")
    models = parser.add_mutually_exclusive_group()
    models.add_argument("--model-dir", type=Path, help="model folder (default: the bundled SmolLM2-135M-Instruct)")
    models.add_argument("--tiny", action="store_true", help="the tiny test model (prefill too cheap to matter)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    weights = {"prefix_weight": args.prefix_weight, "load_weight": args.load_weight}
    args.placement = {k: v for k, v in weights.items() if v is not None}
    unknown = set(args.modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes {sorted(unknown)}; known: {', '.join(MODES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    model_dir = args.model_dir or (tiny_test_model() if args.tiny else default_cache_dir() / BUNDLED_MODEL)
    if not (model_dir / "tokenizer.json").is_file():
        print(f"{model_dir} is not a prepared model folder; run `make setup`", file=sys.stderr)
        return 2
    from tokenizers import Tokenizer  # the model's own tokenizer, to size the prompts in its tokens

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))

    def count(text: str) -> int:
        return len(tokenizer.encode(text).ids)

    conversations = build_workload(args, count)
    system_tokens = sorted({count(c.system) for c in conversations})
    print(
        f"{len(conversations)} conversations x {args.turns} turns, {args.system_prompts} system prompts of "
        f"{system_tokens} tokens, 2 replicas; modes: {', '.join(args.modes)}",
        flush=True,
    )
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="tierd-bench-", dir=Path.home() / ".cache") as workdir:
        for mode in args.modes:
            try:
                results[mode] = run_mode(mode, model_dir, conversations, args, Path(workdir))
            except RequestFailed as exc:
                print(f"benchmark stopped in mode {mode}: {exc}", file=sys.stderr)
                return 1
            r = results[mode]
            print(
                f"{mode:>12}: TTFT p50 {r['ttft_p50_ms']:7.1f} ms  p90 {r['ttft_p90_ms']:7.1f} ms  "
                f"prefix hit rate {r['prefix_hit_rate']:6.1%}  prompt tokens per replica "
                f"{[round(t) for t in r['prompt_tokens_per_replica']]}  ({r['wall_s']:.0f} s)",
                flush=True,
            )
    report = {
        "benchmark": "prefix_affinity",
        "command": " ".join(["python -m benchmarks.prefix_affinity", *(argv if argv is not None else sys.argv[1:])]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **results,
        "context": {
            "replicas": 2,
            "conversations": args.conversations,
            "turns": args.turns,
            "requests_per_mode": args.conversations * args.turns,
            "system_prompts": args.system_prompts,
            "system_prompt_tokens": system_tokens,
            "user_tokens": args.user_tokens,
            "max_tokens": args.max_tokens,
            "arrival_s": args.arrival_s,
            "think_s": args.think_s,
            "placement_overrides": args.placement,
            "model": str(model_dir),
            "caches": "each mode on freshly started vLLM replicas and a fresh tierd: empty caches and index",
        },
    }
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
