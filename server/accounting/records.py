"""What the accounting keeps of one finished request: a frozen `RequestRecord` with its `AttemptRecord`s.

The service fills a mutable `RequestTrace` as the request goes (routed, answered or escalated, failed,
stream ended) and hands it to the bookkeeper once, at its end; `RequestTrace.build()` turns it into the
record that metrics, the ledger and listeners (budgets) all read. Pure: no I/O, clocks injected.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.accounting.ledger_schema import utcnow
from server.escalation.runner import Attempt, Run
from server.response_cost import StreamEnd
from server.routing.costs import TierPricing, frontier_cost, savings_usd
from server.routing.router import RouteDecision

CLIENT_DISCONNECTED = "client_disconnected"


@dataclass(frozen=True, slots=True)
class TierFacts:
    """What the records say about a tier besides its name."""

    model: str
    local: bool  # a vLLM tier (its cost is amortized hardware), not a remote API


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    index: int
    tier: str
    model: str | None
    replica: str | None
    status: int
    returned: bool  # the client got this attempt's answer
    passed: bool | None  # all checks passed; None when the answer was not checked
    checks: tuple[dict[str, Any], ...] | None
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None
    latency_s: float | None


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One client request as it ended. Costs: None means unknown, never zero."""

    request_id: str
    created_at: datetime
    finished_at: datetime
    endpoint: str
    status: int
    api_key_id: str | None = None
    requested_model: str | None = None
    stream: bool = False
    decision: str | None = None
    explanation: dict[str, Any] | None = None
    classifier: str | None = None
    chosen_tier: str | None = None
    first_tier: str | None = None
    final_tier: str | None = None
    final_model: str | None = None
    replica: str | None = None
    local: bool | None = None
    error_code: str | None = None
    escalation_outcome: str | None = None
    escalations: int = 0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    wasted_usd: float | None = None
    cost_basis: str | None = None
    frontier_cost_usd: float | None = None
    savings_usd: float | None = None
    latency_s: float | None = None
    ttft_s: float | None = None
    attempts: tuple[AttemptRecord, ...] = ()

    @property
    def thrown_away(self) -> tuple[AttemptRecord, ...]:
        return tuple(a for a in self.attempts if not a.returned)


def _checks(attempt: Attempt) -> tuple[dict[str, Any], ...] | None:
    if not attempt.results:
        return None
    return tuple({"check": r.check, "passed": r.passed, "detail": r.detail} for r in attempt.results)


