"""Marginal cost for placement (server/routing/marginal.py): what this request adds on each tier, and the
decisions it changes against the amortized order."""

from __future__ import annotations

from typing import Any

import pytest

from server.routing.costs import TierPricing
from server.routing.marginal import DelayPrice, RequestDemand, attributable_watts, expected_wait_s, marginal_cost
from server.routing.placement import PlacementPolicy, place
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad, TokenRates

DEMAND = RequestDemand(prompt_tokens=1000, completion_tokens=250)
FRONTIER = TierPricing("frontier", usd_per_1m_input=2.5, usd_per_1m_output=10.0)


def local(name: str, pricing: str, *, usd_per_hour: float = 3.59, tokens_per_hour: float | None = 3.6e6) -> TierPricing:
    """One replica on half an H200 (the profile's figures: owned power 620 W, PUE 1.3, $0.10/kWh)."""
    return TierPricing(
        name, usd_per_replica_hour=usd_per_hour * 0.5, tokens_per_replica_hour=tokens_per_hour,
        sunk=pricing != "cloud", usd_per_kwh_at_the_meter=0.13 if pricing == "owned" else None,
        profile_watts_per_replica=310.0, gpus_per_replica=0.5,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("case", "pricing", "watts", "usd", "basis"),
    [
        ("frontier: list price", FRONTIER, None, 1000 * 2.5e-6 + 250 * 10e-6, "list-price"),
        ("cloud: amortized", local("t", "cloud"), None, 1250 * 1.795 / 3.6e6, "amortized"),
        ("owned: NVML watts", local("t", "owned"), 200.0, 1250 * (200 / 1000 * 0.13) / 3.6e6, "energy"),
        ("owned: profile watts", local("t", "owned"), None, 1250 * (310 / 1000 * 0.13) / 3.6e6, "energy"),
        ("reserved: power is in the price", local("t", "reserved"), 200.0, 0.0, "sunk"),
        ("owned, throughput unknown", local("t", "owned", tokens_per_hour=None), 200.0, 0.0, "sunk"),
    ],
)
def test_what_one_request_adds(case: str, pricing: TierPricing, watts: float | None, usd: float, basis: str) -> None:
    cost = marginal_cost(pricing, DEMAND, local=not pricing.per_token_priced, watts=watts)
    assert cost is not None, case
    assert cost.usd == pytest.approx(usd), case
    assert cost.basis == basis, case


def test_unknown_prices_are_unknown() -> None:
    assert marginal_cost(None, DEMAND, local=True) is None
    assert marginal_cost(local("t", "cloud", tokens_per_hour=None), DEMAND, local=True) is None


def test_a_queue_is_priced_as_delay() -> None:
    delay = DelayPrice(usd_per_s=0.001, assumed_request_s=2.0)
    assert expected_wait_s(0, 5.0, delay) == 0.0
    assert expected_wait_s(3, 1.5, delay) == pytest.approx(2.0)  # 3 waiting, 1.5 finished per second
    assert expected_wait_s(3, None, delay) == pytest.approx(6.0)  # rate unknown: 2 s per waiting request
    cost = marginal_cost(local("t", "reserved"), DEMAND, local=True, waiting=3, requests_per_s=1.5, delay=delay)
    assert cost is not None and cost.delay_usd == pytest.approx(0.002) and cost.usd == pytest.approx(0.002)
    assert "queue ~2.0s" in cost.describe()
    assert marginal_cost(FRONTIER, DEMAND, local=False, waiting=3, delay=delay).delay_usd == 0.0  # type: ignore[union-attr]


def test_a_replicas_share_of_its_gpus_power() -> None:
    assert attributable_watts((600.0,), 0.2) == pytest.approx(120.0)
    assert attributable_watts((300.0, 320.0), 2.0) == pytest.approx(620.0)
    assert attributable_watts((), 1.0) is None


