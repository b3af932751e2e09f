"""Placement: which tier and replica run a request, a pure function of snapshots and policy.

The classifier says how capable a tier must be. Among the ready tiers at or above it, placement
takes the cheapest at the margin: what this request adds on each (server/routing/marginal.py: list
prices for the frontier, the power of spare capacity on owned or reserved GPUs, the amortized price on
on-demand ones, plus a price of delay where requests queue); without the request's demand, by the cost
model's stable figures (list prices and measured throughput). Within a tier, the routable replica that
best blends a cached prompt prefix with load (prefix_affinity.py; the least-loaded when nothing is
cached), avoiding replicas on hot GPUs (server/routing/gpu_state.py). A tier whose best replica is
saturated (too many requests waiting, KV cache nearly full, an estimated queue wait over the bound, or
a hot GPU) spills to the next candidate its policy allows, unless the request is pinned or the tier
must never spill (privacy).
When nothing at or above the minimum is ready, an `auto` request degrades to the most capable local
tier that is up, and says so. Every decision says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from server.routing.costs import TierPricing, cost_table
from server.routing.marginal import DelayPrice, MarginalCost, RequestDemand, marginal_cost
from server.routing.prefix_affinity import PrefixMatch, ReplicaChoice, affinity_scores, prefix_note
from tiers.base import ReplicaSnapshot, TierSnapshot

Degradation = Literal["frontier-unconfigured", "tier-unavailable"]


@dataclass(frozen=True, slots=True)
class PlacementPolicy:
    # A replica is saturated once this many requests wait in its queue (vLLM's own count plus what
    # tierd sent since the last scrape, which is not in that count yet).
    max_waiting: int = 4
    max_kv_cache_usage: float = 0.95
    # Also saturated when waiting / (requests finished per second) exceeds this; None: not used.
    max_queue_wait_s: float | None = None
    # Where each tier may spill, in order; a tier not listed may spill to every candidate above it.
    spill_to: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    never_spill: frozenset[str] = frozenset()
    pricing: Mapping[str, TierPricing] = field(default_factory=dict)
    # Share of generated tokens assumed when comparing per-token prices across tiers.
    output_share: float = 0.5
    delay: DelayPrice = field(default_factory=DelayPrice)
    # Within a tier: `affinity` blends a cached prompt prefix with load (server/routing/prefix_affinity.py);
    # without a prefix match, and in `least_loaded`, the least-loaded replica; `random`, a drawn one.
    replica_choice: ReplicaChoice = "affinity"
    prefix_weight: float = 1.0
    load_weight: float = 1.0


DEFAULT_POLICY = PlacementPolicy()


@dataclass(frozen=True, slots=True)
class PlacementError:
    """Why no tier can take the request; server/errors.py maps the code to what the client is told."""

    code: Literal["frontier_unconfigured", "tier_unavailable", "no_ready_tier", "insufficient_quota"]
    tier: str
    message: str


@dataclass(frozen=True, slots=True)
class Placement:
    wanted: str
    tier: str | None
    degraded: Degradation | None = None
    reason: str = ""
    error: PlacementError | None = None
    replica: str | None = None
    spilled_from: str | None = None
    # The tier the request wanted when a spent budget kept it to local tiers (server/accounting/budgets.py).
    limited_from: str | None = None
    # What the request adds on each candidate tier, cheapest first, when it was priced at the margin.
    costs: tuple[MarginalCost, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What placement knows of the request besides the snapshots: its estimated tokens (`demand`: the
    tiers are then ordered at the margin), each replica's share of its GPUs' power draw now (`watts`,
    replica id -> W, for owned hardware's energy), and what the prefix index knows of its prompt."""

    demand: RequestDemand | None = None
    watts: Mapping[str, float] = field(default_factory=dict)
    prefix: PrefixMatch | None = None


def estimated_waiting(replica: ReplicaSnapshot) -> float:
    """Requests waiting now, conservatively. Requests tierd sent since the last scrape are not in
    its counts yet: with the replica's slot count known, those beyond its free slots wait; without
    it, all of them are assumed to wait until the next scrape says otherwise. And at least tierd's
    own requests beyond the running ones wait (vLLM counts a request only once its front end has
    handed it to the scheduler). 0 when the load is unknown."""
    load = replica.load
    if load is None:
        return 0.0
    sent_since = max(0, replica.in_flight - replica.in_flight_at_load)
    if replica.slots is None:
        return max(load.waiting + sent_since, replica.in_flight - load.running)
    in_system = load.running + load.waiting + sent_since
    return max(0.0, in_system - replica.slots, replica.in_flight - replica.slots)


