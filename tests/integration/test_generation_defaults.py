"""Per-tier generation defaults and limits reach a real vLLM server: the tokens it generates show it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from benchmarks.processes import TierdServer, VllmServer
from tests.conftest import FRONTIER_KEY
from tests.support import ROUTING_RULES, attached_tier, openai_client, remote_tier, running_tierd

pytestmark = pytest.mark.integration
DEFAULT_TOKENS, CAP = 7, 11
# The tiny random model would stop at a random end-of-turn; vLLM's ignore_eos makes it use every token allowed.
KEEP_GOING = {"ignore_eos": True}


@pytest.fixture(scope="module")
def tierd(ready_upstreams: dict[str, VllmServer], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TierdServer]:
    generation = {"defaults": {"max_tokens": DEFAULT_TOKENS, "temperature": 0.0}, "limits": {"max_tokens": CAP, "n": 2}}
    config = {
        "tiers": [
            attached_tier("tier-1", ready_upstreams["tier-2"], **generation),
            attached_tier("tier-2", ready_upstreams["tier-2"]),
            remote_tier("frontier", ready_upstreams["frontier"]),
        ],
        "routing": ROUTING_RULES,
        "telemetry": {"source": "off"},
    }
    workdir = tmp_path_factory.mktemp("generation")
    with running_tierd(config, workdir, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as server:
        yield server


def test_a_request_without_max_tokens_gets_the_tiers_default(tierd: TierdServer) -> None:
    response = openai_client(tierd).chat.completions.with_raw_response.create(
        model="tier-1", messages=[{"role": "user", "content": "Say hi"}], extra_body=KEEP_GOING
    )
    done = response.parse()
    assert done.usage is not None and done.usage.completion_tokens == DEFAULT_TOKENS
    assert response.headers["x-tierd-defaults"] == f"max_tokens={DEFAULT_TOKENS},temperature=0.0"


def test_max_tokens_over_the_cap_is_clamped_on_a_stream_too(tierd: TierdServer) -> None:
    with openai_client(tierd).chat.completions.with_streaming_response.create(
        model="tier-1",
        messages=[{"role": "user", "content": "Say hi"}],
        max_tokens=500,
        stream=True,
        stream_options={"include_usage": True},
        extra_body=KEEP_GOING,
    ) as response:
        chunks = list(response.parse())
        assert response.headers["x-tierd-limited"] == f"max_tokens={CAP}"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == CAP


def test_another_tier_keeps_the_engines_own_behaviour(tierd: TierdServer) -> None:
    response = openai_client(tierd).completions.with_raw_response.create(
        model="tier-2", prompt="Once", max_tokens=CAP + 5, extra_body=KEEP_GOING
    )
    done = response.parse()
    assert done.usage is not None and done.usage.completion_tokens == CAP + 5
    assert "x-tierd-defaults" not in response.headers and "x-tierd-limited" not in response.headers


def test_n_over_the_cap_is_a_400_in_openai_shape(tierd: TierdServer) -> None:
    body = {"model": "tier-1", "messages": [{"role": "user", "content": "Say hi"}], "n": 3}
    response = httpx.post(f"{tierd.url}/v1/chat/completions", json=body, timeout=30)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", "invalid_value", "n")
