"""Checking an answer against a JSON schema the client sent (response_format, tool parameters). Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable


def _refuse_retrieval(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # referencing's attrs classes hide their __init__


# A client's schema is only ever resolved within itself: by default jsonschema fetches `$ref`s over urllib, so a
# `{"$ref": "file:///etc/..."}` would read a local file into the check's detail (and the ledger), and an http
# one would block the event loop for as long as the URL stalls.
_SELF_CONTAINED: Registry[Any] = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]


def schema_error(value: Any, schema: Mapping[str, Any]) -> str | None:
    """Why `value` does not match `schema` (None: it does), in a line for the check's detail."""
    try:
        jsonschema.validate(value, schema, registry=_SELF_CONTAINED)
    except Unresolvable as exc:
        return f"the request's schema refers to what tierd does not fetch: {str(exc)[:120]}"
    except RecursionError:  # `{"$ref": "#"}` and the like
        return "the request's schema refers to itself without end"
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        return f"{where}: {exc.message}"[:200]
    except jsonschema.SchemaError as exc:
        return f"the request's schema is invalid: {exc.message}"[:200]
    return None
