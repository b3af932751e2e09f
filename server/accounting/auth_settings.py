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
