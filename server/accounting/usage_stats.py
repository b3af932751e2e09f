"""Pure arithmetic of the usage report: the KPIs of a set of ledger rows, and percentiles.

Everything here is computed in Python from the window's rows (fetched by server/accounting/usage.py),
so the numbers are the same on SQLite and Postgres: no dialect-specific SQL for percentiles or days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """The columns of one `tierd_requests` row that the report reads."""

    request_id: str
    created_at: datetime  # UTC
    api_key_id: str | None
    first_tier: str | None
    final_tier: str | None
    local: bool | None
    status: int
    escalations: int
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None
    frontier_cost_usd: float | None
    savings_usd: float | None
    latency_s: float | None
    ttft_s: float | None

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status < 300

    @property
    def failed(self) -> bool:
        return self.status >= 400


@dataclass(frozen=True, slots=True)
class AttemptFacts:
    request_id: str
    tier: str
    passed: bool | None  # None: the attempt was not checked
    checks: list[Any] | None  # [{"check", "passed", "detail"}]


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default method); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _ms(value: float | None) -> float | None:
    return None if value is None else value * 1000.0


@dataclass
class _CheckCount:
    checked: int = 0
    passed: int = 0

    def add(self, passed: bool) -> None:
        self.checked += 1
        self.passed += int(passed)

    def to_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "passed": self.passed, "pass_rate": share(self.passed, self.checked)}


@dataclass
class _TierChecks:
    overall: _CheckCount = field(default_factory=_CheckCount)
    by_check: dict[str, _CheckCount] = field(default_factory=dict)

    def add(self, attempt: AttemptFacts) -> None:
        if attempt.passed is not None:
            self.overall.add(attempt.passed)
        for result in attempt.checks or []:
            if isinstance(result, dict) and isinstance(result.get("check"), str) and "passed" in result:
                self.by_check.setdefault(result["check"], _CheckCount()).add(bool(result["passed"]))

    def to_dict(self) -> dict[str, Any]:
        return {**self.overall.to_dict(), "by_check": {k: v.to_dict() for k, v in sorted(self.by_check.items())}}


@dataclass
class KpiAccumulator:
    """Sums one group's rows; `result()` turns the sums into the report's KPIs."""

    requests: int = 0
    errors: int = 0
    succeeded: int = 0
    served_locally: int = 0  # successful requests whose answer came from a local tier
    routed: int = 0  # requests that reached a tier (the base of the escalation rate)
    escalated: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    costed: int = 0
    frontier_cost_usd: float = 0.0
    savings_usd: float = 0.0
    savings_base_usd: float = 0.0  # the frontier cost of the requests whose savings are known
    latencies_s: list[float] = field(default_factory=list)
    ttfts_s: list[float] = field(default_factory=list)
    checks: dict[str, _TierChecks] = field(default_factory=dict)
    feedback_scores: list[float] = field(default_factory=list)

    def add_request(self, row: RequestFacts) -> None:
        self.requests += 1
        self.errors += int(row.failed)
        if row.succeeded:
            self.succeeded += 1
            self.served_locally += int(bool(row.local))
            if row.latency_s is not None:
                self.latencies_s.append(row.latency_s)
            if row.ttft_s is not None:
                self.ttfts_s.append(row.ttft_s)
        if row.first_tier is not None:
            self.routed += 1
            self.escalated += int(row.escalations > 0)
        self.prompt_tokens += row.prompt_tokens or 0
        self.completion_tokens += row.completion_tokens or 0
        if row.cost_usd is not None:
            self.cost_usd += row.cost_usd
            self.costed += 1
        if row.frontier_cost_usd is not None:
            self.frontier_cost_usd += row.frontier_cost_usd
        if row.savings_usd is not None:
            self.savings_usd += row.savings_usd
            self.savings_base_usd += row.frontier_cost_usd or 0.0

    def add_attempt(self, attempt: AttemptFacts) -> None:
        self.checks.setdefault(attempt.tier, _TierChecks()).add(attempt)

    def add_feedback(self, score: float) -> None:
        self.feedback_scores.append(score)

    def result(self) -> dict[str, Any]:
        scores = self.feedback_scores
        return {
            "requests": self.requests,
            "errors": self.errors,
            "error_rate": share(self.errors, self.requests),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
            "costed_requests": self.costed,
            "unknown_cost_requests": self.requests - self.costed,
            "cost_per_request_usd": share(self.cost_usd, self.costed),
            "frontier_cost_usd": self.frontier_cost_usd,
            "savings_usd": self.savings_usd,
            "savings_share": share(self.savings_usd, self.savings_base_usd),
            "successful_requests": self.succeeded,
            "local_requests": self.served_locally,
            "coverage": share(self.served_locally, self.succeeded),
            "escalated_requests": self.escalated,
            "escalation_rate": share(self.escalated, self.routed),
            "latency_ms": {f"p{q}": _ms(percentile(self.latencies_s, q / 100)) for q in (50, 95, 99)},
            "ttft_ms": {f"p{q}": _ms(percentile(self.ttfts_s, q / 100)) for q in (50, 95)},
            "checks": {tier: c.to_dict() for tier, c in sorted(self.checks.items())},
            "feedback_count": len(scores),
            "feedback_mean": sum(scores) / len(scores) if scores else None,
        }
