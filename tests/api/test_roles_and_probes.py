"""Who sees what: admin and ordinary keys, /v1/keys, /v1/tiers, the probes' minimal bodies, the rpm of the
endpoints that spend nothing, their own ledger threads, and /ready as the gateway's own readiness."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from benchmarks.processes import wait_until
from server.accounting.keys import KeyStore
from server.accounting.ledger import make_engine
from tests.api.harness import Gateway, gateway_settings, running_gateway, scripted_tiers
from tiers.base import ReplicaStatus

WINDOW = {"since": "1d"}


@dataclass
class Keys:
    admin: str
    alice: str
    bob: str

    @staticmethod
    def auth(key: str) -> dict[str, str]:
        return {"authorization": f"Bearer {key}"}


@pytest.fixture
async def keyed(tmp_path: Path) -> AsyncIterator[tuple[Gateway, Keys]]:
    settings = gateway_settings(tmp_path, auth={"mode": "on"})
    store = KeyStore(make_engine(settings.accounting.url(settings.server.state_dir)))
    keys = Keys(
        store.create("root", role="admin").secret,
        store.create("alice", requests_per_minute=50).secret,
        store.create("bob").secret,
    )
    store.engine.dispose()
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        yield gateway, keys


async def _flush(gateway: Gateway) -> None:
    assert gateway.app is not None
    assert await asyncio.to_thread(gateway.app.state.ledger.flush, 30)


async def test_an_ordinary_key_sees_only_its_own_usage_and_decisions(keyed: tuple[Gateway, Keys]) -> None:
    gateway, keys = keyed
    for key in (keys.alice, keys.bob, keys.bob):
        assert (await gateway.chat("hi", headers=Keys.auth(key))).status_code == 200
    await _flush(gateway)

    async def usage(key: str) -> dict[str, Any]:
        response = await gateway.http.get("/v1/usage", params={**WINDOW, "group_by": "key"}, headers=Keys.auth(key))
        assert response.status_code == 200
        return dict(response.json())

    alice, admin = await usage(keys.alice), await usage(keys.admin)
    assert (alice["scope"], alice["totals"]["requests"], [g["name"] for g in alice["groups"]]) == ("key", 1, ["alice"])
    assert (admin["scope"], admin["totals"]["requests"]) == ("all", 3)
    assert sorted(g["name"] for g in admin["groups"]) == ["alice", "bob"]

    async def overview(key: str) -> dict[str, Any]:
        response = await gateway.http.get("/dashboard/api/overview", params=WINDOW, headers=Keys.auth(key))
        assert response.status_code == 200
        return dict(response.json())

    mine, everyone = await overview(keys.bob), await overview(keys.admin)
    assert len(mine["recent"]) == 2 and mine["usage"]["totals"]["requests"] == 2
    assert {r["api_key_id"] for r in mine["recent"]} == {keys.bob.split("-")[1]}
    assert sum(b["requests"] for b in mine["series"]["buckets"]) == 2
    assert len(everyone["recent"]) == 3 and mine["ledger"]["location"] is None  # where the database is: admins


async def test_only_an_admin_key_manages_keys_and_a_revocation_holds_at_once(keyed: tuple[Gateway, Keys]) -> None:
    gateway, keys = keyed
    refused = await gateway.http.get("/v1/keys", headers=Keys.auth(keys.alice))
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert (error["type"], error["code"]) == ("permission_error", "insufficient_permissions")
    assert "admin key" in error["message"] and "'alice'" in error["message"]
    denied = await gateway.http.post("/v1/keys", json={"name": "mallory", "role": "admin"}, headers=Keys.auth(keys.bob))
    assert denied.status_code == 403

    listed = (await gateway.http.get("/v1/keys", headers=Keys.auth(keys.admin))).json()
    assert [(k["name"], k["role"]) for k in listed["data"]] == [
        ("root", "admin"),
        ("alice", "ordinary"),
        ("bob", "ordinary"),
    ]
    assert all("key" not in k and "key_hash" not in k for k in listed["data"])

    created = await gateway.http.post(
        "/v1/keys", json={"name": "carol", "requests_per_minute": 5}, headers=Keys.auth(keys.admin)
    )
    assert created.status_code == 200
    carol = created.json()
    assert (carol["role"], carol["requests_per_minute"]) == ("ordinary", 5)
    assert (await gateway.http.get("/v1/models", headers=Keys.auth(carol["key"]))).status_code == 200

    revoked = await gateway.http.delete(f"/v1/keys/{carol['id']}", headers=Keys.auth(keys.admin))
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    # No wait for the periodic refresh: Gatekeeper.revoke re-read the key table before answering.
    assert (await gateway.http.get("/v1/models", headers=Keys.auth(carol["key"]))).status_code == 401

    again = await gateway.http.delete(f"/v1/keys/{carol['id']}", headers=Keys.auth(keys.admin))
    assert again.status_code == 400 and "already revoked" in again.json()["error"]["message"]
    missing = await gateway.http.delete("/v1/keys/ffffffffffffffff", headers=Keys.auth(keys.admin))
    assert missing.status_code == 404
    duplicate = await gateway.http.post("/v1/keys", json={"name": "alice"}, headers=Keys.auth(keys.admin))
    assert duplicate.status_code == 400 and duplicate.json()["error"]["param"] == "name"
    bad_role = await gateway.http.post("/v1/keys", json={"name": "x", "role": "root"}, headers=Keys.auth(keys.admin))
    assert bad_role.status_code == 400 and bad_role.json()["error"]["param"] == "role"


async def test_probes_say_nothing_of_the_tiers_and_their_detail_is_for_admins(keyed: tuple[Gateway, Keys]) -> None:
    gateway, keys = keyed
    ready = await gateway.http.get("/ready")
    assert (ready.status_code, ready.json()) == (200, {"ready": True, "reason": None})
    health = await gateway.http.get("/health")
    assert (health.status_code, health.json()) == (
        200,
        {"status": "ok", "tiers_ready": True, "shared_state": {"shared": False, "reachable": True}},
    )

    assert (await gateway.http.get("/v1/tiers")).status_code == 401
    assert (await gateway.http.get("/v1/tiers", headers=Keys.auth(keys.alice))).status_code == 403
    detail = (await gateway.http.get("/v1/tiers", headers=Keys.auth(keys.admin))).json()
    assert [t["name"] for t in detail["tiers"]] == ["tier-1", "tier-2", "frontier"]
    assert all("url" in r and "pid" in r and "last_error" in r for t in detail["tiers"] for r in t["replicas"])

    live = (await gateway.http.get("/dashboard/api/live", headers=Keys.auth(keys.alice))).json()
    assert live["gpu_map"] == {} and live["telemetry"] is None and live["hot_gpus"] == {}
    assert [t["name"] for t in live["tiers"]] == ["tier-1", "tier-2", "frontier"]  # the page still draws its load

    metrics = (await gateway.http.get("/metrics")).text
    assert 'tierd_tier_routable_replicas{tier="tier-1"} 1.0' in metrics


async def test_route_usage_and_feedback_count_against_the_keys_rpm(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, auth={"mode": "on"})
    store = KeyStore(make_engine(settings.accounting.url(settings.server.state_dir)))
    key = store.create("slow", requests_per_minute=3).secret
    store.engine.dispose()
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        auth = Keys.auth(key)
        assert (await gateway.http.post("/v1/route", json=body, headers=auth)).status_code == 200
        assert (await gateway.http.get("/v1/usage", headers=auth)).status_code == 200
        feedback = {"request_id": "req-unknown", "score": 1}
        assert (await gateway.http.post("/v1/feedback", json=feedback, headers=auth)).status_code == 404
        for refused in (
            await gateway.http.post("/v1/route", json=body, headers=auth),
            await gateway.http.get("/v1/usage", headers=auth),
            await gateway.http.post("/v1/feedback", json=feedback, headers=auth),
        ):
            assert refused.status_code == 429
            assert refused.json()["error"]["code"] == "rate_limit_exceeded" and "retry-after" in refused.headers


async def test_ledger_reads_have_threads_of_their_own(tmp_path: Path) -> None:
    """Every thread of the loop's default pool busy (as a flood of slow reads would make it): usage, the
    dashboard's figures and feedback still answer, because they read the ledger on the reader's pool."""
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        answer = await gateway.chat("hi")
        await _flush(gateway)
        release = threading.Event()
        loop = asyncio.get_running_loop()
        blockers = [loop.run_in_executor(None, release.wait) for _ in range(32)]  # the default pool has <= 32
        try:
            feedback = {"request_id": answer.headers["x-tierd-request-id"], "score": 1}
            calls = (
                gateway.http.get("/v1/usage", params=WINDOW),
                gateway.http.get("/dashboard/api/overview", params=WINDOW),
                gateway.http.post("/v1/feedback", json=feedback),
            )
            usage, overview, stored = await asyncio.wait_for(asyncio.gather(*calls), 60)
        finally:
            release.set()
            await asyncio.gather(*blockers)
        assert usage.json()["totals"]["requests"] == 1
        assert len(overview.json()["recent"]) == 1
        assert stored.status_code == 200


async def test_ready_is_the_gateways_own_state(tmp_path: Path) -> None:
    """/ready is 503 when the ledger cannot write or is behind, and while the gateway shuts down; a tier
    that is down only shows in /health."""
    settings = gateway_settings(
        tmp_path, accounting={"ledger_url": f"sqlite:///{tmp_path / 'ledger.db'}", "queue_max_rows": 2}
    )
    tiers = scripted_tiers(settings)
    async with running_gateway(settings, tiers) as gateway:
        assert gateway.app is not None

        async def ready() -> tuple[int, Any]:
            response = await gateway.http.get("/ready")
            return response.status_code, response.json()["reason"]

        tiers["tier-2"].status = ReplicaStatus.UNHEALTHY
        assert await ready() == (200, None)
        assert (await gateway.http.get("/health")).json()["tiers_ready"] is False
        tiers["tier-2"].status = ReplicaStatus.READY

        lock = sqlite3.connect(tmp_path / "ledger.db", isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # another process holds the database: the writer's tries fail
        try:
            assert (await gateway.chat("one")).status_code == 200
            await asyncio.to_thread(wait_until, lambda: gateway.app.state.ledger.failing, 60, "a failed write")
            assert await ready() == (503, "ledger_unwritable")
            assert (await gateway.chat("two")).status_code == 200  # the queue reaches queue_max_rows
            assert await ready() == (503, "ledger_backlog")
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        assert await asyncio.to_thread(gateway.app.state.ledger.flush, 60)
        assert await ready() == (200, None)

        gateway.app.state.lifecycle.begin_drain()  # what SIGTERM does first (server/cli/serving.py)
        assert await ready() == (503, "shutting_down")


async def test_keys_are_never_managed_over_http_without_an_admin_key(tmp_path: Path) -> None:
    """auth.mode auto before the first key: everything is open, except making keys (the first caller
    would otherwise lock everybody else out)."""
    settings = gateway_settings(tmp_path, auth={"mode": "auto"})
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        assert (await gateway.http.get("/v1/usage")).status_code == 200
        assert (await gateway.http.get("/v1/tiers")).status_code == 200  # open, as /ready was before
        for response in (
            await gateway.http.get("/v1/keys"),
            await gateway.http.post("/v1/keys", json={"name": "first", "role": "admin"}),
        ):
            assert response.status_code == 403
            assert "tierd keys create --name NAME --admin" in response.json()["error"]["message"]
