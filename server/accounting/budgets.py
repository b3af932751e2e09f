"""Budgets and rate limits: may this request run, and on which tiers. Pure logic with an injected clock.

- A key's daily budget counts the dollars of its requests since 00:00 UTC; the global monthly budget
  counts every request (with or without a key) since the 1st of the month, 00:00 UTC.
- Spend is seeded at startup from the ledger and grows as each request finishes (`SpendBook.record`,
  a listener of finished requests); a request's cost covers every attempt, escalations included.
  So a request admitted just before the budget is crossed runs to its end, and the budget may end a
  little overspent by the requests that were in flight: they are allowed to finish, and the next one
  is refused (or kept local).
- Requests per minute: a sliding window of the last 60 seconds per key (exact, and bounded: at most
  `rpm` timestamps are kept per key). A request refused for its rate uses no budget.

When a budget is spent, `on_exhausted` says what happens: `reject` (429 insufficient_quota) or
`local_only` (the request runs, but only on local tiers, which cost no API money).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from server.accounting.auth_settings import OnExhausted

WINDOW_S = 60.0


def day_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def month_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class KeyLimits:
    """What a request's key may do; None for no limit."""

    key_id: str
    name: str
    daily_budget_usd: float | None = None
    requests_per_minute: int | None = None


class SpendBook:
    """Dollars spent today per key and this month in total, reset when the UTC day or month turns."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        now = clock()
        self._day: date = now.date()
        self._month: tuple[int, int] = (now.year, now.month)
        self._today: dict[str | None, float] = {}
        self._this_month = 0.0

    def _roll(self, now: datetime) -> None:
        if now.date() != self._day:
            self._day, self._today = now.date(), {}
        if (now.year, now.month) != self._month:
            self._month, self._this_month = (now.year, now.month), 0.0

    def seed(self, today: Mapping[str | None, float], this_month: float) -> None:
        """Spend so far (from the ledger, as of the clock's current day and month)."""
        self._roll(self._clock())
        self._today = dict(today)
        self._this_month = this_month

    def record(self, key_id: str | None, cost_usd: float | None, at: datetime | None = None) -> None:
        """A finished request's cost (None: unknown, counted as nothing)."""
        at = at or self._clock()
        self._roll(self._clock())
        if not cost_usd or cost_usd < 0:
            return
        if at.date() == self._day:
            self._today[key_id] = self._today.get(key_id, 0.0) + cost_usd
        if (at.year, at.month) == self._month:
            self._this_month += cost_usd

    def key_today(self, key_id: str | None) -> float:
        self._roll(self._clock())
        return self._today.get(key_id, 0.0)

    def month(self) -> float:
        self._roll(self._clock())
        return self._this_month


@dataclass(slots=True)
class RateLimiter:
    """A sliding one-minute window of admitted requests per key."""

    clock: Callable[[], datetime]
    _admitted: dict[str, deque[float]] = field(default_factory=dict)

    def try_admit(self, key_id: str, per_minute: int) -> float | None:
        """Admit (and count) one request, or return the seconds until one would be admitted."""
        now = self.clock().timestamp()
        window = self._admitted.setdefault(key_id, deque())
        while window and now - window[0] >= WINDOW_S:
            window.popleft()
        while len(window) > per_minute:  # the limit was lowered
            window.popleft()
        if len(window) >= per_minute:
            return max(0.0, WINDOW_S - (now - window[0]))
        window.append(now)
        return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """`refusal` set: answer 429; `local_only` set: run on local tiers only, for that reason."""

    refusal: Literal["insufficient_quota", "rate_limit_exceeded"] | None = None
    message: str = ""
    retry_after_s: float | None = None
    local_only: str | None = None


ADMIT = Verdict()


class Admission:
    """Decides each request from its key's limits, the spend so far and the policy."""

    def __init__(
        self,
        spend: SpendBook,
        rates: RateLimiter,
        *,
        monthly_budget_usd: float | None,
        on_exhausted: OnExhausted,
        default_requests_per_minute: int | None = None,
    ) -> None:
        self.spend = spend
        self.rates = rates
        self.monthly_budget_usd = monthly_budget_usd
        self.on_exhausted = on_exhausted
        self.default_requests_per_minute = default_requests_per_minute

    def exhausted(self, key: KeyLimits | None) -> str | None:
        """Which budget is spent, in words, or None."""
        if key is not None and key.daily_budget_usd is not None:
            spent = self.spend.key_today(key.key_id)
            if spent >= key.daily_budget_usd:
                return (
                    f"the daily budget of key {key.name!r} (${key.daily_budget_usd:g}) is spent "
                    f"(${spent:.6f} today, UTC)"
                )
        if self.monthly_budget_usd is not None:
            spent = self.spend.month()
            if spent >= self.monthly_budget_usd:
                return f"the monthly budget of this tierd (${self.monthly_budget_usd:g}) is spent (${spent:.6f})"
        return None

    def decide(self, key: KeyLimits | None) -> Verdict:
        per_minute = (key.requests_per_minute or self.default_requests_per_minute) if key is not None else None
        if key is not None and per_minute is not None:
            wait = self.rates.try_admit(key.key_id, per_minute)
            if wait is not None:
                return Verdict(
                    "rate_limit_exceeded",
                    f"Rate limit reached for key {key.name!r} on requests per minute (RPM): limit {per_minute}. "
                    f"Please try again in {wait:.0f}s.",
                    retry_after_s=wait,
                )
        spent = self.exhausted(key)
        if spent is None:
            return ADMIT
        if self.on_exhausted == "local_only":
            return Verdict(local_only=spent)
        return Verdict(
            "insufficient_quota",
            f"You exceeded your current quota: {spent}. Requests are refused until it resets.",
        )


def seed_from(
    spend_since: Callable[[datetime], Mapping[str | None, float]], now: datetime
) -> tuple[dict[str | None, float], float]:
    """(today's spend per key, this month's total) from a ledger query of spend per key since a time."""
    today = dict(spend_since(day_start(now)))
    month = sum(spend_since(month_start(now)).values())
    return today, month
