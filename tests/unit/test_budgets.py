"""Budgets, rate and concurrency limits over the in-process shared state, with an injected clock: UTC day and
month resets, the rpm window, concurrency slots, holds and settlement, the policy, and the backend's outages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from server.accounting.budgets import Admission, KeyLimits, seed_from
from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import Hold, SharedStateUnavailable, day_counter, month_counter
from server.accounting.shared_state.settings import UnreachablePolicy


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _admission(
    clock: Clock,
    *,
    monthly: float | None = None,
    policy: str = "reject",
    rpm: int | None = None,
    concurrent: int | None = None,
    state: InProcessState | None = None,
    unreachable: UnreachablePolicy | None = None,
) -> Admission:
    return Admission(
        state or InProcessState(),
        monthly_budget_usd=monthly,
        on_exhausted=policy,  # type: ignore[arg-type]
        default_requests_per_minute=rpm,
        concurrent_requests_per_key=concurrent,
        on_unreachable=unreachable,
        clock=clock,
    )


ALICE = KeyLimits("k1", "alice", daily_budget_usd=1.0)


async def test_daily_budget_resets_at_utc_midnight() -> None:
    clock = Clock(datetime(2026, 11, 28, 23, 50, tzinfo=UTC))
    admission = _admission(clock)
    assert (await admission.decide(ALICE, "r1")).refusal is None
    await admission.settle("k1", "r1", clock(), 0.6)
    assert (await admission.decide(ALICE, "r2")).refusal is None
    await admission.settle("k1", "r2", clock(), 0.6)  # a request in flight when the budget crossed: counted
    verdict = await admission.decide(ALICE, "r3")
    assert verdict.refusal == "insufficient_quota"
    assert "daily budget of key 'alice'" in verdict.message and "$1.200000 spent" in verdict.message
    # Another key's budget is its own.
    assert (await admission.decide(KeyLimits("k2", "bob", daily_budget_usd=1.0), "r4")).refusal is None
    clock.advance(minutes=10)  # 00:00 UTC: a new day's counter
    assert (await admission.decide(ALICE, "r5")).refusal is None


async def test_monthly_budget_counts_every_key_and_resets_on_the_first() -> None:
    clock = Clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    admission = _admission(clock, monthly=2.0)
    await admission.settle("k1", "a", clock(), 0.9)
    await admission.settle(None, "b", clock(), 0.9)  # without a key (auth off)
    assert (await admission.decide(None, "c")).refusal is None
    await admission.settle("k2", "d", clock(), 0.3)
    verdict = await admission.decide(None, "e")
    assert verdict.refusal == "insufficient_quota" and "monthly budget" in verdict.message
    assert (await admission.decide(ALICE, "f")).refusal == "insufficient_quota"
    clock.advance(days=1)  # December 1st
    assert (await admission.decide(None, "g")).refusal is None


async def test_a_late_record_of_yesterday_counts_on_yesterday() -> None:
    clock = Clock(datetime(2026, 11, 28, 0, 0, 5, tzinfo=UTC))
    admission = _admission(clock, monthly=10.0)
    await admission.settle("k1", "r", datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC), 1.5)
    assert (await admission.decide(ALICE, "next")).refusal is None  # today's counter is empty
    assert await admission.state.spent(month_counter(clock()), 0) == (1.5, 0.0)


async def test_local_only_policy_keeps_the_request_and_names_the_budget() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock, policy="local_only")
    await admission.settle("k1", "r", clock(), 1.0)
    verdict = await admission.decide(ALICE, "r2")
    assert verdict.refusal is None
    assert verdict.local_only is not None and "alice" in verdict.local_only


async def test_rpm_is_a_sliding_minute() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock)
    key = KeyLimits("k1", "alice", requests_per_minute=2)
    assert (await admission.decide(key, "1")).refusal is None
    clock.advance(seconds=20)
    assert (await admission.decide(key, "2")).refusal is None
    clock.advance(seconds=10)
    third = await admission.decide(key, "3")
    assert third.refusal == "rate_limit_exceeded"
    assert third.retry_after_s == 30.0  # the first request leaves the window at 60 s
    clock.advance(seconds=30)
    assert (await admission.decide(key, "4")).refusal is None
    assert (await admission.decide(key, "5")).refusal == "rate_limit_exceeded"  # the second is still in the window
    # Other keys have their own window; keys without a limit take the configured default.
    assert (await admission.decide(KeyLimits("k2", "bob", requests_per_minute=2), "6")).refusal is None
    defaulted = _admission(clock, rpm=1)
    assert (await defaulted.decide(KeyLimits("k3", "carol"), "7")).refusal is None
    assert (await defaulted.decide(KeyLimits("k3", "carol"), "8")).refusal == "rate_limit_exceeded"


async def test_concurrency_slots_are_held_until_released_and_refusals_hold_none() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock, concurrent=2)
    key = KeyLimits("k1", "alice")
    assert [(await admission.decide(key, lease)).refusal for lease in ("a", "b", "c")] == [
        None,
        None,
        "rate_limit_exceeded",
    ]
    refused = await admission.decide(key, "d")
    assert "concurrent requests: limit 2" in refused.message and refused.retry_after() == 1
    assert (await admission.decide(KeyLimits("k2", "bob"), "e")).refusal is None  # another key's slots
    await admission.release("k1", "a")
    assert (await admission.decide(key, "f")).refusal is None
    # A request refused for its budget gives its slot back at once.
    spent = _admission(clock, concurrent=1)
    await spent.settle("k1", "old", clock(), 5.0)
    assert (await spent.decide(ALICE, "g")).refusal == "insufficient_quota"
    await spent.settle("k1", "old2", clock(), -5.0)  # a negative charge is none: the budget stays spent
    assert (await spent.decide(KeyLimits("k1", "alice"), "h")).refusal is None  # the slot was free


async def test_rate_refusals_use_no_budget() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock, rpm=1)
    key = KeyLimits("k1", "alice", daily_budget_usd=1.0)
    assert (await admission.decide(key, "1")).refusal is None
    for lease in ("2", "3", "4"):
        assert (await admission.decide(key, lease)).refusal == "rate_limit_exceeded"
    assert await admission.state.spent(day_counter("k1", clock()), clock().timestamp()) == (0.0, 0.0)


async def test_holds_refuse_once_spent_and_held_reach_the_limit_and_settle_to_the_real_cost() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock, monthly=100.0)
    assert (await admission.reserve(ALICE, "r1", 0.6, local_only=False)).refusal is None
    assert (await admission.reserve(ALICE, "r2", 0.6, local_only=False)).refusal is None  # 0.6 < 1.0: admitted
    third = await admission.reserve(ALICE, "r3", 0.6, local_only=False)
    assert third.refusal == "insufficient_quota" and "held by requests in flight" in third.message
    assert (await admission.decide(ALICE, "r4")).refusal == "insufficient_quota"  # admission sees holds too
    await admission.settle("k1", "r1", clock(), 0.1)  # the real cost replaces the hold
    await admission.settle("k1", "r2", clock(), 0.2)
    now = clock().timestamp()
    assert await admission.state.spent(day_counter("k1", clock()), now) == (pytest.approx(0.3), 0.0)
    assert (await admission.reserve(ALICE, "r5", 0.6, local_only=False)).refusal is None
    # Kept local: counted, never refused.
    assert (await admission.reserve(ALICE, "r6", 5.0, local_only=True)).refusal is None
    assert (await admission.state.spent(day_counter("k1", clock()), now))[1] == pytest.approx(5.6)


async def test_parallel_reservations_overspend_by_at_most_one_reservation() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock)
    key = KeyLimits("k1", "alice", daily_budget_usd=1.0)
    reservation = 0.3
    admitted = [
        lease
        for lease in (f"r{i}" for i in range(20))
        if (await admission.reserve(key, lease, reservation, local_only=False)).refusal is None
    ]
    for lease in admitted:  # each costs its whole reservation
        await admission.settle("k1", lease, clock(), reservation)
    spent, held = await admission.state.spent(day_counter("k1", clock()), clock().timestamp())
    assert held == 0.0 and spent <= 1.0 + reservation and len(admitted) == 4


class Unreachable(InProcessState):
    async def admit_rate(self, key_id: str, per_minute: int, now: float) -> float | None:
        raise SharedStateUnavailable("down")

    async def spent(self, counter: str, now: float) -> tuple[float, float]:
        raise SharedStateUnavailable("down")

    async def reserve(
        self, lease: str, holds: Sequence[Hold], amount_usd: float, now: float, ttl_s: float
    ) -> str | None:
        raise SharedStateUnavailable("down")

    async def seed(self, spent: Mapping[str, float], ttl_s: float) -> None:
        raise SharedStateUnavailable("down")


async def test_an_unreachable_backend_follows_on_unreachable() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    key = KeyLimits("k1", "alice", daily_budget_usd=1.0, requests_per_minute=5)
    # Default: rate limits open, budgets closed (kept local whatever on_exhausted says, 503 with nothing local).
    default = _admission(clock, state=Unreachable())
    verdict = await default.decide(key, "r")
    assert verdict.refusal is None and verdict.local_only is not None and "unreachable" in verdict.local_only
    assert (await default.reserve(key, "r", 1.0, local_only=True)).refusal is None
    assert (await default.reserve(key, "r", 1.0, local_only=False)).local_only is not None
    remote_only = _admission(clock, state=Unreachable())
    remote_only.has_local_tiers = False
    assert (await remote_only.reserve(key, "r", 1.0, local_only=False)).refusal == "shared_state_unavailable"
    closed = UnreachablePolicy(rate_limits="closed", budgets="open")
    strict = _admission(clock, state=Unreachable(), unreachable=closed)
    refused = await strict.decide(key, "r")
    assert refused.refusal == "shared_state_unavailable" and refused.retry_after() == 1
    assert (await strict.decide(None, "r")).refusal is None  # no key: no rate limit; budgets open
    assert (await strict.reserve(key, "r", 1.0, local_only=False)).refusal is None


def test_seed_from_the_ledger_names_todays_and_this_months_counters() -> None:
    now = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    ledger = {
        datetime(2026, 11, 28, tzinfo=UTC): {"k1": 0.4},
        datetime(2026, 11, 1, tzinfo=UTC): {"k1": 1.0, None: 2.0},
    }
    assert seed_from(ledger.__getitem__, now) == {day_counter("k1", now): 0.4, month_counter(now): 3.0}


async def test_seeded_counters_refuse_and_a_second_seed_adds_nothing() -> None:
    clock = Clock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    admission = _admission(clock, monthly=3.0)
    counters = {day_counter("k1", clock()): 0.4, month_counter(clock()): 3.0}
    await admission.state.seed(counters, 3600)
    await admission.state.seed(counters, 3600)  # a second gateway, or a restart: set-if-absent
    assert (await admission.decide(KeyLimits("k1", "alice", daily_budget_usd=0.4), "r")).refusal == (
        "insufficient_quota"
    )
    assert "monthly" in (await admission.decide(None, "s")).message
    assert await admission.state.spent(month_counter(clock()), 0) == (3.0, 0.0)
