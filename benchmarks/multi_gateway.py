"""Several gateways, one set of limits: 3 tierd processes over one tiny vLLM, one Redis and one Postgres, with
clients spread round-robin across them. Loopback only, bounded (about 3 minutes).

    python -m benchmarks.multi_gateway [--rpm-seconds 60] [--out benchmarks/results/multi_gateway.json]

Four phases, each with its own key:
- rpm: a key with rpm 30, requests for 60 s at about 8 per second (pinned to the local tier); the most
  requests accepted in any 60 s sliding window of their send times (3 per-gateway windows would accept 90).
- budget: a key with a $0.01 daily budget, 8 clients in parallel sending frontier requests (a scripted
  frontier, tests/scripted_openai.py); the key's spend in the ledger against the budget plus one reservation
  (the worst case of one request: its prompt and max_tokens at the frontier's prices).
- revoke: `tierd keys revoke` against one gateway's config while clients poll all three every 10 ms; the
  time from the announcement reaching Redis (seen by a watcher of the list) to the last gateway's refusal.
- redis_down: Redis killed for 10 s while clients keep sending (local and escalating requests); statuses
  by phase, whether each gateway survived, and responses without a ledger row (`lost_rows`).
Writes benchmarks/results/multi_gateway.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import redis

from benchmarks.gateways import (
    Upstream,
    chat,
    create_key,
    gateway_config,
    health,
    keys_cli,
    ledger_rows,
    round_robin,
    running_gateways,
)
from benchmarks.processes import TierdServer, VllmServer, tiny_test_model, wait_until
from benchmarks.report import write_report
from tests.postgres import private_postgres
from tests.redis_server import PrivateRedis, private_redis
from tests.support import running_scripted

DEFAULT_OUT = Path(__file__).parent / "results" / "multi_gateway.json"
GATEWAYS = 3
RPM = 30
BUDGET_USD = 0.01
MAX_TOKENS = 64
PRICE_IN, PRICE_OUT = 2.5, 10.0  # the frontier's $ per 1M tokens (benchmarks/gateways.py)


def max_in_window(times: list[float], window_s: float) -> int:
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] >= window_s:
            start += 1
        best = max(best, end - start + 1)
    return best


def rpm_phase(gateways: list[TierdServer], seconds: float) -> dict[str, Any]:
    key, _ = create_key(gateways[0], "bench-rpm", "--rpm", str(RPM))
    accepted: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        i = index
        while time.monotonic() < deadline:
            sent = time.monotonic()
            status = chat(round_robin(gateways, i), key, "Say hi", max_tokens=1).status_code
            with lock:
                statuses[status] += 1
                if status == 200:
                    accepted.append(sent)
            i += GATEWAYS
            time.sleep(max(0.0, 0.375 - (time.monotonic() - sent)))  # about 8 requests/s over 3 clients

    with concurrent.futures.ThreadPoolExecutor(GATEWAYS) as pool:
        list(pool.map(client, range(GATEWAYS)))
    return {
        "limit": RPM,
        "seconds": seconds,
        "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "max_accepted_per_window": max_in_window(accepted, 60.0),
    }


def budget_phase(gateways: list[TierdServer], ledger_url: str) -> dict[str, Any]:
    key, key_id = create_key(gateways[0], "bench-budget", "--daily-budget-usd", str(BUDGET_USD))
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [
            pool.submit(chat, round_robin(gateways, i), key, "Prove that 2 is prime", model="auto",
                        max_tokens=MAX_TOKENS)
            for i in range(160)
        ]  # fmt: skip
        statuses = Counter(f.result().status_code for f in futures)
    rows = wait_until(lambda: (r := ledger_rows(ledger_url, key_id)) and len(r) >= len(futures) and r, 60, "rows")
    spent = sum(r["cost_usd"] or 0.0 for r in rows)
    worst = (max(r["prompt_tokens"] or 0 for r in rows) * PRICE_IN + MAX_TOKENS * PRICE_OUT) / 1e6
    return {
        "limit_usd": BUDGET_USD,
        "spent_usd": round(spent, 6),
        "one_reservation_usd": round(worst, 6),
        "within_budget_plus_one_reservation": spent <= BUDGET_USD + worst,
        "requests": len(futures),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def revoke_phase(gateways: list[TierdServer], redis_url: str) -> dict[str, Any]:
    key, _ = create_key(gateways[0], "bench-revoke")
    for gateway in gateways:  # every gateway knows (and accepts) the key before it is revoked
        assert chat(gateway, key, "Say hi", max_tokens=1).status_code == 200
    client = redis.Redis.from_url(redis_url)
    before = int(client.llen("tierd:revoked"))
    announced: list[float] = []
    refused: dict[int, float] = {}
    stop = threading.Event()

    def watch_announcement() -> None:
        while not stop.is_set() and not announced:
            if int(client.llen("tierd:revoked")) > before:
                announced.append(time.monotonic())
            time.sleep(0.002)

    def poll(index: int) -> None:
        while not stop.is_set():
            if chat(gateways[index], key, "Say hi", max_tokens=1).status_code == 401:
                refused[index] = time.monotonic()
                return
            time.sleep(0.01)

    with concurrent.futures.ThreadPoolExecutor(GATEWAYS + 1) as pool:
        watchers = [pool.submit(watch_announcement), *(pool.submit(poll, i) for i in range(GATEWAYS))]
        done = keys_cli(gateways[1], "revoke", "bench-revoke")
        wait_until(lambda: len(refused) == GATEWAYS, 30, "every gateway refuses the revoked key", 0.01)
        stop.set()
        for watcher in watchers:
            watcher.result()
    client.close()
    if not announced:
        raise RuntimeError(f"the revocation was never announced: {done.stdout}{done.stderr}")
    per_gateway = [round(max(0.0, refused[i] - announced[0]), 3) for i in range(GATEWAYS)]
    return {
        "revoked_on": "gateway-1",
        "propagation_s": max(per_gateway),
        "per_gateway_s": per_gateway,
        "cli": done.stdout.strip(),
    }


def redis_down_phase(
    gateways: list[TierdServer], server: PrivateRedis, ledger_url: str, down_s: float
) -> dict[str, Any]:
    key, key_id = create_key(gateways[0], "bench-outage")
    results: list[tuple[str, int, str | None]] = []  # (phase, status, escalation outcome)
    lock = threading.Lock()
    phase = ["before"]
    stop = threading.Event()

    def client(index: int) -> None:
        i = index
        while not stop.is_set():
            escalating = i % 2 == 1
            text = "What is the capital of France?" if escalating else "Say hi"
            response = chat(round_robin(gateways, i), key, text, model="auto" if escalating else "tier-1", max_tokens=8)
            with lock:
                results.append((phase[0], response.status_code, response.headers.get("x-tierd-escalation")))
            i += GATEWAYS
            time.sleep(0.1)

    with concurrent.futures.ThreadPoolExecutor(GATEWAYS) as pool:
        clients = [pool.submit(client, i) for i in range(GATEWAYS)]
        time.sleep(3)
        server.stop()
        phase[0] = "down"
        time.sleep(down_s)
        reachable_during = [health(g)["shared_state"]["reachable"] for g in gateways]
        server.start()
        phase[0] = "after"
        wait_until(lambda: all(health(g)["shared_state"]["reachable"] for g in gateways), 15, "Redis back", 0.1)
        time.sleep(3)
        stop.set()
        for running in clients:
            running.result()
    rows = wait_until(lambda: (r := ledger_rows(ledger_url, key_id)) and len(r) >= len(results) and r, 60, "rows")
    by_phase: dict[str, Counter[str]] = {}
    for when, status, outcome in results:
        by_phase.setdefault(when, Counter())[f"{status} {outcome or '-'}"] += 1
    return {
        "down_s": down_s,
        "responses": len(results),
        "ledger_rows": len(rows),
        "lost_rows": len(results) - len(rows),
        "gateways_alive": all(g.proc is not None and g.proc.poll() is None for g in gateways),
        "reachable_during_outage": reachable_during,
        "by_phase": {when: dict(sorted(c.items())) for when, c in by_phase.items()},
        "outages_logged": [g.log_tail(10_000).count("unreachable (") for g in gateways],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rpm-seconds", type=float, default=60.0)
    parser.add_argument("--down-seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tierd-multi-") as tmp:
        work = Path(tmp)
        vllm = VllmServer(tiny_test_model(), "tiny-local", work / "vllm").start()
        try:
            with (
                private_postgres(work) as pg,
                private_redis(work) as server,
                running_scripted("frontier-sim", work) as frontier,
            ):
                vllm.wait_ready()
                config = gateway_config(
                    Upstream(vllm.root, vllm.name), Upstream(frontier.root, frontier.name),
                    ledger_url=pg.url, redis_url=server.url,
                    # the local tier's junk fails these: "auto" requests escalate, under the shared bucket
                    escalation={"tiers": {"tier-1": {"checks": ["empty", "degeneration", "echo", "truncation"]}},
                                "budget": {"max_share": 1.0, "burst": 100}},
                )  # fmt: skip
                with running_gateways(config, work / "gateways", GATEWAYS) as gateways:
                    started = time.monotonic()
                    report: dict[str, Any] = {"gateways": GATEWAYS, "shared_state": "redis", "ledger": "postgres"}
                    report["rpm"] = rpm_phase(gateways, args.rpm_seconds)
                    print("rpm", report["rpm"])
                    report["budget"] = budget_phase(gateways, pg.url)
                    print("budget", report["budget"])
                    report["revoke"] = revoke_phase(gateways, server.url)
                    print("revoke", report["revoke"])
                    report["redis_down"] = redis_down_phase(gateways, server, pg.url, args.down_seconds)
                    print("redis_down", report["redis_down"])
                    report["wall_s"] = round(time.monotonic() - started, 1)
        finally:
            vllm.stop()
    write_report(args.out, report)


if __name__ == "__main__":
    main()
