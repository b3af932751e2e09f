"""Every check on real answers recorded from the bundled models and the tiny test model.

tests/fixtures/escalation/outputs.jsonl is written by `python -m tests.fixtures.escalation.record`: greedy
answers (max_tokens 96) of SmolLM2-135M-Instruct (sound answers), Gemma 3 270M base (echoes the prompt and
loops) and the random-weight tiny model (newlines only), read through the parser tierd itself uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from server.escalation.answer import Answer, ToolCall, answer_from_json
from server.escalation.checks import (
    CheckRequest,
    DegenerationCheck,
    EchoCheck,
    EmptyCheck,
    JsonCheck,
    LowConfidenceCheck,
    RefusalCheck,
    ToolCallsCheck,
    TruncationCheck,
    UnknownCheckError,
    default_checks,
    run_checks,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "escalation" / "outputs.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text().splitlines()]


def _prompt(row: dict[str, Any]) -> str:
    return "\n".join(m["content"] for m in row["request"]["messages"])


def recorded(model: str, prompt_id: str | None = None) -> list[tuple[Answer, CheckRequest]]:
    out = []
    for row in ROWS:
        if row["model"] == model and (prompt_id is None or row["prompt_id"] == prompt_id):
            out.append((answer_from_json(row["response"]), CheckRequest.from_body(row["request"], _prompt(row))))
    assert out, f"no recorded answers for {model} {prompt_id}"
    return out


PROSE_CHECKS = [EmptyCheck(), DegenerationCheck(), EchoCheck(), RefusalCheck()]


def test_sound_instruct_answers_pass_every_prose_check() -> None:
    for answer, request in recorded("smollm2-135m-instruct"):
        results = run_checks(PROSE_CHECKS, answer, request)
        assert all(r.passed for r in results), [r for r in results if not r.passed]


def test_tiny_model_junk_trips_empty_and_degeneration() -> None:
    for answer, request in recorded("tiny-llama"):
        assert answer.text and not answer.text.strip()
        assert not EmptyCheck().run(answer, request).passed
        degeneration = DegenerationCheck().run(answer, request)
        assert not degeneration.passed and "'\\n'" in degeneration.detail


def test_base_model_echo_and_loops_are_caught() -> None:
    caught = {}
    for answer, request in recorded("gemma3-270m"):
        failed = [r.check for r in run_checks(PROSE_CHECKS, answer, request) if not r.passed]
        caught[answer.text[:30]] = failed
        assert set(failed) & {"echo", "degeneration"}, answer.text[:120]
    assert any("echo" in f for f in caught.values()) and any("degeneration" in f for f in caught.values())


def test_echo_check_spots_a_copied_prompt_but_not_an_answer_that_quotes_a_little() -> None:
    echoed, request = recorded("gemma3-270m", "math")[0]
    result = EchoCheck().run(echoed, request)
    assert not result.passed and "repeats 100% of the prompt" in result.detail
    answer, request = recorded("smollm2-135m-instruct", "math")[0]
    assert EchoCheck().run(answer, request).passed


def test_truncation_depends_on_the_clients_own_max_tokens() -> None:
    answer, request = recorded("smollm2-135m-instruct", "math")[0]
    assert answer.finish_reason == "length" and request.max_tokens == 96
    assert TruncationCheck().run(answer, request).passed  # the client asked for 96 tokens and got them
    unbounded = CheckRequest(request.prompt_text, max_tokens=None)
    assert not TruncationCheck().run(answer, unbounded).passed  # cut by something else: the tier's limit
    larger = CheckRequest(request.prompt_text, max_tokens=500)
    assert not TruncationCheck().run(answer, larger).passed
    finished, request = recorded("smollm2-135m-instruct", "capital")[0]
    assert TruncationCheck().run(finished, CheckRequest(request.prompt_text)).passed


def test_low_confidence_separates_random_weights_from_a_trained_model() -> None:
    check = LowConfidenceCheck(min_mean_logprob=-2.5)
    for answer, request in recorded("tiny-llama"):
        assert not check.run(answer, request).passed
    answer, request = recorded("smollm2-135m-instruct", "capital")[0]
    assert check.run(answer, request).passed
    assert check.run(Answer("text", "stop"), request).detail == "no log-probabilities"


JSON_OBJECT = {"type": "json_object"}
PERSON_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "person",
        "schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
            "required": ["name", "age"],
        },
    },
}


def test_json_check_on_recorded_answers() -> None:
    good, request = recorded("smollm2-135m-instruct", "json")[0]
    echoed, _ = recorded("gemma3-270m", "json")[0]
    for fmt in (JSON_OBJECT, PERSON_SCHEMA):
        asked = CheckRequest(request.prompt_text, response_format=fmt)
        assert JsonCheck().run(good, asked).passed
        assert not JsonCheck().run(echoed, asked).passed
    assert JsonCheck().run(echoed, request).detail == "no JSON requested"


@pytest.mark.parametrize(
    ("text", "fmt", "passed", "detail"),
    [
        ('```json\n{"name": "A", "age": 3}\n```', PERSON_SCHEMA, True, ""),
        ('{"name": "A", "age": -3}', PERSON_SCHEMA, False, "age"),
        ('{"name": "A"}', PERSON_SCHEMA, False, "'age' is a required property"),
        ("[1, 2]", JSON_OBJECT, False, "not an object"),
        ('{"a": 1', JSON_OBJECT, False, "not JSON"),
    ],
)
def test_json_check_cases(text: str, fmt: dict[str, Any], passed: bool, detail: str) -> None:
    result = JsonCheck().run(Answer(text, "stop"), CheckRequest("", response_format=fmt))
    assert result.passed is passed and detail in result.detail


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


@pytest.mark.parametrize(
    ("call", "passed", "detail"),
    [
        (ToolCall("get_weather", '{"city": "Paris"}'), True, ""),
        (ToolCall("get_weather", '{"town": "Paris"}'), False, "'city' is a required property"),
        (ToolCall("get_weather", '{"city": '), False, "not JSON"),
        (ToolCall("launch_rockets", "{}"), False, "did not offer"),
    ],
)
def test_tool_call_arguments_are_validated(call: ToolCall, passed: bool, detail: str) -> None:
    result = ToolCallsCheck().run(Answer("", "tool_calls", (call,)), CheckRequest("", tools=[WEATHER_TOOL]))
    assert result.passed is passed and detail in result.detail
    assert EmptyCheck().run(Answer("", "tool_calls", (call,)), CheckRequest("")).passed  # a tool call is an answer


def test_refusals() -> None:
    refusal = Answer("I'm sorry, but I can't help with that request.", "stop")
    assert not RefusalCheck().run(refusal, CheckRequest("")).passed
    denied = Answer("As an AI language model, I cannot provide medical advice.", "stop")
    assert not RefusalCheck().run(denied, CheckRequest("")).passed
    assert RefusalCheck().run(Answer("Sorry for the delay: the answer is 42.", "stop"), CheckRequest("")).passed
    custom = RefusalCheck(patterns=[r"\bno comment\b"])
    assert not custom.run(Answer("No comment.", "stop"), CheckRequest("")).passed


def test_prefix_mode_runs_only_prefix_safe_checks() -> None:
    prefix = Answer("The answer", None, complete=False)
    names = [r.check for r in run_checks([EmptyCheck(), TruncationCheck(), JsonCheck()], prefix, CheckRequest(""))]
    assert names == ["empty"]


def test_registry_builds_by_name_with_options_and_reports_unknowns() -> None:
    registry = default_checks()
    assert registry.names() == sorted(
        ["degeneration", "echo", "empty", "json", "low_confidence", "refusal", "relevance", "tool_calls", "truncation"]
    )
    check = registry.build("low_confidence", {"min_mean_logprob": -1.0})
    assert isinstance(check, LowConfidenceCheck) and check.min_mean_logprob == -1.0
    with pytest.raises(UnknownCheckError, match="unknown check 'vibes'"):
        registry.build("vibes", {})
    with pytest.raises(ValueError, match="check 'echo'"):
        registry.build("echo", {"colour": "red"})
