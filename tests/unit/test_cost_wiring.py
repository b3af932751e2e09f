"""The cost model fed from real config and gpu_configs/ profiles, and the response cost header."""

from __future__ import annotations

from typing import Any

import pytest

from server.pricing import Pricer
from server.routing.costs import format_usd
from server.settings import ConfigError, Settings, validate_settings
from server.wiring import build_pricing, placement_policy
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.hardware import load_profiles


def _settings(**extra: Any) -> Settings:
    data: dict[str, Any] = {
        "tiers": [
            {"name": "tier-1", "kind": "vllm", "served_model_name": "s", "urls": ["http://127.0.0.1:1"]},
            {"name": "frontier", "kind": "openai", "price_per_1m_input": 2.5, "price_per_1m_output": 10.0},
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
    }
    for key, value in extra.items():
        if key == "cost":
            data["tiers"][0]["cost"] = value
        else:
            data[key] = value
    return validate_settings(data, "test")


def test_local_price_comes_from_the_named_profile() -> None:
    settings = _settings(cost={"hardware": "l4", "pricing": "cloud", "gpus_per_replica": 2, "tokens_per_hour": 4e6})
    pricing = build_pricing(settings)
    l4 = load_profiles()["l4"]
    assert pricing["tier-1"].usd_per_replica_hour == pytest.approx(2 * l4.cloud.usd_per_hour)
    assert pricing["tier-1"].tokens_per_replica_hour == 4e6
    assert pricing["frontier"].usd_per_1m_output == 10.0
    owned = build_pricing(_settings(cost={"hardware": "l4", "pricing": "owned"}))
    assert owned["tier-1"].usd_per_replica_hour == pytest.approx(l4.owned.usd_per_hour)


def test_unknown_profile_and_unknown_spill_tier_are_config_errors() -> None:
    with pytest.raises(ConfigError, match=r"tiers\[tier-1\].cost.hardware: unknown hardware profile 'tpu'"):
        build_pricing(_settings(cost={"hardware": "tpu"}))
    with pytest.raises(ConfigError, match=r"placement\.spill_to\.tier-1 names unknown tier 'tier-9'"):
        _settings(placement={"spill_to": {"tier-1": ["tier-9"]}})
    with pytest.raises(ConfigError, match=r"placement\.max_waiting"):
        _settings(placement={"max_waiting": 0})


def test_policy_mirrors_the_settings() -> None:
    settings = _settings(placement={"max_waiting": 2, "never_spill": ["tier-1"], "spill_to": {"tier-1": ["frontier"]}})
    policy = placement_policy(settings, {})
    assert (policy.max_waiting, policy.never_spill, policy.spill_to) == (2, {"tier-1"}, {"tier-1": ("frontier",)})


def _snapshot(name: str) -> TierSnapshot:
    replica = ReplicaSnapshot(f"{name}-0", "http://x/v1", ReplicaStatus.READY, 0, 0, 0.0)
    return TierSnapshot(name, TierKind.VLLM_ATTACHED, name, True, True, (replica,))


class _SnapshotOnly:
    """All the pricer reads of a tier: its snapshot (live rates would change a local tier's $/token)."""

    def __init__(self, name: str) -> None:
        self._snapshot = _snapshot(name)

    def snapshot(self) -> TierSnapshot:
        return self._snapshot


def test_cost_headers_from_usage() -> None:
    settings = _settings(cost={"hardware": "cpu", "tokens_per_hour": 1_000_000})
    tiers = {name: _SnapshotOnly(name) for name in ("tier-1", "frontier")}
    pricer = Pricer(build_pricing(settings), tiers)  # type: ignore[arg-type]
    cpu_hour = load_profiles()["cpu"].cloud.usd_per_hour
    assert pricer.basis("tier-1") == "measured-throughput"
    assert float(format_usd(pricer.attempt_usd("tier-1", 300, 700))) == pytest.approx(1000 * cpu_hour / 1e6, abs=1e-10)
    assert pricer.attempt_usd("frontier", 300, 700) == pytest.approx(300 * 2.5e-6 + 700 * 10e-6)
    # An answer without usage (an error, a server that sends none) has an unknown cost, never $0.
    assert format_usd(pricer.attempt_usd("tier-1", None, None)) == "unknown"
