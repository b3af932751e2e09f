"""Errors in OpenAI's shape, and the one table that maps a failure's reason to its HTTP status.

Domain code (routing, escalation, accounting, tiers) names a failure by its reason code — a
`PlacementError.code`, an `UpstreamError.code`, an admission verdict's refusal — and never picks a
status. `REASONS` says what each reason is on the wire: (status, OpenAI error type, error code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tiers.base import UpstreamError


@dataclass(frozen=True, slots=True)
class Reason:
    status: int
    type: str
    code: str | None


def _invalid(status: int, code: str | None) -> Reason:
    return Reason(status, "invalid_request_error", code)


def _server(status: int, code: str | None) -> Reason:
    return Reason(status, "server_error", code)


REASONS: dict[str, Reason] = {
    # The client's request
    "invalid_request": _invalid(400, None),
    "invalid_json": _invalid(400, "invalid_json"),
    "invalid_type": _invalid(400, "invalid_type"),
    "invalid_value": _invalid(400, "invalid_value"),
    "invalid_api_key": _invalid(401, "invalid_api_key"),
    # an ordinary key asking for what only an admin key may do (keys, every key's usage, tier details)
    "permission_denied": Reason(403, "permission_error", "insufficient_permissions"),
    "not_found": _invalid(404, "not_found"),
    "unknown_path": _invalid(404, None),
    "method_not_allowed": _invalid(405, None),
    "model_not_found": _invalid(404, "model_not_found"),
    "request_too_large": _invalid(413, "request_too_large"),
    "rate_limit_exceeded": Reason(429, "requests", "rate_limit_exceeded"),
    "insufficient_quota": Reason(429, "insufficient_quota", "insufficient_quota"),
    # nginx's "client closed request": only access logs and the ledger ever see it
    "client_disconnected": _invalid(499, "client_disconnected"),
    # tierd itself
    "internal_error": _server(500, None),
    "ledger_backlog": _server(503, "ledger_backlog"),
    "ledger_unavailable": _server(503, "ledger_unavailable"),
    "shared_state_unavailable": _server(503, "shared_state_unavailable"),
    # a request still running when the shutdown grace (server.shutdown_grace_s) ran out
    "server_shutdown": _server(503, "server_shutdown"),
    # placement (server/routing/placement.py)
    "frontier_unconfigured": _server(503, "frontier_unconfigured"),
    "tier_unavailable": _server(503, "tier_unavailable"),
    "no_ready_tier": _server(503, "no_ready_tier"),
    # a tier that gave no answer (tiers/base.py); one that answered keeps its own status
    "upstream_unavailable": _server(503, "upstream_unavailable"),
    "upstream_timeout": _server(504, "upstream_timeout"),
    "upstream_response_too_large": _server(502, "upstream_response_too_large"),
    "upstream_malformed": _server(502, "upstream_malformed"),
}

# What a client is told of a tier that gave no answer: the reason in the tier's name, never the upstream's
# host, port or URL (they stay in tierd's log and the attempt's ledger row).
_NO_ANSWER = {
    "upstream_unavailable": "could not be reached or dropped the connection",
    "upstream_timeout": "did not answer in time",
    "upstream_response_too_large": "sent an answer larger than tierd reads",
    "upstream_malformed": "sent an answer that is not JSON",
}


@dataclass
class ApiError(Exception):
    """A failure to answer a request, by reason (a key of `REASONS`), or an upstream's own error answer."""

    reason: str
    message: str
    param: str | None = None
    retry_after_s: int | None = None  # sent as Retry-After
    # An upstream's own error: its HTTP status, and the type and code its body gave (if OpenAI's kind).
    upstream_status: int | None = None
    upstream_type: str | None = None
    upstream_code: str | None = None

    def __post_init__(self) -> None:
        if self.reason not in REASONS and self.upstream_status is None:
            raise KeyError(f"unknown error reason {self.reason!r}")

    @property
    def status(self) -> int:
        return self.upstream_status if self.upstream_status is not None else REASONS[self.reason].status

    @property
    def type(self) -> str:
        if self.reason in REASONS:
            return REASONS[self.reason].type
        return self.upstream_type or status_type(self.status)

    @property
    def code(self) -> str | None:
        return REASONS[self.reason].code if self.reason in REASONS else self.upstream_code

    def short_code(self) -> str:
        """The error's code for logs and the ledger: its code, or else its type."""
        return self.code or self.type

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def status_of(reason: str) -> int:
    return REASONS[reason].status


def mid_stream_status(code: str) -> int:
    """The status the ledger keeps for a stream that ended in an error event after its 200 had gone: that of
    tierd's own reason (503 upstream_unavailable, 504 upstream_timeout), else 502 (an upstream's error event).
    So the request counts as the failure it was, in the usage reports and `tierd_requests_total`."""
    reason = REASONS.get(code)
    return reason.status if reason is not None and reason.status >= 500 else 502


