"""The runaway guard through HTTP: a tier whose stream loops forever is stopped, its upstream stream closed,
and the request escalates or returns as the policy says, with the generated tokens booked.

tier-1 streams `LOOP_PIECE` without end (tiers/scripted.py's endless_chat_stream): without the guard no
request to it would ever finish. tier-2 answers SOUND.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import (
    PROMPT_TOKENS,
    Gateway,
    answering,
    gateway_settings,
    running_gateway,
    scripted_tiers,
    sse_payloads,
)
from tests.openai_spec import assert_answer_conforms, assert_stream_conforms
from tiers.base import UpstreamError
from tiers.scripted import Handler, chat_stream, endless_chat_stream

pytestmark = pytest.mark.api
LOOP_PIECE = "again and again\n"
SOUND = "The capital of France is Paris. It has been the capital since the 10th century."
GUARD = {"enabled": True, "min_tokens": 64, "every_tokens": 32, "window_tokens": 256}
StartGateway = Callable[..., Any]


def looping(opening: tuple[str, ...] = ()) -> Handler:
    """tier-1: a generation that never ends (a JSON request is answered only by streaming)."""

    def handler(path: str, body: dict[str, Any]) -> Any:
        assert body.get("stream"), "a guarded tier is always asked for a stream"
        return endless_chat_stream(LOOP_PIECE, body, prompt_tokens=PROMPT_TOKENS, opening=opening)

    return handler


@pytest.fixture
def guarded(tmp_path: Path) -> StartGateway:
    """`guarded(handler, checks=..., **escalation)`: a gateway whose tier-1 runs `handler` under the guard."""

    def start(handler: Handler, checks: list[Any] | None = None, **escalation: Any) -> Any:
        tier_1 = {"checks": ["empty", "degeneration"] if checks is None else checks, "runaway": GUARD}
        config = {"tiers": {"tier-1": tier_1}, "budget": {"max_share": 1.0, "burst": 100}, **escalation}
        settings = gateway_settings(tmp_path, escalation=config)
        return running_gateway(settings, scripted_tiers(settings, {"tier-1": handler, "tier-2": answering(SOUND)}))

    return start


async def _settled(gateway: Gateway) -> None:
    """Let the loop close abandoned streams (tierd closes them in the background)."""
    for _ in range(100):
        if gateway.tiers["tier-1"].cancelled:
            return
        await asyncio.sleep(0)


def _stopped_after(header: str) -> int:
    match = re.fullmatch(r"tier-1 stopped after (\d+) tokens", header)
    assert match, header
    return int(match.group(1))


@pytest.mark.parametrize("stream", [False, True])
async def test_a_looping_tier_is_stopped_and_the_request_escalates(guarded: StartGateway, stream: bool) -> None:
    async with guarded(looping()) as gateway:
        response = await asyncio.wait_for(gateway.chat("What is the capital of France?", stream=stream), 10)
        assert response.status_code == 200
        text = (
            "".join(p["choices"][0]["delta"].get("content") or "" for p in sse_payloads(response) if p["choices"])
            if stream
            else response.json()["choices"][0]["message"]["content"]
        )
        assert text == SOUND
        assert response.headers["x-tierd-tier"] == "tier-2"
        assert response.headers["x-tierd-escalation"] == "escalated"
        stopped = _stopped_after(response.headers["x-tierd-runaway"])
        assert 64 <= stopped <= 96  # judged at 64 tokens, then every 32
        await _settled(gateway)
        assert gateway.tiers["tier-1"].cancelled == 1  # the upstream stream was closed: vLLM aborts
        sent = gateway.tiers["tier-1"].requests[0][1]
        assert sent["stream"] is True and sent["stream_options"]["continuous_usage_stats"] is True
        rows = await gateway.stop()
    request_id = response.headers["x-tierd-request-id"]
    first, second = rows.attempts[request_id]
    assert (first.tier, first.returned, first.passed) == ("tier-1", False, False)
    assert first.completion_tokens == stopped and first.prompt_tokens == PROMPT_TOKENS
    assert first.cost_usd > 0  # the generated tokens are booked
    assert first.error.startswith(f"runaway: stopped after {stopped} tokens (line repeated")
    degeneration = next(c for c in first.checks if c["check"] == "degeneration")
    assert not degeneration["passed"] and degeneration["detail"].startswith("runaway guard: line repeated")
    assert second.tier == "tier-2" and second.returned
    assert rows.requests[request_id].wasted_usd == pytest.approx(first.cost_usd)


async def test_a_buffered_stream_stopped_is_returned_cut_when_it_may_not_escalate(guarded: StartGateway) -> None:
    async with guarded(looping(), max_escalations=0) as gateway:
        fields = {"stream": True, "stream_options": {"include_usage": True}}
        response = await asyncio.wait_for(gateway.chat("What is the capital of France?", **fields), 10)
        assert response.headers["x-tierd-escalation"] == "limit-reached"
        stopped = _stopped_after(response.headers["x-tierd-runaway"])
        payloads = sse_payloads(response)
        text = "".join(p["choices"][0]["delta"].get("content") or "" for p in payloads if p["choices"])
        assert text == LOOP_PIECE * stopped
        assert [p["choices"][0]["finish_reason"] for p in payloads if p["choices"]][-1] == "length"
        assert payloads[-1]["usage"]["completion_tokens"] == stopped
        assert all("usage" not in p or p["usage"] is None for p in payloads[:-1])
        assert response.text.rstrip().endswith("data: [DONE]")
        assert_stream_conforms(response.text)  # the ending tierd wrote is in OpenAI's shape, strictly


async def test_a_stopped_answer_is_returned_cut_when_it_may_not_escalate(guarded: StartGateway) -> None:
    async with guarded(looping(), max_escalations=0) as gateway:
        response = await asyncio.wait_for(gateway.chat("What is the capital of France?"), 10)
        assert response.status_code == 200
        assert response.headers["x-tierd-escalation"] == "limit-reached"
        body = response.json()
        stopped = _stopped_after(response.headers["x-tierd-runaway"])
        # tierd's assembly of the stream: one OpenAI-shaped choice, cut as by a length limit
        assert_answer_conforms(body)
        assert body["object"] == "chat.completion"
        (choice,) = body["choices"]
        assert choice["finish_reason"] == "length" and choice["message"]["role"] == "assistant"
        assert choice["message"]["content"] == LOOP_PIECE * stopped
        assert body["usage"] == {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": stopped,
            "total_tokens": PROMPT_TOKENS + stopped,
        }
        rows = await gateway.stop()
    (attempt,) = rows.attempts[response.headers["x-tierd-request-id"]]
    assert attempt.returned and attempt.completion_tokens == stopped


async def test_a_guarded_pinned_request_is_watched_too(guarded: StartGateway) -> None:
    async with guarded(looping()) as gateway:
        response = await asyncio.wait_for(gateway.chat("hi", model="tier-1-model"), 10)
        assert response.status_code == 200
        assert "x-tierd-escalation" not in response.headers  # unchecked: taken as it comes, but cut
        assert response.json()["choices"][0]["finish_reason"] == "length"
        assert _stopped_after(response.headers["x-tierd-runaway"]) >= 64


@pytest.mark.parametrize("usage", [False, True])
@pytest.mark.parametrize("how", ["prefix", "pinned"])
async def test_a_relayed_stream_is_cut_and_ended_properly(guarded: StartGateway, how: str, usage: bool) -> None:
    """Relayed live (after a prefix that passed, or unchecked): the client's stream ends with finish_reason
    length, the usage chunk when asked, and [DONE]; the official client reads it to its end."""
    opening = tuple(f"{w} " for w in SOUND.split(" "))  # 15 sound pieces pass the 12-chunk prefix
    async with guarded(looping(opening), stream_mode="prefix", prefix_tokens=12) as gateway:
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}} if usage else {}
        model = "auto" if how == "prefix" else "tier-1-model"
        stream = await gateway.client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "What is the capital of France?"}], stream=True, **extra
        )
        chunks = [chunk async for chunk in stream]  # ends: the client does not hang
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text.startswith(SOUND) and text.endswith(LOOP_PIECE)
        finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
        assert finishes == ["length"]
        generated = len(opening) + text[len(SOUND) + 1 :].count(LOOP_PIECE)
        if usage:
            assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == generated
            assert all(c.usage is None for c in chunks[:-1])  # tierd's per-chunk usage is not passed on
        else:
            assert all(c.usage is None for c in chunks)
        await _settled(gateway)
        assert gateway.tiers["tier-1"].cancelled == 1
        metrics = (await gateway.http.get("/metrics")).text
        rows = await gateway.stop()
    assert 'tierd_runaway_stops_total{tier="tier-1"} 1.0' in metrics
    (attempt,) = rows.attempts[next(iter(rows.attempts))]
    assert attempt.returned and attempt.completion_tokens == generated
    assert attempt.error.startswith(f"runaway: stopped after {generated} tokens (line repeated")


@pytest.mark.parametrize("runaway", [None, {**GUARD, "json_requests": False}])
async def test_without_the_guard_a_json_request_is_not_streamed(tmp_path: Path, runaway: Any) -> None:
    tier_1 = {"checks": ["empty"], **({"runaway": runaway} if runaway else {})}
    settings = gateway_settings(tmp_path, escalation={"tiers": {"tier-1": tier_1}})
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.chat("What is the capital of France?")
        assert response.status_code == 200 and "x-tierd-runaway" not in response.headers
        assert "stream" not in gateway.tiers["tier-1"].requests[0][1]


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (UpstreamError(None, "dropped", code="upstream_unavailable"), 503),  # the connection drops mid-stream
        ({"error": {"message": "engine failed", "type": "server_error", "code": 500}}, 500),  # vLLM's error event
    ],
)
async def test_a_guarded_json_request_whose_stream_fails_is_an_upstream_failure(
    guarded: StartGateway, failure: Any, status: int
) -> None:
    """As without the guard, a first tier that fails before any answer is the client's error, recorded."""

    def failing(path: str, body: dict[str, Any]) -> Any:
        opening = chat_stream(["So"], body, prompt_tokens=PROMPT_TOKENS, completion_tokens=1)
        return [*opening[:2], failure]

    async with guarded(failing) as gateway:
        response = await gateway.chat("What is the capital of France?")
        assert response.status_code == status and "error" in response.json()
        rows = await gateway.stop()
    (request,) = rows.requests.values()
    assert request.status == status
    (attempt,) = rows.attempts[request.request_id]
    assert attempt.status == status and not attempt.returned


@pytest.mark.parametrize("stream", [False, True])
async def test_responses_requests_are_not_guarded(tmp_path: Path, stream: bool) -> None:
    """/v1/responses streams typed events, another shape than the chunks the guard reads and ends: a guarded
    tier serves them as it would unguarded, the body forwarded as the client sent it."""
    escalation = {"tiers": {"tier-1": {"checks": ["empty"], "runaway": GUARD}}}
    settings = gateway_settings(tmp_path, escalation=escalation)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        body = {"model": "tier-1", "input": "Say hi", "max_output_tokens": 20, **({"stream": True} if stream else {})}
        response = await gateway.http.post("/v1/responses", json=body)
        assert response.status_code == 200 and "x-tierd-runaway" not in response.headers
        ((path, forwarded),) = gateway.tiers["tier-1"].requests
    assert path == "/responses" and forwarded == {**body, "model": "tier-1-model"}
