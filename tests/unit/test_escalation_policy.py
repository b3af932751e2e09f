"""Escalation's pure parts: answers from JSON and from SSE streams, the global budget, the verifier's P(yes)."""

from __future__ import annotations

import json

import pytest

from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import BucketPolicy, SharedStateUnavailable
from server.escalation.answer import SseSplitter, StreamAssembler, answer_from_json, event_payload
from server.escalation.policy import GlobalBudget
from server.escalation.verifier import p_yes_from


def _sse(payload: dict[str, object]) -> bytes:
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


CHAT_STREAM = b"".join(
    [
        _sse({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}),
        _sse({"choices": [{"index": 0, "delta": {"content": "Hel"}, "logprobs": {"content": [{"logprob": -0.5}]}}]}),
        _sse({"choices": [{"index": 0, "delta": {"content": "lo"}, "logprobs": {"content": [{"logprob": -1.5}]}}]}),
        _sse({"choices": [{"index": 1, "delta": {"content": "other choice"}}]}),
        _sse(
            {
                "choices": [
                    {
                        "index": 0,
                        "delta": {"tool_calls": [{"index": 0, "function": {"name": "get", "arguments": '{"a"'}}]},
                    }
                ]
            }
        ),
        _sse({"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": ": 1}"}}]}}]}),
        _sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}),
        _sse({"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 4}}),
        b"data: [DONE]\n\n",
    ]
)


@pytest.mark.parametrize("size", [1, 7, 64, len(CHAT_STREAM)])
def test_stream_assembles_the_same_answer_whatever_the_chunking(size: int) -> None:
    splitter, assembler, events = SseSplitter(), StreamAssembler(), []
    for start in range(0, len(CHAT_STREAM), size):
        events += splitter.feed(CHAT_STREAM[start : start + size])
    assert splitter.rest() == b""
    assert b"".join(events) == CHAT_STREAM
    for event in events:
        payload = event_payload(event)
        if payload is not None:
            assembler.add(payload)
    answer = assembler.answer(complete=True)
    assert answer.text == "Hello"  # choice 1 is not checked
    assert [(c.name, c.arguments) for c in answer.tool_calls] == [("get", '{"a": 1}')]
    assert answer.finish_reason == "tool_calls"
    assert (answer.prompt_tokens, answer.completion_tokens) == (7, 4)
    assert answer.token_logprobs == (-0.5, -1.5)
    assert assembler.content_chunks == 4


def test_completion_stream_and_json_answers() -> None:
    assembler = StreamAssembler()
    assembler.add({"choices": [{"index": 0, "text": "abc", "logprobs": {"token_logprobs": [-0.1, None]}}]})
    assert assembler.answer(complete=False).text == "abc"
    assert assembler.answer(complete=False).token_logprobs == (-0.1,)
    chat = answer_from_json(
        {
            "choices": [{"message": {"content": None, "tool_calls": [{"function": {"name": "f", "arguments": "{}"}}]}}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2},
        }
    )
    assert chat.text == "" and chat.tool_calls[0].name == "f" and chat.completion_tokens == 2
    completion = answer_from_json({"choices": [{"text": "hi", "finish_reason": "length"}]})
    assert (completion.text, completion.finish_reason, completion.prompt_tokens) == ("hi", "length", None)
    assert answer_from_json({}).text == ""


def test_event_payload_ignores_done_comments_and_junk() -> None:
    assert event_payload(b"data: [DONE]\n\n") is None
    assert event_payload(b": keep-alive\n\n") is None
    assert event_payload(b"data: {not json\n\n") is None
    assert event_payload(b"data: [1]\n\n") is None
    assert event_payload(b'data: {"a": 1}\n\n') == {"a": 1}


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_share_budget_allows_burst_then_the_share() -> None:
    budget = GlobalBudget(max_share=0.25, burst=2, max_usd_per_minute=None, clock=_Clock())
    granted = []
    for _ in range(40):
        await budget.on_request()
        granted.append(await budget.try_escalate())
    # 2 at once (the burst), then one per 4 requests.
    assert sum(granted) <= 2 + 0.25 * 40
    assert granted[:2] == [True, True]
    assert budget.escalations == sum(granted) and budget.refused == 40 - sum(granted)


async def test_zero_share_allows_only_the_burst() -> None:
    budget = GlobalBudget(max_share=0.0, burst=3, max_usd_per_minute=None)
    results = [await budget.try_escalate() for _ in range(10)]
    assert results == [True] * 3 + [False] * 7


async def test_money_budget_refills_over_time() -> None:
    clock = _Clock()
    budget = GlobalBudget(max_share=None, burst=1, max_usd_per_minute=0.06, clock=clock)
    assert await budget.try_escalate()
    await budget.charge(0.10)  # more than a minute's worth: the balance goes negative
    assert not await budget.try_escalate()
    clock.now = 30  # +0.03: still negative
    assert not await budget.try_escalate()
    clock.now = 61  # +0.061 in all: positive again
    assert await budget.try_escalate()
    assert budget.refused == 2


class _Unreachable(InProcessState):
    """A backend that never answers (Redis down)."""

    async def earn_escalation(self, policy: BucketPolicy, now: float) -> None:
        raise SharedStateUnavailable("down")

    async def take_escalation(self, policy: BucketPolicy, now: float) -> bool:
        raise SharedStateUnavailable("down")

    async def charge_escalation(self, policy: BucketPolicy, usd: float, now: float) -> None:
        raise SharedStateUnavailable("down")


@pytest.mark.parametrize(("choice", "allowed"), [("closed", False), ("open", True)])
async def test_unreachable_bucket_follows_its_choice(choice: str, allowed: bool) -> None:
    budget = GlobalBudget(
        max_share=0.3,
        burst=5,
        max_usd_per_minute=1.0,
        state=_Unreachable(),
        on_unreachable=choice,  # type: ignore[arg-type]
    )
    await budget.on_request()
    assert await budget.try_escalate() is allowed
    await budget.charge(0.5)  # never raises: the cost is in the ledger either way
    assert (budget.escalations, budget.refused, budget.unchecked) == (int(allowed), int(not allowed), int(allowed))


async def test_two_gateways_share_one_bucket() -> None:
    state = InProcessState()
    gateways = [GlobalBudget(max_share=0.0, burst=3, max_usd_per_minute=None, state=state) for _ in range(2)]
    results = [await gateways[i % 2].try_escalate() for i in range(10)]
    assert results == [True] * 3 + [False] * 7  # the burst of the deployment, not of each gateway


def test_verifier_probability_from_top_logprobs_or_text() -> None:
    top = [
        {"token": " Yes", "logprob": -0.2231},
        {"token": "no", "logprob": -1.6094},
        {"token": "maybe", "logprob": -3},
    ]
    parsed = {"choices": [{"message": {"content": "Yes"}, "logprobs": {"content": [{"top_logprobs": top}]}}]}
    assert p_yes_from(parsed) == pytest.approx(0.8 / (0.8 + 0.2), abs=1e-3)
    assert p_yes_from({"choices": [{"message": {"content": "No."}}]}) == 0.0
    assert p_yes_from({"choices": [{"message": {"content": "yes"}}]}) == 1.0
    assert p_yes_from({"choices": [{"message": {"content": "perhaps"}}]}) is None
