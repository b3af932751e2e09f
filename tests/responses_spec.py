"""Strict checks of Responses API bodies and stream events against OpenAI's spec (tests/openai_spec.py).

A stream event is validated against the member of the `ResponseStreamEvent` family that its `type` names
(the family is an anyOf: validating against it whole only says "not valid under any", and an event of
one kind that happens to fit another's schema would pass).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from tests.openai_spec import assert_conforms, spec_document


@functools.cache
def event_schemas() -> dict[str, str]:
    """Event type -> its schema's name, for every member of the spec's ResponseStreamEvent."""
    schemas = spec_document()["components"]["schemas"]
    names: dict[str, str] = {}
    for member in schemas["ResponseStreamEvent"]["anyOf"]:
        name = member["$ref"].rsplit("/", 1)[-1]
        for kind in schemas[name].get("properties", {}).get("type", {}).get("enum", []):
            names[kind] = name
    return names


def assert_event_conforms(event: dict[str, Any]) -> None:
    kind = event.get("type")
    assert kind in event_schemas(), f"not an OpenAI stream event type: {kind!r}"
    assert_conforms(event_schemas()[kind], event)
    assert_conforms("ResponseStreamEvent", event)


def assert_response_conforms(body: dict[str, Any]) -> None:
    assert_conforms("Response", body)


def sse_events(text: str) -> list[tuple[str | None, dict[str, Any] | None, str]]:
    """A stream's events as (its `event:` name, its JSON data or None, the raw text), comments included."""
    out: list[tuple[str | None, dict[str, Any] | None, str]] = []
    for raw in text.split("\n\n"):
        if not raw.strip():
            continue
        name = next((line[7:] for line in raw.split("\n") if line.startswith("event: ")), None)
        data = "".join(line[6:] for line in raw.split("\n") if line.startswith("data: "))
        out.append((name, json.loads(data) if data.startswith("{") else None, raw))
    return out
