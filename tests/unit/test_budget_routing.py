"""A spent budget under `local_only`: the classifier still runs, placement and spills stay on local tiers."""

from __future__ import annotations

from typing import Any

from server.errors import status_of
from server.routing.classifiers import default_registry
from server.routing.placement import PlacementPolicy, place_within
from server.routing.router import Router
from server.settings import RulesClassifierSettings
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad

LOCAL = frozenset({"tier-1", "tier-2"})
RULES = RulesClassifierSettings.model_validate(
    {"default_tier": "tier-1", "rules": [{"name": "proof", "keywords": ["prove"], "tier": "frontier"}]}
)


def _tier(name: str, *, remote: bool = False, waiting: float = 0, ready: bool = True) -> TierSnapshot:
    kind = TierKind.OPENAI_REMOTE if remote else TierKind.VLLM_ATTACHED
    load = None if remote else ReplicaLoad(1000.0, 0, waiting, 0.1, 0.0, 0.0, 0.0)
    status = ReplicaStatus.READY if ready else ReplicaStatus.STARTING
    replica = ReplicaSnapshot(f"{name}-0", "http://x/v1", status, 0, 0, 0.0, load=load)
    return TierSnapshot(name, kind, f"{name}-m", not remote, True, (replica,))


def _tiers(**kw: Any) -> list[TierSnapshot]:
    return [_tier("tier-1", **kw), _tier("tier-2"), _tier("frontier", remote=True)]


def _place(wanted: str, tiers: list[TierSnapshot], pinned: bool = False) -> Any:
    return place_within(wanted, tiers, LOCAL, pinned=pinned, on_frontier_missing="degrade", policy=PlacementPolicy())


def test_a_frontier_request_goes_to_the_most_capable_local_tier_and_says_why() -> None:
    placement = _place("frontier", _tiers())
    assert (placement.tier, placement.limited_from) == ("tier-2", "frontier")
    assert "budget spent" in placement.reason


def test_an_allowed_choice_stands_and_never_spills_to_the_frontier() -> None:
    assert _place("tier-1", _tiers()).tier == "tier-1"
    # tier-1 and tier-2 saturated: without the restriction tier-1 would spill to the frontier.
    saturated = [_tier("tier-1", waiting=10), _tier("tier-2", waiting=10), _tier("frontier", remote=True)]
    assert (
        place_within(
            "tier-2",
            saturated,
            frozenset({"tier-1", "tier-2", "frontier"}),
            pinned=False,
            on_frontier_missing="degrade",
        ).tier
        == "frontier"
    )
    assert _place("tier-2", saturated).tier == "tier-2"
    assert _place("tier-1", saturated).tier in LOCAL


def test_a_pinned_frontier_request_is_refused_not_swapped() -> None:
    placement = _place("frontier", _tiers(), pinned=True)
    assert placement.tier is None and placement.error is not None
    assert (status_of(placement.error.code), placement.error.code) == (429, "insufficient_quota")


def test_router_classifies_then_restricts() -> None:
    router = Router(default_registry().build("rules", RULES, ["tier-1", "tier-2", "frontier"]), "degrade")
    body = {"model": "auto", "messages": [{"role": "user", "content": "prove it"}]}
    free = router.decide(body, None, _tiers())
    limited = router.decide(body, None, _tiers(), only_tiers=LOCAL)
    assert free.tier == "frontier" and free.placement.limited_from is None
    assert limited.classification is not None and limited.classification.min_tier == "frontier"
    assert limited.tier == "tier-2"
    assert "budget: local only" in limited.short()
    assert limited.explain()["budget_limited_from"] == "frontier"
