"""Accounting through HTTP: after concurrent traffic and the app's shutdown (which drains the ledger), every
request has exactly its row, with the tier, tokens and cost the client was told, and every upstream call its
attempt row; refused requests and upstream errors included. /v1/usage and /metrics count the same traffic."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from server.accounting.keys import KeyStore
from tests.api.harness import (
    FRONTIER_PRICES,
    Gateway,
    LedgerRows,
    answering,
    gateway_settings,
    last_user_text,
    running_gateway,
    scripted_tiers,
    sse_lines,
    sse_payloads,
)
from tiers.base import UpstreamError, UpstreamUnavailable
from tiers.scripted import Handler, chat_stream

pytestmark = pytest.mark.api
LOCAL = {"tier-1": True, "tier-2": True, "frontier": False}


def _marked(default: Handler) -> Handler:
    """Markers in the last user message script a tier, as tests/scripted_openai.py's do: [[junk]] an empty
    answer, [[refuse]] a 400 with the upstream's own body, [[drop]] a stream that breaks after its first chunk."""

    def handler(path: str, body: dict[str, Any]) -> Any:
        text = last_user_text(body)
        if "[[refuse]]" in text:
            return UpstreamError(400, "too long", body={"error": {"message": "too long", "code": "context_length"}})
        if "[[drop]]" in text:
            return [chat_stream(["a"], body, prompt_tokens=1, completion_tokens=1)[0], UpstreamUnavailable("gone")]
        return answering("" if "[[junk]]" in text else f"answer to {text}")(path, body)

    return handler


def _accounting_settings(tmp_path: Path) -> Any:
    escalation = {"tiers": {"tier-1": {"checks": ["empty"]}}, "budget": {"max_share": 1.0, "burst": 100}}
    # Small batches: the drain at shutdown writes several transactions.
    return gateway_settings(tmp_path, escalation=escalation, accounting={**_ledger(tmp_path), "batch_rows": 3})


def _ledger(tmp_path: Path) -> dict[str, Any]:
    return {"ledger_url": f"sqlite:///{tmp_path / 'ledger.db'}"}


async def _json(gateway: Gateway, model: str, text: str) -> dict[str, Any]:
    response = await gateway.chat(text, model=model)
    told: dict[str, Any] = {"id": response.headers["x-tierd-request-id"], "status": response.status_code}
    if response.status_code != 200:
        return {**told, "tier": response.headers.get("x-tierd-tier"), "stream": False}
    usage = response.json()["usage"]
    return {
        **told,
        "tier": response.headers["x-tierd-tier"],
        "cost": float(response.headers["x-tierd-cost-usd"]),
        "tokens": (usage["prompt_tokens"], usage["completion_tokens"]),
        "attempts": int(response.headers.get("x-tierd-attempts", "1")),
        "outcome": response.headers.get("x-tierd-escalation"),
        "decision": response.headers["x-tierd-decision"],
        "stream": False,
    }


