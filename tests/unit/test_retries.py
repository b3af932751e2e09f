"""Retries (frontier client, replica pool) against a scripted OpenAI-compatible server on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.loopback import http_client, serving_posts
from tiers.base import TierKind, UpstreamError, UpstreamTimeout
from tiers.http_upstream import HttpClient, HttpEndpoint, Timeouts
from tiers.openai_remote import RetryingEndpoint
from tiers.pool import ReplicaTier
from tiers.replicas import RemoteReplica
from tiers.vllm_engine import free_port

OK = {"id": "x", "object": "chat.completion", "choices": []}


class ScriptedUpstream:
    """Answers each POST with the next status in its script (200 once it runs out)."""

    def __init__(self) -> None:
        self.script: list[int] = []
        self.calls = 0
        self.auth: list[str] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.calls += 1
        self.auth.append(request.headers.get("authorization", ""))
        status = self.script.pop(0) if self.script else 200
        if status == 200:
            if request.path.endswith("/slow"):
                await asyncio.sleep(2)
            return web.json_response(OK)
        return web.json_response({"error": {"message": f"scripted {status}", "type": "x", "code": None}}, status=status)


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[ScriptedUpstream, str]]:
    scripted = ScriptedUpstream()
    async with serving_posts(scripted.handle) as base:
        yield scripted, base


@pytest.fixture
async def client() -> AsyncIterator[HttpClient]:
    async with http_client() as http:
        yield http


def _endpoint(client: HttpClient, base: str, **kwargs: object) -> RetryingEndpoint:
    return RetryingEndpoint(client, base, replica_id="frontier-0", api_key="sk-1", backoff_s=0.01, **kwargs)  # type: ignore[arg-type]


async def test_retries_429_and_5xx_then_succeeds(upstream: tuple[ScriptedUpstream, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [429, 503]
    response = await _endpoint(client, base, max_retries=2).post_json("/chat/completions", {}, "req-1")
    assert response.status == 200 and scripted.calls == 3
    assert scripted.auth == ["Bearer sk-1"] * 3


async def test_gives_up_after_max_retries(upstream: tuple[ScriptedUpstream, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [503, 503, 503]
    with pytest.raises(UpstreamError) as info:
        await _endpoint(client, base, max_retries=1).post_json("/chat/completions", {}, "req-1")
    assert info.value.status == 503 and scripted.calls == 2
    assert info.value.body == {"error": {"message": "scripted 503", "type": "x", "code": None}}


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_a_status_after_which_the_request_may_have_run_is_not_retried(
    upstream: tuple[ScriptedUpstream, str], client: HttpClient, status: int
) -> None:
    """A 5xx other than 503 may come after the API processed (and billed) the request: a retry could bill twice."""
    scripted, base = upstream
    scripted.script = [status]
    with pytest.raises(UpstreamError) as info:
        await _endpoint(client, base, max_retries=3).post_json("/chat/completions", {}, "req-1")
    assert info.value.status == status and scripted.calls == 1


async def test_client_errors_are_not_retried(upstream: tuple[ScriptedUpstream, str], client: HttpClient) -> None:
    scripted, base = upstream
    scripted.script = [400]
    with pytest.raises(UpstreamError) as info:
        await _endpoint(client, base, max_retries=3).post_json("/chat/completions", {}, "req-1")
    assert info.value.status == 400 and scripted.calls == 1


async def test_streams_are_retried_before_the_first_byte(
    upstream: tuple[ScriptedUpstream, str], client: HttpClient
) -> None:
    scripted, base = upstream
    scripted.script = [503]
    async with _endpoint(client, base, max_retries=1).open_stream("/chat/completions", {}, "req-1") as stream:
        body = b"".join([chunk async for chunk in stream.iter_bytes()])
    assert b"chat.completion" in body and scripted.calls == 2


async def test_timeouts_are_not_retried(upstream: tuple[ScriptedUpstream, str], client: HttpClient) -> None:
    scripted, base = upstream
    endpoint = _endpoint(client, base, max_retries=3, timeouts=Timeouts(connect_s=1, read_s=0.2))
    with pytest.raises(UpstreamTimeout):
        await endpoint.post_json("/slow", {}, "req-1")
    assert scripted.calls == 1


async def test_pool_skips_a_replica_it_cannot_connect_to(
    upstream: tuple[ScriptedUpstream, str], client: HttpClient
) -> None:
    scripted, base = upstream
    dead = HttpEndpoint(client, f"http://127.0.0.1:{free_port()}/v1", replica_id="t-0")
    live = HttpEndpoint(client, base, replica_id="t-1")
    tier = ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", [RemoteReplica("t-0", dead), RemoteReplica("t-1", live)])
    for _ in range(2):  # the pool rotates its first choice: both orders are exercised
        assert (await tier.post_json("/chat/completions", {}, "r")).replica_id == "t-1"
        async with tier.open_stream("/chat/completions", {}, "r") as stream:
            assert stream.replica_id == "t-1"
    assert scripted.calls == 4
    assert all(r.in_flight == 0 for r in tier.replicas)


async def test_pool_does_not_resend_a_request_that_reached_a_replica(
    upstream: tuple[ScriptedUpstream, str], client: HttpClient
) -> None:
    scripted, base = upstream
    scripted.script = [500]
    replicas = [RemoteReplica(f"t-{i}", HttpEndpoint(client, base, replica_id=f"t-{i}")) for i in range(2)]
    tier = ReplicaTier("t", TierKind.VLLM_ATTACHED, "m", replicas)
    with pytest.raises(UpstreamError):
        await tier.post_json("/chat/completions", {}, "r")
    assert scripted.calls == 1
