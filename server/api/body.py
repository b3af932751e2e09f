"""Reading a request body as JSON that is safe to pass on: a 400 in OpenAI's shape for anything else.

Beyond unparsable JSON and invalid UTF-8, bodies that parse can still break what comes after: JSON nested
thousands deep exhausts Python's recursion in the parser (or later in validation and re-serialisation), a NUL
character is refused by engines and databases, and a lone UTF-16 surrogate (`"\\ud800"`, legal JSON) cannot be
encoded as UTF-8, so the forwarded body, the log line or the ledger row would fail. Each is refused here,
before anything reaches a tier; the request is still booked (server/api/inference.py records refusals).

Numbers are read for what they can be downstream: `NaN` and `Infinity` (which Python's parser accepts and JSON does
not), a float that overflows to infinity (`1e999`) and an integer past 64 bits (a 4,000-digit `max_tokens`
overflows the float arithmetic of routing) are refused as they are parsed.

The walks over the parsed value run only after cheap byte tests: a body with few brackets cannot be deep, one
without `\\u0000` or `\\ud8`-`\\udf` escapes cannot hold those characters, so ordinary bodies pay almost nothing.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from server.errors import ApiError, invalid_json

# Deeper than any real request (a JSON schema in response_format or a tool's parameters nests a few levels
# per property), far below the parser's recursion limit.
MAX_DEPTH = 64
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]", re.ASCII)
MAX_INT = 2**63  # no field of OpenAI's API takes an integer past int64 (seed is the widest)


class _BadNumber(Exception):
    """A number tierd will not pass on (raised from inside the parser, so not a ValueError)."""


def _int(text: str) -> int:
    value = int(text)
    if not -MAX_INT <= value < MAX_INT:
        raise _BadNumber(f"the integer {text[:20]}... is out of range (64 bits)")
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"the number {text[:40]} is out of range")
    return value


def _constant(name: str) -> float:
    raise _BadNumber(f"{name} is not a JSON number")


def parse_body(raw: bytes) -> Any:
    """The body's JSON value; raises ApiError (400) for a body tierd will not pass on."""
    if not raw.strip():
        raise invalid_json("the body is empty")
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except UnicodeDecodeError:
        raise invalid_json("the body is not valid UTF-8") from None
    except RecursionError:  # the parser's own limit (~1,000 levels)
        raise _too_deep() from None
    except _BadNumber as exc:
        raise _invalid(str(exc)) from None
    except ValueError as exc:
        raise invalid_json(str(exc)) from None
    brackets = raw.count(b"[") + raw.count(b"{")
    if brackets > MAX_DEPTH and isinstance(value, dict | list) and _nested_deeper(value, MAX_DEPTH):
        raise _too_deep()
    if b"\\u0000" in raw:
        _refuse_strings(value, lambda text: "\x00" in text, "contains a NUL character (\\u0000)")
    if _SURROGATE_ESCAPE.search(raw):
        _refuse_strings(value, _has_lone_surrogate, "contains a lone UTF-16 surrogate, which is not valid Unicode")
    return value


def _too_deep() -> ApiError:
    return _invalid(f"the JSON is nested more than {MAX_DEPTH} levels deep")


def _invalid(message: str, param: str | None = None) -> ApiError:
    return ApiError("invalid_value", f"The request body is not acceptable: {message}.", param=param)


def _nested_deeper(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` (an iterative walk that stops at the first proof)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse_strings(value: Any, bad: Any, problem: str) -> None:
    """Raise a 400 naming the first key or string (by its JSON path) for which `bad(text)` holds."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            if bad(node):
                raise _invalid(f"{path or 'the body'} {problem}", param=path or None)
        elif isinstance(node, dict):
            for key, item in node.items():
                where = f"{path}.{key}" if path else str(key)
                if bad(key):
                    raise _invalid(f"a key in {path or 'the body'} {problem}", param=path or None)
                stack.append((where, item))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(node))
