"""Errors in OpenAI's shape, and the one place that maps failures to HTTP statuses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tiers.base import UpstreamError


@dataclass
class ApiError(Exception):
    status: int
    message: str
    type: str = "invalid_request_error"
    param: str | None = None
    code: str | None = None
    # An upstream's own error body, passed through unchanged.
    passthrough: dict[str, Any] | None = None
    retry_after_s: int | None = None  # sent as Retry-After

    def short_code(self) -> str:
        """The error's code for logs and the ledger: an upstream body's, or its own code, or its type."""
        if self.passthrough is not None:
            return error_code_of(self.passthrough)
        return self.code or self.type

    def body(self) -> dict[str, Any]:
        if self.passthrough is not None:
            return self.passthrough
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def error_code_of(body: Any) -> str:
    """An OpenAI-style error body's code when it is a word (vLLM puts the HTTP status there), else its type."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "upstream_error"
    code = error.get("code")
    return code if isinstance(code, str) and code else str(error.get("type") or "upstream_error")


_TYPE_NAMES = frozenset({"str", "int", "float", "bool", "dict", "list", "none"})


def _param_path(loc: tuple[int | str, ...]) -> str:
    """`('messages', 0, 'role')` -> `messages[0].role`, as OpenAI names params."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def from_validation_error(exc: ValidationError) -> ApiError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    # Union members add their type name to the location (`str`, `list[str]`, ...); OpenAI
    # names only the field.
    loc = tuple(p for p in first["loc"] if isinstance(p, int) or (p.isidentifier() and p not in _TYPE_NAMES))
    param = _param_path(loc) or None
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    where = f"{param}: " if param else ""
    return ApiError(400, f"{where}{first['msg']}{more}", param=param, code="invalid_value")


def invalid_json(detail: str) -> ApiError:
    return ApiError(400, f"We could not parse the JSON body of your request: {detail}", code="invalid_json")


def body_too_large(limit: int) -> ApiError:
    return ApiError(413, f"Request body exceeds the limit of {limit} bytes.", code="request_too_large")


def model_not_found(model: str, available: list[str]) -> ApiError:
    return ApiError(
        404,
        f"The model `{model}` does not exist. Available: {', '.join(available)}.",
        param="model",
        code="model_not_found",
    )


def ledger_backlog(retry_after_s: int) -> ApiError:
    return ApiError(
        503,
        "tierd is behind on writing its request ledger (the database is slow or down); retry shortly.",
        type="server_error",
        code="ledger_backlog",
        retry_after_s=retry_after_s,
    )


def from_upstream(exc: UpstreamError, tier: str) -> ApiError:
    if exc.body is not None:
        return ApiError(exc.status, exc.message, passthrough=exc.body)
    error_type = "invalid_request_error" if 400 <= exc.status < 500 else "server_error"
    return ApiError(exc.status, f"tier {tier!r}: {exc.message}", type=error_type, code=exc.code)


def status_type(status: int) -> str:
    return {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}.get(
        status, "invalid_request_error" if status < 500 else "server_error"
    )
