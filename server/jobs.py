"""What a decided request runs as: the escalation job (server/escalation/runner.py) of a routing decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from server.escalation.checks import CheckRequest
from server.escalation.runner import Escalator, Job
from server.escalation.settings import StreamMode
from server.routing.router import RouteDecision
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
