"""The shared-state backends against one contract: the in-process one, and Redis (a real private redis-server,
tests/redis_server.py) with two clients standing for two gateways, so every check-and-update is seen racing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import BucketPolicy, Hold, SharedState, SharedStateUnavailable
from server.accounting.shared_state.redis_state import RedisState, display_url
from server.accounting.shared_state.settings import SharedStateSettings
from server.accounting.shared_state.watch import WatchedState, open_shared_state
from tests.redis_server import PrivateRedis, private_redis

DAY = "spend:key:k1:day:2026-12-04"
MONTH = "spend:all:month:2026-12"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path) as server:
        yield server


@pytest.fixture(params=["memory", "redis"])
async def gateways(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[SharedState, SharedState]]:
    """Two gateways' views of one shared state (in-process: the same object twice)."""
    if request.param == "memory":
        state = InProcessState()
        yield state, state
        return
    with private_redis(tmp_path) as server:
        a, b = RedisState(server.url, timeout_s=2), RedisState(server.url, timeout_s=2)
        await a.start()
        await b.start()
        yield a, b
        await a.close()
        await b.close()


async def test_rate_window_is_one_for_both_gateways(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    results = await asyncio.gather(*((a if i % 2 else b).admit_rate("k1", 10, 1000.0) for i in range(30)))
    assert sum(r is None for r in results) == 10
    waits = [r for r in results if r is not None]
    assert all(0 < w <= 60 for w in waits)
    assert await a.admit_rate("k2", 10, 1000.0) is None  # another key has its own window


async def test_concurrency_leases_across_gateways(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    got = await asyncio.gather(*((a if i % 2 else b).acquire("k1", 3, f"lease-{i}", 1000.0, 60) for i in range(8)))
    assert sum(got) == 3
    held = [i for i, ok in enumerate(got) if ok]
    assert await a.acquire("k1", 3, f"lease-{held[0]}", 1000.0, 60)  # re-taking one's own slot is no new slot
    await b.release("k1", f"lease-{held[0]}")
    assert await a.acquire("k1", 3, "lease-new", 1000.0, 60)
    assert not await b.acquire("k1", 3, "lease-other", 1000.0, 60)


async def test_reservations_never_overlap_their_headroom(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    holds = [Hold(DAY, 1.0), Hold(MONTH, None)]
    refused = await asyncio.gather(*((a if i % 2 else b).reserve(f"r{i}", holds, 0.3, 1000.0, 60) for i in range(20)))
    # Admitted while spent + held < 1.0: at 0, 0.3, 0.6 and 0.9 held; overspend is bounded by one reservation.
    assert sum(r is None for r in refused) == 4
    assert {r for r in refused if r is not None} == {DAY}
    winners = [f"r{i}" for i, r in enumerate(refused) if r is None]
    assert await b.spent(DAY, 1000.0) == (0.0, pytest.approx(1.2))
    await a.settle(winners[0], [DAY, MONTH], 0.05)
    spent, held = await b.spent(DAY, 1000.0)
    assert (spent, held) == (pytest.approx(0.05), pytest.approx(0.9))
    assert (await a.spent(MONTH, 1000.0))[0] == pytest.approx(0.05)
    for lease in winners[1:]:
        await b.settle(lease, [DAY, MONTH], 0.0)
    assert await a.spent(DAY, 1000.0) == (pytest.approx(0.05), 0.0)
    assert await a.reserve("again", holds, 0.3, 1000.0, 60) is None


async def test_seeding_twice_or_from_two_gateways_never_doubles(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    ledger = {DAY: 0.4, MONTH: 2.0}
    await asyncio.gather(a.seed(ledger, 3600), b.seed(ledger, 3600))
    assert (await a.spent(DAY, 0.0))[0] == pytest.approx(0.4)
    assert (await b.spent(MONTH, 0.0))[0] == pytest.approx(2.0)
    await a.settle("x", [DAY, MONTH], 0.1)
    await b.seed(ledger, 3600)  # a gateway restarting later: the counter exists, the ledger lags it
    assert (await a.spent(DAY, 0.0))[0] == pytest.approx(0.5)


async def test_escalation_bucket_is_shared(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    policy = BucketPolicy(max_share=0.25, burst=2, max_usd_per_minute=None)
    granted = []
    for i in range(40):
        gateway = a if i % 2 else b
        await gateway.earn_escalation(policy, 0.0)
        granted.append(await gateway.take_escalation(policy, 0.0))
    assert granted[:2] == [True, True]
    assert sum(granted) <= 2 + 0.25 * 40  # as one gateway would allow, not twice that


async def test_money_bucket_refuses_once_charged_beyond_a_minute(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    policy = BucketPolicy(max_share=None, burst=1, max_usd_per_minute=0.06)
    assert await a.take_escalation(policy, 0.0)
    await a.charge_escalation(policy, 0.10, 0.0)  # negative balance: later escalations wait for the refill
    assert not await b.take_escalation(policy, 0.0)


async def test_revocations_reach_the_other_gateway(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    assert await b.revoked_since(0) == (0, [])
    await a.announce_revocation("abc")
    await a.announce_revocation("def")
    cursor, ids = await b.revoked_since(0)
    assert (cursor, ids) == (2, ["abc", "def"])
    assert await b.revoked_since(cursor) == (2, [])


async def test_redis_holds_and_leases_of_a_dead_gateway_expire(redis_server: PrivateRedis) -> None:
    state = RedisState(redis_server.url, timeout_s=2)
    assert await state.reserve("gone", [Hold(DAY, 1.0)], 0.9, 0.0, ttl_s=0.2) is None
    assert await state.acquire("k1", 1, "gone", 0.0, ttl_s=0.2)
    assert await state.reserve("blocked", [Hold(DAY, 0.5)], 0.1, 0.0, ttl_s=60) == DAY
    assert not await state.acquire("k1", 1, "blocked", 0.0, ttl_s=60)
    await asyncio.sleep(0.4)  # past the TTL: the dead gateway's hold and lease are gone
    assert await state.spent(DAY, 0.0) == (0.0, 0.0)
    assert await state.acquire("k1", 1, "next", 0.0, ttl_s=60)
    await state.close()


async def test_redis_seed_raises_a_counter_that_redis_lost(redis_server: PrivateRedis) -> None:
    """Redis restarted empty while gateways settled into fresh counters: the ledger's larger figure wins."""
    state = RedisState(redis_server.url, timeout_s=2)
    await state.settle("x", [DAY], 0.1)
    await state.seed({DAY: 0.7}, 3600)
    assert (await state.spent(DAY, 0.0))[0] == pytest.approx(0.7)
    await state.close()


async def test_redis_keys_are_prefixed_and_expire(redis_server: PrivateRedis) -> None:
    import redis.asyncio as aioredis

    state = RedisState(redis_server.url, timeout_s=2, key_prefix="dep1:")
    await state.admit_rate("k1", 5, 0.0)
    await state.settle("x", [DAY], 0.1)
    raw = aioredis.Redis.from_url(redis_server.url, decode_responses=True)
    keys = sorted(await raw.keys("*"))
    assert keys == ["dep1:rate:k1", f"dep1:spent:{DAY}"]
    assert 0 < await raw.ttl(f"dep1:spent:{DAY}") <= 3 * 86400
    assert 0 < await raw.ttl("dep1:rate:k1") <= 61
    await raw.aclose()
    await state.close()


async def test_unreachable_redis_raises_within_the_timeout_and_is_watched(
    redis_server: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    watched = open_shared_state(SharedStateSettings(url=redis_server.url, timeout_s=0.3))
    await watched.start()
    assert watched.status()["reachable"] and watched.shared
    redis_server.stop()
    for _ in range(3):
        with pytest.raises(SharedStateUnavailable):
            await watched.admit_rate("k1", 5, 0.0)
    with pytest.raises(SharedStateUnavailable):
        await watched.reserve("r", [Hold(DAY, 1.0)], 0.1, 0.0, 60)
    assert watched.errors == {"admit_rate": 3, "reserve": 1}
    assert not watched.status()["reachable"]
    assert sum("unreachable" in r.message for r in caplog.records) == 1  # logged once per outage
    redis_server.start()
    assert await watched.admit_rate("k1", 5, 0.0) is None
    assert watched.status()["reachable"]
    assert sum("reachable again" in r.message for r in caplog.records) == 1
    await watched.close()


async def test_a_gateway_starts_while_redis_is_down(tmp_path: Path) -> None:
    server = PrivateRedis(tmp_path)  # never started
    watched = open_shared_state(SharedStateSettings(url=server.url, timeout_s=0.2))
    await watched.start()  # not fatal
    assert not watched.reachable
    await watched.close()


def test_memory_backend_by_default_and_urls_hide_passwords() -> None:
    watched = open_shared_state(SharedStateSettings())
    assert isinstance(watched, WatchedState) and not watched.shared and watched.url == "memory://"
    assert display_url("redis://:s3cret@redis:6379/0") == "redis://***@redis:6379/0"
    with pytest.raises(ValueError, match=r"shared_state\.url"):
        SharedStateSettings(url="postgres://x")


async def test_a_lease_holds_once(gateways: tuple[SharedState, SharedState]) -> None:
    a, b = gateways
    holds = [Hold(DAY, 1.0)]
    assert await a.reserve("same", holds, 0.3, 1000.0, 60) is None
    assert await b.reserve("same", holds, 0.25, 1000.0, 60) is None  # a retry re-holds, it does not add
    assert await a.spent(DAY, 1000.0) == (0.0, pytest.approx(0.25))
    await b.settle("same", [DAY], 0.1)
    assert await a.spent(DAY, 1000.0) == (pytest.approx(0.1), 0.0)
