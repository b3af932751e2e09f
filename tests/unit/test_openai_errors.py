"""Upstream error bodies in OpenAI's shape (server/errors.py `openai_error`, `from_upstream`), validated
strictly against the spec's ErrorResponse."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import from_upstream, openai_error
from tests.openai_spec import assert_conforms, conformance_errors
from tiers.base import UpstreamError, UpstreamTimeout

VLLM_400 = {"error": {"message": "max_tokens is too large", "type": "BadRequestError", "param": None, "code": 400}}


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (403, "permission_error"),
        (404, "invalid_request_error"),
        (422, "invalid_request_error"),
        (429, "rate_limit_error"),
        (500, "server_error"),
        (503, "server_error"),
    ],
)
def test_vllm_errors_get_openais_type_for_their_status(status: int, kind: str) -> None:
    body = {"error": {"message": "m", "type": "SomeVllmError", "param": None, "code": status}}
    error = openai_error(body, status)
    assert error == {"message": "m", "type": kind, "param": None, "code": None}
    assert conformance_errors("ErrorResponse", body)  # as vLLM sent it
    assert_conforms("ErrorResponse", {"error": error})


def test_openais_own_errors_keep_their_type_code_and_param() -> None:
    frontier = {
        "error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "param": None,
                  "code": "insufficient_quota"}
    }  # fmt: skip
    assert openai_error(frontier, 429) == frontier["error"]
    invalid = {"error": {"message": "bad", "type": "invalid_request_error", "param": "messages", "code": "x"}}
    assert openai_error(invalid, 400) == invalid["error"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # vLLM's older flat shape
        ({"object": "error", "message": "gone", "type": "NotFoundError", "param": None, "code": 404},
         {"message": "gone", "type": "invalid_request_error", "param": None, "code": None}),
        # a mid-stream error event has no HTTP status: its integer code stands for it, else a server error
        ({"error": {"message": "oom", "type": "InternalServerError", "code": 500}},
         {"message": "oom", "type": "server_error", "param": None, "code": None}),
        ({"error": {"message": "bad", "type": "BadRequestError", "code": 400}},
         {"message": "bad", "type": "invalid_request_error", "param": None, "code": None}),
        ({"error": {"message": 7, "param": ["x"]}},
         {"message": "upstream error (500)", "type": "server_error", "param": None, "code": None}),
        ("not an object", {"message": "upstream error (500)", "type": "server_error", "param": None, "code": None}),
    ],
)  # fmt: skip
def test_odd_and_streamed_error_bodies(body: Any, expected: dict[str, Any]) -> None:
    error = openai_error(body, None)
    assert error == expected
    assert_conforms("ErrorResponse", {"error": error})


def test_from_upstream_keeps_status_and_message_and_maps_the_rest() -> None:
    error = from_upstream(UpstreamError(400, "max_tokens is too large", body=VLLM_400), "tier-2")
    assert (error.status, error.short_code()) == (400, "invalid_request_error")
    assert error.body() == {
        "error": {"message": "max_tokens is too large", "type": "invalid_request_error", "param": None, "code": None}
    }
    assert_conforms("ErrorResponse", error.body())


def test_from_upstream_without_a_body() -> None:
    busy = from_upstream(UpstreamError(429, "busy"), "tier-2")
    assert (busy.status, busy.body()["error"]["type"], busy.body()["error"]["code"]) == (429, "rate_limit_error", None)
    timeout = from_upstream(UpstreamTimeout("no answer in 30 s"), "tier-2")
    assert (timeout.status, timeout.body()["error"]["code"]) == (504, "upstream_timeout")
    for error in (busy, timeout):
        assert_conforms("ErrorResponse", error.body())
