"""The `tierd_ledger_*` series the README's Accounting section lists, read back from the Prometheus text of a
real ledger (SQLite) as it is held up by another connection's lock, drains, and refuses a row."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.processes import wait_until
from server.accounting.ledger import Ledger
from server.accounting.metrics import GatewayMetrics
from tests.unit.test_ledger import FAST_RETRY, record

README = Path(__file__).resolve().parents[2] / "README.md"
SERIES = (
    "tierd_ledger_queued_rows",
    "tierd_ledger_overloaded",
    "tierd_ledger_written_rows_total",
    "tierd_ledger_write_errors_total",
    "tierd_ledger_dropped_rows_total",
)


def ledger_series(metrics: GatewayMetrics) -> dict[str, float]:
    text = metrics.exposition().decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("tierd_ledger_")
    }


@pytest.fixture
def ledger_db(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    path = tmp_path / "ledger.db"
    Ledger.open(f"sqlite:///{path}").close()  # the schema exists
    yield f"sqlite:///{path}", path


def test_the_readme_lists_exactly_the_ledger_series_exported() -> None:
    documented = {name for name in README.read_text().replace("`", " ").split() if name.startswith("tierd_ledger_")}
    assert {name.rstrip(",.") for name in documented} == set(SERIES)


def test_ledger_series_follow_a_stuck_database_its_drain_and_a_refused_row(ledger_db: tuple[str, Path]) -> None:
    url, path = ledger_db
    ledger = Ledger.open(url, queue_max_rows=10, batch_rows=4, sqlite_busy_timeout_s=0.05, **FAST_RETRY)
    metrics = GatewayMetrics(lambda: [], None)
    metrics.watch_ledger(ledger.stats)
    try:
        assert ledger_series(metrics) == dict.fromkeys(SERIES, 0.0)

        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
        try:
            for i in range(12):
                ledger.submit(record(f"req-held-{i}"))
            wait_until(lambda: ledger.stats().write_errors >= 2, 30, "two failed writes", interval_s=0.02)
            held = ledger_series(metrics)
            assert held["tierd_ledger_queued_rows"] == 12.0  # nothing is lost while the database is stuck
            assert held["tierd_ledger_overloaded"] == 1.0  # queue_max_rows (10) wait: new requests get 503
            assert held["tierd_ledger_write_errors_total"] >= 2.0
            assert held["tierd_ledger_written_rows_total"] == 0.0
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert ledger.flush(30)
        drained = ledger_series(metrics)
        assert drained["tierd_ledger_queued_rows"] == 0.0 and drained["tierd_ledger_overloaded"] == 0.0
        assert drained["tierd_ledger_written_rows_total"] == 12.0
        assert drained["tierd_ledger_write_errors_total"] == held["tierd_ledger_write_errors_total"]  # a counter
        assert drained["tierd_ledger_dropped_rows_total"] == 0.0

        bad = record("req-refused", attempts=2)
        ledger.submit(dataclasses.replace(bad, attempts=(bad.attempts[0], bad.attempts[0])))  # a unique key twice
        ledger.submit(record("req-fine"))
        assert ledger.flush(30)
        after = ledger_series(metrics)
        # The refused row is kept bare (the request is still booked, without what the database refused).
        assert after["tierd_ledger_dropped_rows_total"] == 0.0
        assert after["tierd_ledger_written_rows_total"] == 14.0
        ledger.submit(record("req-fine"))  # the same request again: refused even bare, so dropped
        assert ledger.flush(30)
        last = ledger_series(metrics)
        assert last["tierd_ledger_dropped_rows_total"] == 1.0
        assert last["tierd_ledger_written_rows_total"] == 14.0
    finally:
        ledger.close()
