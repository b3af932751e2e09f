"""The Responses API's pure parts: the wire model and its chat view, the answer parser and stream assembler,
the shaping into OpenAI's schema, and the stream meter.

The fixtures in tests/fixtures/responses/ are vLLM 0.32's own /v1/responses output, recorded from the bundled
SmolLM2-135M-Instruct and the tiny test model (CPU, eager): `smollm2_capital.json` (instructions + an
input_text item, temperature 0), `smollm2_incomplete.json` (max_output_tokens 16), `smollm2_json_schema.json`
(text.format json_schema), `tiny_logprobs.json` (include message.output_text.logprobs), and
`smollm2_stream.sse` ("Say hi", max_output_tokens 8, streamed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from server.errors import from_validation_error
from server.escalation.answer import StreamAssembler, answer_from_json, iter_payloads
from server.escalation.checks import CheckRequest
from server.escalation.runner import upstream_body
from server.responses.protocol import ResponsesRequest, as_chat
from server.responses.shape import shape_event, shape_response
from server.responses.stream import ResponsesStreamMeter, shape_json
from server.routing.features import extract_features
from tests.responses_spec import assert_event_conforms, assert_response_conforms, sse_events

FIXTURES = Path(__file__).parent.parent / "fixtures" / "responses"
VLLM_ONLY = {"kv_transfer_params", "ec_transfer_params", "input_messages", "output_messages", "presence_penalty"}


def _fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / name).read_text()))


def _stream_events() -> list[dict[str, Any]]:
    return [data for _, data, _ in sse_events((FIXTURES / "smollm2_stream.sse").read_text()) if data is not None]


# --- the wire model and its chat view -------------------------------------------------------------


def _refusal(body: dict[str, Any]) -> tuple[str | None, str]:
    with pytest.raises(ValidationError) as info:
        ResponsesRequest.model_validate({"model": "auto", "input": "hi", **body})
    error = from_validation_error(info.value)
    return error.param, error.message


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        ({"previous_response_id": "resp_1"}, "previous_response_id", "keeps no state"),
        ({"conversation": "conv_1"}, "conversation", "keeps no state"),
        ({"background": True}, "background", "keeps no state"),
        ({"input": [{"type": "item_reference", "id": "msg_1"}]}, "input[0]", "item_reference"),
        ({"input": [{"role": "user"}]}, "input[0]", "needs a role and content"),
        ({"input": [{"type": "message", "role": "robot", "content": "x"}]}, "input[0].role", "Input should be"),
        ({"input": []}, "input", "empty"),
        ({"input": 3}, "input", "valid string"),
        ({"text": {"format": {"type": "json_schema", "schema": {}}}}, "text.format", "name and a schema"),
        ({"tools": [{"type": "function"}]}, "tools[0]", "needs a name"),
        ({"max_output_tokens": 0}, "max_output_tokens", "greater than or equal to 1"),
        ({"temperature": 3}, "temperature", "less than or equal to 2"),
    ],
)
def test_the_wire_model_refuses_what_tierd_cannot_honour(body: dict[str, Any], param: str, says: str) -> None:
    got_param, message = _refusal(body)
    assert got_param == param and says in message


def test_the_wire_model_keeps_unknown_fields_and_accepts_every_input_shape() -> None:
    items = [
        {"role": "system", "content": "Be brief."},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "42"},
    ]
    parsed = ResponsesRequest.model_validate({"model": "auto", "input": items, "top_k": 5, "store": False})
    assert parsed.model_extra == {"top_k": 5}
    assert ResponsesRequest.model_validate({"model": "auto", "input": "hi", "previous_response_id": None})


def test_a_responses_body_reads_as_the_chat_body_that_asks_the_same() -> None:
    fmt = {"type": "json_schema", "name": "p", "schema": {"type": "object"}}
    tools = [{"type": "function", "name": "f", "parameters": {"type": "object"}}, {"type": "web_search"}]
    body = {
        "model": "auto",
        "instructions": "Be brief.",
        "input": [
            {"role": "user", "content": [{"type": "input_text", "text": "Translate to French: hi"}]},
            {"role": "assistant", "content": [{"type": "output_text", "text": "Salut"}]},
            {"type": "function_call_output", "call_id": "c", "output": "42"},
            {"role": "user", "content": "And bye?"},
        ],
        "max_output_tokens": 30,
        "text": {"format": fmt},
        "tools": tools,
    }
    chat = {
        "model": "auto",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Translate to French: hi"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "Salut"}]},
            {"role": "tool", "content": "42"},
            {"role": "user", "content": "And bye?"},
        ],
        "max_tokens": 30,
        "response_format": {"type": "json_schema", "json_schema": {"name": "p", "schema": {"type": "object"}}},
        "tools": [
            {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}},
            {"type": "web_search"},
        ],
    }
    assert as_chat(body) == chat
    assert extract_features(body) == extract_features(chat)  # the classifier sees the same request
    features = extract_features(body)
    assert (features.turns, features.has_system_prompt, features.max_tokens) == (2, True, 30)
    assert features.has_tools and features.has_response_format and "translate" in features.task_types
    check = CheckRequest.from_body(body, features.text)
    assert (check.max_tokens, check.response_format, list(check.tools)) == (30, chat["response_format"], chat["tools"])
    plain = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    assert as_chat(plain) is plain


def test_the_body_sent_to_a_tier_asks_logprobs_through_include_and_never_adds_stream_options() -> None:
    body = {"model": "m", "input": "hi", "stream": True, "include": ["reasoning.encrypted_content"]}
    sent = upstream_body(body, chat=False, stream=True, add_logprobs=True, responses=True)
    assert sent == {**body, "include": ["reasoning.encrypted_content", "message.output_text.logprobs"]}
    assert upstream_body(body, chat=False, stream=True, add_logprobs=False, responses=True) == body


# --- the answer parser and the stream assembler ---------------------------------------------------


def test_a_response_object_is_read_into_an_answer() -> None:
    answer = answer_from_json(_fixture("smollm2_capital.json"))
    assert (answer.text, answer.finish_reason) == ("The capital of France is Paris.", "stop")
    assert (answer.prompt_tokens, answer.completion_tokens, answer.token_logprobs) == (24, 8, None)
    cut = answer_from_json(_fixture("smollm2_incomplete.json"))
    assert (cut.finish_reason, cut.completion_tokens) == ("length", 16)  # incomplete at max_output_tokens
    logprobs = answer_from_json(_fixture("tiny_logprobs.json")).token_logprobs
    assert logprobs is not None and len(logprobs) == 4 and all(v < 0 for v in logprobs)


def test_function_calls_and_other_statuses() -> None:
    call = {"type": "function_call", "call_id": "c", "name": "get_weather", "arguments": '{"city": "Paris"}'}
    answer = answer_from_json({"object": "response", "status": "completed", "output": [call]})
    assert answer.finish_reason == "tool_calls" and [(c.name, c.arguments) for c in answer.tool_calls] == [
        ("get_weather", '{"city": "Paris"}')
    ]
    filtered = {"object": "response", "status": "incomplete", "incomplete_details": {"reason": "content_filter"}}
    assert answer_from_json(filtered).finish_reason == "content_filter"
    assert answer_from_json({"object": "response", "status": "failed", "output": []}).finish_reason == "failed"


def test_a_typed_stream_is_assembled_into_the_same_answer_as_its_final_response() -> None:
    events = _stream_events()
    assembler = StreamAssembler()
    for payload in events:
        assembler.add(payload)
    streamed = assembler.answer(complete=True)
    final = answer_from_json(events[-1]["response"])
    assert streamed == final
    assert streamed.text.startswith("I'm glad") and streamed.finish_reason == "length"
    deltas = sum(1 for e in events if e["type"] == "response.output_text.delta")
    assert assembler.content_chunks == deltas > 1  # what prefix mode counts


def test_streamed_function_calls_are_assembled_by_output_index() -> None:
    item = {"type": "function_call", "id": "fc", "call_id": "c", "name": "f", "arguments": ""}
    events = [
        {"type": "response.output_item.added", "output_index": 1, "item": item},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": '{"a":'},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": " 1}"},
        {"type": "response.completed", "response": {"status": "completed", "output": [], "usage": None}},
    ]
    assembler = StreamAssembler()
    for event in iter_payloads([f"data: {json.dumps(e)}\n\n".encode() for e in events]):
        assembler.add(event)
    answer = assembler.answer(complete=True)
    assert [(c.name, c.arguments) for c in answer.tool_calls] == [("f", '{"a": 1}')]
    assert answer.finish_reason == "tool_calls"


# --- shaping into OpenAI's schema ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["smollm2_capital.json", "smollm2_incomplete.json", "smollm2_json_schema.json", "tiny_logprobs.json"]
)
@pytest.mark.parametrize("logprobs", [False, True])
def test_vllm_responses_are_shaped_into_the_published_schema(name: str, logprobs: bool) -> None:
    raw = _fixture(name)
    with pytest.raises(AssertionError):
        assert_response_conforms(raw)  # as vLLM sends it, it does not conform
    shaped = shape_response(raw, logprobs=logprobs)
    assert_response_conforms(shaped)
    assert not VLLM_ONLY & set(shaped) and shaped["error"] is None
    assert (shaped["id"], shaped["output"][0]["content"][0]["text"]) == (
        raw["id"],
        raw["output"][0]["content"][0]["text"],
    )
    assert set(shaped["usage"]["input_tokens_details"]) == {"cached_tokens"}


def test_logprobs_reach_the_client_only_when_it_asked() -> None:
    raw = _fixture("tiny_logprobs.json")
    assert (
        shape_response(raw, logprobs=True)["output"][0]["content"][0]["logprobs"]
        == raw["output"][0]["content"][0]["logprobs"]
    )
    assert shape_response(raw, logprobs=False)["output"][0]["content"][0]["logprobs"] == []
    raw_json = json.dumps(raw).encode()
    assert json.loads(shape_json(raw_json, {"include": ["message.output_text.logprobs"]}))["output"][0]["content"][0][
        "logprobs"
    ]
    assert shape_json(b'{"error": {"message": "x"}}', {}) == b'{"error": {"message": "x"}}'  # not a response: as it is


def test_every_recorded_stream_event_is_shaped_into_its_schema() -> None:
    for event in _stream_events():
        assert_event_conforms(shape_event(event, logprobs=False))
    vllm_error = {"type": "error", "code": 400, "message": "bad", "param": None, "sequence_number": 3}
    assert shape_event(vllm_error, logprobs=False) == {
        "type": "error", "sequence_number": 3, "code": None, "message": "bad", "param": None
    }  # fmt: skip
    assert_event_conforms(shape_event(vllm_error, logprobs=False))


# --- the stream meter ----------------------------------------------------------------------------------


def _meter() -> ResponsesStreamMeter:
    return ResponsesStreamMeter(
        logprobs=False,
        price=lambda prompt, completion: (prompt or 0) * 1e-6 + (completion or 0) * 2e-6,
        request_id="req-1",
        cost_basis="list-price",
        earlier_usd=0.5,
    )


def test_the_meter_shapes_each_event_reads_the_usage_and_tells_the_cost_after_the_last() -> None:
    raw = (FIXTURES / "smollm2_stream.sse").read_bytes() + b"data: [DONE]\n\n"
    meter = _meter()
    out = b"".join(meter.feed(raw[i : i + 7]) for i in range(0, len(raw), 7)) + meter.rest()  # any chunking
    events = sse_events(out.decode())
    for name, data, _ in events[:-1]:
        assert data is not None and name == data["type"]
        assert_event_conforms(data)
    assert b"[DONE]" not in out
    final = events[-2][1]
    assert final is not None and final["type"] == "response.completed"
    usage = final["response"]["usage"]
    assert meter.usage == {"prompt_tokens": usage["input_tokens"], "completion_tokens": usage["output_tokens"]}
    own = usage["input_tokens"] * 1e-6 + usage["output_tokens"] * 2e-6
    assert (meter.own_cost_usd, meter.cost_usd, meter.done) == (pytest.approx(own), pytest.approx(own + 0.5), True)
    comment = events[-1][2]
    assert json.loads(comment.removeprefix(": tierd ")) == {
        "cost_usd": f"{own + 0.5:.10f}", "cost_basis": "list-price", "request_id": "req-1"
    }  # fmt: skip


def test_the_meter_turns_tierds_own_error_event_into_a_typed_one() -> None:
    events = _stream_events()[:4]
    meter = _meter()
    for event in events:
        meter.feed(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode())
    error = {"error": {"message": "dropped", "type": "server_error", "param": None, "code": "upstream_unavailable"}}
    out = meter.feed(f"data: {json.dumps(error)}\n\n".encode())
    ((name, data, _),) = sse_events(out.decode())
    assert name == "error" and data == {
        "type": "error", "sequence_number": 4, "code": "upstream_unavailable", "message": "dropped", "param": None
    }  # fmt: skip
    assert_event_conforms(data)
    assert (meter.error_code, meter.done, meter.usage) == ("upstream_unavailable", False, {})
