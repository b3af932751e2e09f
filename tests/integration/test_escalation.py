"""Escalation end to end: a real vLLM tier (the tiny model, whose junk must fail the checks) below a
scripted OpenAI-compatible server standing in for the frontier (tests/scripted_openai.py, its own process).

Each gateway is a real tierd process attached to both; budgets differ per gateway, so some tests start their own.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.scripted_openai import SOUND
from tests.support import (
    ScriptedServer,
    TierdServer,
    VllmServer,
    attached_tier,
    openai_client,
    running_scripted,
    running_tierd,
)

pytestmark = pytest.mark.integration
CHEAP_CHECKS = [
    "empty",
    "degeneration",
    "echo",
    "json",
    "truncation",
    {"name": "low_confidence", "min_mean_logprob": -3},
]


def escalation_config(cheap: VllmServer, scripted: ScriptedServer, **escalation: Any) -> dict[str, Any]:
    return {
        "tiers": [
            # Priced by the cpu profile at a fixed throughput, so every attempt's cost is known.
            attached_tier("tier-1", cheap, cost={"hardware": "cpu", "tokens_per_hour": 1_000_000}),
            {
                "name": "frontier",
                "kind": "openai",
                "base_url": f"{scripted.root}/v1",
                "model": scripted.name,
                "api_key_env": "SCRIPTED_KEY",
                "price_per_1m_input": 2.5,
                "price_per_1m_output": 10.0,
                "max_retries": 0,
            },
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        "escalation": {
            "tiers": {"tier-1": {"checks": CHEAP_CHECKS}},
            "budget": {"max_share": 1.0, "burst": 100},
            **escalation,
        },
        # The concurrent tests would otherwise see requests spill past a busy tier-1 and skip its checks.
        "placement": {"never_spill": ["tier-1"]},
    }


@pytest.fixture(scope="module")
def gateway(
    ready_upstreams: dict[str, VllmServer], scripted: ScriptedServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TierdServer]:
    config = escalation_config(ready_upstreams["tier-2"], scripted)
    with running_tierd(config, tmp_path_factory.mktemp("escalating"), env={"SCRIPTED_KEY": "k"}) as server:
        yield server


def _ask(server: TierdServer, text: str, **extra: Any) -> Any:
    # Greedy: the tiny model then answers with newlines only (sampled, it answers random words).
    extra.setdefault("temperature", 0)
    return openai_client(server).chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": text}], max_tokens=24, **extra
    )


def _attempts_logged(server: TierdServer, request_id: str) -> list[dict[str, Any]]:
    for line in server.log_path.read_text().splitlines():
        if f"request {request_id} attempts " in line:
            return list(json.loads(line.split(" attempts ", 1)[1]))
    raise AssertionError(f"no attempts logged for {request_id}")


def test_junk_from_the_cheap_tier_is_escalated(gateway: TierdServer) -> None:
    raw = _ask(gateway, "What is the capital of France?")
    completion = raw.parse()
    assert completion.choices[0].message.content == SOUND
    assert raw.headers["x-tierd-tier"] == "frontier"
    assert raw.headers["x-tierd-attempts"] == "2"
    assert raw.headers["x-tierd-escalated-from"] == "tier-1"
    assert raw.headers["x-tierd-escalation"] == "escalated"
    attempts = _attempts_logged(gateway, raw.headers["x-tierd-request-id"])
    assert [a["tier"] for a in attempts] == ["tier-1", "frontier"]
    assert {"empty", "degeneration", "low_confidence"} <= set(attempts[0]["failed"])
    assert attempts[0]["completion_tokens"] >= 1 and attempts[1]["completion_tokens"] >= 1
    assert attempts[0]["cost_usd"] > 0 and attempts[1]["cost_usd"] > attempts[0]["cost_usd"]
    total, wasted = float(raw.headers["x-tierd-cost-usd"]), float(raw.headers["x-tierd-wasted-cost-usd"])
    assert total == pytest.approx(attempts[0]["cost_usd"] + attempts[1]["cost_usd"], rel=1e-6)
    assert wasted == pytest.approx(attempts[0]["cost_usd"], rel=1e-6)
    metrics = httpx.get(f"{gateway.url}/metrics", timeout=10).text
    assert 'tierd_escalations_total{check="empty",from_tier="tier-1",to_tier="frontier"}' in metrics


def test_sampled_junk_is_caught_by_low_confidence(gateway: TierdServer) -> None:
    raw = _ask(gateway, "What is the capital of France?", temperature=1.0, seed=7)
    assert raw.headers["x-tierd-tier"] == "frontier"
    attempts = _attempts_logged(gateway, raw.headers["x-tierd-request-id"])
    assert "low_confidence" in attempts[0]["failed"]


def test_pinned_requests_are_not_escalated(gateway: TierdServer) -> None:
    raw = openai_client(gateway).chat.completions.with_raw_response.create(
        model="tier-1", messages=[{"role": "user", "content": "hi"}], max_tokens=8
    )
    assert raw.headers["x-tierd-tier"] == "tier-1"
    assert "x-tierd-escalation" not in raw.headers


def test_higher_tier_failing_returns_the_cheap_answer(gateway: TierdServer) -> None:
    raw = _ask(gateway, "[[fail]] What is the capital of France?")
    assert raw.http_response.status_code == 200
    assert raw.headers["x-tierd-tier"] == "tier-1"
    assert raw.headers["x-tierd-escalation"] == "upstream-failed"
    assert raw.headers["x-tierd-attempts"] == "2"
    attempts = _attempts_logged(gateway, raw.headers["x-tierd-request-id"])
    assert attempts[1]["status"] == 500


def test_json_response_format_is_checked(gateway: TierdServer) -> None:
    raw = _ask(gateway, "Give me a JSON object about Paris.", response_format={"type": "json_object"})
    assert json.loads(raw.parse().choices[0].message.content)["answer"] == "Paris"
    assert raw.headers["x-tierd-tier"] == "frontier"


def _stream_text(server: TierdServer, text: str, mode: str | None, usage: bool = False) -> tuple[str, Any, list[Any]]:
    headers = {"x-tierd-stream-mode": mode} if mode else {}
    client = openai_client(server)
    kwargs: dict[str, Any] = {"stream_options": {"include_usage": True}} if usage else {}
    with client.chat.completions.with_streaming_response.create(
        temperature=0,
        model="auto",
        messages=[{"role": "user", "content": text}],
        max_tokens=24,
        stream=True,
        extra_headers=headers,
        **kwargs,
    ) as response:
        chunks = list(response.parse())
        return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices), response.headers, chunks


@pytest.mark.parametrize("mode", ["buffer", "prefix"])
def test_streams_never_mix_two_answers(gateway: TierdServer, mode: str) -> None:
    text, headers, chunks = _stream_text(gateway, "What is the capital of France?", mode)
    assert text == SOUND  # only the frontier's answer, whole
    assert headers["x-tierd-tier"] == "frontier"
    assert headers["x-tierd-escalation"] == "escalated"
    assert all(c.usage is None for c in chunks)  # the usage tierd asked for is not passed on


def test_buffered_stream_keeps_usage_and_tells_the_cost_of_every_attempt(gateway: TierdServer) -> None:
    text, headers, chunks = _stream_text(gateway, "What is the capital of France?", "buffer", usage=True)
    assert text == SOUND
    usage = chunks[-1].usage
    assert usage is not None and usage.completion_tokens > 0
    attempts = _attempts_logged(gateway, headers["x-tierd-request-id"])
    frontier_own = (usage.prompt_tokens * 2.5 + usage.completion_tokens * 10.0) / 1e6
    cost = float((chunks[-1].model_extra or {})["tierd"]["cost_usd"])
    assert cost == pytest.approx(attempts[0]["cost_usd"] + frontier_own, rel=1e-6)  # the wasted attempt included


def test_stream_mode_off_streams_the_cheap_tier_unchecked(gateway: TierdServer) -> None:
    _, headers, _ = _stream_text(gateway, "What is the capital of France?", "off")
    assert headers["x-tierd-tier"] == "tier-1"
    assert "x-tierd-escalation" not in headers


def test_bad_stream_mode_header_is_a_400(gateway: TierdServer) -> None:
    response = httpx.post(
        f"{gateway.url}/v1/chat/completions",
        json={"model": "auto", "messages": [{"role": "user", "content": "hi"}]},
        headers={"x-tierd-stream-mode": "sometimes"},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "x-tierd-stream-mode"


def test_client_disconnect_during_escalation_cancels_the_upstream_call(
    gateway: TierdServer, scripted: ScriptedServer
) -> None:
    before = scripted.stats()["cancelled"]
    with pytest.raises(openai.APITimeoutError):
        openai_client(gateway, timeout=3).chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": "[[slow]] What is the capital of France?"}],
            max_tokens=8,
        )
    deadline = time.monotonic() + 20
    while scripted.stats()["cancelled"] == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert scripted.stats()["cancelled"] == before + 1
    assert "the client disconnected before the response" in gateway.log_path.read_text()
    assert _ask(gateway, "What is the capital of France?").headers["x-tierd-tier"] == "frontier"


def test_budget_holds_under_concurrent_load(
    ready_upstreams: dict[str, VllmServer], scripted: ScriptedServer, tmp_path: Path
) -> None:
    config = escalation_config(ready_upstreams["tier-2"], scripted, budget={"max_share": 0.0, "burst": 3})
    with (
        running_tierd(config, tmp_path, env={"SCRIPTED_KEY": "k"}) as server,
        concurrent.futures.ThreadPoolExecutor(12) as pool,
    ):
        raws = list(pool.map(lambda _: _ask(server, "What is the capital of France?"), range(12)))
    outcomes = [r.headers["x-tierd-escalation"] for r in raws]
    assert outcomes.count("escalated") == 3
    assert outcomes.count("budget-exhausted") == 9
    for raw in raws:
        if raw.headers["x-tierd-escalation"] == "budget-exhausted":
            assert raw.headers["x-tierd-tier"] == "tier-1"  # the best answer so far, marked


def test_per_request_limit(ready_upstreams: dict[str, VllmServer], scripted: ScriptedServer, tmp_path: Path) -> None:
    config = escalation_config(ready_upstreams["tier-2"], scripted, max_escalations=0)
    with running_tierd(config, tmp_path, env={"SCRIPTED_KEY": "k"}) as server:
        raw = _ask(server, "What is the capital of France?")
    assert raw.headers["x-tierd-escalation"] == "limit-reached"
    assert raw.headers["x-tierd-tier"] == "tier-1" and raw.headers["x-tierd-attempts"] == "1"
    assert raw.parse().choices[0].logprobs is None  # tierd asked tier-1 for them (low_confidence); the client did not


def test_prefix_mode_streams_an_accepted_answer_and_verifier_sends_wrong_ones_up(
    scripted: ScriptedServer, tmp_path: Path
) -> None:
    """Here the cheap tier is a second scripted server: its answers pass the prefix checks."""
    with running_scripted("cheap-sim", tmp_path) as cheap:
        config = {
            "tiers": [
                {"name": "tier-1", "kind": "vllm", "served_model_name": cheap.name, "urls": [cheap.root]},
                escalation_config(cheap, scripted)["tiers"][1],  # type: ignore[arg-type]
            ],
            "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
            "escalation": {
                "stream_mode": "prefix",
                "prefix_tokens": 12,
                "tiers": {"tier-1": {"checks": ["empty", "degeneration"], "verifier": {"tier": "frontier"}}},
            },
        }
        with running_tierd(config, tmp_path / "gw", env={"SCRIPTED_KEY": "k"}) as server:
            text, headers, _ = _stream_text(server, "What is the capital of France?", None)
            assert text == SOUND and headers["x-tierd-tier"] == "tier-1"
            assert headers["x-tierd-escalation"] == "prefix-accepted"
            # Non-streamed: the verifier (the frontier sim) grades the cheap answer.
            good = _ask(server, "What is the capital of France?")
            assert good.headers["x-tierd-tier"] == "tier-1"
            assert "verifier:pass" in good.headers["x-tierd-checks"]
            wrong = _ask(server, "[[wrong]] What is the capital of France?")
            assert wrong.headers["x-tierd-escalated-from"] == "tier-1"
            assert wrong.headers["x-tierd-escalation"] == "escalated"
            # The cheap tier loops: its first 12 chunks fail, the stream is dropped unsent, the frontier's goes out.
            text, headers, _ = _stream_text(server, "[[loop]] What is the capital of France?", "prefix")
            assert headers["x-tierd-tier"] == "frontier" and headers["x-tierd-escalation"] == "escalated"
            assert text == "I think I think I think " * 20
