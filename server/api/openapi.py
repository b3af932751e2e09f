"""Request schemas in /openapi.json, from the same pydantic wire models that validate the requests.

The routes read their bodies themselves (so that a bad body is an OpenAI-style error and unknown fields are
forwarded, not FastAPI's 422), which leaves FastAPI nothing to document. Each route names its wire model with
`json_body(Model)`; `document_request_bodies` puts every named model (and the models it uses) under
`components.schemas`, so that /docs, generated clients and schema-based fuzzers see the real API.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

REF_TEMPLATE = "#/components/schemas/{model}"
_ERROR_SCHEMA = "ErrorResponse"


def json_body(model: type[BaseModel], *, errors: Sequence[int] = (400, 401, 404, 429, 503)) -> dict[str, Any]:
    """A route's `openapi_extra`: its JSON request body, and the OpenAI-style errors it answers with."""
    error = {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=_ERROR_SCHEMA)}}}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}}},
        },
        "responses": {str(status): {"description": "an OpenAI-style error", "content": error} for status in errors},
    }


def _error_schema() -> dict[str, Any]:
    detail = {
        "type": "object",
        "required": ["message", "type", "param", "code"],
        "properties": {
            "message": {"type": "string"},
            "type": {"type": "string"},
            "param": {"type": ["string", "null"]},
            "code": {"type": ["string", "null"]},
        },
    }
    return {"type": "object", "required": ["error"], "properties": {"error": detail}}


def document_request_bodies(app: FastAPI, models: Sequence[type[BaseModel]]) -> None:
    """Make `app.openapi()` include the schemas of `models`, built once on first use."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            _, definitions = models_json_schema([(m, "validation") for m in models], ref_template=REF_TEMPLATE)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(definitions.get("$defs", {}))
            components[_ERROR_SCHEMA] = _error_schema()
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
