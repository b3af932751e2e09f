"""One request's attempts (`Attempt`) and the run they make (`Run`): what the runner decided, for the caller.

Plain data, filled by the escalation runner (runner.py) and read by the service and the records.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from server.escalation.answer import Answer
from server.escalation.checks import CheckResult
from server.escalation.policy import Outcome
from server.escalation.runaway import Trip
from tiers.base import UpstreamResponse


@dataclass(slots=True)
class Attempt:
    tier: str
    status: int
    latency_s: float
    replica: str | None = None
    answer: Answer | None = None
    results: list[CheckResult] = field(default_factory=list)
    cost_usd: float | None = None
    error: str | None = None
    # What tierd set in the body this tier got: its defaults for omitted fields, its clamped caps.
    defaulted: tuple[str, ...] = ()
    limited: tuple[str, ...] = ()
    stopped: Trip | None = None  # the runaway guard cut this attempt's generation
    # What grading this answer (the verifier's call on another tier) cost: 0 when it was not graded, None
    # when unknown. It is part of cost_usd: the request paid for it.
    grading_usd: float | None = 0.0

    @property
    def passed(self) -> bool:
        return self.status == 200 and all(r.passed for r in self.results)

    @property
    def failures(self) -> int:
        return sum(1 for r in self.results if not r.passed) if self.status == 200 else 1_000

    def failed(self, status: int, error: str, latency_s: float) -> None:
        self.status, self.error, self.latency_s = status, error, latency_s

    def stop(self, trip: Trip) -> None:
        """The guard cut the generation: said in the attempt's record (and its ledger row's error), and its
        answer is marked, so that the degeneration check fails it."""
        self.stopped, self.error = trip, trip.describe()
        if self.answer is not None:
            self.answer = replace(self.answer, runaway=trip.detail)

    def record(self) -> dict[str, Any]:
        a = self.answer
        return {
            "tier": self.tier,
            "status": self.status,
            "latency_s": round(self.latency_s, 4),
            "prompt_tokens": a.prompt_tokens if a else None,
            "completion_tokens": a.completion_tokens if a else None,
            "cost_usd": self.cost_usd,
            "checks": [r.short() for r in self.results],
            "failed": {r.check: r.detail for r in self.results if not r.passed},
            "error": self.error,
            "stopped_after_tokens": self.stopped.tokens if self.stopped else None,
        }


@dataclass(slots=True)
class Run:
    """One request's attempts, and which one's answer the client gets once the run is decided."""

    attempts: list[Attempt] = field(default_factory=list)
    outcome: Outcome | None = None  # None: the answer was not checked
    returned: int | None = None  # index of the attempt whose answer the client gets; None: none (yet)
    response: UpstreamResponse | None = None  # JSON
    events: AsyncIterator[bytes] | None = None  # streams: whole SSE events, held ones first

    @property
    def final(self) -> Attempt:
        return self.attempts[-1 if self.returned is None else self.returned]

    @property
    def tier(self) -> str:
        return self.final.tier

    @property
    def thrown_away(self) -> list[Attempt]:
        return [a for i, a in enumerate(self.attempts) if i != self.returned]

    def headers(self) -> dict[str, str]:
        """What a checked run says about itself (an unchecked one: only a runaway guard's stop)."""
        headers = {}
        stops = [f"{a.tier} stopped after {a.stopped.tokens} tokens" for a in self.attempts if a.stopped]
        if stops:
            headers["x-tierd-runaway"] = ", ".join(stops)
        if self.outcome is None:
            return headers
        headers.update({"x-tierd-attempts": str(len(self.attempts)), "x-tierd-escalation": self.outcome})
        escalated_from = [a.tier for a in self.attempts if a.tier != self.tier]
        if escalated_from:
            headers["x-tierd-escalated-from"] = ",".join(escalated_from)
        if self.final.results:
            headers["x-tierd-checks"] = ",".join(r.short() for r in self.final.results)
        return headers

    def cost_usd(self) -> float | None:
        """Every attempt's cost together; None when one of them is unknown."""
        return known_sum(self.attempts)

    def wasted_usd(self) -> float:
        """What the answers the client does not get cost, unknown ones counted as nothing."""
        return sum(a.cost_usd or 0.0 for a in self.thrown_away)

    def thrown_away_usd(self) -> float | None:
        """What the answers the client does not get cost; None when one of them is unknown."""
        return known_sum(self.thrown_away)

    def besides_answer_usd(self) -> float | None:
        """What the run cost besides the returned answer's own tokens (a relayed stream prices those from its
        usage chunk): the answers thrown away, and the grading of the returned one. None when unknown."""
        return plus(self.thrown_away_usd(), self.final.grading_usd)


def plus(a: float | None, b: float | None) -> float | None:
    """A sum of costs, unknown when either is."""
    return None if a is None or b is None else a + b


def known_sum(attempts: Sequence[Attempt]) -> float | None:
    """The attempts' total cost; None when any one is unknown."""
    costs = [a.cost_usd for a in attempts]
    return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)
