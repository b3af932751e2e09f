"""Per-tier generation defaults and limits (server/generation.py): what a tier is sent, and what is refused."""

from __future__ import annotations

import re
from typing import Any

import pytest

from server.generation import GenerationDefaults, GenerationLimits, GenerationRules, TierGeneration
from server.settings import ConfigError, validate_settings
from tests.api.harness import frontier_tier, vllm_tier
from tests.support import ROUTING_RULES

RULES = GenerationRules(
    {
        "tier-1": TierGeneration(
            GenerationDefaults(max_tokens=384, temperature=0.2, top_p=0.9),
            GenerationLimits(max_tokens=1024, n=2, max_messages=3),
        )
    }
)
CHAT = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}


def test_omitted_fields_get_the_tiers_defaults_and_the_body_is_not_changed_in_place() -> None:
    prepared = RULES.prepare("tier-1", "/chat/completions", CHAT)
    assert {k: prepared.body[k] for k in ("max_tokens", "temperature", "top_p")} == {
        "max_tokens": 384,
        "temperature": 0.2,
        "top_p": 0.9,
    }
    assert prepared.defaulted == ("max_tokens=384", "temperature=0.2", "top_p=0.9") and not prepared.limited
    assert "max_tokens" not in CHAT


def test_the_clients_own_values_win_and_a_null_counts_as_omitted() -> None:
    body = {**CHAT, "temperature": 0.0, "max_completion_tokens": 50, "top_p": None}
    prepared = RULES.prepare("tier-1", "/chat/completions", body)
    assert prepared.body["temperature"] == 0.0 and prepared.body["top_p"] == 0.9
    assert "max_tokens" not in prepared.body  # max_completion_tokens already bounds the answer
    assert prepared.defaulted == ("top_p=0.9",)


def test_max_tokens_over_the_cap_is_clamped_and_said() -> None:
    prepared = RULES.prepare("tier-1", "/chat/completions", {**CHAT, "max_tokens": 5000, "temperature": 1})
    assert prepared.body["max_tokens"] == 1024 and prepared.limited == ("max_tokens=1024",)


@pytest.mark.parametrize(
    ("path", "field"), [("/completions", "max_tokens"), ("/responses", "max_output_tokens")]
)  # fmt: skip
def test_each_endpoint_bounds_its_own_token_field(path: str, field: str) -> None:
    assert RULES.prepare("tier-1", path, {"model": "auto", "prompt": "x"}).body[field] == 384
    assert RULES.prepare("tier-1", path, {"model": "auto", field: 9999}).body[field] == 1024


def test_a_tier_without_rules_gets_the_body_as_it_is() -> None:
    prepared = RULES.prepare("frontier", "/chat/completions", CHAT)
    assert prepared.body is CHAT and not prepared.defaulted


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({**CHAT, "n": 3}, "n"),
        ({**CHAT, "messages": [{"role": "user", "content": "x"}] * 4}, "messages"),
    ],
)
def test_n_and_messages_over_their_caps_are_refused(body: dict[str, Any], param: str) -> None:
    over = RULES.over_limit("tier-1", "/chat/completions", body)
    assert over is not None and over.param == param and "tier 'tier-1' takes at most" in over.message()
    assert RULES.over_limit("tier-2", "/chat/completions", body) is None
    assert RULES.over_limit("tier-1", "/chat/completions", {**CHAT, "n": 2}) is None


def _settings(tier: dict[str, Any]) -> Any:
    tiers = [tier] if tier["name"] == "tier-1" else [vllm_tier("tier-1"), vllm_tier("tier-2"), tier]
    return validate_settings({"tiers": tiers, "routing": ROUTING_RULES}, "test")


def test_a_default_over_its_own_cap_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=re.escape("defaults.max_tokens (600) is over limits.max_tokens (500)")):
        _settings(vllm_tier("tier-1", defaults={"max_tokens": 600}, limits={"max_tokens": 500}))


def test_a_remote_tier_may_not_default_vllm_only_sampling() -> None:
    with pytest.raises(ConfigError, match="top_k"):
        _settings(frontier_tier(defaults={"top_k": 40}))
    assert _settings(frontier_tier(defaults={"max_tokens": 100, "temperature": 0.5}))
