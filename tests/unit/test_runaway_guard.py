"""The runaway guard on real recorded outputs, its judging schedule, and the stream ending it writes.

tests/fixtures/escalation/runaway.jsonl (record_runaway.py): 512-token streamed runs at default sampling of
SmolLM2-135M-Instruct, Gemma 3 270M (a base model that loops) and the tiny model (random words), with vLLM's
per-chunk usage; outputs.jsonl (record.py): 96-token greedy answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.escalation import streams
from server.escalation.answer import Answer, event_payload
from server.escalation.checks import CheckRequest, CheckResult, DegenerationCheck
from server.escalation.runaway import GuardConfig, RunawayGuard, ending_events, guardable_json, repeating_period
from server.response_cost import _is_usage_event
from tiers.scripted import ScriptedTier, endless_chat_stream

FIXTURES = Path(__file__).parents[1] / "fixtures" / "escalation"
RUNS = [json.loads(line) for line in (FIXTURES / "runaway.jsonl").read_text().splitlines()]
ANSWERS = [json.loads(line) for line in (FIXTURES / "outputs.jsonl").read_text().splitlines()]
PRESET = GuardConfig(min_tokens=64, every_tokens=32, window_tokens=256)


def _chunks(pieces: list[str], tokens: list[int] | None = None) -> Iterator[dict[str, Any]]:
    for i, piece in enumerate(pieces):
        chunk: dict[str, Any] = {"choices": [{"index": 0, "delta": {"content": piece}}]}
        if tokens is not None:
            chunk["usage"] = {"prompt_tokens": 9, "completion_tokens": tokens[i]}
        yield chunk


def _stop(pieces: list[str], tokens: list[int] | None = None, config: GuardConfig = PRESET) -> int | None:
    watch = RunawayGuard(config).watch()
    for chunk in _chunks(pieces, tokens):
        trip = watch.add(chunk)
        if trip is not None:
            return trip.tokens
    return None


def _whole_text_degenerate(text: str) -> bool:
    return not DegenerationCheck().run(Answer(text=text, finish_reason=None), CheckRequest("")).passed


def test_recorded_loops_are_stopped_long_before_their_end() -> None:
    """Every 512-token run whose whole text fails the degeneration check is stopped before its end, and
    most of those tokens are never generated."""
    loops = [r for r in RUNS if _whole_text_degenerate("".join(r["pieces"]))]
    assert {r["model"] for r in loops} == {"gemma3-270m", "smollm2-135m-instruct"}
    generated = saved = 0
    for run in loops:
        stopped = _stop(run["pieces"], run["tokens"])
        assert stopped is not None and stopped < run["tokens"][-1], (run["model"], run["prompt_id"], stopped)
        generated += run["tokens"][-1]
        saved += run["tokens"][-1] - stopped
    assert saved / generated > 0.6


def test_the_tiny_models_newlines_stop_at_the_first_judgement() -> None:
    for row in (a for a in ANSWERS if a["model"] == "tiny-llama"):  # greedy: newlines only
        pieces = [t["token"] for t in row["response"]["choices"][0]["logprobs"]["content"]]
        assert pieces and not "".join(pieces).strip()
        assert _stop(pieces) == 64


def test_sampled_junk_that_does_not_loop_is_left_to_the_other_checks() -> None:
    """The tiny model sampled (random words, no loop) passes the degeneration check and is not stopped."""
    junk = [r for r in RUNS if r["model"] == "tiny-llama"]
    assert junk
    for run in junk:
        assert not _whole_text_degenerate("".join(run["pieces"]))
        assert _stop(run["pieces"], run["tokens"]) is None
        # Its chunks often carry several tokens (bytes held back until a character is whole): counting
        # chunks would book far fewer tokens than were generated, so the guard reads vLLM's usage.
        assert len(run["pieces"]) < run["tokens"][-1]


def test_sound_recorded_answers_are_never_stopped() -> None:
    """SmolLM2's greedy answers (and its 512-token runs whose whole text passes the check) run to their end."""
    greedy = [a for a in ANSWERS if a["model"] == "smollm2-135m-instruct"]
    for row in greedy:
        pieces = [t["token"] for t in row["response"]["choices"][0]["logprobs"]["content"]]
        assert _stop(pieces) is None, row["prompt_id"]
    for run in (r for r in RUNS if r["model"] == "smollm2-135m-instruct"):
        if not _whole_text_degenerate("".join(run["pieces"])):
            assert _stop(run["pieces"], run["tokens"]) is None, run["prompt_id"]


