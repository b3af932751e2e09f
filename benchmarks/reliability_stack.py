"""The parts the reliability suite runs, all on 127.0.0.1: two vLLM replicas of the tiny model behind one
attached tier-1, the scripted frontier (tests/scripted_openai.py, its own process), a ledger on a private
Postgres (tests/postgres.py) or SQLite, and tierd itself as `tierd serve`, as users run it.

After tierd has stopped (SIGTERM drains the ledger), `ledger_rows` reads back what it booked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from benchmarks.processes import ScriptedServer, TierdServer, VllmServer, tiny_test_model
from server.accounting.ledger_schema import AttemptRow, RequestRow
from tests.postgres import PrivatePostgres

FRONTIER_PRICES = (2.5, 10.0)  # $ per 1M input / output tokens, as the integration tests price it
TIER1_LIMITS = {"max_tokens": 256, "n": 4, "max_messages": 256}  # the cpu preset's kind of caps
# The tiny model's random weights give junk at low log-probabilities: `auto` requests escalate (as in
# tests/integration/test_escalation.py).
ESCALATING_CHECKS: list[Any] = ["empty", "degeneration", "echo", {"name": "low_confidence", "min_mean_logprob": -3}]


@dataclass
class Stack:
    replicas: list[VllmServer]
    scripted: ScriptedServer
    postgres: PrivatePostgres | None
    tierd: TierdServer
    ledger_url: str


def tierd_config(
    replicas: list[VllmServer], scripted: ScriptedServer, ledger_url: str, queue_rows: int
) -> dict[str, Any]:
    return {
        "server": {"log_level": "warning", "log_unknown_fields": False},
        "tiers": [
            {
                "name": "tier-1",
                "kind": "vllm",
                "served_model_name": replicas[0].name,
                "urls": [r.root for r in replicas],
                "cost": {"hardware": "cpu", "tokens_per_hour": 1_000_000},
                "limits": TIER1_LIMITS,
                "timeouts": {"connect_s": 2, "read_s": 30},
                "supervision": {"health_interval_s": 0.5},
            },
            {
                "name": "frontier",
                "kind": "openai",
                "base_url": f"{scripted.root}/v1",
                "model": scripted.name,
                "price_per_1m_input": FRONTIER_PRICES[0],
                "price_per_1m_output": FRONTIER_PRICES[1],
                "max_retries": 2,
                # read_s: longer than the slowloris frontier's one byte a second, as a real API's pauses would
                # be; trickle_s cuts a body or an event that takes longer than 5 s, inside the fault timeout.
                "timeouts": {"connect_s": 2, "read_s": 10, "trickle_s": 5},
                "limits": {"max_tokens": 256},
            },
        ],
        "routing": {
            "classifier": "rules",
            "rules": {
                "default_tier": "tier-1",
                "rules": [{"name": "proof", "keywords": ["prove"], "tier": "frontier"}],
            },
        },
        "escalation": {
            "tiers": {"tier-1": {"checks": ESCALATING_CHECKS}},
            "budget": {"max_share": 1.0, "burst": 1_000_000},
        },
        # Two replicas of one tier: the suite tests re-placement between them, not spilling to the frontier.
        "placement": {"never_spill": ["tier-1"]},
        "accounting": {"ledger_url": ledger_url, "queue_max_rows": queue_rows},
    }


@contextlib.contextmanager
def running_stack(workdir: Path, *, ledger: str, queue_rows: int, max_num_seqs: int) -> Iterator[Stack]:
    model = tiny_test_model()
    seqs = ("--max-num-seqs", str(max_num_seqs))
    replicas = [VllmServer(model, "tiny-t1", workdir / f"vllm-{i}", extra_args=seqs) for i in ("a", "b")]
    postgres: PrivatePostgres | None = None
    scripted: ScriptedServer | None = None
    tierd: TierdServer | None = None
    try:
        for replica in replicas:
            replica.start()
        scripted = ScriptedServer("frontier-sim", workdir / "scripted.log").start()
        if ledger == "postgres":
            postgres = PrivatePostgres(workdir).init().start().create_database()
            ledger_url = postgres.url
        else:
            ledger_url = f"sqlite:///{workdir / 'ledger.db'}"
        for replica in replicas:
            replica.wait_ready()
        config = tierd_config(replicas, scripted, ledger_url, queue_rows)
        tierd = TierdServer(config, workdir / "tierd").start().wait_ready()
        yield Stack(replicas, scripted, postgres, tierd, ledger_url)
    finally:
        if tierd is not None:
            tierd.stop()
        for replica in replicas:
            replica.stop()
        if scripted is not None:
            scripted.stop()
        if postgres is not None:
            postgres.stop()


@dataclass(frozen=True)
class BookedRow:
    status: int
    error_code: str | None
    final_tier: str | None
    cost_usd: float | None
    completion_tokens: int | None
    api_key_id: str | None
    attempts: int
    upstream_s: float  # every attempt's latency as tierd measured it


def ledger_rows(url: str, request_ids: set[str]) -> dict[str, BookedRow]:
    """The ledger's rows of these requests (read in slices: Postgres and SQLite cap bound parameters)."""
    engine = create_engine(url)
    found: dict[str, BookedRow] = {}
    ids = sorted(request_ids)
    try:
        with engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                attempts = {r[0]: (r[1], r[2]) for r in conn.execute(_attempt_query(chunk))}
                query = select(
                    RequestRow.request_id,
                    RequestRow.status,
                    RequestRow.error_code,
                    RequestRow.final_tier,
                    RequestRow.cost_usd,
                    RequestRow.completion_tokens,
                    RequestRow.api_key_id,
                ).where(RequestRow.request_id.in_(chunk))
                for rid, status, code, tier, cost, tokens, key in conn.execute(query):
                    count, upstream = attempts.get(rid, (0, 0.0))
                    found[rid] = BookedRow(status, code, tier, cost, tokens, key, int(count), float(upstream))
    finally:
        engine.dispose()
    return found


def _attempt_query(chunk: list[str]) -> Any:
    return (
        select(AttemptRow.request_id, func.count(), func.coalesce(func.sum(AttemptRow.latency_s), 0.0))
        .where(AttemptRow.request_id.in_(chunk))
        .group_by(AttemptRow.request_id)
    )
