"""The JSON schemas a request carries (response_format, tool parameters), refused at the door when no engine
could use them: a `$ref` outside the schema (tierd fetches nothing, and neither should the engine), one that
points nowhere, or a chain of `$ref`s that comes back to itself without describing anything. vLLM answers
such a schema with a 500 from its grammar compiler; forwarded, a handful of them open every replica's
circuit breaker, so one client could take a tier away from everyone. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from server.responses.protocol import as_chat

MAX_REFS = 1_000  # more than any real schema; a bound on the walk


def carried_schemas(body: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(param, schema) of each schema in a chat, completions or Responses API body."""
    chat = as_chat(body)
    fmt = chat.get("response_format")
    if isinstance(fmt, Mapping) and fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") if isinstance(fmt.get("json_schema"), Mapping) else None
        if isinstance(schema, Mapping):
            yield "response_format", schema
    tools = chat.get("tools")
    for i, tool in enumerate(tools if isinstance(tools, list) else []):
        function = tool.get("function") if isinstance(tool, Mapping) else None
        parameters = function.get("parameters") if isinstance(function, Mapping) else None
        if isinstance(parameters, Mapping):
            yield f"tools[{i}].function.parameters", parameters


def _refs(node: Any, found: list[str]) -> None:
    if len(found) > MAX_REFS:
        return
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.append(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _pointed(root: Mapping[str, Any], ref: str) -> Any:
    """What a local `$ref` ("#", "#/a/b") points at; KeyError when nothing."""
    node: Any = root
    for part in ref[1:].split("/")[1:] if ref != "#" else []:
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(ref)
    return node


def schema_refusal(schema: Mapping[str, Any]) -> str | None:
    """Why the schema cannot be used (None: it can), in words for the client."""
    refs: list[str] = []
    _refs(schema, refs)
    if len(refs) > MAX_REFS:
        return f"the schema has more than {MAX_REFS} $refs"
    for ref in refs:
        if not ref.startswith("#"):
            return f"$ref {ref[:100]!r} is outside the schema: only local references (#/...) are accepted"
        seen = {ref}
        target = ref
        while True:
            try:
                node = _pointed(schema, target)
            except KeyError:
                return f"$ref {target[:100]!r} points at nothing in the schema"
            # A node that is only a reference describes nothing itself: follow it, and a loop of them never ends.
            if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
                break
            if set(node) - {"$ref", "$defs", "definitions", "$comment", "title", "description"}:
                break
            target = node["$ref"]
            if not target.startswith("#"):
                return f"$ref {target[:100]!r} is outside the schema: only local references (#/...) are accepted"
            if target in seen:
                return f"$ref {ref[:100]!r} refers to itself without end"
            seen.add(target)
    return None


def refused_schema(body: Mapping[str, Any]) -> tuple[str, str] | None:
    """(param, why) of the first schema in the request that no engine could use, or None."""
    for param, schema in carried_schemas(body):
        why = schema_refusal(schema)
        if why is not None:
            return param, why
    return None
