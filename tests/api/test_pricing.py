"""The cost model fed from real config and gpu_configs/ profiles, and the placement policy the settings
describe, as a client sees them: the cost headers of an answer, where a request lands, and config errors."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from server.app import create_app
from server.settings import ConfigError
from tests.api.harness import (
    COMPLETION_TOKENS,
    PROMPT_TOKENS,
    frontier_tier,
    frontier_usd,
    gateway_settings,
    running_gateway,
    scripted_tiers,
    vllm_tier,
)
from tiers.hardware import load_profiles
from tiers.load import ReplicaLoad
from tiers.scripted import chat_response

pytestmark = pytest.mark.api
TOKENS = PROMPT_TOKENS + COMPLETION_TOKENS


def _priced(tmp_path: Path, cost: dict[str, Any], **sections: Any) -> Any:
    return gateway_settings(tmp_path, tiers=[vllm_tier("tier-1", cost=cost), vllm_tier("tier-2"), frontier_tier()],
                            **sections)  # fmt: skip


async def _cost_headers(settings: Any, model: str, answer: Any = None) -> tuple[float | str, str]:
    handlers = {model: answer} if answer is not None else None
    async with running_gateway(settings, scripted_tiers(settings, handlers)) as gateway:
        response = await gateway.chat("hi", model=model)
    assert response.status_code == 200
    usd = response.headers["x-tierd-cost-usd"]
    return (usd if usd == "unknown" else float(usd)), response.headers["x-tierd-cost-basis"]


async def test_a_local_price_comes_from_the_named_profile(tmp_path: Path) -> None:
    l4 = load_profiles()["l4"]
    cloud = _priced(tmp_path, {"hardware": "l4", "pricing": "cloud", "gpus_per_replica": 2, "tokens_per_hour": 4e6})
    usd, basis = await _cost_headers(cloud, "tier-1")
    assert basis == "measured-throughput"
    assert usd == pytest.approx(TOKENS * 2 * l4.cloud.usd_per_hour / 4e6, abs=1e-10)
    owned = _priced(tmp_path / "owned", {"hardware": "l4", "pricing": "owned", "tokens_per_hour": 4e6})
    usd, _ = await _cost_headers(owned, "tier-1")
    assert usd == pytest.approx(TOKENS * l4.owned.usd_per_hour / 4e6, abs=1e-10)
    assert l4.owned.usd_per_hour != l4.cloud.usd_per_hour  # else the two would not tell the prices apart


async def test_cost_headers_from_usage(tmp_path: Path) -> None:
    settings = _priced(tmp_path, {"hardware": "cpu", "tokens_per_hour": 1_000_000})

    def thousand_tokens(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return chat_response("hi", prompt_tokens=300, completion_tokens=700)

    usd, basis = await _cost_headers(settings, "tier-1", thousand_tokens)
    assert basis == "measured-throughput"
    assert usd == pytest.approx(1000 * load_profiles()["cpu"].cloud.usd_per_hour / 1e6, abs=1e-10)
    usd, basis = await _cost_headers(settings, "frontier", thousand_tokens)
    assert basis == "list-price"
    assert usd == pytest.approx(300 * 2.5e-6 + 700 * 10e-6) == frontier_usd(300, 700)


@pytest.mark.parametrize("body", [b'{"choices": [], "usage": null}', b"not json"])
async def test_an_answer_without_readable_usage_has_an_unknown_cost_never_zero(tmp_path: Path, body: bytes) -> None:
    settings = _priced(tmp_path, {"hardware": "cpu", "tokens_per_hour": 1_000_000})
    usd, basis = await _cost_headers(settings, "tier-1", lambda path, request: body)
    assert (usd, basis) == ("unknown", "measured-throughput")


def test_unknown_profile_and_unknown_spill_tier_are_config_errors(tmp_path: Path) -> None:
    tpu = _priced(tmp_path, {"hardware": "tpu"})
    with pytest.raises(ConfigError, match=r"tiers\[tier-1\].cost.hardware: unknown hardware profile 'tpu'"):
        create_app(tpu, tiers=list(scripted_tiers(tpu).values()))
    with pytest.raises(ConfigError, match=r"placement\.spill_to\.tier-1 names unknown tier 'tier-9'"):
        gateway_settings(tmp_path, placement={"spill_to": {"tier-1": ["tier-9"]}})
    with pytest.raises(ConfigError, match=r"placement\.max_waiting"):
        gateway_settings(tmp_path, placement={"max_waiting": 0})


def _waiting(requests: int) -> ReplicaLoad:
    """What a vLLM replica's /metrics says when `requests` wait in its queue."""
    return ReplicaLoad(time.time(), running=4, waiting=requests, kv_cache_usage=0.2, prompt_tokens_total=0,
                       generation_tokens_total=0, requests_finished_total=0)  # fmt: skip


@pytest.mark.parametrize(
    ("placement", "waiting", "tier", "reason"),
    [
        # max_waiting 2 is the settings', not the default 4; spill_to skips tier-2 for the frontier.
        ({"max_waiting": 2, "spill_to": {"tier-1": ["frontier"]}}, 2, "frontier", "spilled to frontier"),
        ({"max_waiting": 2, "spill_to": {"tier-1": ["frontier"]}}, 1, "tier-1", "requested tier is ready"),
        ({"max_waiting": 2}, 2, "tier-2", "spilled to tier-2"),
        ({"max_waiting": 2, "never_spill": ["tier-1"], "spill_to": {"tier-1": ["frontier"]}}, 2, "tier-1",
         "tier-1 never spills"),
    ],
)  # fmt: skip
async def test_placement_follows_the_settings(
    tmp_path: Path, placement: dict[str, Any], waiting: int, tier: str, reason: str
) -> None:
    settings = gateway_settings(tmp_path, placement=placement)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        gateway.tiers["tier-1"].load = _waiting(waiting)
        response = await gateway.chat("Say hi")
    assert response.headers["x-tierd-tier"] == tier
    assert reason in response.headers["x-tierd-placement"]
