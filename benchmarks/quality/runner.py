"""Asks one tier every item it has not answered yet: bounded concurrency, a progress bar, the cache as it goes.

The runner knows nothing about how a tier is reached: it gets a `Call` (send a request, return the JSON
body) from targets.py. Each answer is written to the cache the moment it arrives, so an interrupted run
(Ctrl-C, a killed process, a cancelled task) loses only the calls in flight, and the next run asks only
for the answers that are missing.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from benchmarks.quality.cache import OutcomeCache, OutcomeKey
from benchmarks.quality.model import BenchItem, Outcome
from benchmarks.quality.prompts import PromptParams, Request, render
from tiers.base import UpstreamError, UpstreamUnavailable

# Sends one request to a tier (its model already pinned) and returns the parsed JSON answer.
Call = Callable[[Request, str], Awaitable[dict[str, Any]]]
UNAVAILABLE_RETRY_S = 2.0
# $ for one answer from its token counts; None when the tier's price is unknown.
CostFn = Callable[[int, int], float | None]


class Progress(Protocol):
    def start(self, label: str, total: int) -> Callable[[], None]: ...

    def done(self, label: str, text: str) -> None: ...


@dataclass(frozen=True, slots=True)
class TierJob:
    tier: str
    model: str  # the served model, part of the cache key
    call: Call
    cost: CostFn
    params_for: Callable[[BenchItem], PromptParams]
    timeout_s: float = 600.0
    unavailable_wait_s: float = 300.0  # how long a call waits for a tier with no ready replica (503)


@dataclass(frozen=True, slots=True)
class TierRunStats:
    tier: str
    cached: int
    computed: int
    failed: int
    wall_s: float
    # When the cached answers were written (Unix times): a report then says which run computed them.
    cached_span: tuple[float, float] | None = None

    def line(self) -> str:
        when = ""
        if self.cached and self.cached_span is not None:
            first, last = (datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M") for t in self.cached_span)
            when = f" (written {first} to {last} UTC)"
        return (
            f"{self.tier}: {self.cached} answers from the cache{when}, {self.computed} computed "
            f"({self.failed} failed) in {self.wall_s:.1f}s"
        )


def key_for(job: TierJob, item: BenchItem, params: PromptParams | None = None) -> OutcomeKey:
    """The cache key of the job's answer to `item`; `params` when the caller already has `job.params_for(item)`."""
    return tier_key(job.tier, job.model, job.params_for(item) if params is None else params, item)


def tier_key(tier: str, model: str, params: PromptParams, item: BenchItem) -> OutcomeKey:
    """The one place an outcome's cache key is built (pipeline.tier_keys uses it without a TierJob)."""
    return (item.dataset, item.item_id, tier, model, params.params_hash(item))


async def run_tier(
    job: TierJob, items: Sequence[BenchItem], cache: OutcomeCache, concurrency: int, progress: Progress
) -> TierRunStats:
    """Every item's outcome for this tier ends up in the cache (a failed call as an outcome with `error`)."""
    started = time.monotonic()
    keys = {item.key: key_for(job, item) for item in items}
    present = cache.present(keys.values())
    missing = [item for item in items if keys[item.key] not in present]
    advance = progress.start(f"{job.tier} ({job.model})", len(missing))
    gate = asyncio.Semaphore(concurrency)
    patience = Patience(job.unavailable_wait_s)

    async def one(item: BenchItem) -> Outcome:
        async with gate:
            outcome = await ask(job, item, patience)
        cache.put(outcome)  # at once: a later interruption cannot lose it
        advance()
        return outcome

    outcomes = await asyncio.gather(*(one(item) for item in missing))
    failed = sum(o.error is not None for o in outcomes)
    span = cache.written_between(present)
    stats = TierRunStats(job.tier, len(present), len(missing), failed, time.monotonic() - started, span)
    progress.done(job.tier, stats.line())
    return stats


@dataclass
class Patience:
    """How long calls wait for a tier with no ready replica; once one call gives up, the others do not wait."""

    wait_s: float
    exhausted: bool = False


async def ask(job: TierJob, item: BenchItem, patience: Patience | None = None) -> Outcome:
    patience = patience or Patience(job.unavailable_wait_s)
    params = job.params_for(item)
    request = render(item, params)
    base = key_for(job, item, params)
    give_up_at = time.monotonic() + patience.wait_s
    while True:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(job.timeout_s):
                body = await job.call(request, f"quality-{uuid.uuid4().hex[:12]}")
            output, prompt_tokens, completion_tokens = parse_answer(body, request.path)
        except UpstreamError as exc:
            # 503: no replica ready (one crashed and is being restarted by its supervisor): wait for it rather
            # than record a failure the tier's answers never had.
            unavailable = isinstance(exc, UpstreamUnavailable) or exc.status == 503
            if unavailable and not patience.exhausted and time.monotonic() < give_up_at:
                await asyncio.sleep(UNAVAILABLE_RETRY_S)
                continue
            patience.exhausted = patience.exhausted or unavailable
            return _failed(base, started, exc)
        except Exception as exc:  # any failed call is an outcome too (scored 0, retried by the next run)
            return _failed(base, started, exc)
        break
    latency = time.perf_counter() - started
    return Outcome(*base, output, prompt_tokens, completion_tokens, latency, job.cost(prompt_tokens, completion_tokens))


def _failed(base: tuple[str, str, str, str, str], started: float, exc: Exception) -> Outcome:
    return Outcome(*base, None, None, None, time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}")


def parse_answer(body: dict[str, Any], path: str) -> tuple[str, int, int]:
    choice = body["choices"][0]
    text = choice["message"].get("content") if path == "/chat/completions" else choice.get("text")
    usage = body.get("usage") or {}
    return str(text or ""), int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


class PlainProgress:
    """A line per tier (logs, CI, tests)."""

    def start(self, label: str, total: int) -> Callable[[], None]:
        print(f"[quality] {label}: {total} calls to make", flush=True)
        return lambda: None

    def done(self, label: str, text: str) -> None:
        print(f"[quality] {text}", flush=True)


class RichProgress:
    """A rich progress bar per tier on a terminal."""

    def __init__(self) -> None:
        import rich.console
        import rich.progress

        self._console = rich.console.Console(file=sys.stdout)
        self._progress = rich.progress
        self._bar: Any = None

    @property
    def is_terminal(self) -> bool:
        return bool(self._console.is_terminal)

    def start(self, label: str, total: int) -> Callable[[], None]:
        p = self._progress
        bar = p.Progress(
            p.TextColumn("{task.description}"),
            p.BarColumn(),
            p.MofNCompleteColumn(),
            p.TimeElapsedColumn(),
            p.TimeRemainingColumn(),
            console=self._console,
        )
        task = bar.add_task(label, total=total)
        bar.start()
        self._bar = bar
        return lambda: bar.advance(task)

    def done(self, label: str, text: str) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        self._console.print(f"[quality] {text}", markup=False, highlight=False)


def make_progress() -> Progress:
    try:
        rich_progress = RichProgress()
    except ImportError:
        return PlainProgress()
    return rich_progress if rich_progress.is_terminal else PlainProgress()
