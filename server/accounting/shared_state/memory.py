"""The in-process backend (`memory://`): the default for a single gateway. Every method runs on the event loop
without awaiting in between, so each check-and-update is atomic there. Nothing survives a restart; budget
counters are re-seeded from the ledger at start."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from server.accounting.shared_state.protocol import RATE_WINDOW_S, BucketPolicy, Hold


@dataclass(slots=True)
class _Reservation:
    amount_usd: float
    counters: tuple[str, ...]
    expires_at: float


@dataclass(slots=True)
class _Bucket:
    share_tokens: float | None = None  # None: not started (it starts full, at `burst`)
    usd: float | None = None
    usd_at: float = 0.0


@dataclass(slots=True)
class InProcessState:
    url: str = "memory://"
    _rates: dict[str, deque[float]] = field(default_factory=dict)
    _leases: dict[str, dict[str, float]] = field(default_factory=dict)  # key -> lease -> expiry
    _spent: dict[str, float] = field(default_factory=dict)
    _held: dict[str, float] = field(default_factory=dict)
    _reservations: dict[str, _Reservation] = field(default_factory=dict)
    _bucket: _Bucket = field(default_factory=_Bucket)
    _revoked: list[str] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def admit_rate(self, key_id: str, per_minute: int, now: float) -> float | None:
        window = self._rates.setdefault(key_id, deque())
        while window and now - window[0] >= RATE_WINDOW_S:
            window.popleft()
        while len(window) > per_minute:  # the limit was lowered
            window.popleft()
        if len(window) >= per_minute:
            return max(0.0, RATE_WINDOW_S - (now - window[0]))
        window.append(now)
        return None

    async def acquire(self, key_id: str, limit: int, lease: str, now: float, ttl_s: float) -> bool:
        leases = self._leases.setdefault(key_id, {})
        for stale in [name for name, expiry in leases.items() if expiry <= now]:
            del leases[stale]
        if len(leases) >= limit and lease not in leases:
            return False
        leases[lease] = now + ttl_s
        return True

    async def release(self, key_id: str, lease: str) -> None:
        self._leases.get(key_id, {}).pop(lease, None)

    def _expire_holds(self, now: float) -> None:
        for lease in [name for name, r in self._reservations.items() if r.expires_at <= now]:
            self._drop(lease)

    def _drop(self, lease: str) -> None:
        reservation = self._reservations.pop(lease, None)
        if reservation is None:
            return
        for counter in reservation.counters:
            self._held[counter] = max(0.0, self._held.get(counter, 0.0) - reservation.amount_usd)

    async def reserve(
        self, lease: str, holds: Sequence[Hold], amount_usd: float, now: float, ttl_s: float
    ) -> str | None:
        self._expire_holds(now)
        for hold in holds:
            if hold.limit_usd is None:
                continue
            if self._spent.get(hold.counter, 0.0) + self._held.get(hold.counter, 0.0) >= hold.limit_usd:
                return hold.counter
        self._drop(lease)  # a lease holds once
        counters = tuple(h.counter for h in holds)
        for counter in counters:
            self._held[counter] = self._held.get(counter, 0.0) + amount_usd
        self._reservations[lease] = _Reservation(amount_usd, counters, now + ttl_s)
        return None

    async def settle(self, lease: str, counters: Sequence[str], cost_usd: float) -> None:
        self._drop(lease)
        for counter in counters:
            self._spent[counter] = self._spent.get(counter, 0.0) + cost_usd

    async def spent(self, counter: str, now: float) -> tuple[float, float]:
        self._expire_holds(now)
        return self._spent.get(counter, 0.0), self._held.get(counter, 0.0)

    async def seed(self, spent: Mapping[str, float], ttl_s: float) -> None:
        for counter, usd in spent.items():
            self._spent.setdefault(counter, usd)

    def _refill(self, policy: BucketPolicy, now: float) -> _Bucket:
        bucket = self._bucket
        if bucket.share_tokens is None:
            bucket.share_tokens = policy.burst
        if policy.max_usd_per_minute is not None:
            if bucket.usd is None:
                bucket.usd, bucket.usd_at = policy.max_usd_per_minute, now
            rate = policy.max_usd_per_minute / 60
            bucket.usd = min(policy.max_usd_per_minute, bucket.usd + (now - bucket.usd_at) * rate)
            bucket.usd_at = now
        return bucket

    async def earn_escalation(self, policy: BucketPolicy, now: float) -> None:
        bucket = self._refill(policy, now)
        if policy.max_share is not None and bucket.share_tokens is not None:
            bucket.share_tokens = min(policy.burst, bucket.share_tokens + policy.max_share)

    async def take_escalation(self, policy: BucketPolicy, now: float) -> bool:
        bucket = self._refill(policy, now)
        share_ok = policy.max_share is None or (bucket.share_tokens or 0.0) >= 1.0
        usd_ok = policy.max_usd_per_minute is None or (bucket.usd or 0.0) > 0
        if not (share_ok and usd_ok):
            return False
        if policy.max_share is not None and bucket.share_tokens is not None:
            bucket.share_tokens -= 1.0
        return True

    async def charge_escalation(self, policy: BucketPolicy, usd: float, now: float) -> None:
        bucket = self._refill(policy, now)
        if policy.max_usd_per_minute is not None and bucket.usd is not None:
            bucket.usd -= usd

    async def announce_revocation(self, key_id: str) -> None:
        self._revoked.append(key_id)

    async def revoked_since(self, cursor: int) -> tuple[int, list[str]]:
        return len(self._revoked), self._revoked[cursor:]
