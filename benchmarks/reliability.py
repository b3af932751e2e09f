"""What tierd promises under load, faults and hostile input, measured against a real tierd process.

    python -m benchmarks.reliability [--ci] [--clients 200] [--duration 60] [--ledger postgres|sqlite] [--out PATH]

Loopback only, bounded, stops by itself. The parts (benchmarks/reliability_stack.py): two vLLM replicas of the
tiny model behind tier-1, the scripted frontier (tests/scripted_openai.py), the ledger on a private Postgres
(or SQLite), and `tierd serve`. The phases, in order:

  soak          --clients clients for --duration seconds, stream and JSON, some escalating to the frontier
  frontier      the frontier answers 429, 500, garbage JSON, a slowloris body, a stream cut mid-way
  ledger_down   Postgres stopped for --down-s seconds under load, then started again
  fuzz          --fuzz-cases schemathesis cases from /openapi.json, then benchmarks/data/hostile_bodies.jsonl
  replica_kill  one tier-1 replica SIGKILLed under load
  budget        --budget-parallel requests at once on a key with a daily budget of --budget-usd

tierd is then stopped (SIGTERM drains its ledger) and every request id a client was given is looked up in the
ledger. The figures go to --out (benchmarks/results/reliability.json); the exit status is 1 when a bound in
`bounds` is broken, and the broken ones are printed. `--ci` is the small configuration the test suite runs
(tests/integration/test_reliability_subset.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import reliability_faults as faults
from benchmarks.reliability_budget import budget_report, spend_race
from benchmarks.reliability_fuzz import fuzz
from benchmarks.reliability_soak import soak, soak_report
from benchmarks.reliability_stack import Stack, ledger_rows, running_stack
from benchmarks.report import write_report

DEFAULT_OUT = Path(__file__).parent / "results" / "reliability.json"
MAX_RETRIES = 2  # the frontier tier's max_retries in reliability_stack.tierd_config
RECOVER_BOUND_S = 2.0
CI = {
    "clients": 40,
    "duration": 15.0,
    "kill_clients": 16,
    "kill_duration": 12.0,
    "fault_requests": 2,
    "fault_timeout": 20.0,
    "down_s": 6.0,
    "down_clients": 32,
    "queue_rows": 200,
    "fuzz_cases": 150,
    "budget_parallel": 20,
}


PHASES = ("soak", "frontier", "ledger_down", "fuzz", "replica_kill", "budget")
# The tiers whose breakers a phase first waits to be closed again (the frontier phase settles before each
# fault); after replica_kill one tier-1 replica stays dead.
SETTLE: dict[str, tuple[str, ...]] = {
    "soak": ("tier-1", "frontier"),
    "ledger_down": ("tier-1", "frontier"),
    "fuzz": ("tier-1", "frontier"),
    "replica_kill": ("tier-1",),
    "budget": ("frontier",),
}


async def run_phases(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    """The phases in order; each result keeps the request ids its clients were given under "request_ids"."""
    url, timeout = stack.tierd.url, args.request_timeout
    results: dict[str, Any] = {"faults": {}, "timings_s": {}, "settle_s": {}}
    for phase in [p for p in PHASES if p in args.phases]:
        if phase in SETTLE:
            results["settle_s"][phase] = await faults.settle(stack, SETTLE[phase])
        started = time.monotonic()
        if phase == "soak":
            results["soak"] = await soak(url, clients=args.clients, duration_s=args.duration, timeout_s=timeout, seed=1)
        elif phase == "frontier":
            figures = await faults.frontier_faults(stack, per_fault=args.fault_requests, timeout_s=args.fault_timeout)
            results["faults"].update({f"frontier_{fault}": f for fault, f in figures.items()})
        elif phase == "fuzz":
            results["fuzz"] = await fuzz(
                url, cases=args.fuzz_cases, timeout_s=timeout, concurrency=args.fuzz_concurrency, seed=3
            )
        elif phase == "ledger_down" and stack.postgres is None:
            results["faults"]["ledger_down"] = {"skipped": "stopping the database needs --ledger postgres"}
        elif phase == "ledger_down":
            results["faults"]["ledger_down"] = await faults.ledger_down(
                stack, clients=args.down_clients, down_s=args.down_s, after_s=3.0, timeout_s=timeout,
                drain_timeout_s=60.0,
            )  # fmt: skip
        elif phase == "replica_kill":
            results["faults"]["replica_kill"] = await faults.replica_kill(
                stack, clients=args.kill_clients, duration_s=args.kill_duration, timeout_s=timeout
            )
        elif phase == "budget":
            results["budget"] = await spend_race(
                stack.tierd, parallel=args.budget_parallel, limit_usd=args.budget_usd, timeout_s=timeout
            )
        results["timings_s"][phase] = round(time.monotonic() - started, 1)
        print(f"[reliability] {phase} done in {results['timings_s'][phase]} s", flush=True)
    return results


def audit(stack: Stack, results: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """After tierd has stopped: every id a client was given, looked up in the ledger."""
    groups: dict[str, dict[str, Any]] = {**results["faults"]}
    for name in ("fuzz", "budget"):
        if name in results:
            groups[name] = results[name]
    soak_outcomes = results["soak"].outcomes if "soak" in results else []
    wanted = {o.request_id for o in soak_outcomes if o.request_id}
    wanted |= {i for group in groups.values() for i in group.get("request_ids", [])}
    booked = ledger_rows(stack.ledger_url, wanted)
    for name, group in groups.items():
        if "request_ids" not in group or name == "budget":
            continue
        ids = group.pop("request_ids")
        group["ledger_rows"] = sum(1 for i in ids if i in booked)
        group["lost_rows"] = sum(1 for i in ids if i not in booked)
        if name.startswith("frontier_"):
            rows = [booked[i] for i in ids if i in booked]
            group["rows"] = [
                {"status": r.status, "error_code": r.error_code, "completion_tokens": r.completion_tokens,
                 "cost_usd": r.cost_usd}
                for r in rows
            ]  # fmt: skip
    report: dict[str, Any] = {"faults": results["faults"]}
    if "soak" in results:
        report["soak"] = soak_report(results["soak"], booked, args.duration)
    if "fuzz" in results:
        report["fuzz"] = results["fuzz"]
    if "budget" in results:
        report["budget"] = budget_report(results["budget"], booked)
    report["timings_s"] = results["timings_s"]
    report["settle_s"] = results["settle_s"]
    return report


def bounds(report: dict[str, Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Each promise as (name, measured value, ok), for the phases that ran."""
    checks: list[tuple[str, Any, bool]] = []
    if "soak" in report:
        soak_ = report["soak"]
        checks += [
            ("soak.unexpected_errors == 0", soak_["unexpected_errors"], soak_["unexpected_errors"] == 0),
            ("soak.lost_rows == 0", soak_["lost_rows"], soak_["lost_rows"] == 0),
            ("soak.hung == 0", soak_["hung"], soak_["hung"] == 0),
        ]
    for name, fault in report["faults"].items():
        if "skipped" in fault:
            continue
        checks.append((f"faults.{name}.hung == 0", fault["hung"], fault["hung"] == 0))
        checks.append((f"faults.{name}.lost_rows == 0", fault.get("lost_rows"), fault.get("lost_rows") == 0))
        if name.startswith("frontier_"):
            ok = fault["as_openai_error"] == fault["requests"]
            checks.append((f"faults.{name}: every request ends in an OpenAI-style error", fault["as_openai_error"], ok))
            calls = fault["upstream_calls_per_request"]
            bound = f"faults.{name}.upstream_calls_per_request <= {MAX_RETRIES + 1}"
            checks.append((bound, calls, calls <= MAX_RETRIES + 1))
        elif name == "replica_kill":
            recover = fault["max_recover_s"]
            ok = recover is not None and recover <= RECOVER_BOUND_S
            checks.append((f"faults.replica_kill.max_recover_s <= {RECOVER_BOUND_S}", recover, ok))
        elif name == "ledger_down":
            errors = fault["unexpected_errors"]
            checks.append(("faults.ledger_down.unexpected_errors == 0", errors, errors == 0))
            hinted = fault["backpressure_with_retry_after"]
            ok = fault["backpressure_503"] == hinted
            checks.append(("faults.ledger_down: every 503 carries Retry-After", hinted, ok))
            drained = fault["max_recover_s"]
            checks.append(
                ("faults.ledger_down: the queue drains once the database is back", drained, drained is not None)
            )
    if "fuzz" in report:
        fuzz_ = report["fuzz"]
        drawn = fuzz_["schemathesis"]["cases"]
        checks += [
            (f"fuzz.schemathesis.cases >= {args.fuzz_cases}", drawn, drawn >= args.fuzz_cases),
            ("fuzz.server_errors == 0", fuzz_["server_errors"], fuzz_["server_errors"] == 0),
            ("fuzz.hung == 0", fuzz_["hung"], fuzz_["hung"] == 0),
            ("fuzz.lost_rows == 0", fuzz_.get("lost_rows"), fuzz_.get("lost_rows") == 0),
        ]
    if "budget" in report:
        budget = report["budget"]
        within = budget["within_one_reservation"]
        checks.append(("budget.spent_usd <= limit_usd + reservation_usd", budget["spent_usd"], within))
        checks.append(("budget.lost_rows == 0", budget["lost_rows"], budget["lost_rows"] == 0))
    return [{"bound": name, "value": value, "ok": ok} for name, value, ok in checks]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ci", action="store_true", help=f"the small configuration of the test suite: {CI}")
    parser.add_argument("--clients", type=int, default=200, help="soak: concurrent clients")
    parser.add_argument("--duration", type=float, default=60.0, help="soak: seconds")
    parser.add_argument(
        "--request-timeout", type=float, default=60.0, help="a client's limit per request (hung past it)"
    )
    parser.add_argument("--kill-clients", type=int, default=32)
    parser.add_argument("--kill-duration", type=float, default=20.0)
    parser.add_argument("--fault-requests", type=int, default=4, help="requests per frontier fault (half streamed)")
    parser.add_argument("--fault-timeout", type=float, default=60.0)
    parser.add_argument("--down-s", type=float, default=10.0, help="seconds the ledger's database is down")
    parser.add_argument("--down-clients", type=int, default=64)
    parser.add_argument("--fuzz-cases", type=int, default=1000, help="schemathesis cases (the corpus comes on top)")
    parser.add_argument("--fuzz-concurrency", type=int, default=8)
    parser.add_argument("--budget-parallel", type=int, default=40)
    parser.add_argument(
        "--budget-usd",
        type=float,
        default=0.001,
        help="the key's daily budget (the burst, unreserved, would spend several times it)",
    )
    parser.add_argument("--ledger", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--queue-rows", type=int, default=500, help="tierd's accounting.queue_max_rows (small: the outage fills it)"
    )
    parser.add_argument("--max-num-seqs", type=int, default=32, help="per vLLM replica")
    parser.add_argument("--phases", type=lambda s: s.split(","), default=list(PHASES), help=",".join(PHASES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if args.ci:
        for key, value in CI.items():
            if getattr(args, key) == parser.get_default(key):
                setattr(args, key, value)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tierd-reliability-", dir=Path.home() / ".cache") as tmp:
        workdir = Path(tmp)
        with running_stack(
            workdir, ledger=args.ledger, queue_rows=args.queue_rows, max_num_seqs=args.max_num_seqs
        ) as stack:
            print(f"[reliability] stack up in {time.monotonic() - started:.1f} s: tierd {stack.tierd.url}", flush=True)
            results = asyncio.run(run_phases(stack, args))
            stack.tierd.stop()  # SIGTERM: the ledger drains before tierd exits
            report = audit(stack, results, args)
            log_tail = stack.tierd.log_tail(60)
    checked = bounds(report, args)
    broken = [b for b in checked if not b["ok"]]
    command = ["python -m benchmarks.reliability", *(argv if argv is not None else sys.argv[1:])]
    write_report(
        args.out,
        {
            "benchmark": "reliability",
            "command": " ".join(command),
            "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "wall_s": round(time.monotonic() - started, 1),
            **report,
            "bounds": checked,
            "broken": [b["bound"] for b in broken],
            "tierd_log_tail": log_tail.splitlines() if broken else [],
        },
    )
    for b in checked:
        print(f"{'ok    ' if b['ok'] else 'BROKEN'} {b['bound']}: {json.dumps(b['value'])}")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
