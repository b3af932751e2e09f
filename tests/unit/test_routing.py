from __future__ import annotations

from typing import Any

import pytest

from server.errors import status_of
from server.routing.classifiers import default_registry
from server.routing.features import MAX_SCAN_CHARS, extract_features
from server.routing.placement import place
from server.routing.router import Router, model_index
from server.settings import RulesClassifierSettings
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot

TIERS = ["tier-1", "tier-2", "frontier"]
RULES = RulesClassifierSettings.model_validate(
    {
        "default_tier": "tier-1",
        "rules": [
            {"name": "long", "min_prompt_tokens": 1000, "tier": "frontier"},
            {"name": "code", "regex": ["```", r"\bdef \w+\("], "tier": "frontier"},
            {"name": "proof", "keywords": ["prove", "step by step"], "tier": "frontier"},
            {"name": "tools", "has_tools": True, "tier": "tier-2"},
            {"name": "translate", "keywords": ["translate"], "tier": "tier-2"},
        ],
    }
)


def _body(content: Any, **extra: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": content}], **extra}


def _classify(body: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    result = default_registry().build("rules", RULES, TIERS).classify(extract_features(body))
    return result.min_tier, result.matched_rules


@pytest.mark.parametrize(
    ("content", "tier", "rule"),
    [
        ("What is the capital of France?", "tier-1", ()),
        ("PROVE that there are infinitely many primes", "frontier", ("proof",)),
        ("Fix this:\n```python\nprint(1)\n```", "frontier", ("code",)),
        ("Translate 'good morning' to French", "tier-2", ("translate",)),
        ("x " * 2500, "frontier", ("long",)),
    ],
)
def test_rules_first_match_wins(content: str, tier: str, rule: tuple[str, ...]) -> None:
    assert _classify(_body(content)) == (tier, rule)


def test_feature_rules_and_scores() -> None:
    tools = [{"type": "function", "function": {"name": "f"}}]
    assert _classify(_body("hello", tools=tools)) == ("tier-2", ("tools",))
    scores = default_registry().build("rules", RULES, TIERS).classify(extract_features(_body("hi"))).scores
    assert scores == {"tier-1": 1.0, "tier-2": 1.0, "frontier": 1.0}


@pytest.mark.parametrize(
    "content",
    [None, "", [], [{"type": "image_url", "image_url": {"url": "data:,"}}], [{"type": "text", "text": "prove it"}], 42],
)
def test_features_survive_odd_content(content: Any) -> None:
    features = extract_features(_body(content))
    assert features.turns == 1
    assert features.prompt_chars >= 0


def test_features_bound_the_scanned_text() -> None:
    features = extract_features(_body("a" * (MAX_SCAN_CHARS * 5)))
    assert len(features.text) == MAX_SCAN_CHARS
    assert features.prompt_chars == MAX_SCAN_CHARS * 5


def test_features_of_completions_and_multi_turn() -> None:
    assert extract_features({"prompt": ["a", "b"]}).prompt_chars == 3
    body = {
        "messages": [
            {"role": "system", "content": "s"},
            {"role": "user", "content": "u1"},
            {"role": "assistant", "content": "a"},
            {"role": "user", "content": "u2"},
        ],
        "response_format": {"type": "json_object"},
        "max_tokens": 9,
    }
    f = extract_features(body)
    assert (f.turns, f.has_system_prompt, f.has_response_format, f.max_tokens) == (2, True, True, 9)


def _snap(
    name: str, ready: bool = True, kind: TierKind = TierKind.VLLM_MANAGED, configured: bool = True
) -> TierSnapshot:
    status = ReplicaStatus.READY if ready else ReplicaStatus.RESTARTING
    replica = ReplicaSnapshot(f"{name}-0", "http://x/v1", status, 0, 0, 0.0)
    return TierSnapshot(
        name, kind, f"{name}-model", kind is not TierKind.OPENAI_REMOTE, configured, (replica,) if configured else ()
    )


def _tiers(t1: bool = True, t2: bool = True, frontier: bool = True) -> list[TierSnapshot]:
    return [_snap("tier-1", t1), _snap("tier-2", t2), _snap("frontier", True, TierKind.OPENAI_REMOTE, frontier)]


def test_place_on_requested_tier_when_ready() -> None:
    p = place("tier-1", _tiers(), pinned=False, on_frontier_missing="degrade")
    assert (p.tier, p.degraded, p.error) == ("tier-1", None, None)


def test_place_moves_up_when_the_tier_is_down() -> None:
    assert place("tier-1", _tiers(t1=False), pinned=False, on_frontier_missing="degrade").tier == "tier-2"


def test_pinned_tier_down_is_503() -> None:
    p = place("tier-1", _tiers(t1=False), pinned=True, on_frontier_missing="degrade")
    assert p.tier is None and p.error is not None and p.error.code == "tier_unavailable"


def test_missing_frontier_degrades_or_errors() -> None:
    degraded = place("frontier", _tiers(frontier=False), pinned=False, on_frontier_missing="degrade")
    assert (degraded.tier, degraded.degraded) == ("tier-2", "frontier-unconfigured")
    skip_down = place("frontier", _tiers(t2=False, frontier=False), pinned=True, on_frontier_missing="degrade")
    assert skip_down.tier == "tier-1"
    error = place("frontier", _tiers(frontier=False), pinned=False, on_frontier_missing="error")
    assert (
        error.error is not None and error.error.code == "frontier_unconfigured" and status_of(error.error.code) == 503
    )


def test_auto_falls_back_down_when_nothing_above_is_up() -> None:
    p = place("tier-2", _tiers(t2=False, frontier=False), pinned=False, on_frontier_missing="degrade")
    assert (p.tier, p.degraded) == ("tier-1", "tier-unavailable")
    none = place("tier-1", _tiers(t1=False, t2=False, frontier=False), pinned=False, on_frontier_missing="degrade")
    assert none.error is not None and none.error.code == "no_ready_tier"


def test_model_index_maps_tier_and_model_names() -> None:
    assert model_index(_tiers()) == {
        "tier-1": "tier-1",
        "tier-1-model": "tier-1",
        "tier-2": "tier-2",
        "tier-2-model": "tier-2",
        "frontier": "frontier",
        "frontier-model": "frontier",
    }


def test_router_decision_explains_itself() -> None:
    router = Router(default_registry().build("rules", RULES, TIERS), "degrade")
    decision = router.decide(_body("prove it"), None, _tiers(frontier=False))
    assert decision.short() == "auto rules:proof min=frontier -> tier-2 (frontier-unconfigured)"
    explained = decision.explain()
    assert explained["chosen_tier"] == "tier-2" and explained["matched_rules"] == ["proof"]
    assert explained["classifier"] == {"name": "rules", "version": "1"}
    pinned = router.decide(_body("prove it"), "tier-1", _tiers())
    assert pinned.short() == "pinned tier-1 -> tier-1" and pinned.classification is None


def test_unknown_classifier_is_reported() -> None:
    with pytest.raises(KeyError, match="unknown classifier 'magic'; known: hybrid, learned, rules"):
        default_registry().build("magic", None, TIERS)
