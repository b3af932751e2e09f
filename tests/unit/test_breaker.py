"""The per-replica circuit breaker (stepped with a hand clock), the pool that consults it, and
the scraped load in replica snapshots."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.loopback import http_client, serving_posts
from tiers.base import TierKind, UpstreamConnectError, UpstreamError, UpstreamUnavailable
from tiers.breaker import BreakerPolicy, CircuitBreaker
from tiers.http_upstream import HttpClient, HttpEndpoint
from tiers.load import ReplicaLoad
from tiers.pool import LoadWatch, ReplicaTier, metrics_url
from tiers.replicas import RemoteReplica
from tiers.vllm_engine import free_port


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(BreakerPolicy(failures_to_open=3, backoff_s=5, backoff_max_s=12), clock)


def test_consecutive_failures_open_it_and_a_success_resets_the_count() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert str(breaker.state) == "closed" and breaker.allow()
    breaker.record_failure()
    assert str(breaker.state) == "open" and not breaker.allow()


def test_half_open_lets_one_probe_through_after_the_backoff() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now += 4.9
    assert str(breaker.state) == "open" and not breaker.allow()
    clock.now += 0.1
    assert str(breaker.state) == "half-open"
    assert breaker.allow()
    assert not breaker.allow()  # the probe is in flight: nobody else
    breaker.record_success()
    assert str(breaker.state) == "closed" and breaker.allow()


def test_a_failed_probe_reopens_with_a_doubled_capped_backoff() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    for _ in range(3):
        breaker.record_failure()
    for backoff in (10, 12, 12):  # 5 doubled, then capped at 12
        clock.now += 100
        assert breaker.allow()
        breaker.record_failure()
        clock.now += backoff - 0.1
        assert str(breaker.state) == "open"
        clock.now += 0.1
        assert str(breaker.state) == "half-open"


def test_a_cancelled_probe_frees_the_slot() -> None:
    clock = Clock()
    breaker = _breaker(clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now += 5
    assert breaker.allow() and not breaker.allow()
    breaker.release()
    assert breaker.allow()


def test_metrics_url_drops_the_api_suffix() -> None:
    assert metrics_url("http://h:1/v1") == "http://h:1/metrics"
    assert metrics_url("http://h:1/") == "http://h:1/metrics"


@pytest.fixture
async def client() -> AsyncIterator[HttpClient]:
    async with http_client() as http:
        yield http


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[list[int], str]]:
    """Answers each POST with the next status in the script (200 once it runs out)."""
    script: list[int] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        status = script.pop(0) if script else 200
        if request.path.endswith("/slow"):
            await asyncio.sleep(1)
        return web.json_response({"ok": status}, status=status)

    async with serving_posts(handle) as base:
        yield script, base


async def test_pool_sends_to_the_chosen_replica(upstream: tuple[list[int], str], client: HttpClient) -> None:
    _, base = upstream
    replicas = [RemoteReplica(f"t-{i}", HttpEndpoint(client, base, replica_id=f"t-{i}")) for i in range(3)]
    tier = ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", replicas)
    for _ in range(3):
        assert (await tier.post_json("/chat/completions", {}, "r", replica_id="t-2")).replica_id == "t-2"
        async with tier.open_stream("/chat/completions", {}, "r", replica_id="t-1") as stream:
            assert stream.replica_id == "t-1"


async def test_pool_opens_the_breaker_of_a_failing_replica(upstream: tuple[list[int], str], client: HttpClient) -> None:
    script, base = upstream
    policy = BreakerPolicy(failures_to_open=2, backoff_s=3600)
    replicas = [RemoteReplica(f"t-{i}", HttpEndpoint(client, base, replica_id=f"t-{i}")) for i in range(2)]
    tier = ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", replicas, breaker=policy)
    script += [500, 400, 503]  # 400 is the client's fault: an answer, so it resets the count
    for _ in range(3):
        with pytest.raises(UpstreamError):
            await tier.post_json("/chat/completions", {}, "r", replica_id="t-0")
    assert [r.breaker.state for r in tier.replicas] == ["closed", "closed"]
    script += [502]
    with pytest.raises(UpstreamError):
        await tier.post_json("/chat/completions", {}, "r", replica_id="t-0")
    assert tier.snapshot().replicas[0].breaker == "open" and not tier.snapshot().replicas[0].routable
    # The chosen replica's breaker is open: the request goes to the other one.
    assert (await tier.post_json("/chat/completions", {}, "r", replica_id="t-0")).replica_id == "t-1"


async def test_unreachable_replicas_open_their_breakers(client: HttpClient) -> None:
    dead = [HttpEndpoint(client, f"http://127.0.0.1:{free_port()}/v1", replica_id=f"t-{i}") for i in range(2)]
    tier = ReplicaTier(
        "t",
        TierKind.VLLM_ATTACHED,
        "m",
        [RemoteReplica(e.replica_id, e) for e in dead],
        breaker=BreakerPolicy(failures_to_open=1, backoff_s=3600),
    )
    with pytest.raises(UpstreamConnectError):
        await tier.post_json("/chat/completions", {}, "r")
    assert not tier.snapshot().ready
    with pytest.raises(UpstreamUnavailable, match="no ready replica"):
        await tier.post_json("/chat/completions", {}, "r")


async def test_pool_frees_the_probe_of_a_cancelled_request(upstream: tuple[list[int], str], client: HttpClient) -> None:
    script, base = upstream
    replica = RemoteReplica("t-0", HttpEndpoint(client, base, replica_id="t-0"))
    tier = ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", [replica], breaker=BreakerPolicy(1, backoff_s=0.0))
    script.append(500)
    with pytest.raises(UpstreamError):
        await tier.post_json("/chat/completions", {}, "r")
    probe = asyncio.create_task(tier.post_json("/slow", {}, "r"))
    await asyncio.sleep(0.2)
    assert str(replica.breaker.state) == "half-open" and not replica.breaker.allow()
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe
    assert replica.breaker.allow()


def test_snapshots_drop_stale_load_and_keep_rates_across_scrapes() -> None:
    replica = RemoteReplica("t-0", HttpEndpoint(HttpClient(), "http://127.0.0.1:1/v1", replica_id="t-0"))
    tier = ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", [replica], load_watch=LoadWatch(HttpClient(), 1.0, 5.0))
    replica.record_load(ReplicaLoad(100.0, 1, 0, 0.1, 0, 0, 0))
    replica.in_flight = 3
    replica.record_load(ReplicaLoad(102.0, 2, 1, 0.2, 100, 300, 4))
    fresh = tier.snapshot(now=106.0).replicas[0]
    assert fresh.load is not None and fresh.load.waiting == 1 and fresh.in_flight_at_load == 3
    assert fresh.rates is not None and fresh.rates.generation_tokens_per_s == 150 and fresh.rates.requests_per_s == 2
    stale = tier.snapshot(now=107.5).replicas[0]
    assert stale.load is None and stale.rates is None  # older than load_max_age_s: unknown
    replica.record_load(ReplicaLoad(108.0, 0, 0, 0.0, 0, 0, 0))  # counters reset: the replica restarted
    assert replica.rates is None
