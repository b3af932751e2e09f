"""Placement over hand-built snapshots: cost order, replica choice, saturation, spill, breakers."""

from __future__ import annotations

from typing import Any

import pytest

from server.routing.costs import TierPricing, cost_table, format_usd, tier_cost
from server.routing.placement import PlacementPolicy, estimated_waiting, place
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad, TokenRates


def _load(waiting: float = 0, running: float = 0, kv: float = 0.1) -> ReplicaLoad:
    return ReplicaLoad(1000.0, running, waiting, kv, 0.0, 0.0, 0.0)


def _replica(rid: str, load: ReplicaLoad | None = None, **kw: Any) -> ReplicaSnapshot:
    fields: dict[str, Any] = {"status": ReplicaStatus.READY, "in_flight": 0, "in_flight_at_load": 0}
    fields.update(kw)
    return ReplicaSnapshot(
        rid, "http://x/v1", fields.pop("status"), fields.pop("in_flight"), 0, 0.0, load=load, **fields
    )


def _tier(name: str, *replicas: ReplicaSnapshot, remote: bool = False) -> TierSnapshot:
    kind = TierKind.OPENAI_REMOTE if remote else TierKind.VLLM_ATTACHED
    replicas = replicas or (_replica(f"{name}-0"),)
    return TierSnapshot(name, kind, f"{name}-m", not remote, True, replicas)


def _three(t1: tuple[ReplicaSnapshot, ...] = (), t2: tuple[ReplicaSnapshot, ...] = ()) -> list[TierSnapshot]:
    return [_tier("tier-1", *t1), _tier("tier-2", *t2), _tier("frontier", remote=True)]


def _place(tiers: list[TierSnapshot], wanted: str = "tier-1", pinned: bool = False, **policy: Any) -> Any:
    return place(wanted, tiers, pinned=pinned, on_frontier_missing="degrade", policy=PlacementPolicy(**policy))


def test_least_loaded_replica_within_a_tier() -> None:
    t1 = (
        _replica("a", _load(waiting=2)),
        _replica("b", _load(waiting=1)),
        _replica("c", _load(waiting=1), in_flight=1),
    )
    p = _place(_three(t1))
    assert (p.tier, p.replica, p.reason) == ("tier-1", "b", "requested tier is ready")


def test_requests_sent_since_the_scrape_count_as_waiting() -> None:
    busy = _replica("a", _load(waiting=1, running=2), in_flight=5, in_flight_at_load=2)
    assert estimated_waiting(busy) == 4  # 1 scraped + 3 sent since
    # Scraped while vLLM's front end still held two of tierd's four requests: waiting showed 0.
    lagging = _replica("a", _load(waiting=0, running=2), in_flight=4, in_flight_at_load=4)
    assert estimated_waiting(lagging) == 2
    assert estimated_waiting(_replica("b", None, in_flight=9)) == 0  # unknown load
    # With 16 slots, 5 running and 3 sent since the scrape all fit: nothing waits.
    assert estimated_waiting(_replica("c", _load(running=5), in_flight=8, in_flight_at_load=5, slots=16)) == 0
    assert estimated_waiting(_replica("d", _load(running=2, waiting=1), in_flight=5, in_flight_at_load=3, slots=2)) == 3
    assert estimated_waiting(_replica("e", _load(running=2), in_flight=5, in_flight_at_load=5, slots=2)) == 3


def test_saturated_tier_spills_to_the_next_and_says_why() -> None:
    t1 = (
        _replica("tier-1-0", _load(waiting=9)),
        _replica("tier-1-1", _load(waiting=3), in_flight=2, in_flight_at_load=1),
    )
    p = _place(_three(t1), max_waiting=4)
    assert (p.tier, p.replica, p.spilled_from) == ("tier-2", "tier-2-0", "tier-1")
    assert p.reason == "tier-1 saturated (tier-1-1: waiting 4 >= 4); spilled to tier-2"


def test_kv_cache_and_queue_wait_saturate_too() -> None:
    kv = _place(_three((_replica("a", _load(kv=0.97)),)), max_kv_cache_usage=0.9)
    assert kv.tier == "tier-2" and "KV cache 97% >= 90%" in kv.reason
    slow = _replica("a", _load(waiting=2), rates=TokenRates(0, 0, requests_per_s=0.5))
    waited = _place(_three((slow,)), max_waiting=10, max_queue_wait_s=3.0)
    assert waited.tier == "tier-2" and "queue wait ~4.0s > 3s" in waited.reason
    assert _place(_three((slow,)), max_waiting=10, max_queue_wait_s=5.0).tier == "tier-1"


def test_spills_past_a_saturated_next_tier_to_the_frontier() -> None:
    full = (_replica("x", _load(waiting=5)),)
    p = _place(_three(full, full), max_waiting=4)
    assert (p.tier, p.replica) == ("frontier", "frontier-0")


