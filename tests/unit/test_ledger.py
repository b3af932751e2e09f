"""The ledger writer on real databases (a SQLite file, the session's private Postgres): no row lost or
duplicated under concurrent submits, a drain at close, admission control while the database is stuck,
and recovery once it is back."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select

from benchmarks.processes import wait_until
from server.accounting.bookkeeper import Bookkeeper
from server.accounting.ledger import Ledger, display_url
from server.accounting.ledger_schema import SCHEMA_VERSION, AttemptRow, FeedbackRow, RequestRow, SchemaInfo
from server.outcome import AttemptRecord, RequestRecord
from tests.postgres import PrivatePostgres

FAST_RETRY = {"retry_initial_s": 0.05, "retry_max_s": 0.2}


def record(request_id: str, attempts: int = 1, **extra: object) -> RequestRecord:
    now = datetime.now(UTC)
    rows = tuple(
        AttemptRecord(i, "tier-1" if i == 0 else "frontier", "m", "r-0", 200, i == attempts - 1, i == attempts - 1,
                      ({"check": "empty", "passed": i == attempts - 1, "detail": ""},), None, 10, 5, 1e-6, 0.1)
        for i in range(attempts)
    )  # fmt: skip
    values: dict[str, object] = {
        "request_id": request_id, "created_at": now, "finished_at": now, "endpoint": "/chat/completions",
        "status": 200, "final_tier": rows[-1].tier, "prompt_tokens": 10, "completion_tokens": 5,
        "cost_usd": 1e-6 * attempts, "escalations": attempts - 1, "attempts": rows,
        "explanation": {"scores": {"tier-1": float("nan")}},  # NaN must not break JSON on Postgres
    }  # fmt: skip
    values.update(extra)
    return RequestRecord(**values)  # type: ignore[arg-type]


def _ids(url: str, prefix: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        query = select(RequestRow.request_id).where(RequestRow.request_id.startswith(prefix))
        ids = list(conn.scalars(query))
    engine.dispose()
    return ids


def _attempts(url: str, prefix: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).where(AttemptRow.request_id.startswith(prefix)))
    engine.dispose()
    return int(count or 0)


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_concurrent_threads_and_tasks_lose_and_duplicate_nothing(url: str) -> None:
    prefix = f"req-{uuid.uuid4().hex[:8]}-"
    ledger = Ledger.open(url, batch_rows=50)

    def submit_from_thread(n: int) -> None:
        for i in range(150):
            ledger.submit(record(f"{prefix}t{n}-{i}", attempts=1 + i % 3))

    async def submit_from_tasks() -> None:
        async def one(i: int) -> None:
            await asyncio.sleep(0)
            ledger.submit(record(f"{prefix}a{i}"))

        await asyncio.gather(*(one(i) for i in range(300)))

    threads = [threading.Thread(target=submit_from_thread, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    asyncio.run(submit_from_tasks())
    for thread in threads:
        thread.join()
    assert ledger.close() == 0
    ids = _ids(url, prefix)
    assert len(ids) == len(set(ids)) == 6 * 150 + 300
    assert _attempts(url, prefix) == 6 * (50 * 1 + 50 * 2 + 50 * 3) + 300
    assert ledger.stats().written == 6 * 150 + 300


def test_schema_is_created_once_with_its_version(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state' / 'ledger.db'}"  # the folder does not exist yet
    for _ in range(2):
        Ledger.open(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert list(conn.scalars(select(SchemaInfo.version))) == [SCHEMA_VERSION]
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_close_drains_what_was_just_submitted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger.open(url, batch_rows=7)
    for i in range(500):
        ledger.submit(record(f"req-drain-{i}"))
    assert ledger.close() == 0
    assert len(_ids(url, "req-drain-")) == 500


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> Iterator[tuple[str, sqlite3.Connection]]:
    path = tmp_path / "ledger.db"
    url = f"sqlite:///{path}"
    Ledger.open(url).close()  # the schema exists
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
    try:
        yield url, blocker
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()


def test_a_stuck_database_makes_the_ledger_overloaded_until_it_drains(
    locked_sqlite: tuple[str, sqlite3.Connection],
) -> None:
    url, blocker = locked_sqlite
    ledger = Ledger.open(url, queue_max_rows=10, batch_rows=4, sqlite_busy_timeout_s=0.05, **FAST_RETRY)
    for i in range(25):
        ledger.submit(record(f"req-stuck-{i}"))  # nothing is refused at submit: in-flight requests still queue
    assert ledger.overloaded
    books = Bookkeeper(None, ledger)
    assert books.overloaded
    wait_until(lambda: ledger.stats().write_errors >= 2, 30, "two write errors", interval_s=0.02)
    assert ledger.overloaded and ledger.stats().queued == 25
    blocker.execute("ROLLBACK")
    assert ledger.flush(30)
    assert not ledger.overloaded
    assert ledger.close() == 0
    assert len(_ids(url, "req-stuck-")) == 25


def test_postgres_going_away_loses_nothing(postgres: PrivatePostgres) -> None:
    prefix = f"req-{uuid.uuid4().hex[:8]}-"
    ledger = Ledger.open(postgres.url, **FAST_RETRY)
    for i in range(40):
        ledger.submit(record(f"{prefix}{i}", attempts=2))
    assert ledger.flush(30)
    postgres.stop()
    try:
        for i in range(40, 80):
            ledger.submit(record(f"{prefix}{i}", attempts=2))
        wait_until(lambda: ledger.stats().write_errors >= 2, 30, "two write errors", interval_s=0.02)
        assert ledger.stats().queued == 40
    finally:
        postgres.start()
    assert ledger.flush(60)
    assert ledger.close() == 0
    ids = _ids(postgres.url, prefix)
    assert len(ids) == len(set(ids)) == 80
    assert _attempts(postgres.url, prefix) == 160


@pytest.mark.parametrize("breaks", ["a unique constraint", "an INTEGER column"])
def test_a_row_the_database_refuses_is_kept_bare_and_alone(url: str, breaks: str) -> None:
    """The refused request is still booked, without its attempts and figures; the rows around it are whole."""
    prefix = f"req-{uuid.uuid4().hex[:8]}-"
    ledger = Ledger.open(url, batch_rows=10, **FAST_RETRY)
    bad = record(f"{prefix}bad", attempts=2)
    if breaks == "a unique constraint":  # the same attempt index twice
        bad = dataclasses.replace(bad, attempts=(bad.attempts[0], bad.attempts[0]))
    else:  # an int past the column's range is an OverflowError, not a DataError
        bad = dataclasses.replace(bad, prompt_tokens=2**63)
    good = [record(f"{prefix}{i}") for i in range(9)]
    for r in [*good[:4], bad, *good[4:]]:
        ledger.submit(r)
    assert ledger.close() == 0
    assert sorted(_ids(url, prefix)) == sorted([bad.request_id, *(r.request_id for r in good)])
    assert _attempts(url, prefix) == len(good)
    assert ledger.stats().dropped == 0
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(RequestRow).where(RequestRow.request_id == bad.request_id)).one()
    engine.dispose()
    assert (row.status, row.error_code, row.prompt_tokens, row.cost_usd) == (200, "record_incomplete", None, None)


def test_feedback_finds_queued_and_written_requests(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger.open(url)
    ledger.submit(record("req-fb-1", api_key_id="key-a"))
    assert ledger.request_owner("req-fb-1") == (True, "key-a")  # queued or written: known either way
    assert ledger.flush(10)
    assert ledger.request_owner("req-fb-1") == (True, "key-a")
    assert ledger.request_owner("req-unknown") == (False, None)
    feedback_id = ledger.add_feedback("req-fb-1", 0.5, "x" * 10, "key-a")
    ledger.close()
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(FeedbackRow).where(FeedbackRow.id == feedback_id)).one()
    assert (row.request_id, row.score, row.api_key_id) == ("req-fb-1", 0.5, "key-a")


def test_the_bookkeeper_records_each_request_once_and_survives_a_failing_listener(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger.open(url)
    books = Bookkeeper(None, ledger)
    heard: list[RequestRecord] = []

    def broken(_: RequestRecord) -> None:
        raise RuntimeError("a listener bug")

    books.add_listener(broken)
    books.add_listener(heard.append)
    books.finish(record("req-books-1", api_key_id="key-b", final_tier="tier-1", local=True, cost_usd=2e-6))
    ledger.close()
    assert [(r.request_id, r.api_key_id, r.final_tier, r.local, r.cost_usd) for r in heard] == [
        ("req-books-1", "key-b", "tier-1", True, 2e-6)
    ]
    assert _ids(url, "req-books-") == ["req-books-1"]


K8S_SECRETS = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "secrets.yaml"


def test_display_url_hides_the_password_of_the_url_deploy_ships() -> None:
    [shipped] = [
        doc["stringData"]["TIERD_LEDGER_URL"]
        for doc in yaml.safe_load_all(K8S_SECRETS.read_text())
        if doc and "TIERD_LEDGER_URL" in doc.get("stringData", {})
    ]
    assert display_url(shipped) == "postgresql://tierd:***@postgres.tierd.svc:5432/tierd"
    assert display_url("postgresql://user:pass@host/db") == "postgresql://user:***@host/db"
    assert display_url("sqlite:////var/lib/tierd/ledger.db") == "sqlite:////var/lib/tierd/ledger.db"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://user@host/db?password=s3cret&sslmode=require",  # libpq's query-string form
        "postgresql://user:s3cret@pa@host/db",  # an unescaped @ in the password
        "postgresql://user:s3cret@host:notaport/db",  # does not parse: not echoed at all
        "postgresql+psycopg://user:s3cret@host/db",
    ],
)
def test_display_url_never_shows_a_password(url: str) -> None:
    shown = display_url(url)
    assert "s3cret" not in shown and "pa@" not in shown
    assert "***" in shown or "does not parse" in shown
