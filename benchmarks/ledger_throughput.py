"""How fast the ledger's writer thread commits request rows, and what `submit()` costs the caller.

    python -m benchmarks.ledger_throughput [--requests 10000] [--escalated-share 0.33]
        [--url postgresql://...] [--out benchmarks/results/ledger_throughput.json]

Without --url it measures SQLite (WAL) in a temporary folder. Each request record carries one attempt,
or two for the escalated share (as an escalation does), so the attempt table grows as it does in service.
Submit all records at once (the event loop's side), then wait for the writer to commit them all.
Figures: requests/s committed, attempt rows/s, and the mean and p99 cost of one `submit()` call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from server.accounting.ledger import Ledger
from server.outcome import AttemptRecord, RequestRecord


def make_record(i: int, escalated: bool) -> RequestRecord:
    now = datetime.now(UTC)
    tiers = ("tier-1", "frontier") if escalated else ("tier-1",)
    attempts = tuple(
        AttemptRecord(n, tier, "model", f"{tier}-0", 200, n == len(tiers) - 1, n == len(tiers) - 1,
                      ({"check": "empty", "passed": n == len(tiers) - 1, "detail": ""},), None, 120, 48, 2e-6, 0.4)
        for n, tier in enumerate(tiers)
    )  # fmt: skip
    return RequestRecord(
        request_id=f"req-bench-{i:08d}", created_at=now, finished_at=now, endpoint="/chat/completions",
        status=200, decision="auto hybrid:learned:lexical min=tier-1 -> tier-1",
        explanation={"chosen_tier": "tier-1", "scores": {"tier-1": 0.93, "frontier": 1.0}},
        classifier="hybrid", chosen_tier="tier-1", first_tier="tier-1", final_tier=tiers[-1], local=not escalated,
        escalations=len(tiers) - 1, prompt_tokens=120, completion_tokens=48, cost_usd=2e-6 * len(tiers),
        frontier_cost_usd=7.8e-4, savings_usd=7.78e-4, latency_s=0.4, attempts=attempts,
    )  # fmt: skip


def measure(url: str, requests: int, escalated_share: float) -> dict[str, float | int | str]:
    records = [make_record(i, (i % 100) < escalated_share * 100) for i in range(requests)]
    ledger = Ledger.open(url, queue_max_rows=requests + 1)
    try:
        submit_s: list[float] = []
        started = time.perf_counter()
        for record in records:
            t0 = time.perf_counter()
            ledger.submit(record)
            submit_s.append(time.perf_counter() - t0)
        if not ledger.flush(timeout_s=600):
            raise RuntimeError("the ledger did not drain in 600 s")
        elapsed = time.perf_counter() - started
    finally:
        ledger.close()
    attempts = sum(len(r.attempts) for r in records)
    submit_s.sort()
    return {
        "database": url.split(":", 1)[0],
        "requests": requests,
        "attempt_rows": attempts,
        "seconds": round(elapsed, 3),
        "requests_per_s": round(requests / elapsed, 1),
        "attempt_rows_per_s": round(attempts / elapsed, 1),
        "submit_mean_us": round(statistics.fmean(submit_s) * 1e6, 2),
        "submit_p99_us": round(submit_s[int(0.99 * (len(submit_s) - 1))] * 1e6, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--escalated-share", type=float, default=0.33, help="share of records with two attempts")
    parser.add_argument("--url", help="a ledger URL (default: SQLite in a temporary folder)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tierd-ledger-bench-") as tmp:
        url = args.url or f"sqlite:///{tmp}/ledger.db"
        result = measure(url, args.requests, args.escalated_share)
    print(
        f"{result['database']}: {result['requests']} requests ({result['attempt_rows']} attempt rows) committed in "
        f"{result['seconds']} s: {result['requests_per_s']} requests/s; submit() mean {result['submit_mean_us']} us, "
        f"p99 {result['submit_p99_us']} us"
    )
    if args.out is not None:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
