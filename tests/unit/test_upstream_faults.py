"""Upstream faults over real HTTP on loopback: a body that drops mid-read, Retry-After, a total deadline, bodies
and events past their size caps, and mid-stream failures feeding the replica's circuit breaker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from tests.loopback import http_client, serving_posts
from tiers.base import (
    TierKind,
    UpstreamError,
    UpstreamMalformed,
    UpstreamTimeout,
    UpstreamTooLarge,
    UpstreamUnavailable,
)
from tiers.breaker import BreakerPolicy
from tiers.http_upstream import HttpClient, HttpEndpoint, ResponseLimits, Timeouts, retry_after_s
from tiers.openai_remote import RetryingEndpoint
from tiers.pool import ReplicaTier
from tiers.replicas import RemoteReplica

OK = {"id": "x", "object": "chat.completion", "choices": []}
CHUNK = b'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
ERROR_EVENT = b'data: {"error": {"message": "engine died", "type": "server_error", "code": 500}}\n\n'
DONE = b"data: [DONE]\n\n"
Behaviour = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _ok(request: web.Request) -> web.StreamResponse:
    return web.json_response(OK)


async def _busy_then_retry_after(request: web.Request) -> web.StreamResponse:
    error = {"error": {"message": "slow down", "type": "rate_limit_error", "code": None}}
    return web.json_response(error, status=429, headers={"Retry-After": "0.2"})


async def _drop_mid_body(request: web.Request) -> web.StreamResponse:
    """Headers and half a body, then the connection goes: the request was processed (and billed)."""
    response = web.StreamResponse(status=200, headers={"Content-Length": "1000", "Content-Type": "application/json"})
    await response.prepare(request)
    await response.write(b'{"id": "x", "choices": [')
    assert request.transport is not None
    request.transport.close()
    return response


async def _trickle(request: web.Request) -> web.StreamResponse:
    """A byte every 50 ms, forever: never silent for long, never done."""
    response = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    while True:
        await response.write(b": keep-alive\n\n")
        await asyncio.sleep(0.05)


async def _big_body(request: web.Request) -> web.StreamResponse:
    return web.json_response({**OK, "pad": "x" * 50_000})


async def _big_event(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    await response.write(CHUNK)
    for _ in range(20):  # one event that never ends
        await response.write(b"data: " + b"x" * 10_000)
    return response


def _stream_of(*events: bytes) -> Behaviour:
    async def behaviour(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for event in events:
            await response.write(event)
        await response.write_eof()
        return response

    return behaviour


class Scripted:
    """Answers each POST with the next behaviour of its script (a plain 200 once it runs out)."""

    def __init__(self) -> None:
        self.script: list[Behaviour] = []
        self.calls = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.calls += 1
        behaviour = self.script.pop(0) if self.script else _ok
        return await behaviour(request)


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[Scripted, str]]:
    scripted = Scripted()
    async with serving_posts(scripted.handle) as base:
        yield scripted, base


@pytest.fixture
async def client() -> AsyncIterator[HttpClient]:
    async with http_client() as http:
        yield http


def _frontier(client: HttpClient, base: str, **kwargs: Any) -> RetryingEndpoint:
    return RetryingEndpoint(client, base, replica_id="frontier-0", backoff_s=0.01, **kwargs)


async def _read_all(endpoint: HttpEndpoint) -> bytes:
    async with endpoint.open_stream("/chat/completions", {}, "r") as stream:
        return b"".join([chunk async for chunk in stream.iter_bytes()])


async def test_a_body_that_drops_mid_read_is_not_retried(upstream: tuple[Scripted, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [_drop_mid_body, _ok]
    with pytest.raises(UpstreamUnavailable):
        await _frontier(client, base, max_retries=3).post_json("/chat/completions", {}, "r")
    assert scripted.calls == 1  # the API processed it: a retry would bill it twice


async def test_retry_after_is_honoured(upstream: tuple[Scripted, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [_busy_then_retry_after]
    endpoint = _frontier(client, base, max_retries=1)
    endpoint.backoff_s = 60.0  # without Retry-After the wait would be this: the test would not end
    response = await endpoint.post_json("/chat/completions", {}, "r")
    assert response.status == 200 and scripted.calls == 2


async def test_a_retry_after_past_the_deadline_is_not_waited_for(
    upstream: tuple[Scripted, str], client: HttpClient
) -> None:
    scripted, base = upstream
    scripted.script = [_busy_then_retry_after, _ok]
    endpoint = _frontier(client, base, max_retries=3, timeouts=Timeouts(total_s=0.1))
    with pytest.raises(UpstreamError) as info:
        await endpoint.post_json("/chat/completions", {}, "r")
    assert info.value.status == 429 and info.value.retry_after_s == pytest.approx(0.2)
    assert scripted.calls == 1


async def test_a_retry_after_above_the_cap_waits_only_the_cap(
    upstream: tuple[Scripted, str], client: HttpClient
) -> None:
    scripted, base = upstream
    scripted.script = [_busy_then_retry_after]
    response = await _frontier(client, base, max_retries=1, retry_after_max_s=0.0).post_json("/x", {}, "r")
    assert response.status == 200 and scripted.calls == 2


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_s({"retry-after": "3"}) == 3.0
    assert retry_after_s({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert retry_after_s({"retry-after": "soon"}) is None
    assert retry_after_s({}) is None


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
async def test_an_upstream_that_trickles_forever_hits_the_total_deadline(
    upstream: tuple[Scripted, str], client: HttpClient, stream: bool
) -> None:
    scripted, base = upstream
    scripted.script = [_trickle]
    endpoint = HttpEndpoint(client, base, replica_id="t-0", timeouts=Timeouts(read_s=10, total_s=0.5))
    with pytest.raises(UpstreamTimeout):
        await (_read_all(endpoint) if stream else endpoint.post_json("/chat/completions", {}, "r"))


async def test_a_body_over_the_cap_is_refused(upstream: tuple[Scripted, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [_big_body]
    endpoint = HttpEndpoint(client, base, replica_id="t-0", limits=ResponseLimits(max_body_bytes=10_000))
    with pytest.raises(UpstreamTooLarge) as info:
        await endpoint.post_json("/chat/completions", {}, "r")
    assert info.value.code == "upstream_response_too_large"
    assert (await endpoint.post_json("/chat/completions", {}, "r")).status == 200  # the next call is fine


async def test_an_event_over_the_cap_ends_the_stream(upstream: tuple[Scripted, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [_big_event]
    endpoint = HttpEndpoint(client, base, replica_id="t-0", limits=ResponseLimits(max_event_bytes=50_000))
    with pytest.raises(UpstreamTooLarge):
        await _read_all(endpoint)


async def test_many_small_events_are_not_one_big_one(upstream: tuple[Scripted, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [_stream_of(*[CHUNK] * 500, DONE)]
    endpoint = HttpEndpoint(client, base, replica_id="t-0", limits=ResponseLimits(max_event_bytes=1024))
    assert (await _read_all(endpoint)).count(b"data:") == 501


def _one_replica_tier(client: HttpClient, base: str) -> ReplicaTier:
    replica = RemoteReplica("t-0", HttpEndpoint(client, base, replica_id="t-0"))
    policy = BreakerPolicy(failures_to_open=2, backoff_s=60)
    return ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", [replica], breaker=policy)


async def _stream_through(tier: ReplicaTier) -> bytes:
    async with tier.open_stream("/chat/completions", {}, "r") as stream:
        return b"".join([chunk async for chunk in stream.iter_bytes()])


FAILED_STREAMS = {
    "an error event after the 200": lambda: _stream_of(CHUNK, ERROR_EVENT, DONE),
    "an error event split across reads": lambda: _stream_of(CHUNK + ERROR_EVENT[:9], ERROR_EVENT[9:], DONE),
}


@pytest.mark.parametrize("name", list(FAILED_STREAMS))
async def test_streams_that_fail_after_their_200_open_the_breaker(
    upstream: tuple[Scripted, str], client: HttpClient, name: str
) -> None:
    scripted, base = upstream
    tier = _one_replica_tier(client, base)
    scripted.script = [FAILED_STREAMS[name](), FAILED_STREAMS[name]()]
    for _ in range(2):
        assert b'"error"' in await _stream_through(tier)
    assert tier.replicas[0].breaker.state == "open"


async def test_a_stream_whose_read_fails_mid_way_counts_against_the_breaker(
    upstream: tuple[Scripted, str], client: HttpClient
) -> None:
    scripted, base = upstream
    tier = _one_replica_tier(client, base)
    scripted.script = [_big_event, _big_event]  # the replica's own cap stands in for any read that fails
    tier.replicas[0].endpoint.limits = ResponseLimits(max_event_bytes=1024)
    for _ in range(2):
        with pytest.raises(UpstreamTooLarge):
            await _stream_through(tier)
    assert tier.replicas[0].breaker.state == "open"


async def test_whole_streams_keep_the_breaker_closed(upstream: tuple[Scripted, str], client: HttpClient) -> None:
    scripted, base = upstream
    tier = _one_replica_tier(client, base)
    scripted.script = [_stream_of(CHUNK, ERROR_EVENT, DONE), _stream_of(CHUNK, DONE), _stream_of(CHUNK, ERROR_EVENT)]
    for _ in range(3):
        await _stream_through(tier)
    assert tier.replicas[0].breaker.state == "closed"  # failure, success (resets), failure: never two in a row


async def _slowloris(request: web.Request) -> web.StreamResponse:
    """Headers at once, then one byte every 20 ms of a body (or an event) that never completes."""
    response = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    await response.write(CHUNK)
    while True:
        await response.write(b"d")
        await asyncio.sleep(0.02)


async def _slow_but_whole_events(request: web.Request) -> web.StreamResponse:
    """Whole events, with pauses longer than trickle_s between them (a slow decoder, not a slowloris)."""
    response = web.StreamResponse(status=200, headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    for _ in range(3):
        await response.write(CHUNK)
        await asyncio.sleep(0.3)
    await response.write(DONE)
    await response.write_eof()
    return response


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
async def test_a_slowloris_upstream_is_cut_after_trickle_s(
    upstream: tuple[Scripted, str], client: HttpClient, stream: bool
) -> None:
    """Bytes keep coming, so read_s (silence) never fires, and total_s is far: trickle_s bounds one piece."""
    scripted, base = upstream
    scripted.script = [_slowloris]
    endpoint = HttpEndpoint(client, base, replica_id="t-0", timeouts=Timeouts(read_s=10, total_s=600, trickle_s=0.2))
    with pytest.raises(UpstreamTimeout, match=r"0\.2 s"):
        await (_read_all(endpoint) if stream else endpoint.post_json("/chat/completions", {}, "r"))


async def test_pauses_between_whole_events_are_not_a_trickle(
    upstream: tuple[Scripted, str], client: HttpClient
) -> None:
    scripted, base = upstream
    scripted.script = [_slow_but_whole_events]
    endpoint = HttpEndpoint(client, base, replica_id="t-0", timeouts=Timeouts(read_s=10, trickle_s=0.1))
    assert (await _read_all(endpoint)).endswith(DONE)


@pytest.mark.parametrize(
    "body", [b"<html>oops</html>", b"[1, 2]", b'"text"', b""], ids=["html", "list", "str", "empty"]
)
async def test_a_200_that_is_not_a_json_object_is_a_malformed_answer_and_not_retried(
    upstream: tuple[Scripted, str], client: HttpClient, body: bytes
) -> None:
    """Relayed, it would reach the client as a 200 it cannot parse; retried, a remote API may bill it twice."""
    scripted, base = upstream

    async def answer(request: web.Request) -> web.StreamResponse:
        return web.Response(status=200, body=body, content_type="application/json")

    scripted.script = [answer]
    with pytest.raises(UpstreamMalformed, match="not a JSON object"):
        await _frontier(client, base, max_retries=3).post_json("/chat/completions", {}, "r")
    assert scripted.calls == 1


def _two_replica_tier(client: HttpClient, base: str, kind: TierKind) -> ReplicaTier:
    replicas = [RemoteReplica(f"t-{i}", HttpEndpoint(client, base, replica_id=f"t-{i}")) for i in range(2)]
    return ReplicaTier("t", kind, "m", replicas, breaker=BreakerPolicy(failures_to_open=5, backoff_s=60))


async def test_a_local_replica_that_dies_mid_answer_is_replaced_by_another(
    upstream: tuple[Scripted, str], client: HttpClient
) -> None:
    """A killed vLLM breaks its connections before answering: a local tier resends to the next replica (it
    bills nothing and the client has seen nothing), so in-flight requests survive a replica's death."""
    scripted, base = upstream
    scripted.script = [_drop_mid_body, _ok]
    tier = _two_replica_tier(client, base, TierKind.VLLM_ATTACHED)
    response = await tier.post_json("/chat/completions", {}, "r", replica_id="t-0")
    assert (response.status, response.replica_id, scripted.calls) == (200, "t-1", 2)


async def test_a_remote_replica_that_drops_mid_answer_is_not_sent_again(
    upstream: tuple[Scripted, str], client: HttpClient
) -> None:
    scripted, base = upstream
    scripted.script = [_drop_mid_body, _ok]
    tier = _two_replica_tier(client, base, TierKind.OPENAI_REMOTE)
    with pytest.raises(UpstreamUnavailable):
        await tier.post_json("/chat/completions", {}, "r", replica_id="t-0")
    assert scripted.calls == 1  # processed once, billed once
