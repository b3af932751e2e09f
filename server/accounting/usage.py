"""The usage report: the one source of the numbers that GET /v1/usage, `tierd report` and /dashboard show.

Sums and counts are SQL aggregates grouped by final tier, API key or UTC day (the same statements on
SQLite and Postgres, except the epoch-bucket expression, compiled per dialect); the KPIs are then derived
in Python (server/accounting/usage_stats.py). Percentiles need the values themselves: the latencies of
the window's successful requests are fetched (two floats a row) and ranked in Python.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import Engine, Integer, Text, case, cast, func, inspect, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from server.accounting.ledger_schema import ApiKeyRow, AttemptRow, FeedbackRow, RequestRow
from server.accounting.usage_stats import GroupFigures
from server.accounting.usage_window import Window, iso

GroupBy = Literal["tier", "key", "day"]
GROUP_BYS: tuple[str, ...] = get_args(GroupBy)
RECENT_DEFAULT = 25
DAY_S = 86400


class EpochBucket(ColumnElement[int]):
    """`floor(epoch seconds of a UTC timestamp / step)`: SQLite and Postgres spell it differently.

    The step is written into the SQL as a literal, not a bound parameter, so that Postgres sees the
    SELECT and GROUP BY expressions as the same one.
    """

    inherit_cache = False  # the step is part of the statement: no cached compilation across steps
    type = Integer()

    def __init__(self, column: Any, step_s: int) -> None:  # a column or ORM attribute
        self.column = column
        self.step_s = int(step_s)


@compiles(EpochBucket)
def _epoch_bucket(element: EpochBucket, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column}) / {element.step_s}) AS BIGINT)"


@compiles(EpochBucket, "sqlite")
def _epoch_bucket_sqlite(element: EpochBucket, compiler: Any, **kw: Any) -> str:
    # The ledger stores UTC wall time; strftime('%s') reads it as UTC.
    return f"(CAST(strftime('%s', {compiler.process(element.column, **kw)}) AS INTEGER) / {element.step_s})"


@dataclass
class UsageReport:
    """A window's figures per group. `ledger_ready` is False when the ledger has no tables yet."""

    window: Window
    group_by: GroupBy
    groups: dict[str | None, GroupFigures] = field(default_factory=dict)
    key_names: dict[str, str] = field(default_factory=dict)
    ledger_ready: bool = True
    key_id: str | None = None  # set: only this API key's requests (what an ordinary key may see)

    def totals(self) -> GroupFigures:
        total = GroupFigures()
        for figures in self.groups.values():
            total.merge(figures)
        return total


def _in_window(window: Window, key_id: str | None = None) -> ColumnElement[bool]:
    """The window's requests; with `key_id`, only that API key's."""
    # SQLite stores the UTC wall time without a zone, Postgres a timestamptz: UTC bounds suit both.
    in_window = (RequestRow.created_at >= window.since) & (RequestRow.created_at < window.until)
    return in_window & (RequestRow.api_key_id == key_id) if key_id is not None else in_window


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum(column: Any) -> ColumnElement[Any]:
    return func.coalesce(func.sum(column), 0)


# A stream's status is its headers' (200); an upstream that failed after them left its error code on the row
# (server/recording.py), so the request failed all the same.
_FAILED = (RequestRow.status >= 400) | RequestRow.error_code.is_not(None)
_SUCCEEDED = (RequestRow.status >= 200) & (RequestRow.status < 300) & RequestRow.error_code.is_(None)
_ROUTED = RequestRow.first_tier.is_not(None)
_SUMS = (
    func.count().label("requests"),
    _count_if(_FAILED).label("errors"),
    _count_if(_SUCCEEDED).label("succeeded"),
    _count_if(_SUCCEEDED & RequestRow.local.is_(True)).label("served_locally"),
    _count_if(_ROUTED).label("routed"),
    _count_if(_ROUTED & (RequestRow.escalations > 0)).label("escalated"),
    _sum(RequestRow.prompt_tokens).label("prompt_tokens"),
    _sum(RequestRow.completion_tokens).label("completion_tokens"),
    _sum(RequestRow.cost_usd).label("cost_usd"),
    func.count(RequestRow.cost_usd).label("costed"),
    _sum(RequestRow.frontier_cost_usd).label("frontier_cost_usd"),
    _sum(RequestRow.savings_usd).label("savings_usd"),
    _sum(case((RequestRow.savings_usd.is_not(None), func.coalesce(RequestRow.frontier_cost_usd, 0)), else_=0)).label(
        "savings_base_usd"
    ),
)


def _group_column(group_by: GroupBy) -> Any:
    if group_by == "tier":
        return RequestRow.final_tier
    if group_by == "key":
        return RequestRow.api_key_id
    return EpochBucket(RequestRow.created_at, DAY_S)


def _group_name(group_by: GroupBy, raw: Any) -> str | None:
    if group_by == "day" and raw is not None:
        return datetime.fromtimestamp(int(raw) * DAY_S, UTC).strftime("%Y-%m-%d")
    return None if raw is None else str(raw)


