"""Every error case of the gateway, against real upstreams."""

from __future__ import annotations

from pathlib import Path

import httpx
import openai
import pytest

from tests.support import ROUTING_RULES, TierdServer, VllmServer, attached_tier, remote_tier, running_tierd, wait_until

pytestmark = pytest.mark.integration

CHAT = "/v1/chat/completions"
HI = [{"role": "user", "content": "hi"}]


def _post(gateway: TierdServer, body: object = None, content: bytes | None = None, path: str = CHAT) -> httpx.Response:
    if content is not None:
        return httpx.post(gateway.url + path, content=content, headers={"content-type": "application/json"}, timeout=60)
    return httpx.post(gateway.url + path, json=body, timeout=60)


def _error(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"message", "type", "param", "code"} <= set(body["error"]), body
    return dict(body["error"])


@pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2", '{"model": "é'.encode("latin-1")])
def test_malformed_json_is_400(gateway: TierdServer, content: bytes) -> None:
    response = _post(gateway, content=content)
    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_json"
    assert response.headers["x-tierd-request-id"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": "auto", "messages": HI, "temperature": 5}, "temperature"),
        ({"model": "auto", "messages": []}, "messages"),
        ({"model": "auto", "messages": [{"role": "robot", "content": "x"}]}, "messages[0].role"),
        ({"model": "auto", "messages": HI, "max_tokens": 0}, "max_tokens"),
        ({"messages": HI}, "model"),
        ({"model": "auto", "messages": HI, "n": "two"}, "n"),
        ({"model": "auto", "messages": HI, "tools": [{"type": "function"}]}, "tools[0].function"),
        ([1, 2, 3], None),
    ],
)
def test_invalid_fields_are_400_naming_the_param(gateway: TierdServer, body: object, param: str | None) -> None:
    response = _post(gateway, body)
    assert response.status_code == 400, response.text
    error = _error(response)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param


def test_invalid_completions_prompt_is_400(gateway: TierdServer) -> None:
    response = _post(gateway, {"model": "auto", "prompt": []}, path="/v1/completions")
    assert response.status_code == 400
    assert _error(response)["param"] == "prompt"


def test_body_over_limit_is_413(gateway: TierdServer) -> None:
    big = {"model": "auto", "messages": [{"role": "user", "content": "x" * 100_000}]}
    response = _post(gateway, big)
    assert response.status_code == 413
    assert _error(response)["code"] == "request_too_large"


def test_body_over_limit_without_content_length_is_413(gateway: TierdServer) -> None:
    def chunks():  # chunked transfer: no Content-Length to trust
        for _ in range(20):
            yield b"x" * 8192

    response = httpx.post(
        gateway.url + CHAT, content=chunks(), headers={"content-type": "application/json"}, timeout=30
    )
    assert response.status_code == 413


def test_upstream_error_passes_through_with_its_status(gateway: TierdServer) -> None:
    # Longer than the tiny model's 4096-token context: vLLM itself refuses it.
    response = _post(gateway, {"model": "tier-2", "messages": HI, "max_tokens": 50_000})
    assert response.status_code == 400, response.text
    assert "max" in _error(response)["message"].lower()


def test_server_survives_bad_input_and_still_answers(gateway: TierdServer) -> None:
    for content in (b"\x00\xff", b"null", b'{"model": 1, "messages": "x"}', b"9" * 5000):
        assert _post(gateway, content=content).status_code == 400
    assert _post(gateway, {"model": "auto", "messages": HI, "max_tokens": 2}).status_code == 200


def test_client_disconnect_mid_stream_cancels_upstream(gateway: TierdServer, ready_upstreams: dict) -> None:
    upstream: VllmServer = ready_upstreams["tier-2"]
    before = upstream.load().generation_tokens_total
    body = {"model": "tier-2", "messages": HI, "max_tokens": 3000, "stream": True, "ignore_eos": True}
    with httpx.Client(timeout=60) as client, client.stream("POST", gateway.url + CHAT, json=body) as response:
        assert response.status_code == 200
        for i, _ in enumerate(response.iter_lines()):
            if i >= 5:
                break
    # The upstream stops generating shortly after the client left...
    wait_until(lambda: upstream.load().running == 0, 20, "upstream request to stop")
    generated = upstream.load().generation_tokens_total - before
    # ...long before the 3000 tokens it was asked for.
    assert generated < 3000, generated


