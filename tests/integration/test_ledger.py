"""The ledger end to end: a real tierd on a real vLLM tier (the tiny model), a vLLM tier behind the remote
kind and the scripted frontier, concurrent traffic from the official client, then SIGTERM: every request
has exactly its row, with the tier, tokens and cost the client was told, and every upstream attempt its own.
Run once with the default SQLite file and once with the session's private Postgres."""

from __future__ import annotations

import concurrent.futures
import json
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select

from server.accounting.ledger_schema import AttemptRow, FeedbackRow, RequestRow
from tests.conftest import FRONTIER_KEY
from tests.integration.test_escalation import CHEAP_CHECKS
from tests.support import ScriptedServer, TierdServer, VllmServer, attached_tier, openai_client, remote_tier

pytestmark = pytest.mark.integration
FRONTIER_PRICES = (2.5, 10.0)


def ledger_config(upstreams: dict[str, VllmServer], scripted: ScriptedServer, ledger_url: str | None) -> dict[str, Any]:
    return {
        "tiers": [
            # Checked: an `auto` request's junk answer escalates to tier-2. Pinned requests are not checked.
            attached_tier("tier-1", upstreams["tier-2"], cost={"hardware": "cpu", "tokens_per_hour": 1_000_000}),
            remote_tier("tier-2", upstreams["frontier"], max_retries=0),
            {
                "name": "frontier",
                "kind": "openai",
                "base_url": f"{scripted.root}/v1",
                "model": scripted.name,
                "price_per_1m_input": FRONTIER_PRICES[0],
                "price_per_1m_output": FRONTIER_PRICES[1],
                "max_retries": 0,
            },
        ],
        "routing": {
            "classifier": "rules",
            "rules": {
                "default_tier": "tier-1",
                "rules": [{"name": "proof", "keywords": ["prove"], "tier": "frontier"}],
            },
        },
        "escalation": {"tiers": {"tier-1": {"checks": CHEAP_CHECKS}}, "budget": {"max_share": 1.0, "burst": 100}},
        # Under this burst tier-1's vLLM can report 4 waiting, and placement would rightly spill an `auto`
        # request to tier-2 (fresh-clone CI did): the escalations this test counts would then not happen.
        "placement": {"never_spill": ["tier-1"]},
        "accounting": {"ledger_url": ledger_url, "batch_rows": 8},
    }


def _json(server: TierdServer, model: str, text: str, **extra: Any) -> dict[str, Any]:
    raw = openai_client(server).chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": text}], max_tokens=6, temperature=0, **extra
    )
    usage = raw.parse().usage
    assert usage is not None
    return {
        "id": raw.headers["x-tierd-request-id"],
        "status": 200,
        "tier": raw.headers["x-tierd-tier"],
        "cost": raw.headers["x-tierd-cost-usd"],
        "tokens": (usage.prompt_tokens, usage.completion_tokens),
        "attempts": int(raw.headers.get("x-tierd-attempts", "1")),
        "stream": False,
    }


def _stream(server: TierdServer, model: str, text: str) -> dict[str, Any]:
    raw = openai_client(server).chat.completions.with_raw_response.create(
        model=model,
        messages=[{"role": "user", "content": text}],
        max_tokens=6,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    last = list(raw.parse())[-1]
    assert last.usage is not None
    return {
        "id": raw.headers["x-tierd-request-id"],
        "status": 200,
        "tier": raw.headers["x-tierd-tier"],
        "cost": (last.model_extra or {})["tierd"]["cost_usd"],
        "tokens": (last.usage.prompt_tokens, last.usage.completion_tokens),
        "attempts": int(raw.headers.get("x-tierd-attempts", "1")),
        "stream": True,
    }


def _upstream_400(server: TierdServer) -> dict[str, Any]:
    # Longer than the tiny model's context: vLLM itself refuses it.
    body = {"model": "tier-1", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 50_000}
    response = httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=60)
    assert response.status_code == 400, response.text
    return {"id": response.headers["x-tierd-request-id"], "status": 400, "tier": "tier-1", "stream": False}


def _traffic(server: TierdServer) -> list[dict[str, Any]]:
    calls: list[Any] = []
    for i in range(6):
        calls.append((_json, server, "tier-1", f"Say hi {i}"))  # plain, local
        calls.append((_stream, server, "tier-1", f"Say hello {i}"))
        calls.append((_json, server, "tier-2", f"Say hi {i}"))  # remote kind, list price
        calls.append((_stream, server, "tier-2", f"Say hello {i}"))
        calls.append((_json, server, "auto", f"Please prove {i} is a number"))  # the scripted frontier
        calls.append((_stream, server, "frontier", f"Hello {i}"))
    calls += [(_json, server, "auto", "What is the capital of France?")] * 2  # escalated: tier-1 -> tier-2
    calls += [(_stream, server, "auto", "What is the capital of Italy?")]
    calls += [(_upstream_400, server)]
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        return list(pool.map(lambda call: call[0](*call[1:]), calls))


