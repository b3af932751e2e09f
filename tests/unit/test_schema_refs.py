"""A client's JSON schema is resolved only within itself: no file is read, no URL fetched, no 500."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from server.escalation.answer import Answer, ToolCall
from server.escalation.checks import CheckRequest, JsonCheck, ToolCallsCheck

SECRET = "tierd-test-secret-7f3a"


@pytest.fixture
def local_schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"type": "string", "description": SECRET, "const": SECRET}))
    return path


@pytest.fixture
def stalling_url() -> Iterator[tuple[str, list[float]]]:
    """An HTTP server that would hold any fetch for 5 s; records when it is called."""
    calls: list[float] = []

    class Stall(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            calls.append(time.monotonic())
            time.sleep(5)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stall)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/schema.json", calls
    finally:
        server.shutdown()


def _json_request(schema: dict[str, Any]) -> CheckRequest:
    return CheckRequest("give me json", response_format={"type": "json_schema", "json_schema": {"schema": schema}})


def test_a_file_ref_is_not_read(local_schema_file: Path) -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": local_schema_file.as_uri()}}}
    result = JsonCheck().run(Answer('{"a": "x"}', "stop"), _json_request(schema))
    assert not result.passed and "does not fetch" in result.detail and SECRET not in result.detail


def test_an_http_ref_is_not_fetched(stalling_url: tuple[str, list[float]]) -> None:
    url, calls = stalling_url
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"$ref": url}}}]
    result = ToolCallsCheck().run(Answer("", "tool_calls", (ToolCall("f", "{}"),)), CheckRequest("x", tools=tools))
    assert not calls  # the stalling server saw no request (a fetch would have waited on it)
    assert not result.passed and "does not fetch" in result.detail


@pytest.mark.parametrize("schema", [{"$ref": "#/$defs/missing"}, {"$ref": "#"}])
def test_broken_and_endless_refs_fail_the_check_instead_of_raising(schema: dict[str, Any]) -> None:
    result = JsonCheck().run(Answer("[[1]]", "stop"), _json_request(schema))
    assert not result.passed and "the request's schema refers" in result.detail


def test_refs_inside_the_schema_still_work() -> None:
    assert JsonCheck().run(Answer("[[1]]", "stop"), _json_request({"items": {"$ref": "#"}})).passed
    schema = {"$defs": {"n": {"type": "integer"}}, "type": "object", "properties": {"a": {"$ref": "#/$defs/n"}}}
    assert JsonCheck().run(Answer('{"a": 1}', "stop"), _json_request(schema)).passed
    assert not JsonCheck().run(Answer('{"a": "one"}', "stop"), _json_request(schema)).passed
