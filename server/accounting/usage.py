"""The usage report: the one source of the numbers that GET /v1/usage, `tierd report` and /dashboard show.

`load_window()` reads a window's rows from the ledger (plain SELECTs that run the same on SQLite and
Postgres); the rest is pure Python over those rows (server/accounting/usage_stats.py), including the
percentiles and the UTC days, so both databases give the same figures. Reading the whole window is
linear in its rows; a ledger of a few hundred thousand requests per window reports in about a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import Engine, inspect, select

from server.accounting.ledger_schema import ApiKeyRow, AttemptRow, FeedbackRow, RequestRow
from server.accounting.usage_stats import AttemptFacts, KpiAccumulator, RequestFacts
from server.accounting.usage_window import Window, as_utc, iso

GroupBy = Literal["tier", "key", "day"]
GROUP_BYS: tuple[str, ...] = get_args(GroupBy)
RECENT_DEFAULT = 25

_REQUEST_COLUMNS = (
    RequestRow.request_id,
    RequestRow.created_at,
    RequestRow.api_key_id,
    RequestRow.first_tier,
    RequestRow.final_tier,
    RequestRow.local,
    RequestRow.status,
    RequestRow.escalations,
    RequestRow.prompt_tokens,
    RequestRow.completion_tokens,
    RequestRow.cost_usd,
    RequestRow.frontier_cost_usd,
    RequestRow.savings_usd,
    RequestRow.latency_s,
    RequestRow.ttft_s,
)


@dataclass
class WindowRows:
    """What the ledger holds for one window. `ledger_ready` is False when it has no tables yet."""

    window: Window
    requests: list[RequestFacts] = field(default_factory=list)
    attempts: list[AttemptFacts] = field(default_factory=list)
    feedback: list[tuple[str, float]] = field(default_factory=list)  # (request_id, score)
    key_names: dict[str, str] = field(default_factory=dict)
    ledger_ready: bool = True


def _in_window(window: Window) -> Any:
    # SQLite stores the UTC wall time without a zone, Postgres a timestamptz: UTC bounds suit both.
    return (RequestRow.created_at >= window.since) & (RequestRow.created_at < window.until)


def load_window(engine: Engine, window: Window) -> WindowRows:
    tables = set(inspect(engine).get_table_names())
    if RequestRow.__tablename__ not in tables:
        return WindowRows(window, ledger_ready=False)
    rows = WindowRows(window)
    with engine.connect() as conn:
        for r in conn.execute(select(*_REQUEST_COLUMNS).where(_in_window(window))):
            rows.requests.append(
                RequestFacts(
                    request_id=r.request_id,
                    created_at=as_utc(r.created_at),
                    api_key_id=r.api_key_id,
                    first_tier=r.first_tier,
                    final_tier=r.final_tier,
                    local=r.local,
                    status=r.status,
                    escalations=r.escalations or 0,
                    prompt_tokens=r.prompt_tokens,
                    completion_tokens=r.completion_tokens,
                    cost_usd=r.cost_usd,
                    frontier_cost_usd=r.frontier_cost_usd,
                    savings_usd=r.savings_usd,
                    latency_s=r.latency_s,
                    ttft_s=r.ttft_s,
                )
            )
        if AttemptRow.__tablename__ in tables:
            attempts = select(AttemptRow.request_id, AttemptRow.tier, AttemptRow.passed, AttemptRow.checks)
            for a in conn.execute(attempts.join(RequestRow).where(_in_window(window))):
                rows.attempts.append(AttemptFacts(a.request_id, a.tier, a.passed, a.checks))
        if FeedbackRow.__tablename__ in tables:
            feedback = select(FeedbackRow.request_id, FeedbackRow.score).join(
                RequestRow, FeedbackRow.request_id == RequestRow.request_id
            )
            rows.feedback = [(f.request_id, f.score) for f in conn.execute(feedback.where(_in_window(window)))]
        if ApiKeyRow.__tablename__ in tables:
            rows.key_names = {k.id: k.name for k in conn.execute(select(ApiKeyRow.id, ApiKeyRow.name))}
    return rows


def _group_key(group_by: GroupBy) -> Callable[[RequestFacts], str | None]:
    if group_by == "tier":
        return lambda r: r.final_tier
    if group_by == "key":
        return lambda r: r.api_key_id
    return lambda r: r.created_at.strftime("%Y-%m-%d")


def _accumulate(rows: WindowRows, key_of: Callable[[RequestFacts], str | None]) -> dict[str | None, KpiAccumulator]:
    """One accumulator per group: requests, then their attempts and feedback through the request id."""
    groups: dict[str | None, KpiAccumulator] = {}
    group_of: dict[str, str | None] = {}
    for request in rows.requests:
        key = key_of(request)
        group_of[request.request_id] = key
        groups.setdefault(key, KpiAccumulator()).add_request(request)
    for attempt in rows.attempts:
        if attempt.request_id in group_of:
            groups[group_of[attempt.request_id]].add_attempt(attempt)
    for request_id, score in rows.feedback:
        if request_id in group_of:
            groups[group_of[request_id]].add_feedback(score)
    return groups


def usage_document(rows: WindowRows, group_by: GroupBy = "tier") -> dict[str, Any]:
    """The JSON of GET /v1/usage (and `tierd report --json`): totals and one entry per group."""
    totals = _accumulate(rows, lambda r: None).get(None, KpiAccumulator())
    groups = _accumulate(rows, _group_key(group_by))
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    entries = []
    for key, kpis in ordered:
        entry: dict[str, Any] = {"key": key}
        if group_by == "key":
            entry["name"] = rows.key_names.get(key) if key is not None else None
        entries.append({**entry, **kpis.result()})
    return {
        "object": "tierd.usage",
        "since": iso(rows.window.since),
        "until": iso(rows.window.until),
        "group_by": group_by,
        "totals": totals.result(),
        "groups": entries,
    }


def bucket_seconds(window: Window) -> int:
    """5-minute buckets up to 2 hours, hourly up to 2 days, daily beyond: 24 to ~60 points on a chart."""
    if window.seconds <= 2 * 3600:
        return 300
    if window.seconds <= 2 * 86400:
        return 3600
    return 86400


def time_series(rows: WindowRows) -> dict[str, Any]:
    """Cost per final tier, requests, errors and savings per UTC-aligned bucket, every bucket of the window."""
    step = bucket_seconds(rows.window)
    first = int(rows.window.since.timestamp()) // step * step
    last = int(rows.window.until.timestamp() - 1e-6) // step * step
    starts = range(first, last + 1, step)
    buckets: dict[int, dict[str, Any]] = {
        s: {"start": iso(datetime.fromtimestamp(s, UTC)), "requests": 0, "errors": 0, "cost_usd": 0.0}
        | {"savings_usd": 0.0, "cost_by_tier": {}}
        for s in starts
    }
    tiers: list[str] = []
    for r in rows.requests:
        bucket = buckets[int(r.created_at.timestamp()) // step * step]
        bucket["requests"] += 1
        bucket["errors"] += int(r.failed)
        bucket["savings_usd"] += r.savings_usd or 0.0
        if r.cost_usd is not None:
            tier = r.final_tier or "(none)"
            bucket["cost_usd"] += r.cost_usd
            bucket["cost_by_tier"][tier] = bucket["cost_by_tier"].get(tier, 0.0) + r.cost_usd
            if tier not in tiers:
                tiers.append(tier)
    return {"bucket_seconds": step, "tiers": sorted(tiers), "buckets": list(buckets.values())}


def recent_requests(engine: Engine, window: Window, limit: int = RECENT_DEFAULT) -> list[dict[str, Any]]:
    """The `limit` newest requests of the window with their decision, explanation and attempts."""
    if RequestRow.__tablename__ not in inspect(engine).get_table_names():
        return []
    newest = select(RequestRow).where(_in_window(window)).order_by(RequestRow.created_at.desc()).limit(limit)
    with engine.connect() as conn:
        requests = list(conn.execute(newest))
        ids = [r.request_id for r in requests]
        attempts: dict[str, list[dict[str, Any]]] = {}
        if ids:
            query = select(AttemptRow).where(AttemptRow.request_id.in_(ids)).order_by(AttemptRow.attempt_index)
            for a in conn.execute(query):
                attempts.setdefault(a.request_id, []).append(_attempt_dict(a))
    return [_request_dict(r, attempts.get(r.request_id, [])) for r in requests]


def _attempt_dict(a: Any) -> dict[str, Any]:
    return {
        "index": a.attempt_index,
        "tier": a.tier,
        "model": a.model,
        "status": a.status,
        "returned": a.returned,
        "passed": a.passed,
        "checks": a.checks,
        "error": a.error,
        "cost_usd": a.cost_usd,
        "latency_ms": None if a.latency_s is None else a.latency_s * 1000,
    }


def _request_dict(r: Any, attempts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {
        "request_id": r.request_id,
        "created_at": iso(r.created_at),
        "api_key_id": r.api_key_id,
        "endpoint": r.endpoint,
        "requested_model": r.requested_model,
        "stream": r.stream,
        "decision": r.decision,
        "explanation": r.explanation,
        "chosen_tier": r.chosen_tier,
        "first_tier": r.first_tier,
        "final_tier": r.final_tier,
        "local": r.local,
        "status": r.status,
        "error_code": r.error_code,
        "escalations": r.escalations,
        "escalation_outcome": r.escalation_outcome,
        "prompt_tokens": r.prompt_tokens,
        "completion_tokens": r.completion_tokens,
        "cost_usd": r.cost_usd,
        "savings_usd": r.savings_usd,
        "latency_ms": None if r.latency_s is None else r.latency_s * 1000,
        "ttft_ms": None if r.ttft_s is None else r.ttft_s * 1000,
        "attempts": list(attempts),
    }
