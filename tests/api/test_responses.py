"""POST /v1/responses through HTTP over scripted tiers: routed, checked, escalated and booked like chat.

The scripted tiers answer as vLLM's /v1/responses does (tiers/scripted_responses.py, vLLM's own fields
included); every body and stream event the client gets is checked strictly against OpenAI's spec.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest

from tests.api.harness import (
    COMPLETION_TOKENS,
    PROMPT_TOKENS,
    answering,
    frontier_tier,
    gateway_settings,
    local_usd,
    running_gateway,
    scripted_tiers,
    vllm_tier,
)
from tests.responses_spec import assert_event_conforms, assert_response_conforms, sse_events
from tiers.base import UpstreamUnavailable
from tiers.scripted import Handler
from tiers.scripted_responses import responses_response, responses_stream

pytestmark = pytest.mark.api
UNAVAILABLE = "tier 'tier-1' could not be reached or dropped the connection (upstream_unavailable)"
CHECKS = ["empty", "degeneration", "json", "truncation", {"name": "low_confidence", "min_mean_logprob": -3}]
LOOP = "I think " * 30
SOUND = "The capital of France is Paris. It has been the capital since the 10th century."
TOKENS = PROMPT_TOKENS + COMPLETION_TOKENS
StartGateway = Callable[..., Any]


@pytest.fixture
def start(tmp_path: Path) -> StartGateway:
    """`start(handlers, checked=True)`: tier-1 checked (unless not), tier-2 answers SOUND."""

    def started(handlers: dict[str, Handler] | None = None, checked: bool = True) -> Any:
        escalation = {"tiers": {"tier-1": {"checks": CHECKS}}, "budget": {"max_share": 1.0, "burst": 100}}
        settings = gateway_settings(
            tmp_path, **({"escalation": {**escalation, "prefix_tokens": 12}} if checked else {})
        )
        return running_gateway(settings, scripted_tiers(settings, {"tier-2": answering(SOUND), **(handlers or {})}))

    return started


def _events(text: str) -> list[dict[str, Any]]:
    return [data for _, data, _ in sse_events(text) if data is not None]


async def test_json_through_the_official_client_in_openai_shape(start: StartGateway) -> None:
    async with start(checked=False) as gateway:
        raw = await gateway.client.responses.with_raw_response.create(
            model="auto", instructions="Be brief.", input="Say hi", max_output_tokens=20
        )
        ledger = await gateway.stop()
    response = raw.parse()
    assert response.output_text == "answer from tier-1"
    assert response.usage is not None
    assert (response.usage.input_tokens, response.usage.output_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    headers = raw.headers
    assert (headers["x-tierd-tier"], headers["x-tierd-model"]) == ("tier-1", "tier-1-model")
    assert float(headers["x-tierd-cost-usd"]) == pytest.approx(local_usd("tier-1", TOKENS), abs=1e-10)
    body = json.loads(raw.http_response.content)
    assert_response_conforms(body)  # vLLM's kv_transfer_params, input_messages, null user, ... are gone
    assert body["error"] is None and body["text"] == {"format": {"type": "text"}}
    # The tier got the client's body as it was, at its own /responses, under its own model name.
    forwarded = {"model": "tier-1-model", "instructions": "Be brief.", "input": "Say hi", "max_output_tokens": 20}
    assert gateway.tiers["tier-1"].requests == [("/responses", forwarded)]
    row = ledger.requests[headers["x-tierd-request-id"]]
    assert (row.endpoint, row.status, row.stream, row.final_tier) == ("/responses", 200, False, "tier-1")
    assert (row.prompt_tokens, row.completion_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    assert row.cost_usd == pytest.approx(float(headers["x-tierd-cost-usd"]), abs=1e-10)


async def test_a_stream_is_typed_events_in_openai_shape_and_tells_its_cost_after_the_last(start: StartGateway) -> None:
    async with start(checked=False) as gateway:
        stream = await gateway.client.responses.create(model="auto", input="Say hi", stream=True)
        kinds, text = [], ""
        async for event in stream:
            kinds.append(event.type)
            text += event.delta if event.type == "response.output_text.delta" else ""
        raw = await gateway.responses("Say hello", stream=True)
        ledger = await gateway.stop()
    assert text == "answer from tier-1"
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    events = sse_events(raw.text)
    for name, data, _ in events:
        if data is not None:
            assert name == data["type"]  # each event names its type, as OpenAI's do
            assert_event_conforms(data)
    assert "[DONE]" not in raw.text  # OpenAI's Responses streams end with their last event
    *_, (_, last, _), (_, _, comment) = events
    assert last is not None and last["type"] == "response.completed"
    figures = json.loads(comment.removeprefix(": tierd "))
    assert float(figures["cost_usd"]) == pytest.approx(local_usd("tier-1", TOKENS), abs=1e-10)
    assert figures["request_id"] == raw.headers["x-tierd-request-id"]
    row = ledger.requests[raw.headers["x-tierd-request-id"]]
    assert (row.endpoint, row.status, row.stream) == ("/responses", 200, True)
    assert (row.prompt_tokens, row.completion_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    assert row.cost_usd == pytest.approx(float(figures["cost_usd"]), abs=1e-10)
    assert ledger.attempts[figures["request_id"]][0].completion_tokens == COMPLETION_TOKENS


@pytest.mark.parametrize(
    ("fields", "tier"),
    [
        ({"input": "Translate to French: good morning"}, "tier-2"),
        ({"instructions": "Prove it step by step.", "input": "2 is prime"}, "frontier"),
        ({"input": [{"role": "user", "content": [{"type": "input_text", "text": "Summarize this"}]}]}, "tier-2"),
    ],
)
async def test_the_classifier_reads_input_and_instructions(
    start: StartGateway, fields: dict[str, Any], tier: str
) -> None:
    async with start(checked=False) as gateway:
        response = await gateway.http.post("/v1/responses", json={"model": "auto", **fields})
        route = await gateway.http.post("/v1/route", json={"model": "auto", **fields})
    assert (response.status_code, response.headers["x-tierd-tier"]) == (200, tier)
    assert route.status_code == 200 and route.json()["chosen_tier"] == tier


async def test_a_failing_cheap_answer_escalates_and_costs_both_attempts(start: StartGateway) -> None:
    async with start({"tier-1": answering("")}) as gateway:
        raw = await gateway.client.responses.with_raw_response.create(model="auto", input="Capital of France?")
        ledger = await gateway.stop()
    assert raw.parse().output_text == SOUND
    headers = raw.headers
    assert (headers["x-tierd-tier"], headers["x-tierd-escalation"], headers["x-tierd-escalated-from"]) == (
        "tier-2", "escalated", "tier-1"
    )  # fmt: skip
    assert float(headers["x-tierd-cost-usd"]) == pytest.approx(
        local_usd("tier-1", TOKENS) + local_usd("tier-2", TOKENS), abs=1e-10
    )
    attempts = ledger.attempts[headers["x-tierd-request-id"]]
    assert [(a.tier, a.passed, a.returned) for a in attempts] == [("tier-1", False, False), ("tier-2", None, True)]
    assert [c["check"] for c in attempts[0].checks if not c["passed"]] == ["empty"]


@pytest.mark.parametrize("mode", ["buffer", "prefix"])
async def test_a_stream_never_mixes_two_answers(start: StartGateway, mode: str) -> None:
    async with start({"tier-1": answering(LOOP)}) as gateway:
        raw = await gateway.responses("Capital of France?", stream=True, headers={"x-tierd-stream-mode": mode})
    events = _events(raw.text)
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert text == SOUND  # only tier-2's answer, whole
    assert [e["type"] for e in events].count("response.created") == 1
    assert len({e["response"]["id"] for e in events if "response" in e}) == 1
    assert (raw.headers["x-tierd-tier"], raw.headers["x-tierd-escalation"]) == ("tier-2", "escalated")


async def test_an_answer_cut_by_the_tier_escalates_and_one_cut_at_the_clients_limit_does_not(
    start: StartGateway,
) -> None:
    def cut(path: str, body: dict[str, Any]) -> Any:
        return responses_response(SOUND, prompt_tokens=9, completion_tokens=7, status="incomplete")

    async with start({"tier-1": cut}) as gateway:
        unbounded = await gateway.responses("Capital of France?")
        bounded = await gateway.responses("Capital of France?", max_output_tokens=7)
    assert (unbounded.headers["x-tierd-tier"], unbounded.headers["x-tierd-escalation"]) == ("tier-2", "escalated")
    assert (bounded.headers["x-tierd-tier"], bounded.headers["x-tierd-escalation"]) == ("tier-1", "accepted")
    assert bounded.json()["incomplete_details"] == {"reason": "max_output_tokens"}
    assert_response_conforms(bounded.json())


async def test_a_requested_json_schema_is_checked(start: StartGateway) -> None:
    fmt = {"type": "json_schema", "name": "city", "schema": {"type": "object", "required": ["city"]}}
    async with start({"tier-1": answering("Paris"), "tier-2": answering('{"city": "Paris"}')}) as gateway:
        response = await gateway.responses("Capital of France?", text={"format": fmt})
        ledger = await gateway.stop()
    assert (response.headers["x-tierd-tier"], response.headers["x-tierd-escalated-from"]) == ("tier-2", "tier-1")
    first = ledger.attempts[response.headers["x-tierd-request-id"]][0]
    assert [c["check"] for c in first.checks if not c["passed"]] == ["json"]
    assert json.loads(response.json()["output"][0]["content"][0]["text"]) == {"city": "Paris"}


async def test_logprobs_asked_for_a_check_reach_it_but_not_the_client(start: StartGateway) -> None:
    async with start({"tier-1": answering(SOUND, logprob=-6.0)}) as gateway:
        json_answer = await gateway.responses("Capital of France?")
        streamed = await gateway.responses("Capital of France?", stream=True, headers={"x-tierd-stream-mode": "buffer"})
        sent = gateway.tiers["tier-1"].requests
    # tier-1's answer was unsure (mean logprob -6 < -3): both escalated, and tierd had asked for logprobs.
    assert [json_answer.headers["x-tierd-tier"], streamed.headers["x-tierd-tier"]] == ["tier-2", "tier-2"]
    assert all(body["include"] == ["message.output_text.logprobs"] for _, body in sent)
    async with start({"tier-1": answering(SOUND, logprob=-0.1)}) as gateway:
        json_answer = await gateway.responses("Capital of France?")
        streamed = await gateway.responses("Capital of France?", stream=True)
    assert json_answer.headers["x-tierd-tier"] == "tier-1"
    assert json_answer.json()["output"][0]["content"][0]["logprobs"] == []  # the client did not ask for them
    deltas = [e for e in _events(streamed.text) if e["type"] == "response.output_text.delta"]
    assert deltas and all(e["logprobs"] == [] for e in deltas)


async def test_stateful_fields_get_a_clear_400_and_a_ledger_row(start: StartGateway) -> None:
    async with start(checked=False) as gateway:
        with pytest.raises(openai.BadRequestError) as info:
            await gateway.client.responses.create(model="auto", input="hi", previous_response_id="resp_1")
        background = await gateway.responses("hi", background=True)
        reference = await gateway.responses("x", input=[{"type": "item_reference", "id": "msg_1"}])
        empty = await gateway.responses("x", input=[])
        stored = await gateway.http.get("/v1/responses/resp_1")
        ledger = await gateway.stop()
    error = info.value.body
    assert isinstance(error, dict)
    assert (error["type"], error["code"], error["param"]) == (
        "invalid_request_error",
        "invalid_value",
        "previous_response_id",
    )
    assert "keeps no state" in error["message"]
    assert background.json()["error"]["param"] == "background"
    assert reference.json()["error"]["param"] == "input[0]" and "item_reference" in reference.json()["error"]["message"]
    assert (empty.status_code, empty.json()["error"]["param"]) == (400, "input")
    assert stored.status_code == 404 and "stores no responses" in stored.json()["error"]["message"]
    assert all(not tier.requests for tier in gateway.tiers.values())  # nothing reached a tier
    refused = [r for r in ledger.requests.values() if r.endpoint == "/responses"]
    assert len(refused) == 4 and all((r.status, r.error_code) == (400, "invalid_value") for r in refused)


async def test_a_failure_mid_stream_becomes_a_typed_error_event(start: StartGateway) -> None:
    def drops(path: str, body: dict[str, Any]) -> Any:
        events = responses_stream(["Hello", " wor"], prompt_tokens=3, completion_tokens=2)
        return [*events[:6], UpstreamUnavailable("tier-1-0 dropped the stream")]

    async with start({"tier-1": drops}, checked=False) as gateway:
        raw = await gateway.responses("hi", stream=True)
        stream = await gateway.client.responses.create(model="auto", input="hi", stream=True)
        seen = [event async for event in stream]  # the SDK hands a Responses stream's error on as an event
        ledger = await gateway.stop()
    events = _events(raw.text)
    assert events[-1] == {
        "type": "error", "sequence_number": 6, "code": "upstream_unavailable",
        "message": UNAVAILABLE, "param": None,
    }  # fmt: skip
    for event in events:
        assert_event_conforms(event)
    assert seen[-1].type == "error" and seen[-1].message == UNAVAILABLE
    row = ledger.requests[raw.headers["x-tierd-request-id"]]
    assert (row.status, row.error_code) == (503, "upstream_unavailable")  # a failure, though its headers said 200


async def test_a_tiers_generation_defaults_and_caps_apply_to_max_output_tokens(tmp_path: Path) -> None:
    generation = {"defaults": {"max_tokens": 64, "temperature": 0.2}, "limits": {"max_tokens": 128, "max_messages": 2}}
    tiers = [vllm_tier("tier-1", **generation), vllm_tier("tier-2"), frontier_tier()]
    settings = gateway_settings(tmp_path, tiers=tiers)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        defaulted = await gateway.responses("hi", model="tier-1")
        capped = await gateway.responses("hi", model="tier-1", max_output_tokens=4000, stream=True)
        too_long = await gateway.responses("x", model="tier-1", input=[{"role": "user", "content": "hi"}] * 3)
        sent = [body for _, body in gateway.tiers["tier-1"].requests]
    assert [(b["max_output_tokens"], b["temperature"]) for b in sent] == [(64, 0.2), (128, 0.2)]
    assert all("max_tokens" not in b for b in sent)  # the Responses API's own field, not chat's
    assert defaulted.headers["x-tierd-defaults"] == "max_output_tokens=64,temperature=0.2"
    assert capped.headers["x-tierd-limited"] == "max_output_tokens=128"
    assert (too_long.status_code, too_long.json()["error"]["param"]) == (400, "input")
