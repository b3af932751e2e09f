"""What the serving class (server/service.py) takes and returns: the endpoint a body came in on, tierd's own
per-request options, and the result values (a JSON answer or a stream) that only the HTTP routes turn into
responses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from pydantic import BaseModel

from server.accounting.budgets import KeyLimits
from server.escalation.settings import StreamMode
from server.protocol import ChatCompletionRequest, CompletionRequest
from server.responses.protocol import ResponsesRequest


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str  # upstream path under /v1
    wire_model: type[BaseModel]
    responses_api: bool = False  # OpenAI's Responses API: typed stream events, its own shaping and meter


CHAT = Endpoint("/chat/completions", ChatCompletionRequest)
COMPLETIONS = Endpoint("/completions", CompletionRequest)
RESPONSES = Endpoint("/responses", ResponsesRequest, responses_api=True)


@dataclass(frozen=True, slots=True)
class JsonResult:
    status: int
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class StreamResult:
    chunks: AsyncIterator[bytes]
    headers: dict[str, str]
    # Records the request if the stream never starts (the client left between headers and first byte).
    abandoned: Callable[[], None] | None = None


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """tierd's own per-request options, from `x-tierd-*` request headers (never forwarded upstream)."""

    stream_mode: StreamMode | None = None
    api_key_id: str | None = None  # the caller's API key (set by auth), recorded with the request
    # Set by admission (server/api/auth.py) when a budget is spent and the policy is local_only.
    only_tiers: frozenset[str] | None = None  # the (local) tiers the request may use
    budget_note: str | None = None  # which budget is spent, for the x-tierd-budget header
    key: KeyLimits | None = None  # the key's limits, for the budget reservation (server/reservations.py)
