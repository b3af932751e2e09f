"""server/openai_shape.py on real vLLM 0.32 bodies: after shaping they conform strictly to OpenAI's spec, and
nothing OpenAI's schema has is lost on the way."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from server.escalation.streams import Strip
from server.openai_shape import shape, without_null_fields
from tests.openai_spec import COMPLETION_STREAM_CHUNK, assert_conforms, conformance_errors

FIXTURES = Path(__file__).parents[1] / "fixtures"
ESCALATION_OUTPUTS = [json.loads(line) for line in (FIXTURES / "escalation" / "outputs.jsonl").read_text().splitlines()]
VLLM_BODIES = [json.loads(line) for line in (FIXTURES / "openai_shape" / "vllm_bodies.jsonl").read_text().splitlines()]
SCHEMA = {"chat.completion": "CreateChatCompletionResponse", "text_completion": "CreateCompletionResponse"}
CHUNK_SCHEMA = {
    "chat.completion.chunk": "CreateChatCompletionStreamResponse",
    "text_completion": COMPLETION_STREAM_CHUNK,
}


def _what_openai_reads(body: dict[str, Any]) -> Any:
    """The parts of an answer a client uses, which shaping must leave exactly as they were."""
    choices = []
    for choice in body.get("choices") or []:
        message = choice.get("message") or choice.get("delta") or {}
        logprobs = choice.get("logprobs") or {}
        tokens = [(t["token"], t["logprob"], [(x["token"], x["logprob"]) for x in t["top_logprobs"]])
                  for t in logprobs.get("content") or []]  # fmt: skip
        calls = [(c.get("id"), (c.get("function") or {}).get("name"), (c.get("function") or {}).get("arguments"))
                 for c in message.get("tool_calls") or []]  # fmt: skip
        choices.append(
            (choice["index"], choice.get("finish_reason"), message.get("content"), choice.get("text"), calls, tokens,
             logprobs.get("token_logprobs"), logprobs.get("tokens"))
        )  # fmt: skip
    usage = body.get("usage") or {}
    return (
        body["id"],
        body["created"],
        body["model"],
        choices,
        usage.get("prompt_tokens"),
        usage.get("completion_tokens"),
    )


def _shaped(body: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(body)
    shape(out)
    return out


@pytest.mark.parametrize("row", ESCALATION_OUTPUTS, ids=lambda r: f"{r['model']}-{r['prompt_id']}")
def test_recorded_chat_answers_conform_once_shaped(row: dict[str, Any]) -> None:
    body = row["response"]
    assert conformance_errors("CreateChatCompletionResponse", body)  # vLLM's body, as it came
    shaped = _shaped(body)
    assert_conforms("CreateChatCompletionResponse", shaped)
    assert _what_openai_reads(shaped) == _what_openai_reads(body)
    assert shaped["system_fingerprint"] == body["system_fingerprint"]


@pytest.mark.parametrize("row", [r for r in VLLM_BODIES if "body" in r], ids=lambda r: r["case"])
def test_recorded_json_answers_of_every_kind_conform_once_shaped(row: dict[str, Any]) -> None:
    body = row["body"]
    schema = SCHEMA[body["object"]]
    assert conformance_errors(schema, body), "vLLM's own body already conforms: this case proves nothing"
    shaped = _shaped(body)
    assert_conforms(schema, shaped)
    assert _what_openai_reads(shaped) == _what_openai_reads(body)


@pytest.mark.parametrize("row", [r for r in VLLM_BODIES if "chunks" in r], ids=lambda r: r["case"])
def test_recorded_stream_chunks_of_every_kind_conform_once_shaped(row: dict[str, Any]) -> None:
    refused = 0
    for chunk in row["chunks"]:
        schema = CHUNK_SCHEMA[chunk["object"]]
        refused += bool(conformance_errors(schema, chunk))
        shaped = _shaped(chunk)
        assert_conforms(schema, shaped)
        assert _what_openai_reads(shaped) == _what_openai_reads(chunk)
    assert refused, "every chunk of vLLM's stream already conforms: this case proves nothing"


def test_shaping_twice_changes_nothing_the_second_time() -> None:
    for row in VLLM_BODIES:
        for body in [row["body"]] if "body" in row else row["chunks"]:
            shaped = _shaped(body)
            assert shape(shaped) is False, row["case"]


def test_a_conforming_body_is_left_alone() -> None:
    body = _shaped(ESCALATION_OUTPUTS[0]["response"])
    before = json.dumps(body)
    assert shape(body) is False and json.dumps(body) == before


def test_usage_is_made_consistent_and_created_whole_seconds() -> None:
    body = _shaped(ESCALATION_OUTPUTS[0]["response"])
    body["usage"] = {"prompt_tokens": 37, "completion_tokens": 8, "total_tokens": 99, "prompt_tokens_details": None}
    body["created"] = 1795893825123  # milliseconds
    assert shape(body) is True
    assert body["usage"] == {"prompt_tokens": 37, "completion_tokens": 8, "total_tokens": 45}
    assert body["created"] == 1795893825
    body["created"] = 1795893825.75
    assert shape(body) is True and body["created"] == 1795893825


def test_usage_details_keep_openai_fields_only() -> None:
    body = _shaped(ESCALATION_OUTPUTS[0]["response"])
    body["usage"]["prompt_tokens_details"] = {"cached_tokens": 32, "vllm_blocks": 2}
    assert shape(body) is True
    assert body["usage"]["prompt_tokens_details"] == {"cached_tokens": 32}
    assert_conforms("CreateChatCompletionResponse", body)


def test_required_nullable_fields_are_filled() -> None:
    body = _shaped(ESCALATION_OUTPUTS[0]["response"])
    choice = body["choices"][0]
    del choice["message"]["refusal"], choice["logprobs"]["refusal"]
    assert conformance_errors("CreateChatCompletionResponse", body)
    assert shape(body) is True
    assert choice["message"]["refusal"] is None and choice["logprobs"]["refusal"] is None
    del choice["logprobs"]
    assert shape(body) is True and choice["logprobs"] is None
    assert_conforms("CreateChatCompletionResponse", body)


@pytest.mark.parametrize("body", [{"object": "list", "data": [], "extra": None}, {"error": {"code": 400}}, {}])
def test_other_bodies_are_not_touched(body: dict[str, Any]) -> None:
    before = copy.deepcopy(body)
    assert shape(body) is False and body == before


def _compact(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def test_taking_vllms_null_fields_out_as_bytes_leaves_what_shaping_would() -> None:
    bodies = [r["response"] for r in ESCALATION_OUTPUTS]
    bodies += [b for row in VLLM_BODIES for b in ([row["body"]] if "body" in row else row["chunks"])]
    untouched = 0
    for body in bodies:
        raw = _compact(body)
        cleaned = without_null_fields(raw)
        assert _shaped(json.loads(cleaned)) == _shaped(body)
        untouched += shape(json.loads(cleaned)) is False  # nothing left to change: no re-serialisation
    assert untouched >= len(bodies) // 2, untouched  # vLLM's usual chunk is done with by the bytes alone


def test_null_fields_inside_strings_are_text_not_fields() -> None:
    chunk = _shaped(next(r for r in VLLM_BODIES if r["case"] == "chat-stream")["chunks"][1])
    chunk["choices"][0]["delta"]["content"] = 'say ,"token_ids":null} and ,"reasoning":null,'
    assert without_null_fields(_compact(chunk)) == _compact(chunk)


def test_a_stream_through_strip_is_shaped_event_by_event() -> None:
    chunks = next(r for r in VLLM_BODIES if r["case"] == "chat-stream-logprobs")["chunks"]
    events = [b"data: " + _compact(c) + b"\n\n" for c in chunks] + [b"data: [DONE]\n\n"]
    strip = Strip(logprobs=True)  # as when tierd asked for the logprobs and the client did not
    out = [strip.apply(e) for e in events]
    assert out[-1] == b"data: [DONE]\n\n"
    for event, chunk in zip(out[:-1], chunks, strict=True):
        payload = json.loads(event[6:])
        assert_conforms(CHUNK_SCHEMA[chunk["object"]], payload)
        assert all(c["logprobs"] is None for c in payload["choices"])
        expected = _shaped(chunk)
        for choice in expected["choices"]:
            choice["logprobs"] = None
        assert payload == expected
