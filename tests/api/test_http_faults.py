"""Faults of a real upstream over HTTP: the app in-process, its tiers the real ones the settings describe
(attached vLLM tiers and a remote frontier), all pointing at tests/scripted_openai.py run as its own process.

The scripted server stands in for vLLM: what is under test is tierd's side of the wire (its aiohttp relay, the
health probing of an attached replica, the accounting), for which a real engine adds nothing but minutes.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import (
    Gateway,
    frontier_tier,
    gateway_settings,
    running_gateway,
    sse_lines,
    sse_payloads,
    vllm_tier,
)
from tests.support import ScriptedServer
from tests.unit.test_ledger_metrics import SERIES as LEDGER_SERIES

pytestmark = pytest.mark.api
# Fast probing, so that a replica's status follows its server within a fraction of a second.
SUPERVISION = {"health_interval_s": 0.05, "unhealthy_after": 2}


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[ScriptedServer]:
    server = ScriptedServer("scripted", tmp_path / "scripted.log").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def gateway(tmp_path: Path, upstream: ScriptedServer) -> AsyncIterator[Gateway]:
    tiers = [
        vllm_tier("tier-1", urls=[upstream.root], supervision=SUPERVISION),
        vllm_tier("tier-2", urls=[upstream.root], supervision=SUPERVISION),
        frontier_tier(base_url=f"{upstream.root}/v1"),
    ]
    async with running_gateway(gateway_settings(tmp_path, tiers=tiers), None) as running:
        await eventually(lambda: replica_status(running, "tier-1"), "ready", "tier-1 to be ready")
        yield running


async def replica_status(gateway: Gateway, tier: str) -> str:
    state = (await gateway.http.get("/v1/tiers")).json()
    [replica] = next(t for t in state["tiers"] if t["name"] == tier)["replicas"]
    return str(replica["status"])


async def eventually(read: Callable[[], Awaitable[Any]], wanted: Any, what: str, timeout_s: float = 30) -> None:
    """Wait (without blocking the event loop the app runs on) until `read()` gives `wanted`."""
    seen = None
    for _ in range(int(timeout_s / 0.02)):
        seen = await read()
        if seen == wanted:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}: last saw {seen!r}")


def metric(exposition: str, name: str, **labels: str) -> float:
    """One sample of the Prometheus text (0.0 when the series has none yet)."""
    for line in exposition.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if match and dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or "")) == labels:
            return float(match.group(2))
    return 0.0


async def test_an_upstream_that_drops_the_connection_mid_stream_is_one_error_event_and_one_failed_row(
    gateway: Gateway, upstream: ScriptedServer
) -> None:
    response = await gateway.chat("Where is Paris? [[drop]]", model="tier-1", stream=True)
    assert response.status_code == 200  # the headers had gone before the failure
    payloads = sse_payloads(response)
    assert "".join(p["choices"][0]["delta"].get("content") or "" for p in payloads[:-1]) == "The capital of"
    errors = [p for p in payloads if "error" in p]
    assert errors == [payloads[-1]]
    assert errors[0]["error"]["code"] == "upstream_unavailable" and errors[0]["error"]["type"] == "server_error"
    assert "tier 'tier-1'" in errors[0]["error"]["message"] and "dropped" in errors[0]["error"]["message"]
    assert "data: [DONE]" not in sse_lines(response)
    assert upstream.stats()["dropped"] == 1  # not retried after the first byte

    exposition = (await gateway.http.get("/metrics")).text
    assert metric(exposition, "tierd_requests_total", tier="tier-1", status="503") == 1.0
    assert metric(exposition, "tierd_requests_total", tier="tier-1", status="200") == 0.0
    exported = {line.split(" ")[0] for line in exposition.splitlines() if line.startswith("tierd_ledger_")}
    assert exported == set(LEDGER_SERIES)  # the app exports the ledger's series (tests/unit/test_ledger_metrics.py)

    async def usage_totals() -> dict[str, Any]:
        return dict((await gateway.http.get("/v1/usage")).json()["totals"])

    async def requests_booked() -> int:
        return int((await usage_totals())["requests"])

    await eventually(requests_booked, 1, "the row to be written")
    totals = await usage_totals()
    assert (totals["errors"], totals["successful_requests"]) == (1, 0)
    ledger = await gateway.stop()
    [row] = ledger.requests.values()
    assert (row.status, row.error_code, row.final_tier, row.stream) == (503, "upstream_unavailable", "tier-1", True)
    [attempt] = ledger.attempts[row.request_id]
    assert attempt.tier == "tier-1" and attempt.replica == "tier-1-0"


async def test_an_attached_replica_goes_unhealthy_when_its_server_dies_and_ready_when_it_is_back(
    gateway: Gateway, upstream: ScriptedServer
) -> None:
    def ready_gauge(exposition: str) -> float:
        return metric(exposition, "tierd_replica_ready", tier="tier-1", replica="tier-1-0")

    assert ready_gauge((await gateway.http.get("/metrics")).text) == 1.0
    upstream.stop()
    await eventually(lambda: replica_status(gateway, "tier-1"), "unhealthy", "tier-1 to be unhealthy")
    assert ready_gauge((await gateway.http.get("/metrics")).text) == 0.0
    refused = await gateway.chat("hi", model="tier-1")
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "tier_unavailable"

    upstream.start()  # the same port again
    await eventually(lambda: replica_status(gateway, "tier-1"), "ready", "tier-1 to be ready again")
    assert ready_gauge((await gateway.http.get("/metrics")).text) == 1.0
    answered = await gateway.chat("hi", model="tier-1")
    assert answered.status_code == 200 and answered.headers["x-tierd-tier"] == "tier-1"
