"""Generation defaults and limits through HTTP: what each tier is sent, what the client is told, what is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import answering, frontier_tier, gateway_settings, running_gateway, scripted_tiers, vllm_tier

pytestmark = pytest.mark.api
TIER_1 = {"defaults": {"max_tokens": 64, "temperature": 0.2}, "limits": {"max_tokens": 128, "n": 2}}
TIER_2 = {"defaults": {"max_tokens": 256}, "limits": {"n": 4}}


def _settings(tmp_path: Path, **sections: Any) -> Any:
    tiers = [vllm_tier("tier-1", **TIER_1), vllm_tier("tier-2", **TIER_2), frontier_tier()]
    return gateway_settings(tmp_path, tiers=tiers, **sections)


async def test_a_request_that_omits_them_gets_the_tiers_defaults_and_is_told(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.chat("hi", model="tier-1")
        (_, sent), = gateway.tiers["tier-1"].requests  # fmt: skip
    assert response.status_code == 200
    assert (sent["max_tokens"], sent["temperature"]) == (64, 0.2)
    assert response.headers["x-tierd-defaults"] == "max_tokens=64,temperature=0.2"
    assert "x-tierd-limited" not in response.headers


async def test_max_tokens_over_the_cap_is_clamped_and_the_header_says_so(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.chat("hi", model="tier-1", max_tokens=4000, temperature=0.7, stream=True)
        (_, sent), = gateway.tiers["tier-1"].requests  # fmt: skip
    assert response.status_code == 200 and (sent["max_tokens"], sent["temperature"]) == (128, 0.7)
    assert response.headers["x-tierd-limited"] == "max_tokens=128" and "x-tierd-defaults" not in response.headers


async def test_n_over_the_tiers_cap_is_a_400_that_reaches_no_tier_and_is_booked(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.chat("hi", model="tier-1", n=3)
        assert not gateway.tiers["tier-1"].requests
        ledger = await gateway.stop()
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["param"]) == ("invalid_request_error", "n")
    assert "tier 'tier-1' takes at most 2" in error["message"]
    (row,) = ledger.requests.values()
    assert (row.status, row.error_code) == (400, "invalid_value")


async def test_an_escalation_skips_a_tier_whose_caps_the_request_exceeds(tmp_path: Path) -> None:
    escalation = {"tiers": {"tier-1": {"checks": ["empty"]}}, "budget": {"max_share": 1.0, "burst": 10}}
    tiers_config = [vllm_tier("tier-1", limits={"n": 8}), vllm_tier("tier-2", limits={"n": 4}), frontier_tier()]
    settings = gateway_settings(tmp_path, tiers=tiers_config, escalation=escalation)
    tiers = scripted_tiers(settings, {"tier-1": answering("")})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat("hi", n=6)  # `auto` puts "hi" on tier-1, whose answer is empty
    assert response.status_code == 200
    assert not tiers["tier-2"].requests  # n=6 is over tier-2's cap of 4
    assert response.headers["x-tierd-tier"] == "frontier"
    assert response.headers["x-tierd-escalated-from"] == "tier-1"
