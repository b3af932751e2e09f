"""The contract of a shared-state backend. Every operation is atomic across all gateways that share the backend:
a check and its update happen as one step (the in-process backend runs on one event loop; Redis runs each
operation as one Lua script), so N gateways admitting at once never see the same headroom twice.

Budgets work by holds, as card payments do: admission *reserves* a worst-case amount against every counter the
request counts in (its key's day, the whole deployment's month) and is refused when a counter has no headroom
left (`spent + held >= limit`); when the request ends it *settles*: the hold is dropped and the real cost added.
So overspend is bounded by one reservation per counter, whatever the parallelism. Holds and concurrency leases
carry a TTL, so a gateway that dies mid-request does not leak them forever.

Times: the `now` arguments are the caller's clock, used by the in-process backend; Redis reads its own clock
(`TIME`) inside each script instead, because the clocks of different gateways differ.

Counters are named by their period (`counter_names`), so a new UTC day or month starts from zero by itself and
old counters expire. A counter is *seeded* from the ledger when it does not exist yet (`seed`, set-if-absent): a
restarted gateway, or a second one, never adds the ledger's spend twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

RATE_WINDOW_S = 60.0


class SharedStateUnavailable(Exception):
    """The backend could not be reached or did not answer in time; the caller applies its documented choice."""


@dataclass(frozen=True, slots=True)
class Hold:
    """One counter a reservation counts in, and its limit (None: counted, never refused)."""

    counter: str
    limit_usd: float | None


@dataclass(frozen=True, slots=True)
class BucketPolicy:
    """The escalation bucket (server/escalation/policy.py): a share of requests plus a dollars-per-minute refill."""

    max_share: float | None
    burst: float
    max_usd_per_minute: float | None


def day_counter(key_id: str | None, at: datetime) -> str:
    return f"spend:key:{key_id or '-'}:day:{at:%Y-%m-%d}"


def month_counter(at: datetime) -> str:
    return f"spend:all:month:{at:%Y-%m}"


def counter_names(key_id: str | None, at: datetime) -> tuple[str, str]:
    """The counters a request started at `at` counts in: its key's UTC day and the deployment's UTC month."""
    return day_counter(key_id, at), month_counter(at)


class SharedState(Protocol):
    """A shared-state backend. Methods raise `SharedStateUnavailable` when the backend cannot answer."""

    @property
    def url(self) -> str:
        """Where the state lives, without credentials (for logs, /health and errors)."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    # Rate: a sliding window of the last RATE_WINDOW_S seconds of admitted requests, per key (exact).
    async def admit_rate(self, key_id: str, per_minute: int, now: float) -> float | None:
        """Count one request in `key_id`'s window, or return the seconds until one would be admitted."""
        ...

    # Concurrency: leases per key, each dropped by `release` or after `ttl_s`.
    async def acquire(self, key_id: str, limit: int, lease: str, now: float, ttl_s: float) -> bool:
        """Take one of `key_id`'s `limit` slots for `lease`; False when all are taken."""
        ...

    async def release(self, key_id: str, lease: str) -> None: ...

    # Budgets: holds and settlement against period counters.
    async def reserve(
        self, lease: str, holds: Sequence[Hold], amount_usd: float, now: float, ttl_s: float
    ) -> str | None:
        """Hold `amount_usd` on every counter of `holds`, all or none; the name of the first counter without
        headroom (nothing held), or None."""
        ...

    async def settle(self, lease: str, counters: Sequence[str], cost_usd: float) -> None:
        """Drop `lease`'s hold (if any) and add `cost_usd` to each counter."""
        ...

    async def spent(self, counter: str, now: float) -> tuple[float, float]:
        """(settled spend, currently held) of a counter."""
        ...

    async def seed(self, spent: Mapping[str, float], ttl_s: float) -> None:
        """Set each counter to its ledger figure unless it already exists."""
        ...

    # The escalation bucket, shared by the deployment.
    async def earn_escalation(self, policy: BucketPolicy, now: float) -> None:
        """A checked request adds `max_share` of an escalation to the bucket."""
        ...

    async def take_escalation(self, policy: BucketPolicy, now: float) -> bool:
        """Take one escalation (share token and a positive dollar balance), or refuse."""
        ...

    async def charge_escalation(self, policy: BucketPolicy, usd: float, now: float) -> None:
        """Book an escalated attempt's cost against the dollar balance (it may go negative: later ones wait)."""
        ...

    # Key revocation: announced to every gateway (they also re-read the key table as a fallback).
    async def announce_revocation(self, key_id: str) -> None: ...

    async def revoked_since(self, cursor: int) -> tuple[int, list[str]]:
        """(the new cursor, the key ids revoked after `cursor`); 0: none seen yet."""
        ...