class CountingCheck(DegenerationCheck):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        self.texts.append(answer.text)
        return CheckResult(self.name, True)


def test_the_tail_is_judged_after_the_minimum_then_every_k_tokens() -> None:
    check = CountingCheck()
    watch = RunawayGuard(GuardConfig(min_tokens=64, every_tokens=32, window_tokens=100), check).watch()
    for chunk in _chunks([f"w{i} " for i in range(1000)], list(range(1, 1001))):
        assert watch.add(chunk) is None
    assert len(check.texts) == 1 + (1000 - 64) // 32  # 64, 96, ..., 992: amortised, not every chunk
    assert check.texts[0].startswith("w0 ") and check.texts[0].count(" ") == 64
    assert all(text.count(" ") <= 100 for text in check.texts)  # never more than the window
    assert check.texts[-1].endswith("w991 ")


def test_without_usage_pieces_are_counted() -> None:
    watch = RunawayGuard(PRESET).watch()
    trip = None
    for chunk in _chunks(["\n"] * 100):
        trip = trip or watch.add(chunk)
    assert trip is not None and trip.tokens == 64 and watch.counted
    assert watch.prompt_tokens is None


def test_usage_counts_tokens_that_came_in_one_piece() -> None:
    # vLLM can hold back bytes (an unfinished UTF-8 character) and send two tokens in one chunk.
    pieces, tokens = ["\n\n"] * 40, [2 * (i + 1) for i in range(40)]
    assert _stop(pieces, tokens) == 64


@pytest.mark.parametrize("chat", [True, False])
def test_the_ending_closes_the_stream_as_a_length_cut(chat: bool) -> None:
    watch = RunawayGuard(PRESET).watch()
    for chunk in _chunks(["x"] * 64, list(range(1, 65))):
        watch.add(chunk)
    assert watch.trip is not None
    template = {"id": "chatcmpl-1", "created": 5, "model": "m"}
    finish, usage, done = ending_events(template, watch, chat=chat)
    last = event_payload(finish)
    assert last is not None and last["id"] == "chatcmpl-1" and last["created"] == 5
    assert last["object"] == ("chat.completion.chunk" if chat else "text_completion")
    assert last["choices"][0]["finish_reason"] == "length"
    assert ("delta" in last["choices"][0]) is chat and ("text" in last["choices"][0]) is not chat
    assert _is_usage_event(usage)  # the stream meter books it and passes it on only when asked
    assert (event_payload(usage) or {})["usage"] == {"prompt_tokens": 9, "completion_tokens": 64, "total_tokens": 73}
    assert done == b"data: [DONE]\n\n"


def test_without_a_prompt_count_there_is_no_usage_chunk() -> None:
    watch = RunawayGuard(PRESET).watch()
    for chunk in _chunks(["\n"] * 64):
        watch.add(chunk)
    assert len(ending_events(None, watch, chat=True)) == 2  # the finish chunk and [DONE]: cost unknown


def test_which_json_requests_can_be_guarded() -> None:
    chat = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    assert guardable_json(chat, chat=True)
    assert guardable_json({**chat, "n": 1, "response_format": {"type": "json_object"}}, chat=True)
    for extra in ({"n": 2}, {"logprobs": True}, {"top_logprobs": 2}, {"tools": [{"type": "function"}]}):
        assert not guardable_json({**chat, **extra}, chat=True), extra
    assert guardable_json({"model": "m", "prompt": "Once"}, chat=False)
    for body in ({"prompt": ["a", "b"]}, {"prompt": "a", "echo": True}, {"prompt": "a", "best_of": 3}):
        assert not guardable_json(body, chat=False), body


