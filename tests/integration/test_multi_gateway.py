"""Several gateways, one set of limits: 2 real tierd processes sharing one Postgres ledger and one real Redis
(tests/redis_server.py), over the tiny vLLM tier and the scripted frontier, clients spread round-robin."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from benchmarks.gateways import (
    Upstream,
    chat,
    create_key,
    gateway_config,
    health,
    keys_cli,
    ledger_rows,
    metric,
    round_robin,
    running_gateways,
)
from server.accounting.ledger_schema import RequestRow
from server.accounting.schema_setup import create_schema
from server.accounting.shared_state.protocol import counter_names
from tests.postgres import own_database
from tests.redis_server import PrivateRedis, private_redis
from tests.support import ScriptedServer, TierdServer, VllmServer, wait_until

pytestmark = pytest.mark.integration
CHEAP_CHECKS = ["empty", "degeneration", "echo", "truncation"]
BURST = 3


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


def _config(upstreams: dict[str, VllmServer], scripted: ScriptedServer, ledger_url: str, redis_url: str) -> Any:
    local = Upstream(upstreams["tier-2"].root, upstreams["tier-2"].name)
    return gateway_config(
        local,
        Upstream(scripted.root, scripted.name),
        ledger_url=ledger_url,
        redis_url=redis_url,
        # Junk from the tiny model fails these; the deployment may escalate BURST times in all, never again.
        escalation={"tiers": {"tier-1": {"checks": CHEAP_CHECKS}}, "budget": {"max_share": 0.0, "burst": BURST}},
    )


@pytest.fixture(scope="module")
def ledger_url(postgres_url: str) -> str:
    return own_database(postgres_url, "multi")


@pytest.fixture(scope="module")
def pair(
    ready_upstreams: dict[str, VllmServer],
    scripted: ScriptedServer,
    ledger_url: str,
    redis_server: PrivateRedis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[TierdServer]]:
    config = _config(ready_upstreams, scripted, ledger_url, redis_server.url)
    with running_gateways(config, tmp_path_factory.mktemp("pair"), 2) as servers:
        yield servers


def test_rpm_is_one_window_across_gateways(pair: list[TierdServer]) -> None:
    key, _ = create_key(pair[0], "rpm-4", "--rpm", "4")
    statuses = [chat(round_robin(pair, i), key, "Say hi").status_code for i in range(12)]
    assert statuses.count(200) == 4, statuses  # one sliding window for the key, not one per gateway
    assert statuses.count(429) == 8


def test_a_revocation_on_one_gateway_reaches_the_other(pair: list[TierdServer]) -> None:
    key, _ = create_key(pair[0], "revoked-soon")
    assert [chat(g, key, "Say hi").status_code for g in pair] == [200, 200]  # both know the key now
    done = keys_cli(pair[0], "revoke", "revoked-soon")
    assert done.returncode == 0 and "announced on redis://" in done.stdout, done.stdout + done.stderr
    # The key table is re-read every 300 s here: only the announcement can make the other gateway refuse it.
    wait_until(lambda: chat(pair[1], key, "Say hi").status_code == 401, 10, "the other gateway refuses", 0.05)
    assert chat(pair[0], key, "Say hi").status_code == 401


def test_the_escalation_budget_is_the_deployments(pair: list[TierdServer]) -> None:
    key, _ = create_key(pair[0], "escalating")
    outcomes = [
        chat(round_robin(pair, i), key, "What is the capital of France?", model="auto", max_tokens=24).headers.get(
            "x-tierd-escalation"
        )
        for i in range(4 * BURST)
    ]
    # Per-gateway buckets would grant BURST on each gateway (2 x BURST); the shared one grants BURST in all.
    assert outcomes.count("escalated") == BURST, outcomes
    assert outcomes.count("budget-exhausted") == 3 * BURST
    granted = sum(metric(g, 'tierd_escalation_budget_decisions_total{result="granted"') for g in pair)
    assert granted == BURST


def test_parallel_spend_stays_within_budget_plus_one_reservation(pair: list[TierdServer], ledger_url: str) -> None:
    budget, max_tokens = 0.002, 64
    key, key_id = create_key(pair[0], "budget", "--daily-budget-usd", str(budget))
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        futures = [
            pool.submit(chat, round_robin(pair, i), key, "Prove that 2 is prime", model="auto", max_tokens=max_tokens)
            for i in range(36)
        ]
        statuses = [f.result().status_code for f in futures]
    assert 200 in statuses and 429 in statuses
    rows = wait_until(lambda: (r := ledger_rows(ledger_url, key_id)) and len(r) == len(statuses) and r, 30, "rows")
    spent = sum(r["cost_usd"] or 0.0 for r in rows)
    one_reservation = (max(r["prompt_tokens"] or 0 for r in rows) * 2.5 + max_tokens * 10.0) / 1e6
    assert spent <= budget + one_reservation, (spent, budget, one_reservation)


def test_redis_down_follows_the_documented_choices(
    pair: list[TierdServer], redis_server: PrivateRedis, ledger_url: str
) -> None:
    key, key_id = create_key(pair[0], "through-outage")
    redis_server.stop()
    try:
        # rate_limits: open (served); escalation: closed (the local answer is kept, not escalated).
        pinned = [chat(g, key, "Say hi") for g in pair]
        assert [r.status_code for r in pinned] == [200, 200]
        checked = chat(pair[1], key, "What is the capital of France?", model="auto", max_tokens=24)
        assert checked.status_code == 200 and checked.headers["x-tierd-escalation"] == "budget-exhausted"
        assert checked.headers["x-tierd-tier"] == "tier-1"
        for gateway in pair:
            state = health(gateway)["shared_state"]
            assert state["shared"] and not state["reachable"], state
            assert metric(gateway, "tierd_shared_state_errors_total") > 0
            assert metric(gateway, "tierd_shared_state_up") == 0
            assert gateway.proc is not None and gateway.proc.poll() is None
            assert gateway.log_tail(200).count("unreachable (") == 1  # logged once per outage
    finally:
        redis_server.start()  # empty: Redis kept nothing, so the bucket starts full again
    for gateway in pair:
        wait_until(lambda g=gateway: health(g)["shared_state"]["reachable"], 10, "Redis reachable again", 0.1)
    again = chat(pair[0], key, "What is the capital of France?", model="auto", max_tokens=24)
    assert again.headers["x-tierd-escalation"] == "escalated"
    rows = wait_until(lambda: (r := ledger_rows(ledger_url, key_id)) and len(r) == 4 and r, 30, "ledger rows")
    assert sorted(r["status"] for r in rows) == [200] * 4  # none lost


def test_two_gateways_starting_seed_the_ledgers_spend_once(
    ready_upstreams: dict[str, VllmServer], scripted: ScriptedServer, postgres_url: str, tmp_path: Path
) -> None:
    ledger = own_database(postgres_url, "seed")
    engine = create_engine(ledger)
    create_schema(engine)
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(RequestRow(request_id="seeded-1", created_at=now, api_key_id="5eed5eed5eed5eed", endpoint="/x",
                               status=200, cost_usd=0.25))  # fmt: skip
        session.commit()
    engine.dispose()
    day, month = counter_names("5eed5eed5eed5eed", now)
    with private_redis(tmp_path) as server:
        config = _config(ready_upstreams, scripted, ledger, server.url)
        client = redis.Redis.from_url(server.url, decode_responses=True)
        with running_gateways(config, tmp_path / "gateways", 2) as gateways:
            assert float(client.get(f"tierd:spent:{day}") or 0) == pytest.approx(0.25)
            assert float(client.get(f"tierd:spent:{month}") or 0) == pytest.approx(0.25)
            gateways[0].stop()
            gateways[0].start().wait_ready(120)  # a restart does not add it again either
            assert float(client.get(f"tierd:spent:{day}") or 0) == pytest.approx(0.25)
        client.close()
