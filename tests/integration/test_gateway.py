"""The gateway over three real tier kinds, through the official openai client."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from tests.support import TierdServer

pytestmark = pytest.mark.integration


def _client(gateway: TierdServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="unused", max_retries=0, timeout=120)


def _async_client(gateway: TierdServer) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{gateway.url}/v1", api_key="unused", max_retries=0, timeout=120)


def test_models_lists_auto_tiers_and_underlying_models(gateway: TierdServer) -> None:
    ids = [m.id for m in _client(gateway).models.list()]
    assert ids[0] == "auto"
    assert {"tier-1", "tier-2", "frontier", "tiny-tier1", "tiny-tier2", "tiny-frontier"} <= set(ids)


def test_auto_routes_simple_chat_to_tier1_with_headers(gateway: TierdServer) -> None:
    raw = _client(gateway).chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": "Say hi"}], max_tokens=8
    )
    completion = raw.parse()
    assert raw.headers["x-tierd-tier"] == "tier-1"
    assert raw.headers["x-tierd-model"] == "tiny-tier1"
    assert raw.headers["x-tierd-request-id"].startswith("req-")
    assert "min=tier-1" in raw.headers["x-tierd-decision"]
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert completion.usage is not None and completion.usage.completion_tokens >= 1


@pytest.mark.parametrize(
    ("prompt", "tier", "model"),
    [
        ("Translate to French: good morning", "tier-2", "tiny-tier2"),
        ("Prove that the square root of 2 is irrational", "frontier", "tiny-frontier"),
    ],
)
def test_rules_route_to_attached_and_remote_tiers(gateway: TierdServer, prompt: str, tier: str, model: str) -> None:
    raw = _client(gateway).chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": prompt}], max_tokens=4
    )
    assert raw.headers["x-tierd-tier"] == tier
    assert raw.parse().model == model


@pytest.mark.parametrize(
    ("pin", "tier"), [("tier-2", "tier-2"), ("tiny-frontier", "frontier"), ("frontier", "frontier")]
)
def test_pinning_by_tier_or_model_name(gateway: TierdServer, pin: str, tier: str) -> None:
    raw = _client(gateway).chat.completions.with_raw_response.create(
        model=pin, messages=[{"role": "user", "content": "Say hi"}], max_tokens=4
    )
    assert raw.headers["x-tierd-tier"] == tier


def test_unknown_model_is_404(gateway: TierdServer) -> None:
    with pytest.raises(openai.NotFoundError) as info:
        _client(gateway).chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hi"}])
    assert info.value.body["code"] == "model_not_found"  # type: ignore[index]
    assert info.value.response.headers["x-tierd-request-id"].startswith("req-")


async def test_async_streaming_chat_with_usage(gateway: TierdServer) -> None:
    client = _async_client(gateway)
    raw = await client.chat.completions.with_raw_response.create(
        model="auto",
        messages=[{"role": "user", "content": "Say hi"}],
        max_tokens=12,
        stream=True,
        stream_options={"include_usage": True},
    )
    assert raw.headers["x-tierd-tier"] == "tier-1"
    chunks = [chunk async for chunk in raw.parse()]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens >= 1
    assert any(c.choices and c.choices[0].finish_reason for c in chunks)
    await client.close()


def test_sync_streaming_through_remote_tier(gateway: TierdServer) -> None:
    stream = _client(gateway).chat.completions.create(
        model="frontier", messages=[{"role": "user", "content": "hello"}], max_tokens=6, stream=True
    )
    chunks = list(stream)
    assert chunks and chunks[0].model == "tiny-frontier"
    assert all(c.usage is None for c in chunks)  # tierd asked for usage (for the cost); the client did not


def test_streams_tell_their_cost_at_the_end(gateway: TierdServer) -> None:
    stream = _client(gateway).chat.completions.create(
        model="frontier",
        messages=[{"role": "user", "content": "hello"}],
        max_tokens=6,
        stream=True,
        stream_options={"include_usage": True},
    )
    last = list(stream)[-1]
    assert last.usage is not None and last.usage.completion_tokens == 6
    figures = (last.model_extra or {})["tierd"]
    assert figures["cost_basis"] == "list-price" and figures["request_id"].startswith("req-")
    expected = (last.usage.prompt_tokens * 2.5 + 6 * 10.0) / 1e6  # the frontier's list prices in the test config
    assert float(figures["cost_usd"]) == pytest.approx(expected, rel=1e-6)
    # Without include_usage: no usage chunk, and an SSE comment (ignored by SSE clients) before [DONE].
    body = {"model": "frontier", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4, "stream": True}
    with httpx.stream("POST", f"{gateway.url}/v1/chat/completions", json=body, timeout=60) as response:
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]" and lines[-2].startswith(": tierd {")
    assert json.loads(lines[-2].removeprefix(": tierd "))["cost_basis"] == "list-price"
    assert not any('"usage":{' in line for line in lines)


async def test_completions_stream_and_not(gateway: TierdServer) -> None:
    client = _async_client(gateway)
    done = await client.completions.create(model="tier-2", prompt="Once upon a time", max_tokens=5)
    assert done.choices[0].text is not None and done.usage is not None
    stream = await client.completions.create(
        model="auto", prompt="Once upon a time", max_tokens=5, stream=True, stream_options={"include_usage": True}
    )
    chunks = [c async for c in stream]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 5
    await client.close()


def test_sampling_params_pass_through(gateway: TierdServer) -> None:
    completion = _client(gateway).chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": "Say hi"}],
        max_tokens=5,
        n=2,
        seed=7,
        temperature=0.9,
        top_p=0.95,
        stop=["\n\n"],
        logprobs=True,
        top_logprobs=2,
    )
    assert len(completion.choices) == 2
    assert completion.choices[0].logprobs is not None
    assert len(completion.choices[0].logprobs.content[0].top_logprobs) == 2  # type: ignore[index,union-attr]


def test_seeded_sampling_is_reproducible_through_tierd(gateway: TierdServer) -> None:
    def sample() -> str:
        return (
            _client(gateway)
            .chat.completions.create(
                model="tier-1",
                messages=[{"role": "user", "content": "Say hi"}],
                max_tokens=8,
                seed=123,
                temperature=1.0,
            )
            .choices[0]
            .message.content
            or ""
        )

    assert sample() == sample()


def test_json_schema_response_format_passes_through(gateway: TierdServer) -> None:
    schema = {
        "type": "object",
        "properties": {"ok": {"type": "boolean"}},
        "required": ["ok"],
        "additionalProperties": False,
    }
    completion = _client(gateway).chat.completions.create(
        model="tier-1",
        messages=[{"role": "user", "content": "Answer in JSON"}],
        max_tokens=30,
        response_format={"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}},
    )
    assert isinstance(json.loads(completion.choices[0].message.content or ""), dict)


def test_tools_pass_through(gateway: TierdServer) -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
            },
        }
    ]
    completion = _client(gateway).chat.completions.create(
        model="tier-1",
        messages=[{"role": "user", "content": "Weather in Paris?"}],
        max_tokens=40,
        tools=tools,  # type: ignore[arg-type]
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    calls = completion.choices[0].message.tool_calls
    assert calls and calls[0].function.name == "get_weather"  # type: ignore[union-attr]


def test_remote_tier_sends_the_api_key(gateway: TierdServer) -> None:
    # The stand-in frontier was started with --api-key: an answer proves tierd sent it.
    raw = httpx.post(
        f"{gateway.url}/v1/chat/completions",
        json={"model": "frontier", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2},
        timeout=60,
    )
    assert raw.status_code == 200, raw.text


def _metrics(gateway: TierdServer) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(f"{gateway.url}/metrics", timeout=10).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_follow_known_traffic(gateway: TierdServer) -> None:
    before = _metrics(gateway)
    client = _client(gateway)
    done = client.chat.completions.create(model="frontier", messages=[{"role": "user", "content": "hi"}], max_tokens=5)
    stream = client.chat.completions.create(
        model="frontier", messages=[{"role": "user", "content": "hi"}], max_tokens=7, stream=True
    )
    list(stream)
    after = _metrics(gateway)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("tierd_requests_total", tier="frontier", status="200") == 2
    assert delta("tierd_tokens_total", tier="frontier", kind="completion") == 5 + 7
    assert done.usage is not None
    assert delta("tierd_tokens_total", tier="frontier", kind="prompt") == 2 * done.usage.prompt_tokens
    expected_cost = (2 * done.usage.prompt_tokens * 2.5 + 12 * 10.0) / 1e6
    assert abs(delta("tierd_cost_usd_total", tier="frontier") - expected_cost) < 1e-9
    assert delta("tierd_savings_usd_total") == 0.0  # the frontier saves nothing against itself
    assert delta("tierd_ttft_seconds_count", tier="frontier") == 1  # the stream
    assert delta("tierd_route_decision_seconds_count") == 2
    assert after[("tierd_replica_ready", (("replica", "tier-2-0"), ("tier", "tier-2")))] == 1
    # GPU gauges, from the recorded H200 trace the session gateway replays (no GPU here; see conftest).
    gpu = (("gpu", "0"), ("name", "NVIDIA H200"))
    assert after[("tierd_gpu_memory_total_bytes", gpu)] == 150754820096
    assert 0 <= after[("tierd_gpu_utilization_percent", gpu)] <= 100
