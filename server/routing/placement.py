"""Placement: which tier runs a request, a pure function of tier snapshots.

The classifier says how capable a tier must be; placement walks up from there to the
first tier that can take the request now. When nothing at or above it can, an `auto`
request degrades to the most capable local tier that is up, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tiers.base import TierSnapshot

Degradation = Literal["frontier-unconfigured", "tier-unavailable"]


@dataclass(frozen=True, slots=True)
class PlacementError:
    status: int
    code: Literal["frontier_unconfigured", "tier_unavailable", "no_ready_tier"]
    tier: str
    message: str


@dataclass(frozen=True, slots=True)
class Placement:
    wanted: str
    tier: str | None
    degraded: Degradation | None = None
    reason: str = ""
    error: PlacementError | None = None


def place(
    wanted: str,
    tiers: Sequence[TierSnapshot],
    *,
    pinned: bool,
    on_frontier_missing: Literal["degrade", "error"],
) -> Placement:
    names = [t.name for t in tiers]
    start = names.index(wanted)
    walk = tiers[start : start + 1] if pinned else tiers[start:]
    for tier in walk:
        if tier.ready:
            why = "requested tier is ready" if tier.name == wanted else f"{wanted} unavailable; moved up"
            return Placement(wanted, tier.name, reason=why)

    unconfigured = next((t for t in walk if not t.configured), None)
    if unconfigured is not None and on_frontier_missing == "error":
        message = f"tier {unconfigured.name!r} is not configured"
        return Placement(wanted, None, error=PlacementError(503, "frontier_unconfigured", unconfigured.name, message))
    if pinned and unconfigured is None:
        message = f"tier {wanted!r} has no ready replica"
        return Placement(wanted, None, error=PlacementError(503, "tier_unavailable", wanted, message))

    fallback = next((t for t in reversed(tiers[:start]) if t.local and t.ready), None)
    if fallback is None:
        message = f"no tier at or below {wanted!r} is ready"
        return Placement(wanted, None, error=PlacementError(503, "no_ready_tier", wanted, message))
    degraded: Degradation = "tier-unavailable" if tiers[start].configured else "frontier-unconfigured"
    return Placement(wanted, fallback.name, degraded=degraded, reason=f"{degraded}; best ready local tier")