def saturation(replica: ReplicaSnapshot, policy: PlacementPolicy) -> str | None:
    """Why the replica is saturated, or None. Unknown (missing or stale) load is not saturation; a hot
    GPU under it is (set from the GPU snapshot before placement)."""
    if replica.gpu_pressure is not None:
        return replica.gpu_pressure
    load = replica.load
    if load is None:
        return None
    waiting = estimated_waiting(replica)
    if waiting >= policy.max_waiting:
        return f"waiting {waiting:g} >= {policy.max_waiting}"
    if load.kv_cache_usage >= policy.max_kv_cache_usage:
        return f"KV cache {load.kv_cache_usage:.0%} >= {policy.max_kv_cache_usage:.0%}"
    rates = replica.rates
    if policy.max_queue_wait_s is not None and rates is not None and rates.requests_per_s > 0 and waiting:
        wait_s = waiting / rates.requests_per_s
        if wait_s > policy.max_queue_wait_s:
            return f"queue wait ~{wait_s:.1f}s > {policy.max_queue_wait_s:g}s"
    return None


def best_replica(
    tier: TierSnapshot, policy: PlacementPolicy, *, prefix: PrefixMatch | None = None
) -> tuple[ReplicaSnapshot, str | None]:
    """The routable replica to use and, when even it is saturated, why: unsaturated ones with a closed
    breaker first; among those the least-loaded, or (`affinity`, given a match) the best blend of cached
    prefix and load, or (`random`) the one the match's tie_break draws. A saturated replica never wins on
    its prefix: it scores as if it held none."""
    routable = [r for r in tier.replicas if r.routable]
    why = {r.replica_id: saturation(r, policy) for r in routable}
    score = dict.fromkeys(why, 0.0)
    if prefix is not None and policy.replica_choice == "affinity":
        busy = {r.replica_id: r.in_flight + estimated_waiting(r) for r in routable}
        blended = affinity_scores(
            prefix,
            tier.name,
            busy,
            prefix_weight=policy.prefix_weight,
            load_weight=policy.load_weight,
            load_scale=policy.max_waiting,
        )
        score = {rid: s if why[rid] is None else min(s, 0.0) for rid, s in blended.items()}

    def rank(r: ReplicaSnapshot) -> tuple[bool, bool, float, float, int]:
        return (
            why[r.replica_id] is not None,
            r.breaker != "closed",
            -score[r.replica_id],
            estimated_waiting(r),
            r.in_flight,
        )

    ranked = sorted(routable, key=rank)
    best = ranked[0]
    if prefix is not None and policy.replica_choice == "random":
        healthy = [r for r in ranked if why[r.replica_id] is None and r.breaker == "closed"] or [best]
        best = healthy[prefix.tie_break % len(healthy)]
    return best, why[best.replica_id]


def _at_the_margin(
    tiers: Sequence[TierSnapshot], policy: PlacementPolicy, demand: RequestDemand, watts: Mapping[str, float]
) -> tuple[list[TierSnapshot], tuple[MarginalCost, ...]] | None:
    """Cheapest first by what the request adds on each tier's best replica; None when a price is unknown."""
    priced: list[tuple[MarginalCost, TierSnapshot]] = []
    for tier in tiers:
        replica, _ = best_replica(tier, policy)
        rates = replica.rates
        cost = marginal_cost(
            policy.pricing.get(tier.name),
            demand,
            local=tier.local,
            waiting=estimated_waiting(replica),
            requests_per_s=rates.requests_per_s if rates is not None else None,
            watts=watts.get(replica.replica_id),
            delay=policy.delay,
        )
        if cost is None:
            return None
        priced.append((cost, tier))
    priced.sort(key=lambda p: p[0].usd)  # stable: equal costs keep the configured order
    return [t for _, t in priced], tuple(c for c, _ in priced)


