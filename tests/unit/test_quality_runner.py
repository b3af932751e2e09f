"""The runner's handling of a tier without a ready replica (a crashed engine its supervisor restarts)."""

from __future__ import annotations

from typing import Any

from benchmarks.quality import runner
from benchmarks.quality.model import BenchItem
from benchmarks.quality.prompts import PromptParams, Request
from benchmarks.quality.runner import Patience, TierJob, ask
from tiers.base import UpstreamError, UpstreamUnavailable

ITEM = BenchItem("gsm8k", "0001", "math", ({"role": "user", "content": "1+1?"},), "2", "gsm8k")
ANSWER = {"choices": [{"message": {"content": "#### 2"}}], "usage": {"prompt_tokens": 5, "completion_tokens": 3}}


def _job(failures: list[Exception], wait_s: float = 60.0) -> tuple[TierJob, list[int]]:
    calls: list[int] = []

    async def call(request: Request, request_id: str) -> dict[str, Any]:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return ANSWER

    params = PromptParams("chat", 8, 0.0, 0)
    job = TierJob("tier-1", "m", call, lambda p, c: p * 1e-6 + c * 2e-6, lambda _: params, 30.0, wait_s)
    return job, calls


async def test_a_tier_restarting_is_waited_for(monkeypatch: Any) -> None:
    monkeypatch.setattr(runner, "UNAVAILABLE_RETRY_S", 0.01)
    job, calls = _job([UpstreamUnavailable("no ready replica"), UpstreamUnavailable("no ready replica")])
    outcome = await ask(job, ITEM)
    assert (outcome.output, outcome.error, len(calls)) == ("#### 2", None, 3)
    assert outcome.cost_usd == 5e-6 + 6e-6


async def test_other_errors_are_recorded_at_once_and_patience_is_shared(monkeypatch: Any) -> None:
    monkeypatch.setattr(runner, "UNAVAILABLE_RETRY_S", 0.01)
    job, calls = _job([UpstreamError(500, "EngineCore encountered an issue")])
    outcome = await ask(job, ITEM)
    assert outcome.output is None and outcome.error is not None and "EngineCore" in outcome.error and len(calls) == 1

    patience = Patience(0.0)  # nothing to wait: the first 503 gives up, and so do later calls at once
    job, calls = _job([UpstreamUnavailable("down")] * 3)
    assert (await ask(job, ITEM, patience)).error is not None and patience.exhausted
    job, calls = _job([UpstreamUnavailable("down")], wait_s=60)
    assert (await ask(job, ITEM, patience)).error is not None and len(calls) == 1