def _ledger_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def read_usage(engine: Engine, window: Window, group_by: GroupBy = "tier", key_id: str | None = None) -> UsageReport:
    """Sums per group in SQL; the latency values of successful requests for the percentiles; check
    results per distinct outcome (attempts with the same checks JSON are counted once, in SQL).
    With `key_id`, only that API key's requests count."""
    tables = _ledger_tables(engine)
    report = UsageReport(window, group_by, key_id=key_id)
    if RequestRow.__tablename__ not in tables:
        report.ledger_ready = False
        return report
    group = _group_column(group_by).label("group_key")
    in_window = _in_window(window, key_id)

    def figures(raw: Any) -> GroupFigures:
        return report.groups.setdefault(_group_name(group_by, raw), GroupFigures())

    with engine.connect() as conn:
        for row in conn.execute(select(group, *_SUMS).where(in_window).group_by(group)):
            figures(row.group_key).add_sums(row._mapping)
        timed = (RequestRow.latency_s.is_not(None)) | (RequestRow.ttft_s.is_not(None))
        latencies = select(group, RequestRow.latency_s, RequestRow.ttft_s).where(in_window & _SUCCEEDED & timed)
        for row in conn.execute(latencies):
            target = figures(row.group_key)
            if row.latency_s is not None:
                target.latencies_s.append(row.latency_s)
            if row.ttft_s is not None:
                target.ttfts_s.append(row.ttft_s)
        if AttemptRow.__tablename__ in tables:
            checks_text = cast(AttemptRow.checks, Text)
            attempts = (
                select(group, AttemptRow.tier, AttemptRow.passed, checks_text.label("checks"), func.count().label("n"))
                .join(RequestRow, AttemptRow.request_id == RequestRow.request_id)
                .where(in_window)
                .group_by(group, AttemptRow.tier, AttemptRow.passed, checks_text)
            )
            for row in conn.execute(attempts):
                checks = json.loads(row.checks) if row.checks else None
                figures(row.group_key).add_checks(row.tier, row.passed, checks, row.n)
        if FeedbackRow.__tablename__ in tables:
            feedback = (
                select(group, func.count(FeedbackRow.score).label("n"), func.sum(FeedbackRow.score).label("total"))
                .join(RequestRow, FeedbackRow.request_id == RequestRow.request_id)
                .where(in_window)
                .group_by(group)
            )
            for row in conn.execute(feedback):
                target = figures(row.group_key)
                target.feedback_count += row.n
                target.feedback_sum += row.total or 0.0
        if group_by == "key" and ApiKeyRow.__tablename__ in tables:
            names = select(ApiKeyRow.id, ApiKeyRow.name)
            if key_id is not None:
                names = names.where(ApiKeyRow.id == key_id)
            report.key_names = {k.id: k.name for k in conn.execute(names)}
    return report


def usage_document(report: UsageReport) -> dict[str, Any]:
    """The JSON of GET /v1/usage (and `tierd report --json`): totals and one entry per group."""
    entries = []
    for key, figures in sorted(report.groups.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        entry: dict[str, Any] = {"key": key}
        if report.group_by == "key":
            entry["name"] = report.key_names.get(key) if key is not None else None
        entries.append({**entry, **figures.result()})
    return {
        "object": "tierd.usage",
        "since": iso(report.window.since),
        "until": iso(report.window.until),
        "group_by": report.group_by,
        # "key": only the caller's requests (an ordinary key); "all": every key's (an admin, or auth off)
        "scope": "all" if report.key_id is None else "key",
        "totals": report.totals().result(),
        "groups": entries,
    }


MAX_DAY_BUCKETS = 120


def bucket_seconds(window: Window) -> int:
    """5-minute buckets up to 2 hours, hourly up to 2 days, daily beyond; several days each past 120 days,
    so that a chart never gets more than ~120 points."""
    if window.seconds <= 2 * 3600:
        return 300
    if window.seconds <= 2 * DAY_S:
        return 3600
    return DAY_S * max(1, math.ceil(window.seconds / DAY_S / MAX_DAY_BUCKETS))


def time_series(engine: Engine | None, window: Window, key_id: str | None = None) -> dict[str, Any]:
    """Cost per final tier, requests, errors and savings per UTC-aligned bucket, every bucket of the window
    (all empty without a ledger); with `key_id`, of that API key's requests only."""
    step = bucket_seconds(window)
    first = max(0, int(window.since.timestamp()) // step)  # nothing was recorded before 1970
    last = int(window.until.timestamp() - 1e-6) // step
    buckets: dict[int, dict[str, Any]] = {
        n: {"start": iso(datetime.fromtimestamp(n * step, UTC)), "requests": 0, "errors": 0, "cost_usd": 0.0}
        | {"savings_usd": 0.0, "cost_by_tier": {}}
        for n in range(first, last + 1)
    }
    tiers: set[str] = set()
    if engine is not None and RequestRow.__tablename__ in _ledger_tables(engine):
        bucket = EpochBucket(RequestRow.created_at, step).label("bucket")
        query = (
            select(bucket, RequestRow.final_tier, *_SUMS[:2], func.sum(RequestRow.cost_usd).label("tier_cost"))
            .add_columns(_sum(RequestRow.savings_usd).label("savings_usd"))
            .where(_in_window(window, key_id))
            .group_by(bucket, RequestRow.final_tier)
        )
        with engine.connect() as conn:
            for row in conn.execute(query):
                target = buckets[int(row.bucket)]
                target["requests"] += row.requests
                target["errors"] += row.errors
                target["savings_usd"] += row.savings_usd
                if row.tier_cost is not None:  # some cost known
                    tier = row.final_tier or "(none)"
                    target["cost_usd"] += row.tier_cost
                    target["cost_by_tier"][tier] = target["cost_by_tier"].get(tier, 0.0) + row.tier_cost
                    tiers.add(tier)
    return {"bucket_seconds": step, "tiers": sorted(tiers), "buckets": list(buckets.values())}


def recent_requests(
    engine: Engine, window: Window, limit: int = RECENT_DEFAULT, key_id: str | None = None
) -> list[dict[str, Any]]:
    """The `limit` newest requests of the window with their decision, explanation and attempts; with
    `key_id`, that API key's only."""
    if RequestRow.__tablename__ not in _ledger_tables(engine):
        return []
    newest = select(RequestRow).where(_in_window(window, key_id)).order_by(RequestRow.created_at.desc()).limit(limit)
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