def test_strip_takes_per_chunk_usage_out_and_keeps_the_final_usage() -> None:
    strip = streams.Strip(logprobs=False, chunk_usage=True)
    content = b'data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":{"prompt_tokens":3,"total_tokens":4,"completion_tokens":1}}\n\n'  # noqa: E501
    assert strip.apply(content) == b'data: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
    nested = b'data: {"choices":[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens_details":{"cached_tokens":0}}}\n\n'  # noqa: E501
    assert "usage" not in (event_payload(strip.apply(nested)) or {})
    final = b'data: {"id":"c","choices":[],"usage":{"prompt_tokens":3,"total_tokens":4,"completion_tokens":1}}\n\n'
    assert strip.apply(final) == final
    assert streams.Strip(logprobs=False).apply(content) == content


async def test_reading_stops_and_closes_the_upstream_when_the_guard_trips() -> None:
    body = {"stream": True, "stream_options": {"include_usage": True, "continuous_usage_stats": True}}
    tier = ScriptedTier("t", "m", lambda path, b: endless_chat_stream("\n", b, prompt_tokens=7))
    events = streams.events(tier, "/chat/completions", body, "req-1", None)
    done = await streams.read(events, None, False, RunawayGuard(PRESET).watch(), chat=True)
    assert done.finished and done.stopped is not None and done.stopped.tokens == 64
    assert tier.cancelled == 1  # closed before its end: vLLM aborts the generation
    answer = done.assembler.answer(complete=True)
    assert answer.finish_reason == "length" and (answer.prompt_tokens, answer.completion_tokens) == (7, 64)
    assert answer.text == "\n" * 64
    assert done.events[-1] == b"data: [DONE]\n\n"


def test_a_short_string_repeated_without_spaces_is_a_loop_too() -> None:
    """The tiny model's greedy completion ("hihihi...") is one long word with no dominant character: the
    degeneration check passes it, the guard's period test does not."""
    text = "hi" * 64
    assert not _whole_text_degenerate(text)
    assert repeating_period(text) == 2
    assert _stop(["hi"] * 100) == 64
    assert (
        repeating_period("The capital of France is Paris. " * 2 + "It is large and old, and many people live there.")
        is None
    )
    assert repeating_period("hi" * 20) is None  # shorter than the span judged


def test_the_chunk_that_ends_a_generation_is_not_stopped() -> None:
    """Nothing is left to save: the stream ends by itself, and the checks judge the whole answer."""
    watch = RunawayGuard(PRESET).watch()
    chunks = list(_chunks(["\n"] * 64, list(range(1, 65))))
    chunks[-1]["choices"][0]["finish_reason"] = "length"
    assert all(watch.add(chunk) is None for chunk in chunks)


def test_no_hand_labelled_acceptable_answer_is_stopped() -> None:
    """corpus.jsonl: 240 answers of the bundled models (max_tokens 256), each labelled by hand in
    labels.jsonl; recorded whole, so replayed in 4-character pieces with the tokens spread evenly."""
    labels = {row["row"]: row["acceptable"] for row in map(json.loads, (FIXTURES / "labels.jsonl").open())}
    stopped = {True: 0, False: 0}
    for row in map(json.loads, (FIXTURES / "corpus.jsonl").open()):
        text = row["response"]["choices"][0]["message"]["content"] or ""
        pieces = [text[i : i + 4] for i in range(0, len(text), 4)]
        total = row["response"]["usage"]["completion_tokens"]
        counts = [max(1, round((i + 1) * total / len(pieces))) for i in range(len(pieces))]
        stopped[labels[row["row"]]] += _stop(pieces, counts) is not None
    assert stopped[True] == 0  # no false stop by a person's judgement
    assert stopped[False] >= 60  # and a third of the junk is cut short (75 of 205 when measured)
