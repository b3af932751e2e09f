"""Budgets and rate limits with an injected clock: UTC day and month resets, the rpm window, the policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.accounting.budgets import Admission, KeyLimits, RateLimiter, SpendBook, seed_from


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _admission(
    clock: Clock, *, monthly: float | None = None, policy: str = "reject", rpm: int | None = None
) -> Admission:
    return Admission(
        SpendBook(clock),
        RateLimiter(clock),
        monthly_budget_usd=monthly,
        on_exhausted=policy,  # type: ignore[arg-type]
        default_requests_per_minute=rpm,
    )


ALICE = KeyLimits("k1", "alice", daily_budget_usd=1.0)


def test_daily_budget_resets_at_utc_midnight() -> None:
    clock = Clock(datetime(2026, 11, 28, 23, 50, tzinfo=UTC))
    admission = _admission(clock)
    assert admission.decide(ALICE).refusal is None
    admission.spend.record("k1", 0.6)
    assert admission.decide(ALICE).refusal is None
    admission.spend.record("k1", 0.6)  # a request in flight when the budget crossed: counted, not undone
    verdict = admission.decide(ALICE)
    assert verdict.refusal == "insufficient_quota"
    assert "daily budget of key 'alice'" in verdict.message
    # Another key's budget is its own.
    assert admission.decide(KeyLimits("k2", "bob", daily_budget_usd=1.0)).refusal is None
    clock.advance(minutes=10)  # 00:00 UTC
    assert admission.spend.key_today("k1") == 0.0
    assert admission.decide(ALICE).refusal is None


def test_monthly_budget_counts_every_key_and_resets_on_the_first() -> None:
    clock = Clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    admission = _admission(clock, monthly=2.0)
    admission.spend.record("k1", 0.9)
    admission.spend.record(None, 0.9)  # without a key (auth off)
    assert admission.decide(None).refusal is None
    admission.spend.record("k2", 0.3)
    verdict = admission.decide(None)
    assert verdict.refusal == "insufficient_quota" and "monthly budget" in verdict.message
    assert admission.decide(ALICE).refusal == "insufficient_quota"
    clock.advance(days=1)  # December 1st
    assert admission.spend.month() == 0.0
    assert admission.decide(None).refusal is None


def test_unknown_costs_count_as_nothing_and_late_records_of_yesterday_do_not_count_today() -> None:
    clock = Clock(datetime(2026, 11, 28, 0, 0, 5, tzinfo=UTC))
    book = SpendBook(clock)
    book.record("k1", None)
    book.record("k1", 0.5, at=datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC))
    assert book.key_today("k1") == 0.0
    assert book.month() == 0.5


def test_local_only_policy_keeps_the_request_and_names_the_budget() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock, policy="local_only")
    admission.spend.record("k1", 1.0)
    verdict = admission.decide(ALICE)
    assert verdict.refusal is None
    assert verdict.local_only is not None and "alice" in verdict.local_only


def test_rpm_is_a_sliding_minute() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    admission = _admission(clock)
    key = KeyLimits("k1", "alice", requests_per_minute=2)
    assert admission.decide(key).refusal is None
    clock.advance(seconds=20)
    assert admission.decide(key).refusal is None
    clock.advance(seconds=10)
    third = admission.decide(key)
    assert third.refusal == "rate_limit_exceeded"
    assert third.retry_after_s == 30.0  # the first request leaves the window at 60 s
    clock.advance(seconds=30)
    assert admission.decide(key).refusal is None
    assert admission.decide(key).refusal == "rate_limit_exceeded"  # the second is still in the window
    # Other keys have their own window; keys without a limit take the configured default.
    assert admission.decide(KeyLimits("k2", "bob", requests_per_minute=2)).refusal is None
    defaulted = _admission(clock, rpm=1)
    assert defaulted.decide(KeyLimits("k3", "carol")).refusal is None
    assert defaulted.decide(KeyLimits("k3", "carol")).refusal == "rate_limit_exceeded"


def test_seed_from_the_ledger_splits_today_and_the_month() -> None:
    now = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    ledger = {
        datetime(2026, 11, 28, tzinfo=UTC): {"k1": 0.4},
        datetime(2026, 11, 1, tzinfo=UTC): {"k1": 1.0, None: 2.0},
    }
    today, month = seed_from(ledger.__getitem__, now)
    assert (today, month) == ({"k1": 0.4}, 3.0)
    clock = Clock(now)
    admission = _admission(clock, monthly=3.0)
    admission.spend.seed(today, month)
    assert admission.decide(KeyLimits("k1", "alice", daily_budget_usd=0.4)).refusal == "insufficient_quota"
    assert "monthly" in admission.decide(None).message
