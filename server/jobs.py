"""What a decided request runs as: the escalation job (server/escalation/runner.py) of a routing decision, or
the error of a decision that placed it nowhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from server.errors import ApiError
from server.escalation.checks import CheckRequest
from server.escalation.runner import Escalator, Job
from server.escalation.settings import StreamMode
from server.routing.placement import PlacementError
from server.routing.router import RouteDecision
from server.settings import OpenAITierSettings, Settings
from tiers.base import TierSnapshot


def is_checked(escalator: Escalator, decision: RouteDecision, body: dict[str, Any], mode: StreamMode | None) -> bool:
    """`auto` put the request on a tier with checks, and the client did not turn a stream's checking off."""
    tier = decision.placement.tier
    return (
        decision.mode == "auto"
        and tier is not None
        and escalator.checks_for(tier).active
        and not (body.get("stream") and mode == "off")
    )


def job_for(
    escalator: Escalator,
    path: str,
    body: dict[str, Any],
    decision: RouteDecision,
    snapshots: Sequence[TierSnapshot],
    request_id: str,
    *,
    allowed: frozenset[str] | None,
    stream_mode: StreamMode | None,
) -> Job:
    """The run of a request: checked when `is_checked`; escalation climbs only to ready tiers the request may
    use (`allowed`, None: all) whose generation limits it fits."""
    placement = decision.placement
    assert placement.tier is not None
    if not is_checked(escalator, decision, body, stream_mode):
        return Job(path, body, placement.tier, placement.replica, request_id)
    generation = escalator.generation
    ready = {
        s.name: s.ready and (allowed is None or s.name in allowed) and not generation.over_limit(s.name, path, body)
        for s in snapshots
    }
    check = CheckRequest.from_body(body, decision.features.text)
    return Job(
        path, body, placement.tier, placement.replica, request_id, check, ready.__getitem__, stream_mode, allowed,
    )  # fmt: skip


def placement_error(settings: Settings, error: PlacementError, budget_note: str | None) -> ApiError:
    """The client's error for a request placement put nowhere, in words that say what to change."""
    code, tier, message = error.code, error.tier, error.message
    if code == "frontier_unconfigured":
        tier_settings = settings.tier(tier)
        missing = tier_settings.missing_settings() if isinstance(tier_settings, OpenAITierSettings) else []
        message = (
            f"Tier '{tier}' is not configured: set {' and '.join(missing)} in the config "
            "(the presets read TIERD_FRONTIER_BASE_URL, TIERD_FRONTIER_MODEL and TIERD_FRONTIER_API_KEY), "
            "or set server.on_frontier_missing: degrade."
        )
    elif code == "insufficient_quota":  # a pinned tier that a spent budget does not allow
        message = f"{budget_note}: {message}"
    return ApiError(code, message)
