"""POST /v1/route and the hybrid router in a real tierd process over real vLLM tiers (tiny model).

The router model is trained at test time on the 36-row fixture (~2 s); tierd attaches to the session's
vLLM servers, so it starts in a few seconds.
"""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from server.cli import main as tierd_main
from server.routing.learned.training import read_examples, train
from server.routing.wiring import load_encoder
from tests.conftest import FRONTIER_KEY
from tests.support import TierdServer, VllmServer, attached_tier, remote_tier, running_tierd

pytestmark = pytest.mark.integration
FIXTURE = Path(__file__).parents[1] / "fixtures" / "router_small.jsonl"
TIERS = ("tier-1", "tier-2", "frontier")
SIMPLE = "What is the capital of Spain?"
HARD = "Prove by induction that the sum of the first n odd numbers is n^2."


@pytest.fixture(scope="module")
def hybrid_gateway(
    ready_upstreams: dict[str, VllmServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TierdServer]:
    workdir = tmp_path_factory.mktemp("hybrid")
    model = train(read_examples(FIXTURE, TIERS, "train"), load_encoder(None), TIERS, embedder_name="minilm")
    model.save(workdir / "model", {})
    config = {
        "tiers": [
            {**attached_tier("tier-1", ready_upstreams["tier-2"]), "served_model_name": ready_upstreams["tier-2"].name},
            attached_tier("tier-2", ready_upstreams["tier-2"]),
            remote_tier("frontier", ready_upstreams["frontier"]),
        ],
        "routing": {
            "classifier": "hybrid",
            # Always embed, so requests exercise the worker-thread path.
            "learned": {"model": str(workdir / "model"), "fast_path_confidence": 1.0},
            "hybrid": {"tools_min_tier": "frontier"},
        },
    }
    with running_tierd(config, workdir, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as server:
        yield server


def _route(server: TierdServer, body: Any, **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/route", json=body, timeout=30, **kwargs)


def _chat(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": text}], **extra}


def test_route_explains_without_generating(hybrid_gateway: TierdServer) -> None:
    response = _route(hybrid_gateway, _chat(SIMPLE))
    assert response.status_code == 200
    decision = response.json()
    assert decision["object"] == "tierd.route"
    assert decision["request_id"] == response.headers["x-tierd-request-id"]
    assert decision["decision"] == response.headers["x-tierd-decision"]
    assert decision["chosen_tier"] == decision["min_tier"] == "tier-1"
    assert decision["classifier"]["name"] == "hybrid" and decision["classifier"]["version"]
    assert decision["matched_rules"] == ["learned:semantic"]
    assert set(decision["scores"]) == set(TIERS)
    assert decision["features"]["turns"] == 1
    assert "text" not in decision["features"] and "routing_text" not in decision["features"]

    hard = _route(hybrid_gateway, _chat(HARD)).json()
    assert hard["chosen_tier"] == "frontier"
    tools = _route(hybrid_gateway, _chat(SIMPLE, tools=[{"type": "function", "function": {"name": "f"}}])).json()
    assert tools["chosen_tier"] == "frontier" and tools["matched_rules"] == ["tools"]


def test_pinned_model_is_explained_too(hybrid_gateway: TierdServer) -> None:
    decision = _route(hybrid_gateway, {**_chat(HARD), "model": "tier-2"}).json()
    assert decision["mode"] == "pinned" and decision["chosen_tier"] == "tier-2"
    assert decision["classifier"] is None


@pytest.mark.parametrize(
    ("send", "status", "code"),
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "invalid_json"),
        ({"json": [1, 2]}, 400, "invalid_type"),
        ({"json": {"model": "auto"}}, 400, None),
        ({"json": {"model": "auto", "messages": "hi"}}, 400, None),
        ({"json": _chat(SIMPLE, model="no-such-model")}, 404, "model_not_found"),
        ({"json": {"model": "auto", "messages": [{"role": "user", "content": None}]}}, 200, None),
    ],
)
def test_bad_route_requests_get_openai_errors(
    hybrid_gateway: TierdServer, send: dict[str, Any], status: int, code: str | None
) -> None:
    response = httpx.post(f"{hybrid_gateway.url}/v1/route", timeout=30, **send)
    assert response.status_code == status, response.text
    if status != 200:
        error = response.json()["error"]
        assert error["message"]
        if code is not None:
            assert error["code"] == code
    assert httpx.get(f"{hybrid_gateway.url}/health", timeout=10).status_code == 200


def test_completions_carry_the_hybrid_decision_and_log_it(hybrid_gateway: TierdServer) -> None:
    client = openai.OpenAI(base_url=f"{hybrid_gateway.url}/v1", api_key="unused", max_retries=0, timeout=120)
    raw = client.chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": SIMPLE}], max_tokens=4
    )
    assert raw.parse().choices[0].finish_reason in ("stop", "length")
    assert raw.headers["x-tierd-tier"] == "tier-1"
    assert raw.headers["x-tierd-decision"].startswith("auto hybrid:learned:semantic min=tier-1 -> tier-1")
    request_id = raw.headers["x-tierd-request-id"]
    logged = [
        line for line in hybrid_gateway.log_path.read_text().splitlines() if f"request {request_id} decision" in line
    ]
    assert len(logged) == 1
    explained = json.loads(logged[0].split(" decision ", 1)[1])
    assert explained["classifier"]["name"] == "hybrid" and explained["chosen_tier"] == "tier-1"


def test_concurrent_route_requests_all_answer(hybrid_gateway: TierdServer) -> None:
    prompts = [SIMPLE, HARD, "Translate 'good night' into German.", "Write a haiku about rain."] * 8
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(lambda p: _route(hybrid_gateway, _chat(p)), prompts))
    assert [r.status_code for r in responses] == [200] * len(prompts)
    assert {r.json()["chosen_tier"] for r in responses[:2]} == {"tier-1", "frontier"}


def test_tierd_route_url_asks_the_running_server(
    hybrid_gateway: TierdServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tierd_main(["route", "--url", hybrid_gateway.url, SIMPLE]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["object"] == "tierd.route" and decision["chosen_tier"] == "tier-1"
    assert tierd_main(["route", "--url", "http://127.0.0.1:9", SIMPLE]) == 2
    assert "cannot reach" in capsys.readouterr().err


def test_rules_gateway_explains_matched_rules(gateway: TierdServer) -> None:
    decision = _route(gateway, _chat("Translate to French: good morning")).json()
    assert decision["classifier"] == {"name": "rules", "version": "1"}
    assert decision["matched_rules"] == ["transform"] and decision["chosen_tier"] == "tier-2"
