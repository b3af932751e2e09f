"""The service through HTTP: routing, pinning, errors in OpenAI's shape, JSON and streamed answers, cost headers."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest

from tests.api.harness import (
    COMPLETION_TOKENS,
    PROMPT_TOKENS,
    Gateway,
    frontier_usd,
    local_usd,
    sse_lines,
    sse_payloads,
)
from tiers.base import UpstreamError, UpstreamUnavailable
from tiers.scripted import chat_response, chat_stream

pytestmark = pytest.mark.api
UNAVAILABLE = "tier 'tier-1' could not be reached or dropped the connection (upstream_unavailable)"


@pytest.mark.parametrize(
    ("prompt", "tier", "decision"),
    [
        ("Say hi", "tier-1", "auto rules:default min=tier-1 -> tier-1"),
        ("Translate to French: good morning", "tier-2", "auto rules:transform min=tier-2 -> tier-2"),
        ("Prove that the square root of 2 is irrational", "frontier", "auto rules:reasoning min=frontier -> frontier"),
    ],
)
async def test_auto_is_routed_by_the_rules(gateway: Gateway, prompt: str, tier: str, decision: str) -> None:
    raw = await gateway.client.chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": prompt}], max_tokens=8
    )
    assert raw.parse().choices[0].message.content == f"answer from {tier}"
    assert raw.headers["x-tierd-tier"] == tier
    assert raw.headers["x-tierd-model"] == gateway.tiers[tier].model
    assert raw.headers["x-tierd-decision"] == decision
    request_id = raw.headers["x-tierd-request-id"]
    assert request_id.startswith("req-")
    # The tier got the client's request, under its own model name and with tierd's request id.
    assert gateway.tiers[tier].requests == [
        ("/chat/completions", {"model": gateway.tiers[tier].model, "messages": [{"role": "user", "content": prompt}],
                               "max_tokens": 8})
    ]  # fmt: skip
    assert gateway.tiers[tier].request_ids == [request_id]
    assert sum(len(t.requests) for t in gateway.tiers.values()) == 1


@pytest.mark.parametrize(("pin", "tier"), [("tier-2", "tier-2"), ("frontier-model", "frontier"), ("tier-1", "tier-1")])
async def test_a_pinned_model_goes_to_its_tier(gateway: Gateway, pin: str, tier: str) -> None:
    response = await gateway.chat("Prove it step by step", model=pin)  # the rules would pick the frontier
    assert response.status_code == 200
    assert response.headers["x-tierd-tier"] == tier
    assert response.headers["x-tierd-decision"] == f"pinned {tier} -> {tier}"
    assert [len(t.requests) for t in gateway.tiers.values()].count(1) == 1 and gateway.tiers[tier].requests


async def test_models_lists_auto_then_tiers_and_their_models(gateway: Gateway) -> None:
    ids = [m.id async for m in gateway.client.models.list()]
    assert ids[0] == "auto"
    assert {"tier-1", "tier-2", "frontier", "tier-1-model", "tier-2-model", "frontier-model"} <= set(ids)


async def test_unknown_model_is_a_404_in_openai_shape(gateway: Gateway) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        await gateway.client.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hi"}])
    error: Any = info.value.body
    assert (error["code"], error["param"], error["type"]) == ("model_not_found", "model", "invalid_request_error")
    assert "gpt-9" in error["message"] and "auto" in error["message"]
    assert info.value.response.headers["x-tierd-request-id"].startswith("req-")
    assert not any(t.requests for t in gateway.tiers.values())


@pytest.mark.parametrize(
    ("body", "code", "param"),
    [
        ({"model": "auto", "messages": "not a list"}, "invalid_value", "messages"),
        ({"model": "auto", "messages": [{"role": "user", "content": "x"}], "max_tokens": "many"}, "invalid_value",
         "max_tokens"),
        ({"model": "auto"}, "invalid_value", "messages"),
        ([{"model": "auto"}], "invalid_type", None),
        ("just a string", "invalid_type", None),
    ],
)  # fmt: skip
async def test_invalid_bodies_are_400_naming_the_param(
    gateway: Gateway, body: Any, code: str, param: str | None
) -> None:
    response = await gateway.http.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", code, param)
    assert response.headers["x-tierd-request-id"].startswith("req-")
    assert not any(t.requests for t in gateway.tiers.values())


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe"])
async def test_unparsable_json_is_400_invalid_json(gateway: Gateway, raw: bytes) -> None:
    response = await gateway.http.post("/v1/chat/completions", content=raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


async def test_a_bad_stream_mode_header_is_a_400(gateway: Gateway) -> None:
    response = await gateway.chat("hi", headers={"x-tierd-stream-mode": "sometimes"})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "x-tierd-stream-mode"


async def test_an_upstream_error_keeps_its_status_and_message_in_openai_shape(gateway: Gateway) -> None:
    upstream_body = {"error": {"message": "prompt too long", "type": "BadRequestError", "param": None, "code": 400}}
    gateway.tiers["tier-1"].handler = lambda path, body: UpstreamError(400, "prompt too long", body=upstream_body)
    with pytest.raises(openai.BadRequestError) as info:
        await gateway.client.chat.completions.create(model="auto", messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 400
    # vLLM's type (its exception's class) and integer code become OpenAI's type for the status and no code.
    assert info.value.body == {
        "message": "prompt too long",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert info.value.response.headers["x-tierd-request-id"].startswith("req-")


async def test_an_unreachable_tier_is_an_openai_style_503(gateway: Gateway) -> None:
    def unreachable(path: str, body: dict[str, Any]) -> Any:
        raise UpstreamUnavailable("tier-1-0 failed: connection reset")

    gateway.tiers["tier-1"].handler = unreachable
    response = await gateway.chat("hi")
    assert response.status_code == 503
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("server_error", "upstream_unavailable")
    assert error["message"] == UNAVAILABLE  # the tier's name, not the upstream's detail (logged)


async def test_json_answer_through_the_openai_client_with_its_cost(gateway: Gateway) -> None:
    raw = await gateway.client.chat.completions.with_raw_response.create(
        model="frontier", messages=[{"role": "user", "content": "hi"}]
    )
    completion = raw.parse()
    assert completion.choices[0].message.content == "answer from frontier"
    assert completion.model == "frontier-model"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    assert raw.headers["x-tierd-cost-basis"] == "list-price"
    assert float(raw.headers["x-tierd-cost-usd"]) == pytest.approx(frontier_usd(PROMPT_TOKENS, COMPLETION_TOKENS))
    assert raw.headers["x-tierd-replica"] == "frontier-0"


async def test_a_local_tier_costs_its_hardware_share(gateway: Gateway) -> None:
    response = await gateway.chat("hi")
    assert response.headers["x-tierd-cost-basis"] == "measured-throughput"
    expected = local_usd("tier-1", PROMPT_TOKENS + COMPLETION_TOKENS)
    assert float(response.headers["x-tierd-cost-usd"]) == pytest.approx(expected, abs=1e-10)


async def test_an_answer_without_usage_has_an_unknown_cost_never_zero(gateway: Gateway) -> None:
    def no_usage(path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = chat_response("hi", prompt_tokens=1, completion_tokens=1)
        answer["usage"] = None
        return answer

    gateway.tiers["frontier"].handler = no_usage
    response = await gateway.chat("hi", model="frontier")
    assert response.status_code == 200
    assert response.headers["x-tierd-cost-usd"] == "unknown"


async def test_stream_without_usage_asked_still_asks_upstream_for_it(gateway: Gateway) -> None:
    stream = await gateway.client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "Say hi"}], stream=True
    )
    chunks = [chunk async for chunk in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "answer from tier-1"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks)  # tierd asked for usage (for the cost); the client did not
    (_, sent), = gateway.tiers["tier-1"].requests  # fmt: skip
    assert sent["stream_options"] == {"include_usage": True}


async def test_stream_without_usage_tells_its_cost_in_a_comment_before_done(gateway: Gateway) -> None:
    response = await gateway.chat("hi", model="frontier", stream=True)
    assert response.headers["content-type"].startswith("text/event-stream")
    lines = sse_lines(response)
    assert lines[-1] == "data: [DONE]" and lines[-2].startswith(": tierd {")
    figures = json.loads(lines[-2].removeprefix(": tierd "))
    assert figures["cost_basis"] == "list-price"
    assert figures["request_id"] == response.headers["x-tierd-request-id"]
    assert float(figures["cost_usd"]) == pytest.approx(frontier_usd(PROMPT_TOKENS, COMPLETION_TOKENS))
    assert not any("usage" in payload for payload in sse_payloads(response))


async def test_stream_with_usage_ends_with_the_usage_chunk_and_its_cost(gateway: Gateway) -> None:
    stream = await gateway.client.chat.completions.create(
        model="frontier",
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    last = chunks[-1]
    assert last.choices == [] and last.usage is not None
    assert (last.usage.prompt_tokens, last.usage.completion_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    figures = (last.model_extra or {})["tierd"]
    assert float(figures["cost_usd"]) == pytest.approx(frontier_usd(PROMPT_TOKENS, COMPLETION_TOKENS))
    assert [c.usage is not None for c in chunks].count(True) == 1


async def test_a_failure_mid_stream_becomes_an_sse_error_event(gateway: Gateway) -> None:
    def drops(path: str, body: dict[str, Any]) -> Any:
        *start, _ = chat_stream(["Hello", " wor"], body, prompt_tokens=3, completion_tokens=2)
        return [*start[:3], UpstreamUnavailable("tier-1-0 dropped the stream")]

    gateway.tiers["tier-1"].handler = drops
    response = await gateway.chat("hi", stream=True)
    assert response.status_code == 200  # the headers had gone before the failure
    payloads = sse_payloads(response)
    assert "".join(p["choices"][0]["delta"].get("content") or "" for p in payloads[:-1]) == "Hello wor"
    assert payloads[-1]["error"] == {
        "message": UNAVAILABLE, "type": "server_error", "param": None, "code": "upstream_unavailable"
    }  # fmt: skip
    assert "data: [DONE]" not in sse_lines(response)
    # The official client surfaces the event as an error rather than a silently short answer.
    stream = await gateway.client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    with pytest.raises(openai.APIError, match="dropped the connection"):
        [chunk async for chunk in stream]


async def test_a_stream_refused_before_its_first_byte_is_an_http_error(gateway: Gateway) -> None:
    gateway.tiers["tier-2"].handler = lambda path, body: UpstreamError(429, "busy")
    response = await gateway.chat("hi", model="tier-2", stream=True)
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["message"] == "tier 'tier-2': busy"


async def test_completions_endpoint(gateway: Gateway) -> None:
    done = await gateway.client.completions.create(model="tier-2", prompt="Once upon a time", max_tokens=5)
    assert done.choices[0].text == "answer from tier-2" and done.usage is not None
    assert gateway.tiers["tier-2"].requests[0][0] == "/completions"


async def test_unknown_fields_and_sampling_params_are_forwarded_unchanged(gateway: Gateway) -> None:
    fields: dict[str, Any] = {"temperature": 0.3, "seed": 7, "top_p": 0.9, "stop": ["\n\n"], "top_k": 20, "n": 2}
    response = await gateway.chat("hi", model="tier-1", **fields)
    assert response.status_code == 200
    (_, sent), = gateway.tiers["tier-1"].requests  # fmt: skip
    assert {k: sent[k] for k in fields} == fields  # top_k is vLLM's, not OpenAI's: kept, not dropped


async def test_in_flight_shows_in_the_tiers_detail_during_a_call(gateway: Gateway) -> None:
    seen: list[Any] = []

    async def looks_at_ready(path: str, body: dict[str, Any]) -> dict[str, Any]:
        seen.append((await gateway.http.get("/v1/tiers")).json())
        return chat_response("ok", prompt_tokens=1, completion_tokens=1)

    gateway.tiers["tier-2"].handler = looks_at_ready
    assert (await gateway.chat("hi", model="tier-2")).status_code == 200
    (during,) = seen
    replicas = {t["name"]: t["replicas"][0] for t in during["tiers"]}
    assert (replicas["tier-2"]["in_flight"], replicas["tier-1"]["in_flight"]) == (1, 0)
    assert replicas["tier-2"]["status"] == "ready" and during["tiers_ready"] is True
    after = (await gateway.http.get("/v1/tiers")).json()
    assert all(t["replicas"][0]["in_flight"] == 0 for t in after["tiers"])