def _by_cost(tiers: Sequence[TierSnapshot], policy: PlacementPolicy) -> list[TierSnapshot]:
    """Cheapest first when every tier has a stable price; otherwise the configured order (cheapest
    first by convention). Live-rate costs are not used: a busy tier would look cheaper and attract
    still more traffic."""
    costs = cost_table(policy.pricing, tiers)
    prices: dict[str, float] = {}
    for tier in tiers:
        cost = costs.get(tier.name)
        price = cost.blended(policy.output_share) if cost and cost.basis != "live-rate" else None
        if price is None:
            return list(tiers)
        prices[tier.name] = price
    return sorted(tiers, key=lambda t: prices[t.name])


def _first_reason(first: str, wanted: str, wanted_ready: bool, costs: tuple[MarginalCost, ...] = ()) -> str:
    if first == wanted:
        return "requested tier is ready"
    if not wanted_ready:
        return f"{wanted} unavailable; moved up"
    if costs:
        return f"{first} is cheaper than {wanted} at the margin ({' < '.join(c.describe() for c in costs)})"
    return f"{first} is cheaper than {wanted}"


def _avoided_gpus(tier: TierSnapshot, chosen: ReplicaSnapshot) -> str:
    """The replicas of the tier passed over for a hot GPU, for the reason ("" when none was)."""
    avoided = [r for r in tier.replicas if r.routable and r.gpu_pressure and r.replica_id != chosen.replica_id]
    return "".join(f"; avoided {r.replica_id}: {r.gpu_pressure}" for r in avoided)


def _choose(
    wanted: str, ready: Sequence[TierSnapshot], pinned: bool, policy: PlacementPolicy, facts: RequestFacts
) -> Placement:
    demand, prefix = facts.demand, facts.prefix
    margin = _at_the_margin(ready, policy, demand, facts.watts) if demand is not None and not pinned else None
    order, costs = margin if margin is not None else (_by_cost(ready, policy), ())
    first = order[0]
    reason = _first_reason(first.name, wanted, any(t.name == wanted for t in ready), costs)
    replica, why = best_replica(first, policy, prefix=prefix)
    if why is None:
        reason += _avoided_gpus(first, replica)
        return Placement(wanted, first.name, reason=reason, replica=replica.replica_id, costs=costs)
    saturated = f"{first.name} saturated ({replica.replica_id}: {why})"
    if pinned or first.name in policy.never_spill:
        rule = "pinned requests never spill" if pinned else f"{first.name} never spills"
        return Placement(wanted, first.name, reason=f"{saturated}; {rule}", replica=replica.replica_id, costs=costs)
    allowed = policy.spill_to.get(first.name)
    targets = [t for t in order[1:] if allowed is None or t.name in allowed]
    if allowed is not None:
        targets.sort(key=lambda t: allowed.index(t.name))
    for target in targets:
        candidate, target_why = best_replica(target, policy, prefix=prefix)
        if target_why is None:
            return Placement(
                wanted,
                target.name,
                reason=f"{saturated}; spilled to {target.name}",
                replica=candidate.replica_id,
                spilled_from=first.name,
                costs=costs,
            )
    if not targets:
        return Placement(
            wanted, first.name, reason=f"{saturated}; no spill target allowed", replica=replica.replica_id, costs=costs
        )
    # Everything allowed is saturated (only tiers with scraped load can be): queue where the
    # estimated wait is shortest, the cheapest tier on ties.
    queues = [
        (estimated_waiting(r), i, t, r)
        for i, t in enumerate([first, *targets])
        for r in [best_replica(t, policy, prefix=prefix)[0]]
    ]
    _, _, tier, chosen = min(queues, key=lambda q: (q[0], q[1]))
    reason = f"{saturated}; every spill target saturated too; queued on {tier.name} (shortest queue)"
    spilled_from = first.name if tier is not first else None
    return Placement(
        wanted, tier.name, reason=reason, replica=chosen.replica_id, spilled_from=spilled_from, costs=costs
    )


