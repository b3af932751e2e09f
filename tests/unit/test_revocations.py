"""Key revocation and counter re-seeding across gateways: two Gatekeepers (two gateways) over one key table and
one shared state, the in-process one and a real private Redis. Polls and re-seeds are driven by hand
(poll_once, seed), so nothing here waits on time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from sqlalchemy.orm import Session

from server.accounting.admission import Gatekeeper
from server.accounting.auth_settings import BudgetSettings
from server.accounting.keys import KeyNotFound, KeyStore, KeyStoreError
from server.accounting.ledger import make_engine
from server.accounting.ledger_schema import RequestRow
from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import SharedState, counter_names
from server.accounting.shared_state.settings import SharedStateSettings
from server.accounting.shared_state.watch import open_shared_state
from server.cli.keys import announce
from server.errors import ApiError
from tests.redis_server import private_redis


def _gateway(url: str, state: SharedState) -> Gatekeeper:
    # refresh_s of an hour: only the announcement can tell this gateway, never a re-read of the table
    return Gatekeeper("on", BudgetSettings(), ledger_url=url, local_tiers=frozenset({"t"}), refresh_s=3600, state=state)


@pytest.fixture(params=["memory", "redis"])
async def shared(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[SharedState, SharedState]]:
    if request.param == "memory":
        state = InProcessState()
        yield state, state
        return
    with private_redis(tmp_path) as server:
        a, b = (open_shared_state(SharedStateSettings(url=server.url, timeout_s=2)) for _ in range(2))
        yield a, b
        await a.close()
        await b.close()


async def test_a_key_revoked_on_one_gateway_is_refused_on_the_other(
    tmp_path: Path, shared: tuple[SharedState, SharedState]
) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    created = KeyStore(make_engine(url)).create("alice")
    one, other = _gateway(url, shared[0]), _gateway(url, shared[1])
    await one.start("127.0.0.1")
    await other.start("127.0.0.1")
    try:
        assert (await other.authenticate(created.secret)) is not None
        await other.revocations.poll_once()
        revoked = await one.revoke(created.key.id)
        assert revoked.revoked_at is not None
        with pytest.raises(ApiError, match="Incorrect API key"):
            await one.authenticate(created.secret)  # at once on the gateway that revoked it
        assert (await other.authenticate(created.secret)) is not None  # its table copy is an hour old
        await other.revocations.poll_once()
        with pytest.raises(ApiError, match="Incorrect API key"):
            await other.authenticate(created.secret)
        with pytest.raises(KeyStoreError, match="already revoked"):  # announced again all the same
            await one.revoke(created.key.id)
        with pytest.raises(KeyNotFound):
            await one.revoke("0123456789abcdef")
    finally:
        await one.stop()
        await other.stop()


async def test_a_table_read_begun_before_the_revocation_does_not_bring_the_key_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    created = KeyStore(make_engine(url)).create("bob")
    gateway = _gateway(url, InProcessState())
    await gateway.start("127.0.0.1")
    try:
        gateway.verifier.revoke(created.key.id)  # announced; the row in the table still reads active
        await gateway.verifier.refresh()
        assert gateway.verifier.check(created.secret) is None
        assert await gateway.verifier.verify(created.secret) is None
    finally:
        await gateway.stop()


async def test_revoking_while_redis_is_down_still_revokes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    created = KeyStore(make_engine(url)).create("carol")
    with private_redis(tmp_path) as server:
        state = open_shared_state(SharedStateSettings(url=server.url, timeout_s=0.3))
        gateway = _gateway(url, state)
        await gateway.start("127.0.0.1")
        server.stop()
        try:
            await gateway.revoke(created.key.id)  # the table and this gateway; the announcement is lost
            with pytest.raises(ApiError):
                await gateway.authenticate(created.secret)
            assert not state.reachable and state.errors.get("announce_revocation") == 1
        finally:
            await gateway.stop()
            await state.close()
    assert KeyStore(make_engine(url)).list_keys()[0].revoked_at is not None  # the fallback re-read sees this


async def test_the_cli_announces_on_redis_and_says_when_it_cannot(tmp_path: Path) -> None:
    with private_redis(tmp_path) as server:
        settings = SharedStateSettings(url=server.url, timeout_s=1)
        assert await announce(settings, "feedfeedfeedfeed")
        reader = open_shared_state(settings)
        assert await reader.revoked_since(0) == (1, ["feedfeedfeedfeed"])
        await reader.close()
        server.stop()
        assert not await announce(settings, "feedfeedfeedfeed")


async def test_counters_a_restarted_redis_lost_come_back_from_the_ledger(tmp_path: Path) -> None:
    """Redis restarted empty while the gateways ran: the next re-seed raises the counters to the ledger's figures
    again (without it, a key's spent budget would be fresh until the next gateway restart)."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = make_engine(url)
    KeyStore(engine)  # the ledger's tables
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(RequestRow(request_id="r-1", created_at=now, api_key_id="k", endpoint="/x", status=200,
                               cost_usd=0.25))  # fmt: skip
        session.commit()
    day, month = counter_names("k", now)
    with private_redis(tmp_path) as server:
        state = open_shared_state(SharedStateSettings(url=server.url, timeout_s=2))
        gateway = Gatekeeper("on", BudgetSettings(), ledger_url=url, local_tiers=frozenset({"t"}), state=state,
                             reseed_s=3600)  # fmt: skip
        await gateway.start("127.0.0.1")
        try:
            assert (await state.spent(day, 0))[0] == pytest.approx(0.25)
            await state.settle("lease", [day, month], 0.5)  # a request settled after the ledger's figure
            client = redis.Redis.from_url(server.url)
            client.flushall()  # what a Redis restarted without persistence keeps
            client.close()
            assert (await state.spent(day, 0))[0] == 0.0
            await gateway.seed()  # what the reseeder does every shared_state.reseed_s
            assert (await state.spent(day, 0))[0] == pytest.approx(0.25)
            assert (await state.spent(month, 0))[0] == pytest.approx(0.25)
            await state.settle("lease-2", [day, month], 0.5)
            await gateway.seed()  # a counter above the ledger's figure is never lowered, nor added to
            assert (await state.spent(day, 0))[0] == pytest.approx(0.75)
        finally:
            await gateway.stop()
            await state.close()