def _replica(rid: str, waiting: float = 0, **kw: Any) -> ReplicaSnapshot:
    load = ReplicaLoad(1000.0, 4.0, waiting, 0.2, 0.0, 0.0, 0.0)
    return ReplicaSnapshot(rid, "http://x/v1", ReplicaStatus.READY, 4, 0, 0.0, load=load, in_flight_at_load=4, **kw)


def _tiers(t1_waiting: float, t2_waiting: float = 0) -> list[TierSnapshot]:
    rates = TokenRates(100.0, 100.0, 2.0)
    return [
        TierSnapshot("tier-1", TierKind.VLLM_MANAGED, "s", True, True, (_replica("t1", t1_waiting, rates=rates),)),
        TierSnapshot("tier-2", TierKind.VLLM_MANAGED, "m", True, True, (_replica("t2", t2_waiting, rates=rates),)),
        TierSnapshot("frontier", TierKind.OPENAI_REMOTE, "f", False, True, (_replica("f0"),)),
    ]


def _pricing(mode: str, tier2_usd_per_hour: float) -> dict[str, TierPricing]:
    # tier-2 is a 7B on a fuller share of the GPU: at its measured throughput its amortized $/token is above
    # a cheap frontier's list price.
    return {
        "tier-1": local("tier-1", mode, tokens_per_hour=3.6e7),
        "tier-2": local("tier-2", mode, usd_per_hour=tier2_usd_per_hour, tokens_per_hour=2.0e5),
        "frontier": TierPricing("frontier", usd_per_1m_input=0.15, usd_per_1m_output=0.6),
    }


@pytest.mark.parametrize(
    ("case", "mode", "t1_waiting", "chosen", "reason"),
    [
        ("idle, cloud", "cloud", 0, "tier-1", "requested tier is ready"),
        ("tier-1 saturated, cloud: the amortized order sends the spill to the frontier", "cloud", 9, "frontier", ""),
        ("tier-1 saturated, owned: the spare 7B costs only its power", "owned", 9, "tier-2", "spilled to tier-2"),
        ("tier-1 saturated, reserved: likewise", "reserved", 9, "tier-2", "spilled to tier-2"),
    ],
)
def test_marginal_cost_changes_where_a_spill_lands(
    case: str, mode: str, t1_waiting: float, chosen: str, reason: str
) -> None:
    policy = PlacementPolicy(max_waiting=4, pricing=_pricing(mode, tier2_usd_per_hour=3.59))
    placed = place("tier-1", _tiers(t1_waiting), pinned=False, on_frontier_missing="error", policy=policy,
                   demand=DEMAND)  # fmt: skip
    assert placed.tier == chosen, (case, placed.reason)
    assert reason in placed.reason
    assert {c.tier for c in placed.costs} == {"tier-1", "tier-2", "frontier"}  # every candidate was priced


def test_a_price_of_delay_moves_requests_before_saturation() -> None:
    pricing = _pricing("reserved", tier2_usd_per_hour=3.59)
    no_delay = PlacementPolicy(max_waiting=8, pricing=pricing)
    delay = PlacementPolicy(max_waiting=8, pricing=pricing, delay=DelayPrice(usd_per_s=0.0001))
    kwargs: dict[str, Any] = {"pinned": False, "on_frontier_missing": "error", "demand": DEMAND}
    # Two waiting on tier-1 (1 s of queue at 2 finished/s): not saturated, so without a delay price it stays.
    assert place("tier-1", _tiers(2), policy=no_delay, **kwargs).tier == "tier-1"
    moved = place("tier-1", _tiers(2), policy=delay, **kwargs)
    assert moved.tier == "tier-2"
    assert "tier-2 is cheaper than tier-1 at the margin" in moved.reason and "queue ~1.0s" in moved.reason
    assert [c.tier for c in moved.costs] == ["tier-2", "tier-1", "frontier"]


def test_without_demand_the_order_is_the_amortized_one() -> None:
    policy = PlacementPolicy(pricing=_pricing("owned", tier2_usd_per_hour=3.59))
    placed = place("tier-1", _tiers(0), pinned=False, on_frontier_missing="error", policy=policy)
    assert placed.tier == "tier-1" and placed.costs == ()
