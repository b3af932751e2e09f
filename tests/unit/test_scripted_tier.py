"""tiers/scripted.py keeps the promises of the Tier protocol that the gateway can observe."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tiers.base import ReplicaStatus, Tier, TierKind, UpstreamError, UpstreamUnavailable
from tiers.scripted import ScriptedTier, chat_response, chat_stream


def _answer(path: str, body: dict[str, Any]) -> Any:
    if body.get("stream"):
        return chat_stream(["a", "b"], body, prompt_tokens=2, completion_tokens=2)
    return chat_response("ab", prompt_tokens=2, completion_tokens=2)


async def test_post_json_forwards_under_its_model_and_counts_in_flight() -> None:
    seen_in_flight: list[int] = []
    tier: Tier

    async def handler(path: str, body: dict[str, Any]) -> dict[str, Any]:
        seen_in_flight.append(tier.snapshot().replicas[0].in_flight)
        await asyncio.sleep(0)
        return chat_response("hi", prompt_tokens=3, completion_tokens=1)

    tier = scripted = ScriptedTier("tier-1", "m-1", handler)
    response = await tier.post_json("/chat/completions", {"model": "auto", "messages": []}, "req-1")
    assert (response.status, response.replica_id) == (200, "tier-1-0")
    assert json.loads(response.body)["usage"]["total_tokens"] == 4
    assert seen_in_flight == [1] and tier.snapshot().replicas[0].in_flight == 0
    assert scripted.requests == [("/chat/completions", {"model": "m-1", "messages": []})]
    assert scripted.request_ids == ["req-1"]
    snapshot = tier.snapshot()
    assert snapshot.ready and snapshot.local and snapshot.replicas[0].status is ReplicaStatus.READY


async def test_errors_returned_or_raised_are_raised() -> None:
    returned = ScriptedTier("t", "m", lambda path, body: UpstreamError(400, "bad"))
    with pytest.raises(UpstreamError, match="bad"):
        await returned.post_json("/chat/completions", {}, "req-1")

    def raising(path: str, body: dict[str, Any]) -> Any:
        raise UpstreamUnavailable("down")

    with pytest.raises(UpstreamUnavailable):
        async with ScriptedTier("t", "m", raising).open_stream("/chat/completions", {"stream": True}, "req-2"):
            pass  # pragma: no cover - the error comes before the stream opens


async def test_a_stream_appends_done_once_and_closing_it_early_is_a_cancel() -> None:
    tier = ScriptedTier("t", "m", _answer, replicas=2)
    async with tier.open_stream("/chat/completions", {"stream": True}, "req-1", "t-1") as stream:
        assert stream.replica_id == "t-1"
        assert [r.in_flight for r in tier.snapshot().replicas] == [0, 1]
        chunks = [chunk async for chunk in stream.iter_bytes()]
    assert chunks[-1] == b"data: [DONE]\n\n" and chunks.count(b"data: [DONE]\n\n") == 1
    assert json.loads(chunks[1][6:])["choices"][0]["delta"] == {"content": "a"}
    assert tier.cancelled == 0

    scripted_done = ScriptedTier("t", "m", lambda path, body: [b"data: {}\n\n", b"data: [DONE]\n\n"])
    async with scripted_done.open_stream("/completions", {}, "req-2") as stream:
        assert [c async for c in stream.iter_bytes()] == [b"data: {}\n\n", b"data: [DONE]\n\n"]

    async with tier.open_stream("/chat/completions", {"stream": True}, "req-3") as stream:
        async for _ in stream.iter_bytes():
            break  # the client went away after the first chunk
    assert tier.cancelled == 1
    assert all(r.in_flight == 0 for r in tier.snapshot().replicas)


async def test_usage_chunk_only_when_asked_and_a_scripted_error_mid_stream() -> None:
    asked = chat_stream(["x"], {"stream_options": {"include_usage": True}}, prompt_tokens=4, completion_tokens=1)
    last: Any = asked[-1]
    assert (last["choices"], last["usage"]) == ([], {"prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5})
    not_asked: list[Any] = chat_stream(["x"], {}, prompt_tokens=4, completion_tokens=1)
    assert not any("usage" in chunk for chunk in not_asked)

    tier = ScriptedTier("t", "m", lambda path, body: [{"choices": []}, UpstreamUnavailable("dropped")])
    async with tier.open_stream("/chat/completions", {}, "req-1") as stream:
        with pytest.raises(UpstreamUnavailable):
            [c async for c in stream.iter_bytes()]
    assert tier.cancelled == 0  # the upstream failed; nobody cancelled it


async def test_a_tier_that_is_down_is_not_ready_and_refuses_calls() -> None:
    tier = ScriptedTier("frontier", "f", _answer, kind=TierKind.OPENAI_REMOTE, status=ReplicaStatus.UNHEALTHY)
    assert not tier.snapshot().ready and not tier.local
    with pytest.raises(UpstreamUnavailable):
        await tier.post_json("/chat/completions", {}, "req-1")
    assert tier.requests == []


async def test_a_call_given_up_while_the_handler_runs_is_a_cancel() -> None:
    started = asyncio.Event()

    async def slow(path: str, body: dict[str, Any]) -> dict[str, Any]:
        started.set()
        await asyncio.sleep(30)
        raise AssertionError("not reached")  # pragma: no cover

    tier = ScriptedTier("t", "m", slow)
    call = asyncio.ensure_future(tier.post_json("/chat/completions", {}, "req-1"))
    await started.wait()
    assert tier.snapshot().replicas[0].in_flight == 1
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert (tier.cancelled, tier.snapshot().replicas[0].in_flight) == (1, 0)