@pytest.fixture(scope="module")
def side_upstream(ready_upstreams: dict) -> VllmServer:
    return ready_upstreams["tier-2"]


def _side_config(upstream: VllmServer, frontier: dict, **server: object) -> dict:
    return {
        "server": server,
        "tiers": [attached_tier("tier-1", upstream), frontier],
        "routing": {
            "classifier": "rules",
            "rules": {"default_tier": "tier-1", "rules": [ROUTING_RULES["rules"]["rules"][0]]},
        },
    }


def test_upstream_timeout_is_504(side_upstream: VllmServer, tmp_path: Path) -> None:
    tier = attached_tier("tier-1", side_upstream, timeouts={"connect_s": 2, "read_s": 0.3})
    config = _side_config(side_upstream, remote_tier("frontier", None))
    config["tiers"][0] = tier
    with running_tierd(config, tmp_path) as server:
        body = {"model": "tier-1", "messages": HI, "max_tokens": 3000, "ignore_eos": True}
        response = _post(server, body)
        # A 504 (not the 200 of a finished generation) is the behaviour: read_s cut the call short.
        assert response.status_code == 504, response.text
        assert _error(response)["code"] == "upstream_timeout"


def test_wrong_frontier_key_passes_upstream_401(ready_upstreams: dict, tmp_path: Path) -> None:
    frontier = remote_tier("frontier", ready_upstreams["frontier"], key_env="WRONG_KEY")
    config = _side_config(ready_upstreams["tier-2"], frontier)
    with running_tierd(config, tmp_path, env={"WRONG_KEY": "sk-wrong"}) as server:
        response = _post(server, {"model": "frontier", "messages": HI, "max_tokens": 2})
        assert response.status_code == 401, response.text
        assert response.json()["error"]


def test_frontier_missing_degrades_to_best_local_tier(side_upstream: VllmServer, tmp_path: Path) -> None:
    config = _side_config(side_upstream, remote_tier("frontier", None))
    with running_tierd(config, tmp_path) as server:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "Prove it step by step"}], max_tokens=3
        )
        assert raw.headers["x-tierd-tier"] == "tier-1"
        assert raw.headers["x-tierd-degraded"] == "frontier-unconfigured"
        assert httpx.get(f"{server.url}/ready").status_code == 200
        assert server.health()["tiers_ready"] is True  # the frontier is optional


def test_frontier_missing_can_be_an_error(side_upstream: VllmServer, tmp_path: Path) -> None:
    config = _side_config(side_upstream, remote_tier("frontier", None), on_frontier_missing="error")
    with running_tierd(config, tmp_path) as server:
        response = _post(server, {"model": "auto", "messages": [{"role": "user", "content": "prove it"}]})
        assert response.status_code == 503
        error = _error(response)
        assert error["code"] == "frontier_unconfigured"
        assert "TIERD_FRONTIER_BASE_URL" in error["message"] and "base_url" in error["message"]
        # Simple requests are still served locally.
        assert _post(server, {"model": "auto", "messages": HI, "max_tokens": 2}).status_code == 200


def test_unreachable_attached_tier_is_503_and_shown_unavailable(tmp_path: Path, side_upstream: VllmServer) -> None:
    config = _side_config(side_upstream, remote_tier("frontier", None))
    config["tiers"].insert(
        1,
        {
            "name": "tier-2",
            "kind": "vllm",
            "served_model_name": "gone",
            "urls": ["http://127.0.0.1:9"],
            "supervision": {"health_interval_s": 0.2},
        },
    )
    server = TierdServer(config, tmp_path).start()
    try:
        wait_until(lambda: _ready_or_none(server), 60, "tierd to answer /ready")
        # The gateway can serve (tier-1 is up): a tier that is down does not take it out of its Service.
        assert httpx.get(f"{server.url}/ready").status_code == 200
        assert server.health()["tiers_ready"] is False
        metrics = httpx.get(f"{server.url}/metrics").text
        assert 'tierd_tier_routable_replicas{tier="tier-2"} 0.0' in metrics
        response = _post(server, {"model": "tier-2", "messages": HI})
        assert response.status_code == 503
        assert _error(response)["code"] == "tier_unavailable"
    finally:
        server.stop()


def _ready_or_none(server: TierdServer) -> bool:
    try:
        return httpx.get(f"{server.url}/ready", timeout=2).status_code in (200, 503)
    except httpx.HTTPError:
        return False
