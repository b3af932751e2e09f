"""/openapi.json documents each POST endpoint's request body from the wire models that validate it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from tests.api.harness import gateway_settings, running_gateway, scripted_tiers

pytestmark = pytest.mark.api
DOCUMENT = "urn:tierd:openapi"  # the document's own `#/components/...` refs resolve against it
BODIES = {
    "/v1/chat/completions": {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 5},
    "/v1/completions": {"model": "tier-2", "prompt": "Once upon a time"},
    "/v1/responses": {
        "model": "auto",
        "instructions": "Be brief.",
        "input": [{"role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
        "text": {"format": {"type": "json_schema", "name": "x", "schema": {"type": "object"}}},
    },
    "/v1/route": {"model": "auto", "messages": [{"role": "user", "content": "hi"}]},
    "/v1/feedback": {"request_id": "req-1", "score": 1},
}


@pytest.fixture
async def document(tmp_path: Path) -> dict[str, Any]:
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.get("/openapi.json")
        assert (await gateway.http.get("/docs")).status_code == 200
    assert response.status_code == 200
    return dict(response.json())


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in _refs(v)]
    return [r for v in node for r in _refs(v)] if isinstance(node, list) else []


def _validator(document: dict[str, Any], path: str) -> jsonschema.Draft202012Validator:
    ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    registry: Registry[Any] = Registry().with_resource(DOCUMENT, Resource.opaque(document))
    return jsonschema.Draft202012Validator({"$ref": DOCUMENT + ref}, registry=registry)


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    refs = _refs(document)
    assert refs and all(r.startswith("#/components/schemas/") for r in refs)
    assert not {r.rsplit("/", 1)[1] for r in refs} - set(schemas)


@pytest.mark.parametrize("path", list(BODIES))
def test_each_endpoint_documents_a_body_that_real_requests_fit(document: dict[str, Any], path: str) -> None:
    validator = _validator(document, path)
    validator.validate(BODIES[path])
    assert not validator.is_valid({})  # a body is required to carry its required fields
    errors = document["paths"][path]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
    assert errors == {"$ref": "#/components/schemas/ErrorResponse"}


def test_the_chat_schema_carries_the_wire_models_constraints(document: dict[str, Any]) -> None:
    validator = _validator(document, "/v1/chat/completions")
    good = BODIES["/v1/chat/completions"]
    assert validator.is_valid({**good, "top_k": 20})  # engine extensions are forwarded, so documented as allowed
    for bad in ({**good, "temperature": 3}, {**good, "messages": []}, {**good, "messages": [{"role": "robot"}]}):
        assert not validator.is_valid(bad), bad
