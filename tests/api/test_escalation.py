"""Escalation through HTTP: a cheap answer that fails tier-1's checks goes up a tier, under limits and budgets.

tier-1 is checked; tier-2 and the frontier are not, so whatever they answer is accepted.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.harness import (
    COMPLETION_TOKENS,
    PROMPT_TOKENS,
    Gateway,
    answering,
    gateway_settings,
    local_usd,
    running_gateway,
    scripted_tiers,
    sse_payloads,
)
from tiers.base import ReplicaStatus, UpstreamError
from tiers.scripted import Handler, chat_response

pytestmark = pytest.mark.api
CHEAP_CHECKS = ["empty", "degeneration", "json", "truncation", {"name": "low_confidence", "min_mean_logprob": -3}]
LOOP = "I think " * 30
SOUND = "The capital of France is Paris. It has been the capital since the 10th century."  # 15 words
StartGateway = Callable[..., Any]


@pytest.fixture
def escalating(tmp_path: Path) -> StartGateway:
    """`escalating(handlers, **escalation)`: a gateway whose tier-1 is checked; tier-2 answers SOUND."""

    def start(handlers: dict[str, Handler] | None = None, **escalation: Any) -> Any:
        config = {
            "tiers": {"tier-1": {"checks": CHEAP_CHECKS}},
            "budget": {"max_share": 1.0, "burst": 100},
            "prefix_tokens": 12,  # a loop shows by then; SOUND is longer
            **escalation,
        }
        settings = gateway_settings(tmp_path, escalation=config)
        return running_gateway(settings, scripted_tiers(settings, {"tier-2": answering(SOUND), **(handlers or {})}))

    return start


async def _stream(gateway: Gateway, mode: str | None, **fields: Any) -> tuple[str, httpx.Headers, list[Any]]:
    """A streamed `auto` request through the openai client: (its text, headers, chunks)."""
    headers = {"x-tierd-stream-mode": mode} if mode else {}
    async with gateway.client.chat.completions.with_streaming_response.create(
        model="auto",
        messages=[{"role": "user", "content": "What is the capital of France?"}],
        stream=True,
        extra_headers=headers,
        **fields,
    ) as response:
        chunks = [chunk async for chunk in await response.parse()]
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        return text, response.headers, chunks


async def _settled(until: Callable[[], bool]) -> None:
    """Let the loop run the background work tierd leaves behind (closing an abandoned stream)."""
    for _ in range(100):
        if until():
            return
        await asyncio.sleep(0)


async def test_a_failing_cheap_answer_escalates_and_costs_both_attempts(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        raw = await gateway.client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "What is the capital of France?"}]
        )
    assert raw.parse().choices[0].message.content == SOUND
    headers = raw.headers
    assert (headers["x-tierd-tier"], headers["x-tierd-model"]) == ("tier-2", "tier-2-model")
    assert (headers["x-tierd-escalation"], headers["x-tierd-escalated-from"]) == ("escalated", "tier-1")
    assert headers["x-tierd-attempts"] == "2"
    tokens = PROMPT_TOKENS + COMPLETION_TOKENS
    total, wasted = float(headers["x-tierd-cost-usd"]), float(headers["x-tierd-wasted-cost-usd"])
    assert total == pytest.approx(local_usd("tier-1", tokens) + local_usd("tier-2", tokens), abs=1e-10)
    assert wasted == pytest.approx(local_usd("tier-1", tokens), abs=1e-10)
    assert [len(gateway.tiers[t].requests) for t in ("tier-1", "tier-2", "frontier")] == [1, 1, 0]


async def test_a_passing_answer_is_accepted_after_one_attempt(escalating: StartGateway) -> None:
    async with escalating() as gateway:
        response = await gateway.chat("What is the capital of France?")
    assert response.json()["choices"][0]["message"]["content"] == "answer from tier-1"
    assert (response.headers["x-tierd-escalation"], response.headers["x-tierd-attempts"]) == ("accepted", "1")
    assert "empty:pass" in response.headers["x-tierd-checks"].split(",")
    assert "x-tierd-escalated-from" not in response.headers


async def test_pinned_requests_are_not_checked(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        response = await gateway.chat("What is the capital of France?", model="tier-1")
    assert response.headers["x-tierd-tier"] == "tier-1"
    assert "x-tierd-escalation" not in response.headers
    assert gateway.tiers["tier-2"].requests == []


@pytest.mark.parametrize("mode", ["buffer", "prefix"])
async def test_a_stream_never_mixes_two_answers(escalating: StartGateway, mode: str) -> None:
    async with escalating({"tier-1": answering(LOOP)}) as gateway:
        text, headers, chunks = await _stream(gateway, mode)
        # prefix mode reads only the first chunks of the loop and drops the rest: the generation is aborted.
        await _settled(lambda: gateway.tiers["tier-1"].cancelled == (mode == "prefix"))
    assert text == SOUND  # only tier-2's answer, whole
    assert (headers["x-tierd-tier"], headers["x-tierd-escalation"]) == ("tier-2", "escalated")
    assert headers["x-tierd-attempts"] == "2"
    assert all(c.usage is None for c in chunks)  # the usage tierd asked for is not passed on
    assert gateway.tiers["tier-1"].cancelled == (1 if mode == "prefix" else 0)
    for tier in ("tier-1", "tier-2"):
        assert gateway.tiers[tier].requests[0][1]["stream_options"] == {"include_usage": True}


async def test_the_tier_stream_mode_applies_without_a_header(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering(LOOP)}, stream_mode="prefix") as gateway:
        text, headers, _ = await _stream(gateway, None)
        await _settled(lambda: gateway.tiers["tier-1"].cancelled == 1)
    assert (text, headers["x-tierd-escalation"]) == (SOUND, "escalated")
    assert gateway.tiers["tier-1"].cancelled == 1


async def test_prefix_mode_streams_an_answer_whose_start_passes(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering(SOUND)}) as gateway:
        text, headers, _ = await _stream(gateway, "prefix")
    assert (text, headers["x-tierd-tier"], headers["x-tierd-escalation"]) == (SOUND, "tier-1", "prefix-accepted")
    assert gateway.tiers["tier-2"].requests == []


async def test_stream_mode_off_streams_the_cheap_tier_unchecked(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        text, headers, _ = await _stream(gateway, "off")
    assert (text, headers["x-tierd-tier"]) == ("", "tier-1")
    assert "x-tierd-escalation" not in headers


async def test_a_buffered_stream_tells_the_cost_of_every_attempt(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        text, _, chunks = await _stream(gateway, "buffer", stream_options={"include_usage": True})
    assert text == SOUND
    usage = chunks[-1].usage
    assert (usage.prompt_tokens, usage.completion_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    tokens = PROMPT_TOKENS + COMPLETION_TOKENS
    cost = float((chunks[-1].model_extra or {})["tierd"]["cost_usd"])
    assert cost == pytest.approx(local_usd("tier-1", tokens) + local_usd("tier-2", tokens), abs=1e-10)


async def test_limit_reached_returns_the_cheap_answer_without_the_logprobs_tierd_added(
    escalating: StartGateway,
) -> None:
    async with escalating({"tier-1": answering("", logprob=-0.5)}, max_escalations=0) as gateway:
        raw = await gateway.client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "What is the capital of France?"}]
        )
    assert (raw.headers["x-tierd-escalation"], raw.headers["x-tierd-tier"]) == ("limit-reached", "tier-1")
    assert raw.headers["x-tierd-attempts"] == "1"
    assert raw.parse().choices[0].logprobs is None  # asked of tier-1 for low_confidence; the client did not
    assert gateway.tiers["tier-1"].requests[0][1]["logprobs"] is True
    # OpenAI's shape has `"logprobs": null` on every choice; no token's log-probability is left.
    assert '"logprobs":null' in raw.http_response.text and '"logprob":' not in raw.http_response.text


async def test_logprobs_the_client_asked_for_are_kept(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering(SOUND, logprob=-0.5)}) as gateway:
        completion = await gateway.client.chat.completions.create(
            model="auto", messages=[{"role": "user", "content": "What is the capital of France?"}], logprobs=True
        )
    assert completion.choices[0].logprobs is not None and completion.choices[0].logprobs.content


async def test_logprobs_added_for_a_check_are_stripped_from_a_stream(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering(SOUND, logprob=-0.5)}) as gateway:
        response = await gateway.chat("What is the capital of France?", stream=True)
    assert response.headers["x-tierd-escalation"] == "accepted"
    assert gateway.tiers["tier-1"].requests[0][1]["logprobs"] is True
    assert all(choice["logprobs"] is None for p in sse_payloads(response) for choice in p["choices"])


async def test_low_confidence_escalates(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering(SOUND, logprob=-4.0)}) as gateway:
        response = await gateway.chat("What is the capital of France?")
    assert (response.headers["x-tierd-escalation"], response.headers["x-tierd-tier"]) == ("escalated", "tier-2")


async def test_no_higher_tier_ready_returns_the_cheap_answer(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        for tier in ("tier-2", "frontier"):
            gateway.tiers[tier].status = ReplicaStatus.UNHEALTHY
        response = await gateway.chat("What is the capital of France?")
    assert response.status_code == 200
    assert (response.headers["x-tierd-escalation"], response.headers["x-tierd-tier"]) == ("no-higher-tier", "tier-1")
    assert response.headers["x-tierd-attempts"] == "1"


async def test_escalation_skips_a_tier_that_is_down(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        gateway.tiers["tier-2"].status = ReplicaStatus.UNHEALTHY
        response = await gateway.chat("What is the capital of France?")
    assert (response.headers["x-tierd-tier"], response.headers["x-tierd-escalated-from"]) == ("frontier", "tier-1")
    assert response.json()["choices"][0]["message"]["content"] == "answer from frontier"


def _failing(status: int) -> Handler:
    def handler(path: str, body: dict[str, Any]) -> UpstreamError:
        return UpstreamError(status, "scripted failure", body={"error": {"message": "scripted failure"}})

    return handler


@pytest.mark.parametrize("stream", [False, True])
async def test_the_higher_tier_failing_returns_the_cheap_answer(escalating: StartGateway, stream: bool) -> None:
    async with escalating({"tier-1": answering(LOOP), "tier-2": _failing(500)}) as gateway:
        response = await gateway.chat("What is the capital of France?", stream=stream)
    assert response.status_code == 200
    assert (response.headers["x-tierd-escalation"], response.headers["x-tierd-tier"]) == ("upstream-failed", "tier-1")
    assert response.headers["x-tierd-attempts"] == "2"
    if stream:
        text = "".join(p["choices"][0]["delta"].get("content") or "" for p in sse_payloads(response) if p["choices"])
    else:
        text = response.json()["choices"][0]["message"]["content"]
    assert text == LOOP and "scripted failure" not in response.text  # tier-1's answer, whole, and only it


async def test_the_first_tier_failing_is_passed_on_as_without_escalation(escalating: StartGateway) -> None:
    async with escalating({"tier-1": _failing(400)}) as gateway:
        response = await gateway.chat("What is the capital of France?")
    assert response.status_code == 400
    error = {"message": "scripted failure", "type": "invalid_request_error", "param": None, "code": None}
    assert response.json() == {"error": error}  # the tier's own status and message, in OpenAI's shape
    assert gateway.tiers["tier-2"].requests == []


def _text_answer(text: str) -> Handler:
    return lambda path, body: chat_response(text, prompt_tokens=PROMPT_TOKENS, completion_tokens=COMPLETION_TOKENS)


async def test_json_response_format_is_checked(escalating: StartGateway) -> None:
    handlers = {"tier-1": _text_answer("Paris, I think"), "tier-2": _text_answer('{"answer": "Paris"}')}
    async with escalating(handlers) as gateway:
        response = await gateway.chat("Paris as JSON", response_format={"type": "json_object"})
    assert response.headers["x-tierd-escalation"] == "escalated"
    assert json.loads(response.json()["choices"][0]["message"]["content"]) == {"answer": "Paris"}


async def test_the_best_answer_is_returned_when_no_tier_passes(escalating: StartGateway) -> None:
    """tier-1's answer fails two checks (empty, json), tier-2's one (json): at the limit, tier-2's is returned."""
    tiers = {"tier-1": {"checks": CHEAP_CHECKS}, "tier-2": {"checks": ["empty", "json"]}}
    async with escalating({"tier-2": _text_answer("not JSON")}, tiers=tiers, max_escalations=1) as gateway:
        gateway.tiers["tier-1"].handler = _text_answer("")
        response = await gateway.chat("Paris as JSON", response_format={"type": "json_object"})
    assert (response.headers["x-tierd-escalation"], response.headers["x-tierd-tier"]) == ("limit-reached", "tier-2")
    assert response.headers["x-tierd-checks"] == "empty:pass,json:fail"
    assert gateway.tiers["frontier"].requests == []


