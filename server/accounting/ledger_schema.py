"""The ledger's tables (SQLAlchemy 2, typed): one row per request, one per attempt, user feedback, API keys.

The same schema runs on SQLite (the default, a file in the state dir) and on Postgres (by URL). Times
are timezone-aware UTC. Money is a float of US dollars: amounts are tiny (1e-6 to 1e1) and only ever
summed for reports, where a double's 15 significant digits are far more than the prices' own precision.
A None cost means "unknown" (a local tier with no measured throughput yet, an answer without usage),
never zero: reports count those requests apart instead of pretending they were free.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 2  # 2: tierd_api_keys.role (server/accounting/ledger.py migrates a version-1 database)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class RequestRow(Base):
    """One client request, written once when it ends (a stream ends with its last byte)."""

    __tablename__ = "tierd_requests"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    api_key_id: Mapped[str | None] = mapped_column(String(32), index=True)
    endpoint: Mapped[str] = mapped_column(String(64))  # "/chat/completions", "/completions" or "/responses"
    requested_model: Mapped[str | None] = mapped_column(String(256))
    stream: Mapped[bool] = mapped_column(Boolean, default=False)
    # The routing decision: its short form (also the x-tierd-decision header) and the whole explanation.
    decision: Mapped[str | None] = mapped_column(String(512))
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    classifier: Mapped[str | None] = mapped_column(String(64))
    chosen_tier: Mapped[str | None] = mapped_column(String(64))  # what the classifier chose
    first_tier: Mapped[str | None] = mapped_column(String(64))  # where placement sent it
    final_tier: Mapped[str | None] = mapped_column(String(64), index=True)  # whose answer the client got
    final_model: Mapped[str | None] = mapped_column(String(256))
    replica: Mapped[str | None] = mapped_column(String(128))
    local: Mapped[bool | None] = mapped_column(Boolean)  # final tier is a local (vLLM) tier
    status: Mapped[int] = mapped_column(Integer, index=True)  # HTTP status; 499 when the client left
    error_code: Mapped[str | None] = mapped_column(String(64))
    escalation_outcome: Mapped[str | None] = mapped_column(String(32))  # accepted, escalated, ... or None
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)
    cost_usd: Mapped[float | None] = mapped_column(Float)  # every attempt, thrown-away ones included
    wasted_usd: Mapped[float | None] = mapped_column(Float)  # attempts whose answer was thrown away
    cost_basis: Mapped[str | None] = mapped_column(String(32))
    # Counterfactual: the frontier's list price for the same tokens, and that minus cost_usd.
    frontier_cost_usd: Mapped[float | None] = mapped_column(Float)
    savings_usd: Mapped[float | None] = mapped_column(Float)
    latency_s: Mapped[float | None] = mapped_column(Float)
    ttft_s: Mapped[float | None] = mapped_column(Float)


class AttemptRow(Base):
    """One call to one tier for a request; a request that escalated has several."""

    __tablename__ = "tierd_attempts"
    __table_args__ = (UniqueConstraint("request_id", "attempt_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("tierd_requests.request_id", ondelete="CASCADE"), index=True)
    attempt_index: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    tier: Mapped[str] = mapped_column(String(64), index=True)
    model: Mapped[str | None] = mapped_column(String(256))
    replica: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[int] = mapped_column(Integer)
    returned: Mapped[bool] = mapped_column(Boolean, default=False)  # the client got this attempt's answer
    passed: Mapped[bool | None] = mapped_column(Boolean)  # all checks passed; None when not checked
    checks: Mapped[list[Any] | None] = mapped_column(JSON)  # [{"check", "passed", "detail"}]
    error: Mapped[str | None] = mapped_column(Text)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)
    cost_usd: Mapped[float | None] = mapped_column(Float)
    latency_s: Mapped[float | None] = mapped_column(Float)


class FeedbackRow(Base):
    """A user's judgment of an answer (`POST /v1/feedback`)."""

    __tablename__ = "tierd_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    api_key_id: Mapped[str | None] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)


class ApiKeyRow(Base):
    """An API key, stored only as a salted hash; the key itself is shown once, at creation."""

    __tablename__ = "tierd_api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public, part of the key's text
    name: Mapped[str] = mapped_column(String(128), unique=True)
    salt: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(128))
    daily_budget_usd: Mapped[float | None] = mapped_column(Float)
    requests_per_minute: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # admin: sees every key's usage and manages keys; ordinary: only its own usage. The server default
    # gives keys of a version-1 database (made before roles) the ordinary role when the column is added.
    role: Mapped[str] = mapped_column(String(16), default="ordinary", server_default="ordinary")


class SchemaInfo(Base):
    __tablename__ = "tierd_schema"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)


Index("ix_tierd_requests_key_time", RequestRow.api_key_id, RequestRow.created_at)
