"""How long the usage report (GET /v1/usage, `tierd report`, the dashboard) takes on a large ledger.

    python -m benchmarks.usage_query [--requests 100000] [--url postgresql://...]

Fills a fresh ledger (SQLite in a temporary folder unless --url) with synthetic requests spread over the
last 24 hours through the real writer (a third escalated, with check results whose details differ per
attempt, as real ones do), then times each read the dashboard makes per refresh, best of three.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.ledger_throughput import make_record
from server.accounting.ledger import Ledger, make_engine
from server.accounting.usage import read_usage, recent_requests, time_series, usage_document
from server.accounting.usage_window import resolve_window


def fill(url: str, requests: int) -> None:
    ledger = Ledger.open(url, queue_max_rows=requests + 1)
    now = datetime.now(UTC)
    try:
        for i in range(requests):
            record = make_record(i, i % 3 == 0)
            at = now - timedelta(seconds=86_000 * i / requests)
            attempts = tuple(
                replace(a, checks=({"check": "degeneration", "passed": a.returned, "detail": f"score {i % 997}"},))
                for a in record.attempts
            )
            ledger.submit(replace(record, created_at=at, finished_at=at, attempts=attempts))
        if not ledger.flush(timeout_s=900):
            raise RuntimeError("the ledger did not drain")
    finally:
        ledger.close()


def best_of(runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--url", help="an empty ledger database (default: SQLite in a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tierd-usage-bench-") as tmp:
        url = args.url or f"sqlite:///{tmp}/ledger.db"
        started = time.perf_counter()
        fill(url, args.requests)
        print(f"filled {args.requests} requests in {time.perf_counter() - started:.1f} s")
        engine = make_engine(url)
        window = resolve_window("24h", None)
        for name, work in (
            ("usage by tier", lambda: usage_document(read_usage(engine, window, "tier"))),
            ("usage by day", lambda: usage_document(read_usage(engine, window, "day"))),
            ("time series", lambda: time_series(engine, window)),
            ("recent 25", lambda: recent_requests(engine, window)),
        ):
            print(f"{name}: {best_of(3, work) * 1000:.0f} ms")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
