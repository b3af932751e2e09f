"""POST /v1/responses end to end: a real tierd over real vLLM (the tiny model) serving /v1/responses natively,
through the official client's `client.responses.create`.

tier-1 is the session's attached vLLM with checks; the frontier is the session's other vLLM behind an API key,
reached as a remote OpenAI tier, so an escalation goes from one real /v1/responses to another. Greedy, the
tiny model answers with newlines only, which the `empty` check fails: `auto` requests at temperature 0 escalate.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from sqlalchemy import create_engine, select

from server.accounting.ledger_schema import AttemptRow, RequestRow
from tests.conftest import FRONTIER_KEY
from tests.responses_spec import assert_event_conforms, assert_response_conforms, sse_events
from tests.support import TierdServer, VllmServer, attached_tier, openai_client, remote_tier, running_tierd

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def gateway(ready_upstreams: dict[str, VllmServer], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TierdServer]:
    config = {
        "tiers": [
            attached_tier("tier-1", ready_upstreams["tier-2"], cost={"hardware": "cpu", "tokens_per_hour": 1_000_000}),
            remote_tier("frontier", ready_upstreams["frontier"], max_retries=0),
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        "escalation": {"tiers": {"tier-1": {"checks": ["empty", "degeneration"]}}, "budget": {"max_share": 1.0}},
        "placement": {"never_spill": ["tier-1"]},
    }
    workdir = tmp_path_factory.mktemp("responses")
    with running_tierd(config, workdir, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as server:
        yield server


def _ledger(server: TierdServer, request_id: str) -> tuple[Any, list[Any]]:
    """The request's ledger row and attempt rows, once the writer (batched, 0.1 s linger) has written them."""
    engine = create_engine(f"sqlite:///{Path(server.config_path).parent / 'ledger.db'}")
    deadline = time.monotonic() + 10
    try:
        while True:
            with engine.connect() as conn:
                row = conn.execute(select(RequestRow).where(RequestRow.request_id == request_id)).first()
                attempts = list(
                    conn.execute(
                        select(AttemptRow).where(AttemptRow.request_id == request_id).order_by(AttemptRow.attempt_index)
                    )
                )
            if row is not None or time.monotonic() > deadline:
                assert row is not None, f"no ledger row for {request_id}"
                return row, attempts
            time.sleep(0.1)
    finally:
        engine.dispose()


def test_json_through_the_official_client(gateway: TierdServer) -> None:
    raw = openai_client(gateway).responses.with_raw_response.create(
        model="tier-1", instructions="Be brief.", input="Say hi", max_output_tokens=8
    )
    response = raw.parse()
    assert isinstance(response.output_text, str) and response.model == "tiny-tier2"
    assert response.usage is not None and 1 <= response.usage.output_tokens <= 8 and response.usage.input_tokens > 1
    assert (raw.headers["x-tierd-tier"], raw.headers["x-tierd-model"]) == ("tier-1", "tiny-tier2")
    assert_response_conforms(json.loads(raw.http_response.content))  # vLLM's own fields shaped out
    row, attempts = _ledger(gateway, raw.headers["x-tierd-request-id"])
    assert (row.endpoint, row.status, row.stream, row.final_tier) == ("/responses", 200, False, "tier-1")
    assert (row.prompt_tokens, row.completion_tokens) == (response.usage.input_tokens, response.usage.output_tokens)
    assert row.cost_usd == pytest.approx(float(raw.headers["x-tierd-cost-usd"]), abs=1e-10) and row.cost_usd > 0
    assert len(attempts) == 1


def test_a_stream_through_the_official_client_in_openai_shape(gateway: TierdServer) -> None:
    events = list(
        openai_client(gateway).responses.create(model="tier-1", input="Say hi", max_output_tokens=8, stream=True)
    )
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert any(e.type == "response.output_text.delta" for e in events)
    assert events[-1].response.usage is not None and events[-1].response.usage.output_tokens == 8
    body = {"model": "tier-1", "input": "Say hi", "max_output_tokens": 8, "stream": True}
    with httpx.stream("POST", f"{gateway.url}/v1/responses", json=body, timeout=60) as response:
        text = response.read().decode()
        request_id = response.headers["x-tierd-request-id"]
    parsed = sse_events(text)
    for name, data, _ in parsed:
        if data is not None:
            assert name == data["type"]
            assert_event_conforms(data)
    assert "[DONE]" not in text
    *_, (_, last, _), (_, _, comment) = parsed
    assert last is not None and last["type"] == "response.completed"
    figures = json.loads(comment.removeprefix(": tierd "))
    assert figures["request_id"] == request_id
    row, _ = _ledger(gateway, request_id)
    assert (row.endpoint, row.stream, row.status, row.completion_tokens) == ("/responses", True, 200, 8)
    assert row.prompt_tokens == last["response"]["usage"]["input_tokens"]
    assert row.cost_usd == pytest.approx(float(figures["cost_usd"]), abs=1e-10)


@pytest.mark.parametrize("stream", [False, True])
def test_a_junk_answer_escalates_from_one_real_responses_api_to_another(gateway: TierdServer, stream: bool) -> None:
    client = openai_client(gateway)
    fields: dict[str, Any] = {"model": "auto", "input": "Say hi", "max_output_tokens": 6, "temperature": 0}
    if stream:
        with client.responses.with_streaming_response.create(stream=True, **fields) as raw:
            headers = raw.headers
            events = list(raw.parse())
        assert [e.type for e in events].count("response.created") == 1
        final = events[-1].response
    else:
        raw_json = client.responses.with_raw_response.create(**fields)
        headers, final = raw_json.headers, raw_json.parse()
    assert (headers["x-tierd-tier"], headers["x-tierd-escalation"]) == ("frontier", "escalated")
    assert headers["x-tierd-escalated-from"] == "tier-1"
    assert final.model == "tiny-frontier"
    row, attempts = _ledger(gateway, headers["x-tierd-request-id"])
    assert (row.endpoint, row.final_tier, row.escalations, row.escalation_outcome) == (
        "/responses", "frontier", 1, "escalated"
    )  # fmt: skip
    assert [(a.tier, a.passed, a.returned) for a in attempts] == [("tier-1", False, False), ("frontier", None, True)]
    assert [c["check"] for c in attempts[0].checks if not c["passed"]] == ["empty"]
    assert attempts[1].cost_usd == pytest.approx(
        (attempts[1].prompt_tokens * 2.5 + attempts[1].completion_tokens * 10) / 1e6
    )


def test_a_previous_response_is_refused_before_any_tier(gateway: TierdServer) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        openai_client(gateway).responses.create(model="auto", input="hi", previous_response_id="resp_1")
    error = info.value.body
    assert isinstance(error, dict) and error["param"] == "previous_response_id" and error["code"] == "invalid_value"
