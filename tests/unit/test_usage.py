"""The usage report's figures, worked out by hand from tests/fixtures/usage_rows.py, on SQLite and Postgres."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine

from server.accounting.usage import bucket_seconds, read_usage, recent_requests, time_series, usage_document
from server.accounting.usage_stats import percentile
from server.accounting.usage_window import Window, WindowError, resolve_window
from server.cli import main
from tests.fixtures.usage_rows import SINCE, UNTIL, WINDOW, fill
from tests.postgres import own_database

approx = pytest.approx


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('usage') / 'ledger.db'}"
    else:
        url = own_database(request.getfixturevalue("postgres_url"), "usage")
    engine = create_engine(url)
    fill(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _doc(engine: Engine, group_by: Any = "tier", window: Window = WINDOW) -> dict[str, Any]:
    return usage_document(read_usage(engine, window, group_by))


def test_totals(engine: Engine) -> None:
    doc = _doc(engine)
    assert (doc["object"], doc["since"], doc["until"]) == (
        "tierd.usage",
        "2026-11-20T00:00:00Z",
        "2026-11-22T00:00:00Z",
    )
    t = doc["totals"]
    assert (t["requests"], t["errors"], t["error_rate"]) == (5, 2, approx(0.4))
    assert (t["prompt_tokens"], t["completion_tokens"]) == (52, 65)
    # r3 and r4 have no cost: counted apart, not as $0 in the average.
    assert t["cost_usd"] == approx(0.0215)
    assert (t["costed_requests"], t["unknown_cost_requests"]) == (3, 2)
    assert t["cost_per_request_usd"] == approx(0.0215 / 3)
    assert t["frontier_cost_usd"] == approx(0.027)
    assert t["savings_usd"] == approx(0.004)
    assert t["savings_share"] == approx(0.004 / 0.025)  # over the requests whose savings are known
    assert (t["successful_requests"], t["local_requests"], t["coverage"]) == (3, 2, approx(2 / 3))
    assert (t["escalated_requests"], t["escalation_rate"]) == (1, approx(0.25))  # 1 of the 4 routed requests
    assert t["latency_ms"] == {"p50": approx(300), "p95": approx(480), "p99": approx(496)}
    assert t["ttft_ms"] == {"p50": approx(75), "p95": approx(97.5)}
    assert (t["feedback_count"], t["feedback_mean"]) == (3, approx(0.5))


def test_check_pass_rates_per_attempt_tier(engine: Engine) -> None:
    checks = _doc(engine)["totals"]["checks"]
    assert checks["tier-1"]["checked"] == 2 and checks["tier-1"]["passed"] == 1
    assert checks["tier-1"]["pass_rate"] == approx(0.5)
    assert checks["tier-1"]["by_check"] == {
        "json": {"checked": 2, "passed": 1, "pass_rate": approx(0.5)},
        "non_empty": {"checked": 2, "passed": 2, "pass_rate": approx(1.0)},
    }
    assert checks["tier-2"]["pass_rate"] == approx(1.0)
    assert checks["frontier"] == {"checked": 0, "passed": 0, "pass_rate": None, "by_check": {}}


def test_group_by_tier(engine: Engine) -> None:
    groups = {g["key"]: g for g in _doc(engine, "tier")["groups"]}
    assert list(groups) == ["frontier", "tier-1", "tier-2", None]
    tier1, frontier, tier2, unrouted = groups["tier-1"], groups["frontier"], groups["tier-2"], groups[None]
    assert (tier1["requests"], tier1["errors"], tier1["cost_usd"]) == (2, 1, approx(0.0015))
    assert (tier1["coverage"], tier1["escalation_rate"]) == (approx(1.0), approx(0.0))
    assert tier1["latency_ms"]["p50"] == approx(100)
    assert (tier1["feedback_count"], tier1["feedback_mean"]) == (1, approx(1.0))
    assert (frontier["coverage"], frontier["escalation_rate"]) == (approx(0.0), approx(1.0))
    assert frontier["savings_share"] == approx(-1 / 3)
    assert frontier["checks"]["tier-1"]["pass_rate"] == approx(0.0)  # the attempt it escalated from
    assert (frontier["feedback_count"], frontier["feedback_mean"]) == (2, approx(0.25))
    assert (tier2["cost_usd"], tier2["unknown_cost_requests"], tier2["cost_per_request_usd"]) == (0, 1, None)
    assert (unrouted["requests"], unrouted["errors"], unrouted["escalation_rate"], unrouted["coverage"]) == (
        1,
        1,
        None,
        None,
    )


def test_group_by_key_names_known_keys(engine: Engine) -> None:
    groups = {g["key"]: g for g in _doc(engine, "key")["groups"]}
    assert list(groups) == ["k1", "k2", None]
    assert (groups["k1"]["name"], groups["k2"]["name"], groups[None]["name"]) == ("team-a", None, None)
    assert (groups["k1"]["requests"], groups["k1"]["cost_usd"], groups["k1"]["feedback_count"]) == (2, approx(0.021), 3)
    assert (groups["k2"]["requests"], groups["k2"]["errors"], groups["k2"]["unknown_cost_requests"]) == (2, 1, 1)


def test_group_by_utc_day(engine: Engine) -> None:
    groups = {g["key"]: g for g in _doc(engine, "day")["groups"]}
    assert list(groups) == ["2026-11-20", "2026-11-21"]
    assert (groups["2026-11-20"]["requests"], groups["2026-11-20"]["cost_usd"]) == (2, approx(0.021))
    assert (groups["2026-11-21"]["requests"], groups["2026-11-21"]["errors"]) == (3, 2)


def test_window_is_half_open(engine: Engine) -> None:
    # r4 sits exactly at 12:00: excluded as `until`, included as `since`.
    morning = Window(datetime(2026, 11, 21, tzinfo=UTC), datetime(2026, 11, 21, 12, tzinfo=UTC))
    assert [g["key"] for g in _doc(engine, "tier", morning)["groups"]] == ["tier-2"]
    afternoon = Window(datetime(2026, 11, 21, 12, tzinfo=UTC), UNTIL)
    assert _doc(engine, "tier", afternoon)["totals"]["requests"] == 2
    empty = Window(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 2, tzinfo=UTC))
    totals = _doc(engine, "tier", empty)["totals"]
    assert (totals["requests"], totals["cost_per_request_usd"], totals["latency_ms"]["p50"]) == (0, None, None)


def test_time_series_buckets_cover_the_window(engine: Engine) -> None:
    series = time_series(engine, WINDOW)
    assert series["bucket_seconds"] == 3600 and len(series["buckets"]) == 48
    assert series["tiers"] == ["frontier", "tier-1"]
    by_start = {b["start"]: b for b in series["buckets"]}
    assert by_start["2026-11-20T00:00:00Z"]["cost_by_tier"] == {"tier-1": approx(0.001)}
    assert by_start["2026-11-20T11:00:00Z"]["cost_by_tier"] == {"frontier": approx(0.02)}
    assert by_start["2026-11-20T11:00:00Z"]["savings_usd"] == approx(-0.005)
    assert by_start["2026-11-21T23:00:00Z"]["errors"] == 1
    assert sum(b["requests"] for b in series["buckets"]) == 5
    assert sum(b["cost_usd"] for b in series["buckets"]) == approx(0.0215)


def test_recent_requests_newest_first_with_attempts(engine: Engine) -> None:
    recent = recent_requests(engine, WINDOW, limit=4)
    assert [r["request_id"] for r in recent] == ["r5", "r4", "r3", "r2"]
    r2 = recent[3]
    assert [(a["index"], a["tier"], a["passed"], a["returned"]) for a in r2["attempts"]] == [
        (0, "tier-1", False, False),
        (1, "frontier", None, True),
    ]
    assert (r2["first_tier"], r2["final_tier"], r2["escalations"]) == ("tier-1", "frontier", 1)
    r1 = recent_requests(engine, WINDOW, limit=5)[-1]
    assert r1["explanation"] == {"chosen_tier": "tier-1"} and r1["decision"].endswith("-> tier-1")
    assert r1["created_at"] == "2026-11-20T00:00:00Z"


def test_empty_ledger_without_tables(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    report = read_usage(engine, WINDOW)
    assert not report.ledger_ready and usage_document(report)["totals"]["requests"] == 0
    assert recent_requests(engine, WINDOW) == []
    assert len(time_series(engine, WINDOW)["buckets"]) == 48


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.99) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([3.0, 1.0, 2.0], 0.95) == approx(2.9)


def test_window_parsing() -> None:
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert resolve_window(None, None, now) == Window(now - timedelta(hours=24), now)
    assert resolve_window("7d", None, now).since == now - timedelta(days=7)
    assert resolve_window("30m", "10m", now) == Window(now - timedelta(minutes=30), now - timedelta(minutes=10))
    assert resolve_window("2026-11-20", "2026-11-21T06:00:00+02:00", now) == Window(
        SINCE, datetime(2026, 11, 21, 4, tzinfo=UTC)
    )
    assert resolve_window("2026-11-20T10:00:00Z", None, now).since == datetime(2026, 11, 20, 10, tzinfo=UTC)
    bad = [("yesterday", None, "since"), ("1h", "soon", "until"), ("1h", "2h", "since"), ("99999999d", None, "since")]
    for since, until, param in bad:
        with pytest.raises(WindowError) as info:
            resolve_window(since, until, now)
        assert info.value.param == param


def test_bucket_size_follows_window_length() -> None:
    assert bucket_seconds(Window(SINCE, SINCE + timedelta(hours=1))) == 300
    assert bucket_seconds(Window(SINCE, SINCE + timedelta(hours=24))) == 3600
    assert bucket_seconds(Window(SINCE, SINCE + timedelta(days=7))) == 86400
    assert bucket_seconds(Window(SINCE, SINCE + timedelta(days=365))) == 4 * 86400  # at most ~120 points


def test_report_cli_reads_the_same_figures(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    url = engine.url.render_as_string(hide_password=False)
    assert main(["report", "--ledger-url", url, "--since", "2026-11-20", "--until", "2026-11-22", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == _doc(engine)