def place(
    wanted: str,
    tiers: Sequence[TierSnapshot],
    *,
    pinned: bool,
    on_frontier_missing: Literal["degrade", "error"],
    policy: PlacementPolicy = DEFAULT_POLICY,
    demand: RequestDemand | None = None,
    watts: Mapping[str, float] | None = None,
    prefix: PrefixMatch | None = None,
) -> Placement:
    """`demand`, `watts`, `prefix`: the request's facts (RequestFacts); without them, tiers are ordered by
    their stable prices and replicas chosen by load alone."""
    facts = RequestFacts(demand, watts or {}, prefix)
    return _placed(wanted, tiers, pinned, on_frontier_missing, policy, facts)


def _placed(
    wanted: str,
    tiers: Sequence[TierSnapshot],
    pinned: bool,
    on_frontier_missing: Literal["degrade", "error"],
    policy: PlacementPolicy,
    facts: RequestFacts,
) -> Placement:
    """`place`, with the reason naming a replica chosen for its cached prefix."""
    placed = _place(wanted, tiers, pinned, on_frontier_missing, policy, facts)
    affinity = policy.replica_choice == "affinity"
    note = prefix_note(facts.prefix, placed.tier, placed.replica) if affinity else None
    return replace(placed, reason=f"{placed.reason}; {note}") if note else placed


def _place(
    wanted: str,
    tiers: Sequence[TierSnapshot],
    pinned: bool,
    on_frontier_missing: Literal["degrade", "error"],
    policy: PlacementPolicy,
    facts: RequestFacts,
) -> Placement:
    names = [t.name for t in tiers]
    start = names.index(wanted)
    walk = tiers[start : start + 1] if pinned else tiers[start:]
    ready = [t for t in walk if t.ready]
    if ready:
        return _choose(wanted, ready, pinned, policy, facts)

    unconfigured = next((t for t in walk if not t.configured), None)
    if unconfigured is not None and on_frontier_missing == "error":
        message = f"tier {unconfigured.name!r} is not configured"
        return Placement(wanted, None, error=PlacementError("frontier_unconfigured", unconfigured.name, message))
    if pinned and unconfigured is None:
        message = f"tier {wanted!r} has no ready replica"
        return Placement(wanted, None, error=PlacementError("tier_unavailable", wanted, message))

    fallback = next((t for t in reversed(tiers[:start]) if t.local and t.ready), None)
    if fallback is None:
        message = f"no tier at or below {wanted!r} is ready"
        return Placement(wanted, None, error=PlacementError("no_ready_tier", wanted, message))
    degraded: Degradation = "tier-unavailable" if tiers[start].configured else "frontier-unconfigured"
    replica, _ = best_replica(fallback, policy, prefix=facts.prefix)
    reason = f"{degraded}; best ready local tier"
    return Placement(wanted, fallback.name, degraded=degraded, reason=reason, replica=replica.replica_id)


def place_within(
    wanted: str,
    tiers: Sequence[TierSnapshot],
    allowed: frozenset[str],
    *,
    pinned: bool,
    on_frontier_missing: Literal["degrade", "error"],
    policy: PlacementPolicy = DEFAULT_POLICY,
    demand: RequestDemand | None = None,
    watts: Mapping[str, float] | None = None,
    prefix: PrefixMatch | None = None,
) -> Placement:
    """`place` among the `allowed` tiers only (a spent budget allows only local ones): the classifier's
    choice stands when allowed, else the most capable allowed tier below it (the least capable above
    when none is below). Spills never leave the allowed tiers. A pinned tier that is not allowed is
    refused rather than silently swapped for another model."""
    kept = [t for t in tiers if t.name in allowed]
    facts = RequestFacts(demand, watts or {}, prefix)
    if wanted in allowed:
        return _placed(wanted, kept, pinned, on_frontier_missing, policy, facts)
    if pinned or not kept:
        message = f"tier {wanted!r} is not allowed once the budget is spent (only {sorted(allowed)})"
        return Placement(wanted, None, error=PlacementError("insufficient_quota", wanted, message))
    names = [t.name for t in tiers]
    below = [t for t in tiers[: names.index(wanted)] if t.name in allowed]
    target = below[-1] if below else kept[0]
    placed = _placed(target.name, kept, False, on_frontier_missing, policy, facts)
    reason = f"budget spent: local tiers only ({wanted} -> {target.name}); {placed.reason}"
    return replace(placed, reason=reason, limited_from=wanted)