async def _stream(gateway: Gateway, model: str, text: str, usage: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {"stream": True, **({"stream_options": {"include_usage": True}} if usage else {})}
    response = await gateway.chat(text, model=model, **fields)
    if usage:
        last = sse_payloads(response)[-1]
        figures, tokens = last["tierd"], (last["usage"]["prompt_tokens"], last["usage"]["completion_tokens"])
    else:  # the cost rides in an SSE comment before [DONE]; the tokens are the tier's scripted ones
        figures, tokens = json.loads(sse_lines(response)[-2].removeprefix(": tierd ")), None
    return {
        "id": response.headers["x-tierd-request-id"],
        "status": 200,
        "tier": response.headers["x-tierd-tier"],
        "cost": float(figures["cost_usd"]),
        "tokens": tokens,
        "attempts": int(response.headers.get("x-tierd-attempts", "1")),
        "outcome": response.headers.get("x-tierd-escalation"),
        "decision": response.headers["x-tierd-decision"],
        "stream": True,
    }


async def _refused(gateway: Gateway) -> dict[str, str]:
    """Requests that never reach a tier, by the error code they get."""
    bodies: dict[str, Any] = {
        "invalid_json": b"{not json",
        "model_not_found": json.dumps({"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]}),
        "invalid_value": json.dumps({"model": "auto", "messages": "not a list"}),
    }
    ids = {}
    for code, body in bodies.items():
        response = await gateway.http.post("/v1/chat/completions", content=body)
        assert response.json()["error"]["code"] == code
        ids[code] = response.headers["x-tierd-request-id"]
    return ids


async def _traffic(gateway: Gateway) -> list[dict[str, Any]]:
    calls = []
    for i in range(3):
        calls += [
            _json(gateway, "auto", f"Say hi {i}"),  # tier-1, checked and accepted
            _stream(gateway, "auto", f"Say hello {i}", usage=True),
            _json(gateway, "tier-2", f"Say hi {i}"),  # local, not checked
            _json(gateway, "auto", f"Please prove {i} is a number"),  # the frontier: list price
            _stream(gateway, "frontier", f"Hello {i}", usage=False),
        ]
    calls += [_json(gateway, "auto", "[[junk]] capital of France?"), _stream(gateway, "auto", "[[junk]] Italy?", True)]
    return list(await asyncio.gather(*calls))


async def test_every_request_has_its_row_and_every_upstream_call_its_attempt(tmp_path: Path) -> None:
    settings = _accounting_settings(tmp_path)
    tiers = scripted_tiers(settings, {name: _marked(answering(f"answer from {name}")) for name in LOCAL})
    async with running_gateway(settings, tiers) as gateway:
        answers = await _traffic(gateway)
        upstream_400 = await _json(gateway, "tier-2", "[[refuse]] hi")
        dropped = (await gateway.chat("[[drop]] hi", model="tier-1", stream=True)).headers["x-tierd-request-id"]
        refused = await _refused(gateway)
        ledger = await gateway.stop()
    answered_ids = [a["id"] for a in answers]
    assert sorted(ledger.requests) == sorted([*answered_ids, upstream_400["id"], dropped, *refused.values()])
    for answer in answers:
        _assert_answered(ledger, answer)
    escalated = [a for a in answers if a["attempts"] > 1]
    assert len(escalated) == 2 and all(a["outcome"] == "escalated" for a in escalated)
    for answer in escalated:
        row, (first, last) = ledger.requests[answer["id"]], ledger.attempts[answer["id"]]
        assert (first.tier, first.passed, first.returned, last.tier, last.returned) == (
            "tier-1", False, False, "tier-2", True
        )  # fmt: skip
        assert [c["check"] for c in first.checks if not c["passed"]] == ["empty"]
        assert row.wasted_usd == pytest.approx(first.cost_usd) and row.wasted_usd > 0
    # An upstream's own error: its status, its code, one attempt, no cost.
    row, attempts = ledger.requests[upstream_400["id"]], ledger.attempts[upstream_400["id"]]
    assert (row.status, row.error_code, row.final_tier, row.cost_usd) == (400, "context_length", "tier-2", None)
    assert [(a.tier, a.status) for a in attempts] == [("tier-2", 400)]
    # A stream that broke mid-way: its headers said 200, the row keeps the error the client saw, and its status.
    assert (ledger.requests[dropped].status, ledger.requests[dropped].error_code) == (503, "upstream_unavailable")
    assert len(ledger.attempts[dropped]) == 1
    for code, request_id in refused.items():
        row = ledger.requests[request_id]
        assert (row.status, row.error_code, row.final_tier) == (404 if code == "model_not_found" else 400, code, None)
        assert request_id not in ledger.attempts


def _assert_answered(ledger: LedgerRows, answer: dict[str, Any]) -> None:
    row, attempts = ledger.requests[answer["id"]], ledger.attempts[answer["id"]]
    assert (row.status, row.final_tier, row.stream) == (200, answer["tier"], answer["stream"])
    if answer["tokens"] is not None:
        assert (row.prompt_tokens, row.completion_tokens) == answer["tokens"]
    assert row.cost_usd == pytest.approx(answer["cost"], rel=1e-6, abs=1e-12)
    assert row.cost_basis == ("list-price" if answer["tier"] == "frontier" else "measured-throughput")
    assert row.local is LOCAL[answer["tier"]]
    assert row.escalation_outcome == answer["outcome"]
    assert len(attempts) == answer["attempts"] == row.escalations + 1
    assert [a.returned for a in attempts].count(True) == 1
    assert sum(a.cost_usd for a in attempts) == pytest.approx(row.cost_usd, rel=1e-6)
    frontier = (row.prompt_tokens * FRONTIER_PRICES[0] + row.completion_tokens * FRONTIER_PRICES[1]) / 1e6
    assert row.frontier_cost_usd == pytest.approx(frontier, rel=1e-9)
    assert row.savings_usd == pytest.approx(max(0.0, frontier - row.cost_usd), abs=1e-12)
    assert row.decision == answer["decision"] and row.explanation["chosen_tier"] == row.first_tier
    assert row.latency_s > 0 and (row.ttft_s is not None) == answer["stream"]


async def test_usage_and_metrics_count_the_same_requests(tmp_path: Path) -> None:
    settings = _accounting_settings(tmp_path)
    tiers = scripted_tiers(settings, {"tier-1": _marked(answering("cheap"))})
    async with running_gateway(settings, tiers) as gateway:
        answers = await _traffic(gateway)
        await _refused(gateway)
        metrics = _samples((await gateway.http.get("/metrics")).text)
        ledger = await gateway.stop()
    # Prometheus: requests by final tier and status; tokens and cost by the tier that spent them (every attempt).
    by_tier = {t: [a for a in answers if a["tier"] == t] for t in LOCAL}
    attempts = [a for request_attempts in ledger.attempts.values() for a in request_attempts]
    for tier, mine in by_tier.items():
        assert metrics[("tierd_requests_total", (("status", "200"), ("tier", tier)))] == len(mine)
        spent = [a for a in attempts if a.tier == tier]
        cost = metrics[("tierd_cost_usd_total", (("tier", tier),))]
        assert cost == pytest.approx(sum(a.cost_usd for a in spent), rel=1e-9)
        completion = metrics[("tierd_tokens_total", (("kind", "completion"), ("tier", tier)))]
        assert completion == sum(a.completion_tokens for a in spent)
    # A tierd started again on the same ledger reports what the first one recorded.
    async with running_gateway(settings, scripted_tiers(settings)) as restarted:
        totals = (await restarted.http.get("/v1/usage", params={"since": "1h"})).json()["totals"]
    rows = list(ledger.requests.values())
    assert (totals["requests"], totals["errors"]) == (len(answers) + 3, 3)
    assert totals["escalated_requests"] == 2
    assert totals["local_requests"] == len(by_tier["tier-1"]) + len(by_tier["tier-2"])
    assert totals["cost_usd"] == pytest.approx(sum(r.cost_usd or 0.0 for r in rows), rel=1e-9)
    assert totals["completion_tokens"] == sum(r.completion_tokens or 0 for r in rows)


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_refused_requests_are_counted_in_metrics_as_in_the_ledger(gateway: Gateway) -> None:
    await _refused(gateway)
    metrics = _samples((await gateway.http.get("/metrics")).text)
    assert metrics.get(("tierd_requests_total", (("status", "404"), ("tier", "none")))) == 1
    assert metrics.get(("tierd_requests_total", (("status", "400"), ("tier", "none")))) == 2


@pytest.fixture
def locked_ledger(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A SQLite ledger file and a connection that can hold its write lock, as a stuck writer elsewhere would."""
    path = tmp_path / "ledger.db"
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        yield path, blocker
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()


async def test_requests_are_refused_with_503_while_the_ledger_is_behind(
    tmp_path: Path, locked_ledger: tuple[Path, sqlite3.Connection]
) -> None:
    path, blocker = locked_ledger
    key = KeyStore(create_engine(f"sqlite:///{path}")).create("caller")  # `tierd keys create`
    settings = gateway_settings(
        tmp_path, auth={"mode": "on"}, accounting={"ledger_url": f"sqlite:///{path}", "queue_max_rows": 3}
    )
    auth = {"authorization": f"Bearer {key.secret}"}
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        blocker.execute("BEGIN EXCLUSIVE")  # the writer cannot commit: rows queue up
        invalid = {"model": "auto", "messages": "not a list"}
        ids = []
        for _ in range(3):  # refused by validation, and recorded: the queue fills
            response = await gateway.http.post("/v1/chat/completions", json=invalid, headers=auth)
            assert response.status_code == 400
            ids.append(response.headers["x-tierd-request-id"])
        refused = await gateway.http.post("/v1/chat/completions", json=invalid, headers=auth)
        assert refused.status_code == 503 and refused.headers["retry-after"] == "2"
        assert refused.json()["error"]["code"] == "ledger_backlog"
        blocker.execute("ROLLBACK")
        ledger = await gateway.stop()
    rows = sorted(ledger.requests.values(), key=lambda r: ids.index(r.request_id))
    assert [(r.request_id, r.status, r.error_code, r.api_key_id, r.final_tier) for r in rows] == [
        (request_id, 400, "invalid_value", key.key.id, None) for request_id in ids
    ]
