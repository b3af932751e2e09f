"""An upstream that answers 200 with fields of the wrong type: tierd never raises on it. A checked answer it
cannot read fails its checks and escalates; an unchecked one is relayed; either way the request is booked,
with every attempt, and an unreadable usage figure counts as unknown rather than breaking the cost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import Gateway, gateway_settings, running_gateway, scripted_tiers
from tiers.scripted import Chunk, chat_response

pytestmark = pytest.mark.api
CHECKS = [
    "empty",
    "degeneration",
    "json",
    "truncation",
    "tool_calls",
    {"name": "low_confidence", "min_mean_logprob": -3},
]


def _good() -> dict[str, Any]:
    return chat_response("a sound answer", prompt_tokens=3, completion_tokens=2)


def _choice(**fields: Any) -> dict[str, Any]:
    return {**_good(), "choices": [{"index": 0, "finish_reason": "stop", **fields}]}


JSON_GARBAGE: dict[str, Callable[[], dict[str, Any] | bytes]] = {
    "choices is an object": lambda: {**_good(), "choices": {"0": {}}},
    "message is a string": lambda: _choice(message="hi"),
    "a tool call's function is a string": lambda: _choice(
        message={"role": "assistant", "content": None, "tool_calls": [{"id": "c", "type": "function", "function": "f"}]}
    ),
    "a logprob is a word": lambda: _choice(
        message={"role": "assistant", "content": "ok"}, logprobs={"content": [{"token": "o", "logprob": "high"}]}
    ),
    "token counts are strings": lambda: {**_good(), "usage": {"prompt_tokens": "3", "completion_tokens": "two"}},
    "token counts are negative": lambda: {**_good(), "usage": {"prompt_tokens": -3, "completion_tokens": -2}},
    "usage is a list": lambda: {**_good(), "usage": [1]},
    "token counts are floats": lambda: {**_good(), "usage": {"prompt_tokens": 3.5, "completion_tokens": 2.0}},
    # A float price of 10**400 tokens overflows; 2**40 fits a float but not the ledger's INTEGER column.
    "token counts are huge": lambda: {**_good(), "usage": {"prompt_tokens": 10**400, "completion_tokens": 10**30}},
    "token counts overflow a column": lambda: {**_good(), "usage": {"prompt_tokens": 2**40, "completion_tokens": 2**3}},
    "the body is a list": lambda: b'[{"choices": []}]',
    "the body is a string": lambda: b'"an answer"',
    "a tool call's index is a word": lambda: _choice(
        message={"role": "assistant", "content": None, "tool_calls": [{"index": "x", "function": {"name": "f"}}]}
    ),
    "a logprob is a list": lambda: _choice(
        message={"role": "assistant", "content": "ok"}, logprobs={"content": [{"token": "o", "logprob": [1]}]}
    ),
    "finish_reason is a number": lambda: _choice(message={"role": "assistant", "content": "ok"}, finish_reason=5),
}


def _chunk(choices: Any, **extra: Any) -> dict[str, Any]:
    return {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": choices, **extra}


STREAM_GARBAGE: dict[str, list[Chunk]] = {
    "a tool call's index is a word": [
        _chunk([{"index": 0, "delta": {"tool_calls": [{"index": "first", "function": {"name": "f"}}]}}])
    ],
    "a delta is a list": [_chunk([{"index": 0, "delta": ["hi"]}])],
    "choices is a string": [_chunk("nope")],
    "the usage chunk's counts are strings": [
        _chunk([{"index": 0, "delta": {"content": "hello there"}, "finish_reason": "stop"}]),
        _chunk([], usage={"prompt_tokens": "3", "completion_tokens": "2"}),
    ],
    "a logprob is a word": [
        _chunk([{"index": 0, "delta": {"content": "hi"}, "logprobs": {"content": [{"logprob": "x"}]}}]),
    ],
    "the usage chunk's counts are floats": [
        _chunk([{"index": 0, "delta": {"content": "hello there"}, "finish_reason": "stop"}]),
        _chunk([], usage={"prompt_tokens": 3.0, "completion_tokens": 2.5}),
    ],
    "the usage chunk's counts are huge": [
        _chunk([{"index": 0, "delta": {"content": "hello there"}, "finish_reason": "stop"}]),
        _chunk([], usage={"prompt_tokens": 10**400, "completion_tokens": 10**30}),
    ],
    "the usage chunk's counts overflow a column": [
        _chunk([{"index": 0, "delta": {"content": "hello there"}, "finish_reason": "stop"}]),
        _chunk([], usage={"prompt_tokens": 2**40, "completion_tokens": -1}),
    ],
    "a chunk is a list": [b"data: [1, 2]\n\n", _chunk([{"index": 0, "delta": {"content": "hi"}}])],
    "a chunk is not JSON": [b"data: {not json\n\n", _chunk([{"index": 0, "delta": {"content": "hi"}}])],
}
BAD_USAGE = [name for name in [*JSON_GARBAGE, *STREAM_GARBAGE] if "counts" in name]


def _settings(tmp_path: Path, checked: bool) -> Any:
    if not checked:
        return gateway_settings(tmp_path)
    escalation = {"tiers": {"tier-1": {"checks": CHECKS}}, "budget": {"max_share": 1.0, "burst": 100}}
    return gateway_settings(tmp_path, escalation=escalation)


async def _one(tmp_path: Path, checked: bool, answer: Any, **fields: Any) -> tuple[Any, Any, Gateway]:
    settings = _settings(tmp_path, checked)
    tiers = scripted_tiers(settings, {"tier-1": lambda path, body: answer})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat("hi", logprobs=True, **fields)
        ledger = await gateway.stop()
    return response, ledger, gateway


@pytest.mark.parametrize("checked", [True, False], ids=["checked", "unchecked"])
@pytest.mark.parametrize("name", list(JSON_GARBAGE))
async def test_a_json_answer_of_the_wrong_types_is_served_and_booked(tmp_path: Path, name: str, checked: bool) -> None:
    response, ledger, _ = await _one(tmp_path, checked, JSON_GARBAGE[name]())
    assert response.status_code == 200, response.text
    (request_id,) = ledger.requests
    row = ledger.requests[request_id]
    assert row.status == 200 and row.final_tier == response.headers["x-tierd-tier"]
    assert len(ledger.attempts[request_id]) == int(response.headers.get("x-tierd-attempts", "1"))


@pytest.mark.parametrize("checked", [True, False], ids=["checked", "unchecked"])
@pytest.mark.parametrize("name", list(STREAM_GARBAGE))
async def test_a_stream_of_the_wrong_types_ends_with_done_and_is_booked(
    tmp_path: Path, name: str, checked: bool
) -> None:
    response, ledger, _ = await _one(tmp_path, checked, STREAM_GARBAGE[name], stream=True)
    assert response.status_code == 200, response.text
    assert response.text.rstrip().endswith("data: [DONE]")
    assert 'data: {"error"' not in response.text  # garbage is relayed as it came, not turned into an error
    (row,) = ledger.requests.values()
    assert row.status == 200


async def test_string_token_counts_are_booked_as_unknown_not_as_a_cost(tmp_path: Path) -> None:
    response, ledger, _ = await _one(tmp_path, False, JSON_GARBAGE["token counts are strings"]())
    assert response.headers["x-tierd-cost-usd"] == "unknown"
    (row,) = ledger.requests.values()
    assert (row.prompt_tokens, row.completion_tokens, row.cost_usd) == (None, None, None)


@pytest.mark.parametrize("checked", [True, False], ids=["checked", "unchecked"])
@pytest.mark.parametrize("name", BAD_USAGE)
async def test_unreadable_usage_is_booked_as_unknown_with_a_note(tmp_path: Path, name: str, checked: bool) -> None:
    """The row and its attempts are kept; the cost is unknown, not zero and not an error; the attempt that
    was answered says which usage figures could not be read."""
    stream = name in STREAM_GARBAGE
    answer = STREAM_GARBAGE[name] if stream else JSON_GARBAGE[name]()
    response, ledger, _ = await _one(tmp_path, checked, answer, stream=stream)
    assert response.status_code == 200, response.text
    if stream:
        assert response.text.rstrip().endswith("data: [DONE]")
    else:
        assert response.headers["x-tierd-cost-usd"] == "unknown"
    (request_id,) = ledger.requests
    row = ledger.requests[request_id]
    assert (row.status, row.error_code, row.cost_usd) == (200, None, None)
    assert row.prompt_tokens is None or row.completion_tokens is None
    returned = next(a for a in ledger.attempts[request_id] if a.returned)
    assert returned.status == 200 and "usage unreadable" in returned.error