def http_reason(status: int) -> str:
    """The reason of the web framework's own refusals (no such path, wrong method)."""
    return {404: "unknown_path", 405: "method_not_allowed"}.get(
        status, "invalid_request" if status < 500 else "internal_error"
    )


def status_type(status: int) -> str:
    """OpenAI's error type for a bare HTTP status (a framework's own 404 or 405, an upstream's answer)."""
    return {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}.get(
        status, "invalid_request_error" if status < 500 else "server_error"
    )


def error_code_of(body: Any) -> str:
    """An OpenAI-style error body's code when it is a word (vLLM puts the HTTP status there), else its type."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "upstream_error"
    code = error.get("code")
    return code if isinstance(code, str) and code else str(error.get("type") or "upstream_error")


def error_code_of_body(body: bytes) -> str | None:
    """An upstream error body's code (or type), for the ledger; `upstream_error` when it is not JSON."""
    try:
        return error_code_of(json.loads(body))
    except ValueError:
        return "upstream_error"


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
    return ApiError("invalid_value", f"{where}{first['msg']}{more}", param=param)


def not_an_object() -> ApiError:
    return ApiError("invalid_type", "The request body must be a JSON object.")


def invalid_json(detail: str) -> ApiError:
    return ApiError("invalid_json", f"We could not parse the JSON body of your request: {detail}")


def body_too_large(limit: int) -> ApiError:
    return ApiError("request_too_large", f"Request body exceeds the limit of {limit} bytes.")


def model_not_found(model: str, available: list[str]) -> ApiError:
    return ApiError(
        "model_not_found", f"The model `{model}` does not exist. Available: {', '.join(available)}.", param="model"
    )


def ledger_backlog(retry_after_s: int) -> ApiError:
    return ApiError(
        "ledger_backlog",
        "tierd is behind on writing its request ledger (the database is slow or down); retry shortly.",
        retry_after_s=retry_after_s,
    )


def upstream_status(exc: UpstreamError) -> int:
    """The status an upstream failure is recorded and answered with: the upstream's own when it answered."""
    return exc.status if exc.status is not None else status_of(exc.code)


def from_upstream(exc: UpstreamError, tier: str) -> ApiError:
    """An upstream's failure as the client is told it: an error answer keeps its status and message, in
    OpenAI's shape (see `openai_error`); no answer at all is tierd's own 503 or 504."""
    if exc.body is not None:
        error = openai_error(exc.body, upstream_status(exc))
        return ApiError(
            "upstream_error", error["message"], error["param"], upstream_status=upstream_status(exc),
            upstream_type=error["type"], upstream_code=error["code"],
        )  # fmt: skip
    if exc.status is None:
        return ApiError(exc.code if exc.code in REASONS else "upstream_unavailable", no_answer_message(exc, tier))
    return ApiError("upstream_error", f"tier {tier!r}: {exc.message}", upstream_status=exc.status)


def no_answer_message(exc: UpstreamError, tier: str) -> str:
    """The client's message for a tier that gave no answer (the detail is logged where it failed)."""
    return f"tier {tier!r} {_NO_ANSWER.get(exc.code, 'failed')} ({exc.code})"


# OpenAI's own error types: an upstream that uses one (the frontier) keeps it; any other (vLLM's exception
# class names, `BadRequestError`) is replaced by the type OpenAI gives the status.
OPENAI_ERROR_TYPES = frozenset(
    {
        "invalid_request_error",
        "authentication_error",
        "permission_error",
        "not_found_error",
        "rate_limit_error",
        "server_error",
        "insufficient_quota",
        "requests",
        "tokens",
    }
)


def openai_error(body: Any, status: int | None) -> dict[str, Any]:
    """An upstream's error body as OpenAI's `Error` object: {message, type, param, code}.

    The message is kept; `type` is the upstream's when it is one of OpenAI's, else the status's (for a
    mid-stream error event, which has no status of its own, an integer `code` in the event stands for
    it); `code` and `param` are kept when they are strings, else null (vLLM puts the HTTP status in
    `code`). Takes `{"error": {...}}` and vLLM's older flat `{"object": "error", "message": ...}` alike.
    """
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = body if isinstance(body, dict) else {}
    code, param, kind, message = error.get("code"), error.get("param"), error.get("type"), error.get("message")
    if status is None:
        status = code if isinstance(code, int) and not isinstance(code, bool) and 400 <= code < 600 else 500
    return {
        "message": message if isinstance(message, str) else f"upstream error ({status})",
        "type": kind if kind in OPENAI_ERROR_TYPES else status_type(status),
        "param": param if isinstance(param, str) else None,
        "code": code if isinstance(code, str) and code else None,
    }