async def test_truncation_below_the_clients_max_tokens_escalates(escalating: StartGateway) -> None:
    def cut_short(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return chat_response("The capital", prompt_tokens=5, completion_tokens=2, finish_reason="length")

    async with escalating({"tier-1": cut_short}) as gateway:
        cut = await gateway.chat("What is the capital of France?", max_tokens=100)
        at_the_limit = await gateway.chat("What is the capital of France?", max_tokens=2)
    assert cut.headers["x-tierd-escalation"] == "escalated"
    assert at_the_limit.headers["x-tierd-escalation"] == "accepted"  # the client's own max_tokens stopped it


async def test_the_global_budget_refuses_escalations_past_its_burst(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}, budget={"max_share": 0.0, "burst": 2}) as gateway:
        outcomes = [(await gateway.chat("hi")).headers["x-tierd-escalation"] for _ in range(4)]
    assert outcomes == ["escalated", "escalated", "budget-exhausted", "budget-exhausted"]


async def test_a_per_request_cost_limit_stops_escalation(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}, max_cost_usd=1e-12) as gateway:
        response = await gateway.chat("hi")
    assert (response.headers["x-tierd-escalation"], response.headers["x-tierd-tier"]) == ("cost-limit", "tier-1")


async def test_escalations_are_counted_by_the_check_that_failed(escalating: StartGateway) -> None:
    async with escalating({"tier-1": answering("")}) as gateway:
        await gateway.chat("hi")
        metrics = (await gateway.http.get("/metrics")).text
    assert 'tierd_escalations_total{check="empty",from_tier="tier-1",to_tier="tier-2"} 1.0' in metrics


async def test_a_checked_answer_that_is_not_json_escalates(escalating: StartGateway) -> None:
    async with escalating({"tier-1": lambda path, body: b"<html>bad gateway</html>"}) as gateway:
        response = await gateway.chat("What is the capital of France?")
    assert (response.status_code, response.headers["x-tierd-tier"]) == (200, "tier-2")
