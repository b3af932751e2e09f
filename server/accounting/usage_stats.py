"""Pure arithmetic of the usage report: a group's KPIs from its sums, and percentiles.

Sums and counts come from SQL aggregates (server/accounting/usage.py); percentiles are computed here from
the group's latency values, because SQLite has no percentile function and this way both databases give
the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


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

    def add(self, passed: bool, times: int = 1) -> None:
        self.checked += times
        self.passed += times if passed else 0

    def merge(self, other: _CheckCount) -> None:
        self.checked += other.checked
        self.passed += other.passed

    def to_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "passed": self.passed, "pass_rate": share(self.passed, self.checked)}


@dataclass
class _TierChecks:
    overall: _CheckCount = field(default_factory=_CheckCount)
    by_check: dict[str, _CheckCount] = field(default_factory=dict)

    def add(self, passed: bool | None, checks: list[Any] | None, attempts: int) -> None:
        """`attempts` attempts that all had this verdict and these check results."""
        if passed is not None:
            self.overall.add(passed, attempts)
        for result in checks or []:
            if isinstance(result, dict) and isinstance(result.get("check"), str) and "passed" in result:
                self.by_check.setdefault(result["check"], _CheckCount()).add(bool(result["passed"]), attempts)

    def merge(self, other: _TierChecks) -> None:
        self.overall.merge(other.overall)
        for name, count in other.by_check.items():
            self.by_check.setdefault(name, _CheckCount()).merge(count)

    def to_dict(self) -> dict[str, Any]:
        return {**self.overall.to_dict(), "by_check": {k: v.to_dict() for k, v in sorted(self.by_check.items())}}


@dataclass
class GroupFigures:
    """One group's sums (from SQL aggregates), latency samples and check counts; `result()` gives its KPIs."""

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
    feedback_count: int = 0
    feedback_sum: float = 0.0

    SUMS = (
        "requests", "errors", "succeeded", "served_locally", "routed", "escalated", "prompt_tokens",
        "completion_tokens", "cost_usd", "costed", "frontier_cost_usd", "savings_usd", "savings_base_usd",
    )  # fmt: skip

    def add_sums(self, sums: Mapping[Any, Any]) -> None:
        for name in self.SUMS:
            setattr(self, name, getattr(self, name) + (sums[name] or 0))

    def add_checks(self, tier: str, passed: bool | None, checks: list[Any] | None, attempts: int) -> None:
        self.checks.setdefault(tier, _TierChecks()).add(passed, checks, attempts)

    def merge(self, other: GroupFigures) -> None:
        """Fold another group in (totals are the sum of the groups)."""
        for name in self.SUMS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.latencies_s += other.latencies_s
        self.ttfts_s += other.ttfts_s
        for tier, checks in other.checks.items():
            self.checks.setdefault(tier, _TierChecks()).merge(checks)
        self.feedback_count += other.feedback_count
        self.feedback_sum += other.feedback_sum

    def result(self) -> dict[str, Any]:
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
            "feedback_count": self.feedback_count,
            "feedback_mean": share(self.feedback_sum, self.feedback_count),
        }
