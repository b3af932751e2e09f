"""Real vLLM 0.32 answers through tierd are exactly in OpenAI's published shape: every JSON body and every SSE
chunk, validated strictly against the spec (tests/openai_spec.py), on each tier kind (managed, attached, and
the `openai` remote kind that the frontier uses), and vLLM's own errors mapped to OpenAI's error shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.openai_spec import assert_answer_conforms, assert_conforms, assert_stream_conforms
from tests.support import TierdServer

pytestmark = pytest.mark.integration

HI = [{"role": "user", "content": "Say hi"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
PERSON = {
    "type": "json_schema",
    "json_schema": {
        "name": "person",
        "schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
    },
}
CHAT_CASES: dict[str, dict[str, Any]] = {
    "plain": {},
    "logprobs": {"logprobs": True, "top_logprobs": 2},
    "n2": {"n": 2, "temperature": 0.9, "seed": 7},
    "tools": {"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
    "json_schema": {"response_format": PERSON},
}


def _post(gateway: TierdServer, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{gateway.url}{path}", json=body, timeout=120)


@pytest.mark.parametrize("case", list(CHAT_CASES))
@pytest.mark.parametrize("model", ["tier-1", "tier-2", "frontier"])
def test_chat_json_and_every_chunk_conform(gateway: TierdServer, case: str, model: str) -> None:
    body = {"model": model, "messages": HI, "max_tokens": 8, **CHAT_CASES[case]}
    response = _post(gateway, "/v1/chat/completions", body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert_answer_conforms(answer)
    assert answer["usage"]["total_tokens"] == answer["usage"]["prompt_tokens"] + answer["usage"]["completion_tokens"]
    if case == "tools":
        assert answer["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "get_weather"
    if case == "logprobs":
        assert len(answer["choices"][0]["logprobs"]["content"][0]["top_logprobs"]) == 2
    assert len(answer["choices"]) == (2 if case == "n2" else 1)
    for stream_options in ({"include_usage": True}, None):
        streamed_body = {**body, "stream": True, **({"stream_options": stream_options} if stream_options else {})}
        streamed = _post(gateway, "/v1/chat/completions", streamed_body)
        assert streamed.status_code == 200
        payloads = assert_stream_conforms(streamed.text)
        assert [p for p in payloads if p.get("usage")] == ([payloads[-1]] if stream_options else [])


@pytest.mark.parametrize("model", ["tier-1", "frontier"])
def test_completions_json_and_every_chunk_conform(gateway: TierdServer, model: str) -> None:
    body = {"model": model, "prompt": "Once upon a time", "max_tokens": 5, "logprobs": 2, "n": 2}
    response = _post(gateway, "/v1/completions", body)
    assert response.status_code == 200, response.text
    assert_answer_conforms(response.json())
    for extra in ({"stream_options": {"include_usage": True}}, {}):
        streamed = _post(gateway, "/v1/completions", {**body, "stream": True, **extra})
        assert streamed.status_code == 200
        assert_stream_conforms(streamed.text)


def test_auto_answers_conform(gateway: TierdServer) -> None:
    response = _post(gateway, "/v1/chat/completions", {"model": "auto", "messages": HI, "max_tokens": 4})
    assert response.headers["x-tierd-tier"] == "tier-1"
    assert_answer_conforms(response.json())


@pytest.mark.parametrize("model", ["tier-2", "frontier"])
@pytest.mark.parametrize("stream", [False, True])
def test_vllms_own_400_is_in_openais_shape(gateway: TierdServer, model: str, stream: bool) -> None:
    # Longer than the tiny model's 4096-token context: vLLM itself refuses it, with its status and message.
    body = {"model": model, "messages": HI, "max_tokens": 50_000, "stream": stream}
    response = _post(gateway, "/v1/chat/completions", body)
    assert response.status_code == 400, response.text
    assert_conforms("ErrorResponse", response.json())
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("invalid_request_error", None)
    assert "max" in error["message"].lower()


def test_tierds_own_errors_conform(gateway: TierdServer) -> None:
    unknown = _post(gateway, "/v1/chat/completions", {"model": "gpt-9", "messages": HI})
    assert unknown.status_code == 404
    assert_conforms("ErrorResponse", unknown.json())
    invalid = _post(gateway, "/v1/chat/completions", {"model": "auto", "messages": HI, "temperature": 5})
    assert invalid.status_code == 400
    assert_conforms("ErrorResponse", invalid.json())
