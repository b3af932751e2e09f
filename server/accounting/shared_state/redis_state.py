"""The Redis backend (`redis://`, `rediss://`, `unix://`): every gateway that names the same Redis enforces one set
of limits. Each operation is one Lua script (redis_scripts.py) sent by EVALSHA, so it is atomic across all
gateways; its times come from Redis's own clock, so the gateways' clocks may differ (the `now` arguments of the
Protocol are the in-process backend's and are ignored here).

Every call waits at most `timeout_s` (connecting included) and is never retried: a failure raises
`SharedStateUnavailable` at once and the caller applies its `on_unreachable` choice. Keys start with `key_prefix`
(`tierd:` by default), so several deployments can share one Redis.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, TypeVar

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from server.accounting.shared_state import redis_scripts as lua
from server.accounting.shared_state.protocol import RATE_WINDOW_S, BucketPolicy, Hold, SharedStateUnavailable

T = TypeVar("T")

DAY_COUNTER_TTL_S = 3 * 86400.0  # a day counter outlives its day (and a gateway's clock near midnight)
MONTH_COUNTER_TTL_S = 35 * 86400.0
REVOKED = "revoked"
BUCKET = "escalation:bucket"


def counter_ttl_s(counter: str) -> float:
    """How long a period counter is kept after its last write: past the end of its period, then it expires."""
    return DAY_COUNTER_TTL_S if ":day:" in counter else MONTH_COUNTER_TTL_S


def display_url(url: str) -> str:
    """The URL without its password (for logs, /health and errors)."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def _optional(value: float | None) -> str:
    return "" if value is None else repr(float(value))


class RedisState:
    """One connection pool to Redis; the scripts are loaded on first use (and again after a Redis restart)."""

    def __init__(self, url: str, *, timeout_s: float, key_prefix: str = "tierd:") -> None:
        self._raw_url = url
        self.timeout_s = timeout_s
        self.prefix = key_prefix
        self._client: aioredis.Redis | None = None
        self._scripts: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return display_url(self._raw_url)

    def _redis(self) -> aioredis.Redis:
        if self._client is None:
            self._client = aioredis.Redis.from_url(
                self._raw_url,
                socket_timeout=self.timeout_s,
                socket_connect_timeout=self.timeout_s,
                retry=Retry(NoBackoff(), 0),  # bounded: the caller decides what a failure means
                decode_responses=True,
            )
            for name, source in (
                ("admit_rate", lua.ADMIT_RATE), ("acquire", lua.ACQUIRE), ("reserve", lua.RESERVE),
                ("settle", lua.SETTLE), ("spent", lua.SPENT), ("seed", lua.SEED), ("bucket", lua.BUCKET),
                ("revoked_since", lua.REVOKED_SINCE),
            ):  # fmt: skip
                self._scripts[name] = self._client.register_script(source)
        return self._client

    async def _bounded(self, operation: str, call: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self.timeout_s):
                return await call
        except (RedisError, OSError, TimeoutError) as exc:
            raise SharedStateUnavailable(f"{operation} on {self.url}: {type(exc).__name__}: {exc}") from exc

    async def _run(self, name: str, keys: Sequence[str], args: Sequence[str | float | int]) -> Any:
        self._redis()
        return await self._bounded(name, self._scripts[name](keys=list(keys), args=list(args)))

    async def start(self) -> None:
        """Opens the pool and checks that Redis answers; an unreachable one is not fatal (the limits follow their
        `on_unreachable` choices until it answers)."""
        await self._bounded("ping", self._redis().ping())

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def ping(self) -> None:
        await self._bounded("ping", self._redis().ping())

    # --- rate and concurrency ------------------------------------------------------------------------

    async def admit_rate(self, key_id: str, per_minute: int, now: float) -> float | None:
        member = uuid.uuid4().hex  # two admissions in the same microsecond stay two
        wait = await self._run("admit_rate", [f"{self.prefix}rate:{key_id}"], [per_minute, RATE_WINDOW_S, member])
        return None if wait is None else float(wait)

    async def acquire(self, key_id: str, limit: int, lease: str, now: float, ttl_s: float) -> bool:
        return bool(await self._run("acquire", [f"{self.prefix}conc:{key_id}"], [limit, lease, ttl_s]))

    async def release(self, key_id: str, lease: str) -> None:
        await self._bounded("release", self._redis().zrem(f"{self.prefix}conc:{key_id}", lease))

    # --- budgets -------------------------------------------------------------------------------------

    async def reserve(
        self, lease: str, holds: Sequence[Hold], amount_usd: float, now: float, ttl_s: float
    ) -> str | None:
        args: list[str | float] = [self.prefix, lease, repr(float(amount_usd)), ttl_s]
        for hold in holds:
            args += [hold.counter, _optional(hold.limit_usd), counter_ttl_s(hold.counter)]
        refused = await self._run("reserve", [], args)
        return None if refused is None else str(refused)

    async def settle(self, lease: str, counters: Sequence[str], cost_usd: float) -> None:
        args: list[str | float] = [self.prefix, lease, repr(max(0.0, float(cost_usd)))]
        for counter in counters:
            args += [counter, counter_ttl_s(counter)]
        await self._run("settle", [], args)

    async def spent(self, counter: str, now: float) -> tuple[float, float]:
        spent, held = await self._run("spent", [], [self.prefix, counter])
        return float(spent), max(0.0, float(held))

    async def seed(self, spent: Mapping[str, float], ttl_s: float) -> None:
        if not spent:
            return
        args: list[str | float] = [self.prefix, ttl_s]
        for counter, usd in spent.items():
            args += [counter, repr(float(usd))]
        await self._run("seed", [], args)

    # --- the escalation bucket -----------------------------------------------------------------------

    async def _bucket(self, op: str, policy: BucketPolicy, usd: float = 0.0) -> bool:
        args: list[str | float] = [
            op, _optional(policy.max_share), policy.burst, _optional(policy.max_usd_per_minute), repr(usd)
        ]  # fmt: skip
        return bool(await self._run("bucket", [f"{self.prefix}{BUCKET}"], args))

    async def earn_escalation(self, policy: BucketPolicy, now: float) -> None:
        await self._bucket("earn", policy)

    async def take_escalation(self, policy: BucketPolicy, now: float) -> bool:
        return await self._bucket("take", policy)

    async def charge_escalation(self, policy: BucketPolicy, usd: float, now: float) -> None:
        await self._bucket("charge", policy, float(usd))

    # --- revocations ---------------------------------------------------------------------------------

    async def announce_revocation(self, key_id: str) -> None:
        await self._bounded("announce_revocation", self._redis().rpush(f"{self.prefix}{REVOKED}", key_id))

    async def revoked_since(self, cursor: int) -> tuple[int, list[str]]:
        reply = await self._run("revoked_since", [f"{self.prefix}{REVOKED}"], [cursor])
        return int(reply[0]), [str(k) for k in reply[1:]]
