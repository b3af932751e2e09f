"""The strict validator of tests/openai_spec.py: it refuses what the spec's own schema lets through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.openai_spec import (
    COMPLETION_STREAM_CHUNK,
    SPEC_VERSION,
    assert_conforms,
    conformance_errors,
    spec_document,
)

RECORDED = Path(__file__).parents[1] / "fixtures" / "escalation" / "outputs.jsonl"
CHAT = "CreateChatCompletionResponse"
MINIMAL_CHAT = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1795893825,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Paris.", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}
TOOL_CALL = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f", "arguments": "{}"}


def test_the_document_is_the_recorded_version() -> None:
    document = spec_document()
    assert document["openapi"].startswith("3.1") and document["info"]["version"] == SPEC_VERSION == "2.3.0"


def test_a_minimal_openai_body_conforms() -> None:
    assert_conforms(CHAT, MINIMAL_CHAT)


def test_unknown_properties_are_refused_at_every_depth() -> None:
    top = {**MINIMAL_CHAT, "prompt_token_ids": None}
    choice = {**MINIMAL_CHAT["choices"][0], "stop_reason": None}  # type: ignore[dict-item]
    nested = {**MINIMAL_CHAT, "choices": [choice]}
    assert conformance_errors(CHAT, top) == [
        "(body): Unevaluated properties are not allowed ('prompt_token_ids' was unexpected)"
    ]
    assert conformance_errors(CHAT, nested) == [
        ".choices[0]: Unevaluated properties are not allowed ('stop_reason' was unexpected)"
    ]
    with pytest.raises(AssertionError, match="stop_reason"):
        assert_conforms(CHAT, nested)


def test_null_is_refused_where_the_spec_does_not_allow_it() -> None:
    usage = {**MINIMAL_CHAT["usage"], "prompt_tokens_details": None}  # type: ignore[dict-item]
    assert conformance_errors(CHAT, {**MINIMAL_CHAT, "usage": usage}) == [
        ".usage.prompt_tokens_details: None is not of type 'object'"
    ]


def test_openapi_nullable_admits_null() -> None:
    # In the chunk schema `usage` is `$ref` + OpenAPI 3.0's `nullable: true`, which JSON Schema ignores.
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [], "usage": None}
    assert_conforms("CreateChatCompletionStreamResponse", chunk)
    assert conformance_errors("CreateChatCompletionStreamResponse", {**chunk, "usage": {"prompt_tokens": 1}})


def test_allof_branches_each_add_properties_and_the_whole_is_closed() -> None:
    # FunctionToolCallResource = allOf[FunctionToolCall, {id, status, created_by}]
    resource = {**TOOL_CALL, "status": "completed", "created_by": "user_1"}
    assert_conforms("FunctionToolCallResource", resource)
    assert conformance_errors("FunctionToolCall", resource) == [
        "(body): Unevaluated properties are not allowed ('created_by' was unexpected)"
    ]
    assert conformance_errors("FunctionToolCallResource", {**resource, "extra": 1}) == [
        "(body): Unevaluated properties are not allowed ('extra' was unexpected)"
    ]


def test_extras_admits_named_top_level_keys_only() -> None:
    with_extra = {**MINIMAL_CHAT, "tierd": {"cost_usd": "0"}}
    assert conformance_errors(CHAT, with_extra)
    assert_conforms(CHAT, with_extra, extras={"tierd"})


def test_completion_chunks_may_have_a_null_finish_reason() -> None:
    choice = {"index": 0, "text": "Once", "logprobs": None, "finish_reason": None}
    chunk = {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m", "choices": [choice]}
    assert conformance_errors("CreateCompletionResponse", chunk)  # as published: a string is required
    assert_conforms(COMPLETION_STREAM_CHUNK, chunk)


def test_error_bodies_in_vllms_shape_are_refused() -> None:
    vllm = {"error": {"message": "too long", "type": "BadRequestError", "param": None, "code": 400}}
    assert conformance_errors("ErrorResponse", vllm) == [".error.code: 400 is not of type 'string'"]
    assert_conforms("ErrorResponse", {"error": {**vllm["error"], "type": "invalid_request_error", "code": None}})


def test_recorded_vllm_bodies_do_not_conform_as_they_are() -> None:
    body = json.loads(RECORDED.read_text().splitlines()[0])["response"]
    problems = "\n".join(conformance_errors(CHAT, body))
    for field in ("token_ids", "prompt_logprobs", "kv_transfer_params", "reasoning", "annotations"):
        assert field in problems


def test_an_unknown_schema_name_is_an_error() -> None:
    with pytest.raises(KeyError, match="NoSuchThing"):
        conformance_errors("NoSuchThing", {})
