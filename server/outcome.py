"""What a finished request was, for accounting: a frozen `RequestRecord` and one `AttemptRecord` per upstream call.

The bottom floor of the gateway: plain dataclasses that import nothing of tierd's, so the accounting
(ledger, metrics, budgets) depends on no routing, escalation or stream type. The serving path builds
one record per request, with keyword arguments, when the request ends (server/service.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

CLIENT_DISCONNECTED = "client_disconnected"
# Still running when the shutdown grace ran out (server.shutdown_grace_s): cut by tierd, not by the client.
SERVER_SHUTDOWN = "server_shutdown"
RECORD_INCOMPLETE = "record_incomplete"  # the request's full record could not be built (a bug, logged)


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    index: int
    tier: str
    model: str | None
    replica: str | None
    status: int
    returned: bool  # the client got this attempt's answer
    passed: bool | None  # all checks passed; None when the answer was not checked
    checks: tuple[dict[str, Any], ...] | None
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None
    latency_s: float | None
    stopped_after_tokens: int | None = None  # the runaway guard cut the generation there


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestRecord:
    """One client request as it ended. Costs: None means unknown, never zero."""

    request_id: str
    created_at: datetime
    finished_at: datetime
    endpoint: str
    status: int
    api_key_id: str | None = None
    requested_model: str | None = None
    stream: bool = False
    decision: str | None = None
    explanation: dict[str, Any] | None = None
    classifier: str | None = None
    chosen_tier: str | None = None
    first_tier: str | None = None
    final_tier: str | None = None
    final_model: str | None = None
    replica: str | None = None
    local: bool | None = None
    error_code: str | None = None
    escalation_outcome: str | None = None
    escalations: int = 0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    # What budgets are charged: cost_usd when known, else an estimate from what the request used (its prompt
    # estimate and the tokens or chunks it got; server/recording.py), never less than its known part.
    # None only when no tier was called.
    charged_usd: float | None = None
    wasted_usd: float | None = None
    cost_basis: str | None = None
    frontier_cost_usd: float | None = None
    savings_usd: float | None = None
    latency_s: float | None = None
    ttft_s: float | None = None
    attempts: tuple[AttemptRecord, ...] = ()

    @property
    def thrown_away(self) -> tuple[AttemptRecord, ...]:
        return tuple(a for a in self.attempts if not a.returned)


def cut_by_shutdown(record: RequestRecord) -> RequestRecord:
    """A request cancelled because the gateway stopped, booked as such: 503 `server_shutdown` instead of the
    499 `client_disconnected` its cancellation looked like (its cut attempts say so too)."""
    attempts = tuple(replace(a, status=503, error=SERVER_SHUTDOWN) if a.status == 499 else a for a in record.attempts)
    return replace(record, status=503, error_code=SERVER_SHUTDOWN, attempts=attempts)
