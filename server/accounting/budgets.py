"""Budgets, rate and concurrency limits: may this request run, on which tiers, and what it holds meanwhile.

Every limit lives in a SharedState (server/accounting/shared_state/protocol.py), so the same code enforces it
for one gateway (`memory://`) or many (`redis://`). A request goes through three steps:
- admission (server/api/auth.py, before the body is read): its key's requests-per-minute window, then one of
  its key's concurrency slots, then a look at its budgets' headroom (`spent + held >= limit`: exhausted, so
  `on_exhausted` applies before routing). A request refused for its rate or concurrency uses no budget.
- reservation (server/service.py, once the routing decision is known): a hold of the request's worst case
  (server/reservations.py estimates it) on its key's UTC day counter and the deployment's UTC month counter.
  Refused when a counter has no headroom left, so however many requests run at once, a budget ends at most
  one reservation over (the last one admitted before the counter was full), provided no request costs more
  than its estimate.
- settlement (the bookkeeper's listener, once the request has ended, stream or not): the hold is dropped, the
  request's charge (`RequestRecord.charged_usd`: its cost, or an estimate from what it used when the cost is
  unknown) is added, and the concurrency slot is given back.
Counters start from the ledger's figures (`seed`, set-if-absent) and roll over with the UTC day and month.

When a budget is spent, `on_exhausted` says what happens: `reject` (429 insufficient_quota) or
`local_only` (the request runs, but only on local tiers). When the backend cannot be reached,
`shared_state.on_unreachable` says what each limit does (open or closed).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from server.accounting.auth_settings import OnExhausted
from server.accounting.shared_state.protocol import (
    Hold,
    SharedState,
    SharedStateUnavailable,
    counter_names,
    day_counter,
    month_counter,
)
from server.accounting.shared_state.settings import UnreachablePolicy

log = logging.getLogger("tierd.budgets")
# A hold or a concurrency slot outlives any request; only one of a gateway that died is left to expire.
LEASE_TTL_S = 3600.0
# Counters are read for their own period only; kept a little longer than a month.
COUNTER_TTL_S = 35 * 24 * 3600.0
CONCURRENCY_RETRY_AFTER_S = 1.0

Refusal = Literal["insufficient_quota", "rate_limit_exceeded", "shared_state_unavailable"]


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


@dataclass(frozen=True, slots=True)
class Verdict:
    """`refusal` set: answer with that reason; `local_only` set: run on local tiers only, for that reason."""

    refusal: Refusal | None = None
    message: str = ""
    retry_after_s: float | None = None
    local_only: str | None = None

    def retry_after(self) -> int | None:
        """Whole seconds for Retry-After (at least 1)."""
        return max(1, math.ceil(self.retry_after_s)) if self.retry_after_s is not None else None


ADMIT = Verdict()


def _unreachable(what: str) -> Verdict:
    return Verdict(
        "shared_state_unavailable",
        f"tierd cannot reach the store of its {what} (shared_state.url) and is configured to refuse meanwhile "
        "(shared_state.on_unreachable); try again shortly.",
        retry_after_s=1.0,
    )


class Admission:
    """Each request's admission, reservation and settlement against the shared state."""

    def __init__(
        self,
        state: SharedState,
        *,
        monthly_budget_usd: float | None,
        on_exhausted: OnExhausted,
        default_requests_per_minute: int | None = None,
        concurrent_requests_per_key: int | None = None,
        on_unreachable: UnreachablePolicy | None = None,
        has_local_tiers: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.state = state
        self.has_local_tiers = has_local_tiers
        self.monthly_budget_usd = monthly_budget_usd
        self.on_exhausted = on_exhausted
        self.default_requests_per_minute = default_requests_per_minute
        self.concurrent_requests_per_key = concurrent_requests_per_key
        self.on_unreachable = on_unreachable or UnreachablePolicy()
        self._clock = clock

    def _now(self) -> tuple[datetime, float]:
        at = self._clock()
        return at, at.timestamp()

    # --- admission ---------------------------------------------------------------------------

    async def decide(self, key: KeyLimits | None, lease: str) -> Verdict:
        """Rate, then concurrency, then the budgets' headroom. An admitted request holds a concurrency slot
        under `lease` until `release` (settlement does it)."""
        limited = await self._limits(key, lease)
        if limited is not None:
            return limited
        try:
            spent = await self.exhausted(key)
        except SharedStateUnavailable:
            log.warning("shared state unreachable: budgets are %s", self.on_unreachable.budgets)
            return ADMIT if self.on_unreachable.budgets == "open" else self._budgets_unknown()
        verdict = ADMIT if spent is None else self._spent_verdict(spent)
        if verdict.refusal is not None and key is not None:
            await self.release(key.key_id, lease)
        return verdict

    async def _limits(self, key: KeyLimits | None, lease: str) -> Verdict | None:
        if key is None:
            return None
        _, now = self._now()
        concurrent = self.concurrent_requests_per_key
        try:
            limited = await self._rate(key, now)
            if limited is not None:
                return limited
            if concurrent is not None and not await self.state.acquire(key.key_id, concurrent, lease, now, LEASE_TTL_S):
                return Verdict(
                    "rate_limit_exceeded",
                    f"Rate limit reached for key {key.name!r} on concurrent requests: limit {concurrent} in "
                    "flight (streams count until their end). Please try again when one has finished.",
                    retry_after_s=CONCURRENCY_RETRY_AFTER_S,
                )
        except SharedStateUnavailable:
            log.warning("shared state unreachable: rate limits are %s", self.on_unreachable.rate_limits)
            if self.on_unreachable.rate_limits == "closed":
                return _unreachable("rate limits")
        return None

    async def _rate(self, key: KeyLimits, now: float) -> Verdict | None:
        """Count one request in the key's rpm window, or its refusal. Raises SharedStateUnavailable."""
        per_minute = key.requests_per_minute or self.default_requests_per_minute
        if per_minute is None:
            return None
        wait = await self.state.admit_rate(key.key_id, per_minute, now)
        if wait is None:
            return None
        return Verdict(
            "rate_limit_exceeded",
            f"Rate limit reached for key {key.name!r} on requests per minute (RPM): limit {per_minute}. "
            f"Please try again in {wait:.0f}s.",
            retry_after_s=wait,
        )

    async def rate_only(self, key: KeyLimits | None) -> Verdict:
        """The rpm check alone (endpoints that spend nothing), with the rate limits' unreachable choice."""
        if key is None:
            return ADMIT
        try:
            return await self._rate(key, self._now()[1]) or ADMIT
        except SharedStateUnavailable:
            log.warning("shared state unreachable: rate limits are %s", self.on_unreachable.rate_limits)
            return _unreachable("rate limits") if self.on_unreachable.rate_limits == "closed" else ADMIT

    def _spent_verdict(self, spent: str) -> Verdict:
        if self.on_exhausted == "local_only":
            return Verdict(local_only=spent)
        return Verdict(
            "insufficient_quota",
            f"You exceeded your current quota: {spent}. Requests are refused until it resets.",
        )

    def _budgets_unknown(self) -> Verdict:
        """Budgets closed while their store is unreachable: local tiers only, or 503 when there are none."""
        if self.has_local_tiers:
            return Verdict(local_only="the budgets cannot be checked (their store, shared_state.url, is unreachable)")
        return _unreachable("budgets")

    def _holds(self, key: KeyLimits | None, at: datetime, *, counted_only: bool) -> list[Hold]:
        day, month = counter_names(key.key_id if key else None, at)
        daily = key.daily_budget_usd if key is not None and not counted_only else None
        return [Hold(day, daily), Hold(month, None if counted_only else self.monthly_budget_usd)]

    async def _describe(self, counter: str, key: KeyLimits | None, at: datetime) -> str:
        spent, held = await self.state.spent(counter, at.timestamp())
        figures = f"${spent:.6f} spent" + (f" and ${held:.6f} held by requests in flight" if held else "")
        if counter == month_counter(at):
            return f"the monthly budget of this tierd (${self.monthly_budget_usd:g}) is spent ({figures})"
        name = key.name if key is not None else "-"
        daily = key.daily_budget_usd if key is not None else None
        return f"the daily budget of key {name!r} (${daily:g}) is spent ({figures} today, UTC)"

    async def exhausted(self, key: KeyLimits | None) -> str | None:
        """Which budget has no headroom left (spent and held), in words, or None. Raises SharedStateUnavailable."""
        at, now = self._now()
        for hold in self._holds(key, at, counted_only=False):
            if hold.limit_usd is None:
                continue
            spent, held = await self.state.spent(hold.counter, now)
            if spent + held >= hold.limit_usd:
                return await self._describe(hold.counter, key, at)
        return None

    # --- reservation and settlement -------------------------------------------------------------

    async def reserve(self, key: KeyLimits | None, lease: str, amount_usd: float, *, local_only: bool) -> Verdict:
        """Hold `amount_usd` on the request's counters; a refusal (or local_only) when one has no headroom.
        A request already kept local is counted but never refused."""
        if not local_only and (key is None or key.daily_budget_usd is None) and self.monthly_budget_usd is None:
            return ADMIT  # no budget to hold against: settlement alone keeps the counters
        at, now = self._now()
        try:
            full = await self.state.reserve(
                lease, self._holds(key, at, counted_only=local_only), amount_usd, now, LEASE_TTL_S
            )
            if full is None:
                return ADMIT
            return self._spent_verdict(await self._describe(full, key, at))
        except SharedStateUnavailable:
            log.warning("shared state unreachable: budgets are %s", self.on_unreachable.budgets)
            return ADMIT if self.on_unreachable.budgets == "open" or local_only else self._budgets_unknown()

    async def settle(self, key_id: str | None, lease: str, at: datetime, charge_usd: float) -> None:
        """Drop the request's hold and add its charge to the counters of the day and month it started."""
        try:
            await self.state.settle(lease, counter_names(key_id, at), max(0.0, charge_usd))
        except SharedStateUnavailable:
            # The ledger keeps the row; counters that expire are seeded from it again.
            log.warning("request %s: its charge of $%.6f could not reach the shared state", lease, charge_usd)

    async def release(self, key_id: str, lease: str) -> None:
        try:
            await self.state.release(key_id, lease)
        except SharedStateUnavailable:
            log.warning("request %s: its concurrency slot could not be released (it expires)", lease)


def seed_from(spend_since: Callable[[datetime], Mapping[str | None, float]], now: datetime) -> dict[str, float]:
    """The counters of today and this month, from a ledger query of spend per key since a time."""
    today = {day_counter(key_id, now): usd for key_id, usd in spend_since(day_start(now)).items()}
    return {**today, month_counter(now): sum(spend_since(month_start(now)).values())}
