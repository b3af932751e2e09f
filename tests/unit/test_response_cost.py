"""A stream's cost, told at its end: the usage chunk for clients that asked for usage, an SSE comment otherwise."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from server.escalation.runner import upstream_body
from server.response_cost import StreamEnd, StreamMeter, metered


def _sse(payload: object) -> bytes:
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


CONTENT = _sse({"choices": [{"index": 0, "delta": {"content": "Hi"}}]})
USAGE = _sse({"choices": [], "usage": {"prompt_tokens": 1000, "completion_tokens": 500}})
DONE = b"data: [DONE]\n\n"


def price(prompt_tokens: int | None, completion_tokens: int | None) -> float | None:
    return (prompt_tokens or 0) * 1e-6 + (completion_tokens or 0) * 2e-6


async def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def _run(
    data: bytes, size: int, wants_usage: bool, earlier: float | None = 0.0, ends: list[StreamEnd] | None = None
) -> bytes:
    meter = StreamMeter(
        price=price,
        client_wants_usage=wants_usage,
        request_id="req-1",
        cost_basis="measured-throughput",
        earlier_usd=earlier,
    )
    out = metered(_chunks(data, size), meter, on_end=ends.append if ends is not None else None)
    return b"".join([chunk async for chunk in out])


@pytest.mark.parametrize("size", [1, 5, 1000])
async def test_usage_chunk_carries_the_cost_when_the_client_asked(size: int) -> None:
    out = await _run(CONTENT + USAGE + DONE, size, wants_usage=True, earlier=0.5)
    events = out.split(b"\n\n")
    usage = json.loads(events[1].removeprefix(b"data: "))
    assert usage["usage"]["completion_tokens"] == 500
    assert usage["tierd"] == {"cost_usd": "0.5020000000", "cost_basis": "measured-throughput", "request_id": "req-1"}
    assert out.startswith(CONTENT) and out.endswith(DONE) and b": tierd" not in out


@pytest.mark.parametrize("size", [1, 7, 1000])
async def test_without_usage_the_chunk_goes_and_a_comment_tells_the_cost(size: int) -> None:
    out = await _run(CONTENT + USAGE + DONE, size, wants_usage=False)
    assert b'"usage"' not in out
    assert (
        out
        == CONTENT
        + b': tierd {"cost_usd":"0.0020000000","cost_basis":"measured-throughput","request_id":"req-1"}\n\n'
        + DONE
    )


async def test_the_end_of_a_stream_reports_usage_cost_and_timing() -> None:
    ends: list[StreamEnd] = []
    await _run(CONTENT + USAGE + DONE, 9, wants_usage=False, ends=ends)
    (end,) = ends
    assert (end.prompt_tokens, end.completion_tokens) == (1000, 500)
    assert end.cost_usd == pytest.approx(0.002)
    assert end.ttft_s is not None and 0 <= end.ttft_s <= end.duration_s


async def test_unknown_cost_and_streams_without_usage() -> None:
    out = await _run(CONTENT + USAGE + DONE, 3, wants_usage=True, earlier=None)
    assert b'"cost_usd":"unknown"' in out
    assert await _run(CONTENT + DONE, 4, wants_usage=False) == CONTENT + DONE  # nothing to tell: unchanged
    error = _sse({"error": {"message": "boom"}})
    assert await _run(CONTENT + error, 2, wants_usage=False) == CONTENT + error


@pytest.mark.parametrize(("closes_after", "completed"), [(b"[DONE]", True), (b"Hi", False)])
async def test_a_client_that_leaves_counts_as_cut_only_before_the_end(closes_after: bytes, completed: bool) -> None:
    # A client that reads [DONE] and closes can cancel the relay at that very yield: it had the whole answer.
    ends: list[StreamEnd] = []
    meter = StreamMeter(
        price=price, client_wants_usage=False, request_id="req-1",
        cost_basis="measured-throughput", earlier_usd=0.0,
    )  # fmt: skip
    out = metered(_chunks(CONTENT + USAGE + DONE, len(CONTENT)), meter, on_end=ends.append)
    async for chunk in out:
        if closes_after in chunk:
            break
    await out.aclose()  # what the server does when the client's connection closes
    assert [e.completed for e in ends] == [completed]


def test_with_usage_keeps_the_clients_other_stream_options() -> None:
    body = {"stream": True, "stream_options": {"continuous_usage_stats": True}}
    assert upstream_body(body, chat=True, stream=True, add_logprobs=False)["stream_options"] == {
        "continuous_usage_stats": True,
        "include_usage": True,
    }
    assert "stream_options" not in body or body["stream_options"] == {"continuous_usage_stats": True}
