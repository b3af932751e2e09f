"""Open the backend a URL names, and watch it: each outage is logged once (and its end once), failed operations
are counted per operation for `tierd_shared_state_errors_total{operation}`, and `status()` feeds /health."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import BucketPolicy, Hold, SharedState, SharedStateUnavailable
from server.accounting.shared_state.settings import SharedStateSettings

log = logging.getLogger("tierd.shared_state")
T = TypeVar("T")


def _memory(settings: SharedStateSettings) -> SharedState:
    return InProcessState()


def _redis(settings: SharedStateSettings) -> SharedState:
    from server.accounting.shared_state.redis_state import RedisState  # only deployments that name Redis load it

    return RedisState(settings.url, timeout_s=settings.timeout_s, key_prefix=settings.key_prefix)


BACKENDS: Mapping[str, Callable[[SharedStateSettings], SharedState]] = {
    "memory": _memory,
    "redis": _redis,
    "rediss": _redis,
    "unix": _redis,
}


def open_shared_state(settings: SharedStateSettings) -> WatchedState:
    """The backend `settings.url` names by its scheme (nothing connects before `start`)."""
    scheme = settings.url.split("://", 1)[0]
    return WatchedState(BACKENDS[scheme](settings), shared=scheme != "memory")


@dataclass(slots=True)
class WatchedState:
    """A SharedState that logs, counts and remembers its backend's failures; it raises them on unchanged."""

    backend: SharedState
    shared: bool  # False for memory:// (this gateway alone; it cannot be unreachable)
    errors: dict[str, int] = field(default_factory=dict)
    reachable: bool = True
    unreachable_since: float | None = None
    last_error: str | None = None

    @property
    def url(self) -> str:
        return self.backend.url

    def status(self) -> dict[str, Any]:
        """For /v1/tiers (admins; /health shows only `shared` and `reachable`): where it lives, whether it answers."""
        return {
            "url": self.url,
            "shared": self.shared,
            "reachable": self.reachable,
            "unreachable_for_s": None if self.unreachable_since is None else time.time() - self.unreachable_since,
            "last_error": self.last_error,
            "errors": sum(self.errors.values()),
        }

    async def _watched(self, operation: str, call: Awaitable[T]) -> T:
        try:
            result = await call
        except SharedStateUnavailable as exc:
            self.errors[operation] = self.errors.get(operation, 0) + 1
            self.last_error = str(exc)
            if self.reachable:
                self.reachable, self.unreachable_since = False, time.time()
                log.warning(
                    "shared state %s unreachable (%s): each limit follows shared_state.on_unreachable until it "
                    "answers again",
                    self.url,
                    exc,
                )
            raise
        if not self.reachable:
            down_s = time.time() - (self.unreachable_since or time.time())
            log.warning("shared state %s reachable again after %.1f s", self.url, down_s)
            self.reachable, self.unreachable_since = True, None
        return result

    async def start(self) -> None:
        # Not fatal: logged by _watched; the limits follow their on_unreachable choices meanwhile.
        with contextlib.suppress(SharedStateUnavailable):
            await self._watched("start", self.backend.start())

    async def close(self) -> None:
        await self.backend.close()

    async def admit_rate(self, key_id: str, per_minute: int, now: float) -> float | None:
        return await self._watched("admit_rate", self.backend.admit_rate(key_id, per_minute, now))

    async def acquire(self, key_id: str, limit: int, lease: str, now: float, ttl_s: float) -> bool:
        return await self._watched("acquire", self.backend.acquire(key_id, limit, lease, now, ttl_s))

    async def release(self, key_id: str, lease: str) -> None:
        await self._watched("release", self.backend.release(key_id, lease))

    async def reserve(
        self, lease: str, holds: Sequence[Hold], amount_usd: float, now: float, ttl_s: float
    ) -> str | None:
        return await self._watched("reserve", self.backend.reserve(lease, holds, amount_usd, now, ttl_s))

    async def settle(self, lease: str, counters: Sequence[str], cost_usd: float) -> None:
        await self._watched("settle", self.backend.settle(lease, counters, cost_usd))

    async def spent(self, counter: str, now: float) -> tuple[float, float]:
        return await self._watched("spent", self.backend.spent(counter, now))

    async def seed(self, spent: Mapping[str, float], ttl_s: float) -> None:
        await self._watched("seed", self.backend.seed(spent, ttl_s))

    async def earn_escalation(self, policy: BucketPolicy, now: float) -> None:
        await self._watched("earn_escalation", self.backend.earn_escalation(policy, now))

    async def take_escalation(self, policy: BucketPolicy, now: float) -> bool:
        return await self._watched("take_escalation", self.backend.take_escalation(policy, now))

    async def charge_escalation(self, policy: BucketPolicy, usd: float, now: float) -> None:
        await self._watched("charge_escalation", self.backend.charge_escalation(policy, usd, now))

    async def announce_revocation(self, key_id: str) -> None:
        await self._watched("announce_revocation", self.backend.announce_revocation(key_id))

    async def revoked_since(self, cursor: int) -> tuple[int, list[str]]:
        return await self._watched("revoked_since", self.backend.revoked_since(cursor))
