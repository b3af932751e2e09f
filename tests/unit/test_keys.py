"""API keys on a real SQLite ledger: hashing, create/list/revoke, and the in-memory verifier."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from server.accounting.keys import KeyNotFound, KeyStore, KeyStoreError, KeyVerifier, hash_secret, parse_key
from server.accounting.ledger import make_engine
from server.accounting.ledger_schema import SCHEMA_VERSION, Base, RequestRow, SchemaInfo
from server.cli import main
from tests.postgres import own_database


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyStore]:
    """A key store on an empty database: a SQLite file, or a database of its own on the session's Postgres."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state' / 'ledger.db'}"
    else:
        url = own_database(request.getfixturevalue("postgres_url"), "keys")
    store = KeyStore(make_engine(url))
    yield store
    store.engine.dispose()


def test_only_a_salted_hash_is_stored(store: KeyStore) -> None:
    first = store.create("alice", daily_budget_usd=1.5, requests_per_minute=30)
    second = store.create("bob")
    rows = {s.key.name: s for s in store.load()}
    for created in (first, second):
        key_id, secret = parse_key(created.secret) or ("", "")
        assert key_id == created.key.id
        stored = rows[created.key.name]
        assert created.secret not in (stored.key_hash, stored.salt) and secret not in stored.key_hash
        assert stored.key_hash == hash_secret(stored.salt, secret)
    assert rows["alice"].salt != rows["bob"].salt
    assert (rows["alice"].key.daily_budget_usd, rows["alice"].key.requests_per_minute) == (1.5, 30)
    # Same secret, different salt: a different hash.
    assert hash_secret(rows["alice"].salt, "x") != hash_secret(rows["bob"].salt, "x")


def test_verify_accepts_the_key_and_refuses_wrong_malformed_and_revoked(store: KeyStore) -> None:
    created = store.create("alice")
    verifier = KeyVerifier(store.load)
    asyncio.run(verifier.refresh())
    key = verifier.check(created.secret)
    assert key is not None and key.name == "alice"
    wrong = created.secret[:-4] + ("AAAA" if not created.secret.endswith("AAAA") else "BBBB")
    for bad in (wrong, "sk-not-a-tierd-key", "", created.secret + "x", f"tierd-{'0' * 16}-{'a' * 43}"):
        assert verifier.check(bad) is None
    store.revoke("alice")
    asyncio.run(verifier.refresh())
    assert verifier.check(created.secret) is None
    assert verifier.any_keys  # a revoked key still counts: revoking never turns auto auth off


def test_a_new_key_is_seen_without_waiting_for_the_periodic_refresh(store: KeyStore) -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # the injected clock moves instead of the test waiting
        slept.append(seconds)
        now[0] += seconds

    verifier = KeyVerifier(store.load, miss_refresh_s=1.0, clock=lambda: now[0], sleep=sleep)

    async def scenario() -> None:
        await verifier.refresh()
        assert not verifier.any_keys
        created = store.create("late")  # as `tierd keys create` does from another process
        assert (await verifier.verify(created.secret)) is not None  # read at once: no miss read yet
        assert (verifier.reads, slept) == (2, [])
        # Even right after a read, a new key waits for the next read rather than failing ...
        other = store.create("later")
        now[0] += 0.25
        assert (await verifier.verify(other.secret)) is not None
        assert (verifier.reads, slept) == (3, [0.75])
        # ... and unknown ids cost at most one read per miss_refresh_s: they wait, they do not hammer the DB.
        unknown = f"tierd-{'0' * 16}-{'a' * 43}"
        for _ in range(3):
            assert (await verifier.verify(unknown)) is None
        assert (verifier.reads, slept) == (6, [0.75, 1.0, 1.0, 1.0])
        # Known ids never touch the database.
        assert (await verifier.verify(created.secret)) is not None and verifier.reads == 6

    asyncio.run(scenario())


def test_clear_errors(store: KeyStore) -> None:
    store.create("alice")
    with pytest.raises(KeyStoreError, match="already exists"):
        store.create("alice")
    with pytest.raises(KeyStoreError, match="invalid key name"):
        store.create("has space")
    with pytest.raises(KeyStoreError, match="positive"):
        store.create("zero", daily_budget_usd=0)
    with pytest.raises(KeyStoreError, match="rpm"):
        store.create("slow", requests_per_minute=0)
    with pytest.raises(KeyStoreError, match=r"no key named 'carol' \(keys: alice\)"):
        store.revoke("carol")
    store.revoke("alice")
    with pytest.raises(KeyStoreError, match="already revoked"):
        store.revoke("alice")
    with pytest.raises(KeyStoreError, match=r"already exists \(revoked\)"):
        store.create("alice")
    assert [k.name for k in store.list_keys()] == ["alice"]