@dataclass(slots=True)
class RequestTrace:
    """A request on its way: filled by the service, built into a `RequestRecord` once at its end."""

    request_id: str
    endpoint: str
    tiers: Mapping[str, TierFacts]
    api_key_id: str | None = None
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], datetime] = utcnow
    started: float = field(init=False)  # set from the clocks in __post_init__
    created_at: datetime = field(init=False)
    finished: bool = False
    values: dict[str, Any] = field(default_factory=dict)  # RequestRecord fields set so far
    attempts: list[AttemptRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.started = self.clock()
        self.created_at = self.wall_clock()

    def elapsed(self) -> float:
        return self.clock() - self.started

    def body(self, body: Any) -> None:
        if isinstance(body, dict):
            model = body.get("model")
            self.values["requested_model"] = model if isinstance(model, str) else None
            self.values["stream"] = bool(body.get("stream"))

    def routed(self, decision: RouteDecision, explanation: dict[str, Any]) -> None:
        """The decision, with its `explain()` (computed once by the caller, which also logs it)."""
        c, placement = decision.classification, decision.placement
        self.values.update(
            decision=decision.short(),
            explanation=explanation,
            classifier=c.classifier if c is not None else None,
            chosen_tier=c.min_tier if c is not None else placement.wanted,
            first_tier=placement.tier,
            replica=placement.replica,
        )

    def _final(self, tier: str) -> None:
        facts = self.tiers.get(tier)
        self.values.update(final_tier=tier, final_model=facts.model if facts else None)
        self.values["local"] = facts.local if facts else None

    def attempt(
        self,
        tier: str,
        status: int,
        *,
        replica: str | None,
        latency_s: float | None,
        usage: tuple[int, int] | None = None,
        cost_usd: float | None = None,
        error: str | None = None,
    ) -> None:
        """The one upstream call of a request that was not escalated (or that failed before any answer)."""
        facts = self.tiers.get(tier)
        prompt, completion = usage if usage else (None, None)
        self.attempts.append(
            AttemptRecord(
                len(self.attempts), tier, facts.model if facts else None, replica, status, error is None, None,
                None, error, prompt, completion, cost_usd, latency_s,
            )
        )  # fmt: skip
        self._final(tier)
        self.values.update(replica=replica, prompt_tokens=prompt, completion_tokens=completion, cost_usd=cost_usd)
        self.values["wasted_usd"] = 0.0 if cost_usd is not None else None

    def ran(self, run: Run, replica: str | None) -> None:
        """An escalation run: every attempt, the final tier, and the costs of all of them."""
        self.attempts = [
            AttemptRecord(
                i, a.tier, self.tiers[a.tier].model if a.tier in self.tiers else None,
                replica if i == run.returned else None, a.status, i == run.returned,
                (a.status == 200 and all(r.passed for r in a.results)) if a.results else None, _checks(a), a.error,
                a.answer.prompt_tokens if a.answer else None, a.answer.completion_tokens if a.answer else None,
                a.cost_usd, round(a.latency_s, 6),
            )
            for i, a in enumerate(run.attempts)
        ]  # fmt: skip
        self._final(run.tier)
        total, wasted = run.cost_usd()
        answer = run.final.answer
        self.values.update(
            replica=replica,
            escalation_outcome=run.outcome,
            escalations=len(run.attempts) - 1,
            cost_usd=total,
            wasted_usd=wasted,
            prompt_tokens=answer.prompt_tokens if answer else None,
            completion_tokens=answer.completion_tokens if answer else None,
        )

    def cost_basis(self, basis: str) -> None:
        self.values["cost_basis"] = basis

    def stream_ended(self, end: StreamEnd) -> None:
        """A stream's last byte: its usage and cost, TTFT, and whether it got to its end."""
        self.values.update(
            prompt_tokens=end.prompt_tokens, completion_tokens=end.completion_tokens, cost_usd=end.cost_usd
        )
        self.values["ttft_s"] = end.ttft_s
        if not end.completed:
            self.failed(499, CLIENT_DISCONNECTED)
        elif end.error_code is not None:
            self.values["error_code"] = end.error_code
        if self.attempts:
            escalated = bool(self.values.get("escalations"))
            last = next(i for i, a in enumerate(self.attempts) if a.returned) if escalated else -1
            a = self.attempts[last]
            own = end.attempt_cost_usd if escalated else end.cost_usd
            # The returned attempt ran until the stream's end; the others ran before it (approximately: the
            # time spent checking answers is counted in this one).
            others = sum(o.latency_s or 0.0 for o in self.attempts if o is not a)
            latency = max(a.latency_s or 0.0, end.duration_s - others)
            self.attempts[last] = AttemptRecord(
                a.index, a.tier, a.model, a.replica, a.status, a.returned, a.passed, a.checks, a.error,
                end.prompt_tokens, end.completion_tokens, own, round(latency, 6),
            )  # fmt: skip

    def failed(self, status: int, error_code: str | None) -> None:
        self.values.update(status=status, error_code=error_code)

    def build(self, frontier: TierPricing | None) -> RequestRecord:
        v = dict(self.values)
        v.setdefault("status", 200)
        counterfactual = frontier_cost(frontier, v.get("prompt_tokens"), v.get("completion_tokens"))
        return RequestRecord(
            request_id=self.request_id,
            created_at=self.created_at,
            finished_at=self.wall_clock(),
            endpoint=self.endpoint,
            api_key_id=self.api_key_id,
            latency_s=round(self.elapsed(), 6),
            frontier_cost_usd=counterfactual,
            savings_usd=savings_usd(counterfactual, v.get("cost_usd")),
            attempts=tuple(self.attempts),
            **v,
        )
