"""The quality runner against a real vLLM tier (the tiny model): an interrupted run resumes from the cache,
computing only the missing answers, and ends with the same outcomes as an uninterrupted run."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from benchmarks.quality.cache import OutcomeCache
from benchmarks.quality.datasets import load_all, parse_specs
from benchmarks.quality.model import BenchItem, Outcome
from benchmarks.quality.pipeline import tier_job, tier_keys
from benchmarks.quality.runner import PlainProgress, TierRunStats, run_tier
from benchmarks.quality.targets import TierGateway
from server.settings import Settings, validate_settings
from server.wiring import build_pricing
from tests.support import VllmServer, attached_tier, remote_tier
from tiers.http_upstream import HttpClient

pytestmark = pytest.mark.integration


def _settings(upstream: VllmServer) -> Settings:
    config = {
        "tiers": [attached_tier("tier-1", upstream), remote_tier("frontier", None)],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        # Completion prompts for evals, chat for the rest: both endpoints are exercised.
        "bench": {"quality": {"max_tokens": {"*": 12}, "formats": {"tier-1": {"evals": "completion"}}}},
    }
    return validate_settings(config, "test")


async def _run(
    settings: Settings, items: Sequence[BenchItem], cache: OutcomeCache, *, interrupt_after: int | None = None
) -> TierRunStats | None:
    client = HttpClient()
    await client.open()
    try:
        gateway = TierGateway(settings, client, build_pricing(settings))
        async with gateway.session("tier-1", startup_timeout_s=60) as access:
            job = tier_job(settings, access)
            task = asyncio.create_task(run_tier(job, items, cache, 1, PlainProgress()))
            if interrupt_after is None:
                return await task
            # Polls the SQLite file, as an observer of a real run would (the runner knows nothing of the test).
            while cache.count() < interrupt_after and not task.done():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            task.cancel()  # as Ctrl-C does to a running benchmark
            with pytest.raises(asyncio.CancelledError):
                await task
            return None
    finally:
        await client.close()


def _outputs(settings: Settings, items: Sequence[BenchItem], cache: OutcomeCache) -> list[Outcome | None]:
    return [cache.get(key) for key in tier_keys(settings, "tier-1", items)]


async def test_interrupted_run_resumes_with_only_the_missing_answers(
    ready_upstreams: dict[str, VllmServer], tmp_path: Path
) -> None:
    settings = _settings(ready_upstreams["tier-2"])
    items = load_all(parse_specs("gsm8k@4,evals:born-first@4"), None, seed=3)

    with OutcomeCache(tmp_path / "interrupted.sqlite") as cache:
        await _run(settings, items, cache, interrupt_after=3)
        done_before = cache.count()
        assert 3 <= done_before < len(items)
        stats = await _run(settings, items, cache)
        assert stats is not None
        assert (stats.cached, stats.computed, stats.failed) == (done_before, len(items) - done_before, 0)
        resumed = _outputs(settings, items, cache)

    with OutcomeCache(tmp_path / "straight.sqlite") as cache:
        stats = await _run(settings, items, cache)
        assert stats is not None and (stats.cached, stats.computed) == (0, len(items))
        straight = _outputs(settings, items, cache)

    assert all(o is not None and o.completion_tokens for o in resumed)
    # Greedy answers one at a time: the resumed run's answers are the uninterrupted run's.
    assert [o.output for o in resumed if o] == [o.output for o in straight if o]
    assert [o.prompt_tokens for o in resumed if o] == [o.prompt_tokens for o in straight if o]
