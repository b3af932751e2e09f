"""The runaway guard against a real vLLM process: the tiny model's junk (newlines only, greedy) on a long
max_tokens is stopped early, and vLLM's own /metrics show that the generation really stopped.

Without the guard each of these requests generates 3,000 tokens (`ignore_eos`); vLLM's
generation_tokens_total counts what it actually generated, aborted requests included.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import TierdServer, VllmServer, attached_tier, openai_client, running_tierd

pytestmark = pytest.mark.integration
MAX_TOKENS = 3000


@pytest.fixture(scope="module")
def guarded(ready_upstreams: dict[str, VllmServer], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TierdServer]:
    upstream = ready_upstreams["tier-2"]
    config = {
        "tiers": [attached_tier("tier-1", upstream, cost={"hardware": "cpu", "tokens_per_hour": 1_000_000})],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        "escalation": {
            "tiers": {
                "tier-1": {
                    "checks": ["empty", "degeneration"],
                    "runaway": {"enabled": True, "min_tokens": 64, "every_tokens": 32},
                }
            }
        },
    }
    with running_tierd(config, tmp_path_factory.mktemp("runaway")) as server:
        yield server


def _generated_by(upstream: VllmServer, before: float) -> float:
    """Tokens vLLM generated since `before`, once it runs nothing (an aborted request has left the engine)."""
    deadline = time.monotonic() + 20
    while True:
        load = upstream.load()
        if load.running == 0 or time.monotonic() > deadline:
            assert load.generation_tokens_total is not None
            return load.generation_tokens_total - before
        time.sleep(0.1)


def _stopped_after(headers: Any) -> int:
    match = re.fullmatch(r"tier-1 stopped after (\d+) tokens", headers["x-tierd-runaway"])
    assert match, headers.get("x-tierd-runaway")
    return int(match.group(1))


def _ask() -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": "Say hi"}],
        "max_tokens": MAX_TOKENS,
        "temperature": 0,
        "extra_body": {"ignore_eos": True},
    }


def test_a_json_request_is_stopped_early_and_booked(guarded: TierdServer, ready_upstreams: dict) -> None:
    upstream: VllmServer = ready_upstreams["tier-2"]
    before = upstream.load().generation_tokens_total or 0.0
    started = time.monotonic()
    raw = openai_client(guarded).chat.completions.with_raw_response.create(model="auto", **_ask())
    elapsed = time.monotonic() - started
    completion = raw.parse()
    stopped = _stopped_after(raw.headers)
    assert raw.headers["x-tierd-escalation"] == "no-higher-tier"  # failed (degenerate), nowhere to go
    assert completion.choices[0].finish_reason == "length"
    assert completion.choices[0].message.content == "\n" * len(completion.choices[0].message.content)
    assert completion.usage is not None and completion.usage.completion_tokens == stopped
    assert 64 <= stopped <= 128
    generated = _generated_by(upstream, before)
    assert stopped <= generated < MAX_TOKENS / 4, generated  # vLLM stopped: not 3,000 tokens
    assert float(raw.headers["x-tierd-cost-usd"]) > 0
    print(f"JSON: stopped after {stopped} tokens, vLLM generated {generated:.0f}, {elapsed:.2f} s")


def test_a_relayed_stream_is_stopped_and_ends_properly(guarded: TierdServer, ready_upstreams: dict) -> None:
    upstream: VllmServer = ready_upstreams["tier-2"]
    before = upstream.load().generation_tokens_total or 0.0
    client = openai_client(guarded)
    # Pinned: streamed unchecked, relayed as it comes; the guard still cuts it.
    stream = client.chat.completions.create(
        model="tier-1", stream=True, stream_options={"include_usage": True}, **_ask()
    )
    chunks = list(stream)  # the stream ends: the client does not read forever
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"]
    usage = chunks[-1].usage
    assert usage is not None and 64 <= usage.completion_tokens <= 128
    assert all(c.usage is None for c in chunks[:-1])  # the per-chunk usage tierd asked for is not passed on
    generated = _generated_by(upstream, before)
    assert usage.completion_tokens <= generated < MAX_TOKENS / 4, generated


def test_a_completion_repeating_one_short_string_is_stopped(guarded: TierdServer, ready_upstreams: dict) -> None:
    """The tiny model's greedy completion of "hi" is "hihihi...": no spaces, no newlines."""
    upstream: VllmServer = ready_upstreams["tier-2"]
    before = upstream.load().generation_tokens_total or 0.0
    raw = openai_client(guarded).completions.with_raw_response.create(
        model="auto", prompt="hi", max_tokens=MAX_TOKENS, temperature=0, extra_body={"ignore_eos": True}
    )
    completion = raw.parse()
    stopped = _stopped_after(raw.headers)
    assert completion.object == "text_completion" and completion.choices[0].finish_reason == "length"
    assert completion.usage is not None and completion.usage.completion_tokens == stopped
    assert set(completion.choices[0].text) <= set("hi") and 64 <= stopped <= 128
    assert stopped <= _generated_by(upstream, before) < MAX_TOKENS / 4
