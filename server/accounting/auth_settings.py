"""The `auth:` and `budgets:` sections of the config: who may call tierd, and how much they may spend."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server.config_base import StrictModel

AuthMode = Literal["auto", "on", "off"]
OnExhausted = Literal["reject", "local_only"]


class AuthSettings(StrictModel):
    mode: AuthMode = Field(
        "auto",
        description="auto: off until the first key is created (`tierd keys create`), then on; "
        "on: every /v1 request needs a key; off: no keys are checked",
    )
    refresh_s: float = Field(
        2.0, gt=0, le=300, description="how often keys are re-read from the ledger (new keys and revocations)"
    )


class BudgetSettings(StrictModel):
    monthly_budget_usd: float | None = Field(
        None, gt=0, description="all keys together (and requests without a key), per UTC calendar month; null: none"
    )
    on_exhausted: OnExhausted = Field(
        "reject",
        description="when a budget is spent: reject (429 insufficient_quota) or local_only (only local vLLM tiers)",
    )
    default_requests_per_minute: int | None = Field(
        None, ge=1, description="requests per minute of keys that have no limit of their own; null: unlimited"
    )
    concurrent_requests_per_key: int | None = Field(
        32, ge=1, description="requests one key may have in flight at once (streams until their end); null: no limit"
    )
    # Caps on what one request may ask for: over them, 400 invalid_value naming the field (`param`).
    max_n: int = Field(8, ge=1, le=128, description="choices per request (`n`)")
    max_output_tokens: int = Field(
        65_536, ge=1, description="`n` x the request's max_tokens (max_completion_tokens, max_output_tokens)"
    )
    max_messages: int = Field(2_048, ge=1, description="chat messages, or Responses API input items, per request")
    assumed_max_tokens: int = Field(
        4_096,
        ge=1,
        description="output tokens a budget reservation assumes per choice when neither the request nor the "
        "tier's defaults/limits bound them",
    )
