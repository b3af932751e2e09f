"""Every body and SSE event tierd sends is exactly in OpenAI's published shape (strict validation against the
spec, tests/openai_spec.py), whatever the tier sent: here the tiers replay real vLLM 0.32 bodies
(tests/fixtures/openai_shape/vllm_bodies.jsonl) through the whole app, escalation included; errors come
from tierd itself and from upstreams. tests/integration/test_openai_fidelity.py does the same against
real vLLM processes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine

from server.accounting.keys import KeyStore
from tests.api.harness import Gateway, answering, gateway_settings, running_gateway, scripted_tiers
from tests.openai_spec import assert_answer_conforms, assert_conforms, assert_stream_conforms
from tiers.base import ReplicaStatus, UpstreamError, UpstreamUnavailable
from tiers.scripted import Handler

pytestmark = pytest.mark.api
RECORDED_PATH = Path(__file__).parents[1] / "fixtures" / "openai_shape" / "vllm_bodies.jsonl"
RECORDED = {row["case"]: row for row in map(json.loads, RECORDED_PATH.read_text().splitlines())}
CHEAP_CHECKS = ["empty", "degeneration", "truncation", {"name": "low_confidence", "min_mean_logprob": -30}]
QUESTION = "What is the capital of France?"
USAGE = {"include_usage": True}
PERSON = RECORDED["chat-json-schema"]["request"]["response_format"]


def replaying(json_case: str, stream_case: str) -> Handler:
    """A tier that answers as vLLM did: the recorded body of `json_case`, or the chunks of `stream_case`."""

    def handler(path: str, body: dict[str, Any]) -> Any:
        row = RECORDED[stream_case if body.get("stream") else json_case]
        assert row["path"].endswith(path), (row["path"], path)
        return copy.deepcopy(row["chunks"] if body.get("stream") else row["body"])

    return handler


def _vllm_tiers(gateway: Gateway, json_case: str, stream_case: str) -> None:
    for tier in gateway.tiers.values():
        tier.handler = replaying(json_case, stream_case)


CHAT_CASES = [
    ("chat", "chat-stream-usage", {}),
    ("chat-logprobs", "chat-stream-logprobs", {"logprobs": True, "top_logprobs": 2}),
    ("chat-n2", "chat-stream-n2", {"n": 2}),
    ("chat-tools", "chat-stream-tools", {"tools": [RECORDED["chat-tools"]["request"]["tools"][0]]}),
    ("chat-json-schema", "chat-stream-usage", {"response_format": PERSON}),
]  # fmt: skip


@pytest.mark.parametrize(("json_case", "stream_case", "fields"), CHAT_CASES, ids=[c[0] for c in CHAT_CASES])
@pytest.mark.parametrize("model", ["tier-2", "frontier"])
async def test_chat_answers_conform(
    gateway: Gateway, json_case: str, stream_case: str, fields: Any, model: str
) -> None:
    _vllm_tiers(gateway, json_case, stream_case)
    response = await gateway.chat(QUESTION, model=model, **fields)
    assert response.status_code == 200
    body = response.json()
    assert_answer_conforms(body)
    assert body["choices"][0]["message"]["content"] == RECORDED[json_case]["body"]["choices"][0]["message"]["content"]
    for stream_options in (USAGE, None):
        extra = {"stream_options": stream_options} if stream_options else {}
        streamed = await gateway.chat(QUESTION, model=model, stream=True, **fields, **extra)
        assert streamed.status_code == 200
        payloads = assert_stream_conforms(streamed.text)
        usage_chunks = [p for p in payloads if p.get("usage")]
        assert len(usage_chunks) == (1 if stream_options else 0)
        if stream_options:
            assert payloads[-1]["choices"] == [] and set(payloads[-1]["tierd"]) == {
                "cost_usd",
                "cost_basis",
                "request_id",
            }


@pytest.mark.parametrize(
    ("json_case", "stream_case"),
    [("completion", "completion-stream-usage-logprobs"), ("completion-logprobs-n2", "completion-stream")],
)
async def test_completions_answers_conform(gateway: Gateway, json_case: str, stream_case: str) -> None:
    _vllm_tiers(gateway, json_case, stream_case)
    body = {"model": "tier-2", "prompt": "Once upon a time", "max_tokens": 5}
    response = await gateway.http.post("/v1/completions", json=body)
    assert response.status_code == 200
    assert_answer_conforms(response.json())
    for extra in ({"stream_options": USAGE}, {}):
        streamed = await gateway.http.post("/v1/completions", json={**body, "stream": True, **extra})
        payloads = assert_stream_conforms(streamed.text)
        assert "".join(p["choices"][0]["text"] for p in payloads if p["choices"]) == "".join(
            c["choices"][0]["text"] for c in RECORDED[stream_case]["chunks"] if c["choices"]
        )


@pytest.mark.parametrize("mode", ["buffer", "prefix"])
async def test_escalated_and_returned_cheap_answers_conform(tmp_path: Path, mode: str) -> None:
    escalation = {"tiers": {"tier-1": {"checks": CHEAP_CHECKS}}, "budget": {"max_share": 1.0, "burst": 100},
                  "prefix_tokens": 2}  # fmt: skip
    settings = gateway_settings(tmp_path, escalation=escalation)
    # tier-1 answers nothing (the `empty` check fails); tier-2 answers as vLLM did.
    handlers = {"tier-1": answering(""), "tier-2": replaying("chat-logprobs", "chat-stream-logprobs")}
    async with running_gateway(settings, scripted_tiers(settings, handlers)) as gateway:
        headers = {"x-tierd-stream-mode": mode}
        response = await gateway.chat(QUESTION)
        assert response.headers["x-tierd-escalation"] == "escalated"
        assert_answer_conforms(response.json())
        streamed = await gateway.chat(QUESTION, stream=True, stream_options=USAGE, headers=headers)
        assert streamed.headers["x-tierd-escalation"] == "escalated"
        assert_stream_conforms(streamed.text)
    # No escalation allowed: tier-1's own vLLM answer (truncated: it fails its checks) is returned, without
    # the logprobs tierd asked for on behalf of the low_confidence check.
    settings = gateway_settings(tmp_path / "limit", escalation={**escalation, "max_escalations": 0})
    handlers = {"tier-1": replaying("chat-logprobs", "chat-stream-logprobs")}
    async with running_gateway(settings, scripted_tiers(settings, handlers)) as gateway:
        response = await gateway.chat(QUESTION)
        assert response.headers["x-tierd-escalation"] == "limit-reached"
        assert_answer_conforms(response.json())
        assert response.json()["choices"][0]["logprobs"] is None
        streamed = await gateway.chat(QUESTION, stream=True, headers={"x-tierd-stream-mode": mode})
        assert all(c["logprobs"] is None for p in assert_stream_conforms(streamed.text) for c in p["choices"])


def _assert_error(response: httpx.Response, status: int, kind: str, code: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert_conforms("ErrorResponse", response.json())
    error = response.json()["error"]
    assert (error["type"], error["code"]) == (kind, code), error
    return dict(error)


async def test_tierds_own_errors_conform(gateway: Gateway) -> None:
    _assert_error(await gateway.chat(QUESTION, temperature=5), 400, "invalid_request_error", "invalid_value")
    bad_json = await gateway.http.post("/v1/chat/completions", content=b"{not json")
    _assert_error(bad_json, 400, "invalid_request_error", "invalid_json")
    _assert_error(await gateway.chat(QUESTION, model="gpt-9"), 404, "invalid_request_error", "model_not_found")
    _assert_error(await gateway.http.get("/v1/nowhere"), 404, "invalid_request_error", None)
    gateway.tiers["tier-2"].status = ReplicaStatus.UNHEALTHY
    _assert_error(await gateway.chat(QUESTION, model="tier-2"), 503, "server_error", "tier_unavailable")


async def test_rate_limit_and_missing_key_errors_conform(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.db"
    key = KeyStore(create_engine(f"sqlite:///{ledger}")).create("caller")
    settings = gateway_settings(
        tmp_path, auth={"mode": "on"}, budgets={"default_requests_per_minute": 1},
        accounting={"ledger_url": f"sqlite:///{ledger}"},
    )  # fmt: skip
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        _assert_error(await gateway.chat(QUESTION), 401, "invalid_request_error", "invalid_api_key")
        auth = {"authorization": f"Bearer {key.secret}"}
        assert (await gateway.chat(QUESTION, headers=auth)).status_code == 200
        _assert_error(await gateway.chat(QUESTION, headers=auth), 429, "requests", "rate_limit_exceeded")


@pytest.mark.parametrize(
    ("raised", "status", "kind", "code"),
    [
        # vLLM's own refusal: its status and message, OpenAI's type for the status, no integer code
        (UpstreamError(400, "too long", body={"error": {"message": "too long", "type": "BadRequestError",
                                                        "param": None, "code": 400}}),
         400, "invalid_request_error", None),
        (UpstreamError(404, "The model `x` does not exist.", body={"object": "error", "message": "The model `x` does "
                       "not exist.", "type": "NotFoundError", "param": None, "code": 404}),
         404, "invalid_request_error", None),
        # the frontier's own (OpenAI's) 429 keeps its type and code
        (UpstreamError(429, "Rate limit reached", body={"error": {"message": "Rate limit reached", "type": "requests",
                                                                  "param": None, "code": "rate_limit_exceeded"}}),
         429, "requests", "rate_limit_exceeded"),
        (UpstreamError(429, "busy"), 429, "rate_limit_error", None),
        (UpstreamError(503, "overloaded"), 503, "server_error", None),
        (UpstreamUnavailable("connection refused"), 503, "server_error", "upstream_unavailable"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("stream", [False, True])
async def test_upstream_errors_conform(
    gateway: Gateway, raised: UpstreamError, status: int, kind: str, code: str | None, stream: bool
) -> None:
    gateway.tiers["frontier"].handler = lambda path, body: raised
    error = _assert_error(await gateway.chat(QUESTION, model="frontier", stream=stream), status, kind, code)
    if raised.status is None:  # no answer: named by the tier; the upstream's own detail is only logged
        assert "tier 'frontier'" in error["message"] and raised.message not in error["message"]
    else:
        assert raised.message in error["message"]


@pytest.mark.parametrize(
    "vllm_error",
    [
        {"error": {"message": "engine died", "type": "InternalServerError", "param": None, "code": 500}},
        {"object": "error", "message": "engine died", "type": "InternalServerError", "param": None, "code": 500},
    ],
)
async def test_mid_stream_errors_conform(gateway: Gateway, vllm_error: dict[str, Any]) -> None:
    chunks = RECORDED["chat-stream-usage"]["chunks"]
    gateway.tiers["tier-2"].handler = lambda path, body: [*copy.deepcopy(chunks[:3]), vllm_error]
    payloads = assert_stream_conforms((await gateway.chat(QUESTION, model="tier-2", stream=True)).text)
    assert payloads[-1] == {"error": {"message": "engine died", "type": "server_error", "param": None, "code": None}}
    gateway.tiers["tier-2"].handler = lambda path, body: [*copy.deepcopy(chunks[:3]), UpstreamUnavailable("dropped")]
    payloads = assert_stream_conforms((await gateway.chat(QUESTION, model="tier-2", stream=True)).text)
    assert payloads[-1]["error"]["code"] == "upstream_unavailable"


async def test_a_stream_keeps_one_id_and_created(gateway: Gateway) -> None:
    chunks = copy.deepcopy(RECORDED["chat-stream-usage"]["chunks"])
    for i, chunk in enumerate(chunks):  # an upstream that renames its chunks mid-stream
        chunk["id"], chunk["created"] = f"chatcmpl-{i}", chunk["created"] + i
    gateway.tiers["tier-2"].handler = lambda path, body: copy.deepcopy(chunks)
    payloads = assert_stream_conforms((await gateway.chat(QUESTION, model="tier-2", stream=True)).text)
    assert {(p["id"], p["created"]) for p in payloads} == {("chatcmpl-0", chunks[0]["created"])}
