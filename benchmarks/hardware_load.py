"""The hardware benchmark's load: a realistic prompt mix, streamed chat requests timed on the client
(TTFT, gaps between chunks, usage), and a closed-loop step at a given concurrency while the device
is sampled. `benchmarks/hardware.py` runs the sweep with these."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.hardware_sweep import RequestSample
from tiers.telemetry import TelemetrySnapshot, TelemetrySource

DEFAULT_DATASET = Path(__file__).resolve().parent / "data" / "router_starter.jsonl"


@dataclass(frozen=True, slots=True)
class PromptItem:
    messages: list[dict[str, str]]
    max_tokens: int


def load_prompt_mix(
    path: Path, count: int, *, max_chars: int, output_tokens: Sequence[int], seed: int
) -> list[PromptItem]:
    """`count` chat requests drawn (with replacement, seeded) from a JSONL set of `messages` rows, each
    cut to `max_chars` characters in all, with a generated length drawn from `output_tokens`."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    conversations = [r["messages"] for r in rows if isinstance(r.get("messages"), list) and r["messages"]]
    if not conversations:
        raise ValueError(f"{path}: no rows with `messages`")
    rng = random.Random(seed)
    items: list[PromptItem] = []
    for _ in range(count):
        budget, messages = max_chars, []
        for message in rng.choice(conversations):
            content = str(message.get("content") or "")[: max(budget, 0)]
            budget -= len(content)
            messages.append({"role": str(message["role"]), "content": content})
        items.append(PromptItem(messages, rng.choice(list(output_tokens))))
    return items


async def stream_one(session: aiohttp.ClientSession, root: str, model: str, item: PromptItem) -> RequestSample:
    body = {
        "model": model,
        "messages": item.messages,
        "max_tokens": item.max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
        # vLLM's extension: generate exactly max_tokens, so every step does the work it says.
        "ignore_eos": True,
        "temperature": 0.0,
    }
    started = time.perf_counter()
    chunk_times: list[float] = []
    usage: dict[str, Any] = {}
    try:
        async with session.post(f"{root}/v1/chat/completions", json=body) as response:
            if response.status != 200:
                text = (await response.text())[:200]
                return RequestSample(False, time.perf_counter() - started, error=f"HTTP {response.status}: {text}")
            async for raw in response.content:
                line = raw.strip()
                if not line.startswith(b"data:") or line == b"data: [DONE]":
                    continue
                event = json.loads(line[5:])
                if event.get("usage"):
                    usage = event["usage"]
                if any((c.get("delta") or {}).get("content") for c in event.get("choices") or []):
                    chunk_times.append(time.perf_counter())
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return RequestSample(False, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
    ended = time.perf_counter()
    return RequestSample(
        ok=True,
        latency_s=ended - started,
        ttft_s=chunk_times[0] - started if chunk_times else None,
        itl_s=tuple(b - a for a, b in itertools.pairwise(chunk_times)),
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        output_tokens=int(usage.get("completion_tokens", 0)),
    )


class TelemetryRecorder:
    """Samples `source` every `interval_s` in a worker thread while a step runs."""

    def __init__(self, source: TelemetrySource, interval_s: float) -> None:
        self.source, self.interval_s = source, interval_s
        self.snapshots: list[TelemetrySnapshot] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            self.snapshots.append(await asyncio.to_thread(self.source.sample))

    async def __aenter__(self) -> TelemetryRecorder:
        await asyncio.to_thread(self.source.sample)  # primes CPU counters: the first sample starts here
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        # One more at the end: covers the step's tail, and a step shorter than the interval gets one.
        self.snapshots.append(await asyncio.to_thread(self.source.sample))


async def run_step(
    session: aiohttp.ClientSession,
    root: str,
    model: str,
    items: Sequence[PromptItem],
    concurrency: int,
    recorder: TelemetryRecorder,
    on_done: Callable[[], None] | None = None,
) -> tuple[list[RequestSample], float]:
    """A closed loop: `concurrency` workers each send their next request as soon as the last answers."""
    queue: asyncio.Queue[PromptItem] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    samples: list[RequestSample] = []

    async def worker() -> None:
        while not queue.empty():
            samples.append(await stream_one(session, root, model, queue.get_nowait()))
            if on_done is not None:
                on_done()

    async with recorder:
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return samples, wall