def test_spill_targets_and_never_spill() -> None:
    full = (_replica("x", _load(waiting=5)),)
    direct = _place(_three(full), max_waiting=4, spill_to={"tier-1": ("frontier",)})
    assert direct.tier == "frontier"
    private = _place(_three(full), max_waiting=4, never_spill=frozenset({"tier-1"}))
    assert (private.tier, private.reason) == ("tier-1", "tier-1 saturated (x: waiting 5 >= 4); tier-1 never spills")
    nowhere = _place(_three(full, full), max_waiting=4, spill_to={"tier-1": ("tier-2",)})
    assert nowhere.tier == "tier-1"
    assert nowhere.reason.endswith("every spill target saturated too; queued on tier-1 (shortest queue)")
    longer = (_replica("y", _load(waiting=7)),)
    shorter = _place(_three(longer, full), max_waiting=4, spill_to={"tier-1": ("tier-2",)})
    assert (shorter.tier, shorter.spilled_from) == ("tier-2", "tier-1")
    assert _place(_three(full), max_waiting=4, spill_to={"tier-1": ()}).reason.endswith("no spill target allowed")


def test_pinned_requests_never_spill() -> None:
    p = _place(_three((_replica("x", _load(waiting=50)),)), pinned=True)
    assert (p.tier, p.replica) == ("tier-1", "x") and p.reason.endswith("pinned requests never spill")


def test_stale_or_missing_load_is_unknown_not_saturated() -> None:
    # The pool drops loads older than its max age from snapshots; None is what placement sees.
    assert _place(_three((_replica("x", None, in_flight=40),))).tier == "tier-1"


def test_open_breaker_gets_no_traffic_half_open_gets_a_probe() -> None:
    t1 = (_replica("a", breaker="open"), _replica("b", _load(waiting=3)))
    assert _place(_three(t1)).replica == "b"
    all_open = (_replica("a", breaker="open"), _replica("b", breaker="open"))
    moved = _place(_three(all_open))
    assert (moved.tier, moved.reason) == ("tier-2", "tier-1 unavailable; moved up")
    probe = (_replica("a", breaker="half-open"), _replica("b", _load(waiting=3)))
    assert _place(_three(probe)).replica == "b"  # closed preferred
    assert _place(_three((_replica("a", breaker="half-open"),))).replica == "a"


L4 = TierPricing("tier-1", usd_per_replica_hour=0.80, tokens_per_replica_hour=8_000_000, hardware="l4 (cloud) x1")
H100 = TierPricing("tier-2", usd_per_replica_hour=2.39, tokens_per_replica_hour=48_000_000, hardware="h100 x1")
FRONTIER = TierPricing("frontier", usd_per_1m_input=2.5, usd_per_1m_output=10.0)


def test_cheapest_ready_tier_at_or_above_the_minimum() -> None:
    pricing = {"tier-1": L4, "tier-2": H100, "frontier": FRONTIER}
    p = _place(_three(), pricing=pricing)
    assert (p.tier, p.reason) == ("tier-2", "tier-2 is cheaper than tier-1")  # $0.050/1M vs $0.100/1M
    assert _place(_three(), wanted="frontier", pricing=pricing).tier == "frontier"
    unknown = {"tier-1": TierPricing("tier-1", usd_per_replica_hour=0.8), "tier-2": H100, "frontier": FRONTIER}
    assert _place(_three(), pricing=unknown).tier == "tier-1"  # not every cost known: configured order


def test_existing_degrade_path_names_a_replica() -> None:
    tiers = [_tier("tier-1"), TierSnapshot("frontier", TierKind.OPENAI_REMOTE, "", False, False, ())]
    p = _place(tiers, wanted="frontier")
    assert (p.tier, p.degraded, p.replica) == ("tier-1", "frontier-unconfigured", "tier-1-0")


def test_cost_model_figures() -> None:
    full = tier_cost(L4)
    assert full.basis == "measured-throughput" and full.fully_loaded_usd_per_token == pytest.approx(1e-7)
    assert full.request_usd(1000, 500) == pytest.approx(1.5e-4)
    rates = TokenRates(prompt_tokens_per_s=100.0, generation_tokens_per_s=300.0, requests_per_s=1.0)
    live = _tier("tier-1", _replica("a", _load(), rates=rates))
    measured = tier_cost(L4, live)
    assert measured.current_load_usd_per_token == pytest.approx(0.80 / (400 * 3600))
    rate_only = tier_cost(TierPricing("tier-1", usd_per_replica_hour=0.80), live)
    assert (rate_only.basis, rate_only.usd_per_input_token) == ("live-rate", pytest.approx(0.80 / 1_440_000))
    idle = _tier("tier-1", _replica("a", _load(), rates=TokenRates(0, 0, 0)))
    assert tier_cost(TierPricing("tier-1", usd_per_replica_hour=0.8), idle).basis == "unknown"
    frontier = tier_cost(FRONTIER)
    assert frontier.request_usd(1_000_000, 100_000) == pytest.approx(3.5)
    assert cost_table({"frontier": FRONTIER}, _three()).keys() == {"frontier"}
    assert (format_usd(None), format_usd(1.5e-4)) == ("unknown", "0.0001500000")
