"""Bodies built to break a parser or what comes after it: always a 400 in OpenAI's shape, never a 5xx; nothing
reaches a tier, and each request still gets its ledger row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.api.body import MAX_DEPTH
from tests.api.harness import frontier_tier, gateway_settings, running_gateway, scripted_tiers, vllm_tier

pytestmark = pytest.mark.api
HELLO = '{"model": "auto", "messages": [{"role": "user", "content": %s}]}'
HELLO_WITH = b'{"model": "auto", "messages": [{"role": "user", "content": "hi"}], %s}'


def _nested_schema(depth: int) -> bytes:
    """A chat body whose response_format schema nests objects `depth` deep."""
    schema: dict[str, object] = {}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": "hi"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}},
    }
    return json.dumps(body).encode()


def _with_schema(schema: dict[str, object], *, as_tool: bool = False) -> bytes:
    body: dict[str, object] = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    if as_tool:
        body["tools"] = [{"type": "function", "function": {"name": "f", "parameters": schema}}]
    else:
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    return json.dumps(body).encode()


SELF = {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
CASES = {
    "200,000 nested arrays": (b"[" * 200_000 + b"]" * 200_000, "invalid_value", None),
    "200,000 nested objects": (b'{"a":' * 200_000 + b"1" + b"}" * 200_000, "invalid_value", None),
    "a schema nested past the cap": (_nested_schema(MAX_DEPTH), "invalid_value", None),
    "invalid UTF-8 in a string": ((HELLO % '"caf\xc3"').encode("latin-1"), "invalid_json", None),
    "a raw NUL byte": ((HELLO % '"a\x00b"').encode(), "invalid_json", None),
    "an escaped NUL": ((HELLO % '"a\\u0000b"').encode(), "invalid_value", "messages[0].content"),
    "a lone surrogate": ((HELLO % '"\\ud800"').encode(), "invalid_value", "messages[0].content"),
    "a NUL in a key": (b'{"model": "auto", "messages": [], "x\\u0000": 1}', "invalid_value", None),
    # Python's parser takes these; JSON does not, and tierd would forward them (or overflow on them)
    "NaN in an unknown field": (HELLO_WITH % b'"x": NaN', "invalid_value", None),
    "-Infinity": (HELLO_WITH % b'"temperature": -Infinity', "invalid_value", None),
    "a float that overflows": (HELLO_WITH % b'"x": 1e999', "invalid_value", None),
    "a 4,000-digit max_tokens": (HELLO_WITH % (b'"max_tokens": ' + b"9" * 4000), "invalid_value", None),
    "an integer past 64 bits": (HELLO_WITH % b'"seed": 9223372036854775808', "invalid_value", None),
    # vLLM's grammar compiler answers these with a 500; forwarded, a few of them open every replica's breaker
    "a schema that refers to itself": (_with_schema(SELF), "invalid_value", "response_format"),
    "a tool schema that refers to itself": (
        _with_schema(SELF, as_tool=True),
        "invalid_value",
        "tools[0].function.parameters",
    ),
    "a file $ref": (_with_schema({"$ref": "file:///etc/passwd"}), "invalid_value", "response_format"),
    "a $ref to nothing": (_with_schema({"$ref": "#/$defs/none"}), "invalid_value", "response_format"),
}


@pytest.mark.parametrize("raw, code, param", CASES.values(), ids=list(CASES))
async def test_a_hostile_body_is_a_400_that_reaches_no_tier_and_is_booked(
    tmp_path: Path, raw: bytes, code: str, param: str | None
) -> None:
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.post("/v1/chat/completions", content=raw)
        assert not any(t.requests for t in gateway.tiers.values())
        ledger = await gateway.stop()
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", code, param)
    (row,) = ledger.requests.values()
    assert (row.status, row.error_code, row.endpoint) == (400, code, "/chat/completions")


async def test_a_schema_just_under_the_cap_is_served(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.post("/v1/chat/completions", content=_nested_schema(MAX_DEPTH // 2 - 4))
    assert response.status_code == 200, response.text


async def test_a_huge_messages_array_over_the_tiers_cap_is_a_400(tmp_path: Path) -> None:
    tiers = [vllm_tier("tier-1", limits={"max_messages": 256}), vllm_tier("tier-2"), frontier_tier()]
    settings = gateway_settings(tmp_path, tiers=tiers)
    body = {"model": "tier-1", "messages": [{"role": "user", "content": "hi"}] * 100_000}
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.post("/v1/chat/completions", content=json.dumps(body))
        assert not gateway.tiers["tier-1"].requests
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "messages"


async def test_numbers_at_the_edge_of_64_bits_are_served(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path)
    body = HELLO_WITH % b'"seed": 9223372036854775807, "x": -9223372036854775808, "y": 1.5e300'
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.post("/v1/chat/completions", content=body)
        ((_, sent),) = gateway.tiers["tier-1"].requests
    assert response.status_code == 200, response.text
    assert (sent["seed"], sent["x"], sent["y"]) == (2**63 - 1, -(2**63), 1.5e300)


async def test_a_recursive_schema_that_describes_something_is_served(tmp_path: Path) -> None:
    tree = {"$defs": {"node": {"type": "object", "properties": {"kids": {"type": "array",
            "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"}  # fmt: skip
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.post("/v1/chat/completions", content=_with_schema(tree))
    assert response.status_code == 200, response.text