def test_spend_since_sums_the_ledger_rows_per_key(store: KeyStore) -> None:
    assert store.spend_since(datetime(2026, 1, 1, tzinfo=UTC)) == {}  # no requests yet
    Base.metadata.create_all(store.engine)
    rows = [
        ("r1", "k1", 0.25, datetime(2026, 11, 27, 23, 59, tzinfo=UTC)),
        ("r2", "k1", 0.5, datetime(2026, 11, 28, 0, 1, tzinfo=UTC)),
        ("r3", "k2", None, datetime(2026, 11, 28, 1, 0, tzinfo=UTC)),  # unknown cost
        ("r4", None, 1.0, datetime(2026, 11, 28, 2, 0, tzinfo=UTC)),
    ]
    with Session(store.engine) as session:
        for request_id, key_id, cost, at in rows:
            session.add(
                RequestRow(
                    request_id=request_id,
                    api_key_id=key_id,
                    cost_usd=cost,
                    created_at=at,
                    endpoint="/chat/completions",
                    status=200,
                )
            )
        session.commit()
    assert store.spend_since(datetime(2026, 11, 28, tzinfo=UTC)) == {"k1": 0.5, "k2": 0.0, None: 1.0}
    assert store.spend_since(datetime(2026, 11, 1, tzinfo=UTC))["k1"] == 0.75


# The key table as tierd made it before roles (schema version 1), in portable DDL.
_VERSION_1_DDL = (
    "CREATE TABLE tierd_api_keys (id VARCHAR(32) PRIMARY KEY, name VARCHAR(128) UNIQUE NOT NULL, "
    "salt VARCHAR(64) NOT NULL, key_hash VARCHAR(128) NOT NULL, daily_budget_usd FLOAT, "
    "requests_per_minute INTEGER, created_at TIMESTAMP, revoked_at TIMESTAMP)",
    "CREATE TABLE tierd_schema (version INTEGER PRIMARY KEY)",
    "INSERT INTO tierd_schema (version) VALUES (1)",
    "INSERT INTO tierd_api_keys (id, name, salt, key_hash, created_at) "
    "VALUES ('00112233445566ff', 'old', '00', 'ab', '2026-11-01 00:00:00')",
)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_database_from_before_roles_is_migrated_in_place(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = own_database(request.getfixturevalue("postgres_url"), "keys_v1")
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in _VERSION_1_DDL:
            conn.execute(text(statement))
    store = KeyStore(engine)  # what `tierd serve` and `tierd keys` do first: create_schema
    KeyStore(engine)  # a second gateway starting on the migrated database changes nothing
    (old,) = store.list_keys()
    assert (old.name, old.role, old.admin) == ("old", "ordinary", False)
    admin = store.create("root", role="admin").key
    assert [(k.name, k.role) for k in store.list_keys()] == [("old", "ordinary"), ("root", "admin")]
    assert admin.admin
    with engine.connect() as conn:
        assert list(conn.scalars(select(SchemaInfo.version))) == [SCHEMA_VERSION]
    engine.dispose()


def test_roles_and_revoking_by_id(store: KeyStore) -> None:
    assert store.create("alice").key.role == "ordinary"
    bob = store.create("bob", role="admin").key
    with pytest.raises(KeyStoreError, match="role 'root' is not one of admin, ordinary"):
        store.create("carol", role="root")
    assert store.revoke_id(bob.id).revoked_at is not None
    with pytest.raises(KeyNotFound, match="no key with id 'ffffffffffffffff'"):
        store.revoke_id("ffffffffffffffff")
    with pytest.raises(KeyStoreError, match="already revoked"):
        store.revoke_id(bob.id)


def test_the_cli_creates_admin_keys_and_lists_roles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "tierd.yaml"
    config.write_text(
        f"server: {{state_dir: {tmp_path}}}\n"
        "tiers: [{name: tier-1, kind: vllm, served_model_name: m, urls: ['http://127.0.0.1:9']}]\n"
        "routing: {classifier: rules, rules: {default_tier: tier-1}}\n"
    )
    assert main(["keys", "create", "--name", "ops", "--admin", "--config", str(config)]) == 0
    assert "created admin key 'ops'" in capsys.readouterr().out
    assert main(["keys", "create", "--name", "app", "--config", str(config)]) == 0
    assert main(["keys", "create", "--name", "ci", "--role", "admin", "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["keys", "list", "--config", str(config)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["NAME", "ID", "ROLE"]
    assert [(row.split()[0], row.split()[2]) for row in table[1:]] == [
        ("ops", "admin"),
        ("app", "ordinary"),
        ("ci", "admin"),
    ]