def _refused(server: TierdServer) -> list[str]:
    """Requests that never reach a tier: unparsable JSON and an unknown model."""
    ids = []
    for body in (b"{not json", json.dumps({"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]})):
        response = httpx.post(f"{server.url}/v1/chat/completions", content=body, timeout=30)
        assert response.status_code in (400, 404)
        ids.append(response.headers["x-tierd-request-id"])
    return ids


def _client_gives_up(server: TierdServer) -> None:
    """A client that stops waiting while the (scripted) frontier is still working: recorded as 499."""
    body = {"model": "frontier", "messages": [{"role": "user", "content": "[[slow]] hi"}], "max_tokens": 4}
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=2)


def _feedback(server: TierdServer, known: str) -> None:
    url = f"{server.url}/v1/feedback"
    ok = httpx.post(url, json={"request_id": known, "score": 1, "comment": "good"}, timeout=30)
    assert ok.status_code == 200 and ok.json()["request_id"] == known
    assert httpx.post(url, json={"request_id": "req-nope", "score": 1}, timeout=30).status_code == 404
    bad = httpx.post(url, json={"request_id": known, "score": 7}, timeout=30)
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "score"


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_every_request_and_attempt_is_in_the_ledger_after_sigterm(
    database: str,
    ready_upstreams: dict[str, VllmServer],
    scripted: ScriptedServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    ledger_url = None if database == "sqlite" else str(request.getfixturevalue("postgres_url"))
    server = TierdServer(
        ledger_config(ready_upstreams, scripted, ledger_url), tmp_path, {"TEST_FRONTIER_KEY": FRONTIER_KEY}
    )
    started = datetime.now(UTC)  # the shared Postgres holds other tests' rows: the 499 counted are this run's
    server.start()
    try:
        server.wait_ready()
        answers = _traffic(server)
        refused = _refused(server)
        _client_gives_up(server)
        _feedback(server, answers[0]["id"])
    except BaseException:
        server.stop()
        raise
    # SIGTERM right after the traffic: the queue drains first (uvicorn re-raises the signal once it has stopped).
    assert server.stop() in (0, -signal.SIGTERM), server.log_tail()
    engine = create_engine(ledger_url or f"sqlite:///{tmp_path / 'ledger.db'}")
    ids = [a["id"] for a in answers] + refused
    with engine.connect() as conn:
        rows = {r.request_id: r for r in conn.execute(select(RequestRow).where(RequestRow.request_id.in_(ids)))}
        attempts = list(conn.execute(select(AttemptRow).where(AttemptRow.request_id.in_(ids))))
        feedback = list(conn.execute(select(FeedbackRow).where(FeedbackRow.request_id == answers[0]["id"])))
        gave_up = list(
            conn.execute(select(RequestRow).where(RequestRow.status == 499, RequestRow.created_at >= started))
        )
        gave_up_attempts = list(
            conn.execute(select(AttemptRow).where(AttemptRow.status == 499, AttemptRow.created_at >= started))
        )
    engine.dispose()
    assert sorted(rows) == sorted(ids)
    by_request: dict[str, list[Any]] = {}
    for attempt in attempts:
        by_request.setdefault(attempt.request_id, []).append(attempt)
    for answer in answers:
        row = rows[answer["id"]]
        assert (row.status, row.final_tier, row.stream) == (answer["status"], answer["tier"], answer["stream"])
        mine = sorted(by_request[answer["id"]], key=lambda a: a.attempt_index)
        if answer["status"] != 200:
            assert row.error_code and len(mine) == 1 and mine[0].status == 400 and row.cost_usd is None
            continue
        assert (row.prompt_tokens, row.completion_tokens) == answer["tokens"]
        assert row.cost_usd == pytest.approx(float(answer["cost"]), rel=1e-6, abs=1e-12)
        assert row.local == (answer["tier"] == "tier-1")
        assert len(mine) == answer["attempts"] == row.escalations + 1
        assert [a.returned for a in mine].count(True) == 1
        assert sum(a.cost_usd for a in mine) == pytest.approx(row.cost_usd, rel=1e-6)
        frontier = (row.prompt_tokens * FRONTIER_PRICES[0] + row.completion_tokens * FRONTIER_PRICES[1]) / 1e6
        assert row.frontier_cost_usd == pytest.approx(frontier, rel=1e-9)
        assert row.savings_usd == pytest.approx(max(0.0, frontier - row.cost_usd), abs=1e-12)
        assert row.decision and row.explanation["chosen_tier"] == row.first_tier
        assert row.latency_s > 0 and (row.ttft_s is not None) == answer["stream"]
    escalated = [rows[a["id"]] for a in answers if a.get("attempts", 1) > 1]
    assert len(escalated) == 3
    for row in escalated:
        first, last = sorted(by_request[row.request_id], key=lambda a: a.attempt_index)
        assert (first.tier, first.passed, first.returned) == ("tier-1", False, False)
        assert any(not c["passed"] for c in first.checks) and last.tier == "tier-2" and last.returned
        assert row.escalation_outcome == "escalated" and row.wasted_usd == pytest.approx(first.cost_usd)
    for request_id in refused:
        assert rows[request_id].final_tier is None and rows[request_id].status in (400, 404)
        assert request_id not in by_request
    assert rows[refused[0]].error_code == "invalid_json"
    assert [(f.score, f.comment) for f in feedback] == [(1.0, "good")]
    assert [(r.final_tier, r.error_code) for r in gave_up] == [("frontier", "client_disconnected")]
    assert [a.request_id for a in gave_up_attempts] == [gave_up[0].request_id]
