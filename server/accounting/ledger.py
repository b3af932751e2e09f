"""The ledger writer: finished request records into SQL (SQLite by default, Postgres by URL), off the event loop.

Writes never block a response. `submit()` appends the record to an in-memory queue and returns; one writer
thread drains the queue in batches, one transaction per batch (request rows and their attempt rows together).

Backpressure is admission control, not loss: once `queue_max_rows` request records wait, `overloaded` turns
true and the service answers new requests 503 `ledger_backlog` (with Retry-After) until the queue is down to
half. Requests already running still queue their record when they end, so nothing is dropped; the queue can
exceed the limit by at most the number of requests in flight.

A database error never kills the writer: the batch stays queued and is retried with exponential backoff
(re-creating missing tables, skipping rows a half-failed earlier try already committed). Only a row the
database refuses on its own (a constraint or data error, which no retry can fix) is logged in full and dropped.

`close()` drains everything (waiting up to `drain_timeout_s` for a database that is down) and stops the
thread. A crash loses what is still queued: after SIGKILL, the rows of requests that finished in the last
moments (normally well under a second of traffic; more while the database is down). With SQLite in WAL mode
and synchronous=NORMAL, a power loss can also undo the last few committed transactions.
"""

from __future__ import annotations

import collections
import logging
import math
import threading
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, String, create_engine, event, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DataError, IntegrityError

from server.accounting.ledger_schema import (
    AttemptRow,
    FeedbackRow,
    RequestRow,
    utcnow,
)
from server.accounting.schema_setup import create_schema
from server.outcome import RECORD_INCOMPLETE, AttemptRecord, RequestRecord

log = logging.getLogger("tierd.ledger")
SQLITE_BUSY_TIMEOUT_S = 5.0
POSTGRES_CONNECT_S = 10
# How long the writer waits for more rows before it writes a batch that is not full: one transaction per
# request made the writer the largest cost of a request on a busy gateway (a commit each time).
LINGER_S = 0.1


def normalize_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 (the driver tierd installs), not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def display_url(url: str | URL) -> str:
    """The URL without its password, for messages.

    libpq also takes the password as a `?password=` parameter, and an unescaped `@` in a password makes the
    parser put the rest of it in the host: both are hidden too, and a URL that does not parse is not echoed.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return "<a database URL that does not parse>"
    if "password" in parsed.query:
        parsed = parsed.update_query_dict({"password": "***"})
    if parsed.host and "@" in parsed.host:
        parsed = parsed.set(username="***", password=None, host=parsed.host.rsplit("@", 1)[1])
    return parsed.render_as_string(hide_password=True).replace("%2A%2A%2A", "***")  # unescape our own marker


def _sqlite_pragmas(busy_timeout_s: float) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL: readers (reports, the dashboard) never block the writer; NORMAL: no fsync per commit, which
        # is safe against a crash of tierd and loses at most the last commits on power loss.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.close()

    return on_connect


def make_engine(url: str, sqlite_busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """An engine for the ledger's URL: SQLite with WAL and a busy timeout, or Postgres with pre-ping."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": sqlite_busy_timeout_s})
        event.listen(engine, "connect", _sqlite_pragmas(sqlite_busy_timeout_s))
        return engine
    # A database host that does not answer must fail a write (to be retried), not hang the writer.
    return create_engine(
        url, pool_pre_ping=True, pool_size=2, max_overflow=4, connect_args={"connect_timeout": POSTGRES_CONNECT_S}
    )


def _finite(value: Any) -> Any:
    """JSON that every database takes: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _string_limits(table: Any) -> tuple[tuple[str, int], ...]:
    return tuple(
        (c.name, c.type.length) for c in table.columns if isinstance(c.type, String) and c.type.length is not None
    )


_REQUEST_LIMITS = _string_limits(RequestRow.__table__)
_ATTEMPT_LIMITS = _string_limits(AttemptRow.__table__)
_REQUEST_FIELDS = tuple(f.name for f in fields(RequestRecord) if f.name not in ("attempts", "finished_at"))
# A runaway stop's token count has no column of its own: the row's `error` says it in words.
_ATTEMPT_FIELDS = tuple(f.name for f in fields(AttemptRecord) if f.name != "stopped_after_tokens")


def _fit(limits: tuple[tuple[str, int], ...], values: dict[str, Any]) -> dict[str, Any]:
    """Cut strings to their column's length (Postgres refuses longer ones; a row must never be lost to that)."""
    for name, length in limits:
        value = values.get(name)
        if isinstance(value, str) and len(value) > length:
            values[name] = value[:length]
    return values


def request_row(record: RequestRecord) -> dict[str, Any]:
    # A shallow copy: dataclasses.asdict deep-copies the explanation and every attempt, only to drop them.
    values = {name: getattr(record, name) for name in _REQUEST_FIELDS}
    values["explanation"] = _finite(record.explanation)
    return _fit(_REQUEST_LIMITS, values)


def attempt_rows(record: RequestRecord) -> list[dict[str, Any]]:
    rows = []
    for a in record.attempts:
        values = {name: getattr(a, name) for name in _ATTEMPT_FIELDS}
        values["attempt_index"] = values.pop("index")
        values["checks"] = _finite(list(a.checks)) if a.checks is not None else None
        values.update(request_id=record.request_id, created_at=record.created_at)
        rows.append(_fit(_ATTEMPT_LIMITS, values))
    return rows


@dataclass(frozen=True, slots=True)
class LedgerStats:
    queued: int
    written: int
    write_errors: int
    dropped: int
    overloaded: bool


class Ledger:
    def __init__(
        self,
        url: str,
        *,
        queue_max_rows: int = 10_000,
        batch_rows: int = 200,
        retry_initial_s: float = 0.5,
        retry_max_s: float = 30.0,
        sqlite_busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S,
        linger_s: float = LINGER_S,
    ) -> None:
        self.url = normalize_url(url)
        self.linger_s = linger_s
        self.engine = make_engine(self.url, sqlite_busy_timeout_s)
        self.queue_max_rows = queue_max_rows
        self.batch_rows = batch_rows
        self.retry_initial_s, self.retry_max_s = retry_initial_s, retry_max_s
        self._queue: collections.deque[RequestRecord] = collections.deque()
        self._pending: dict[str, str | None] = {}  # request id -> api key id, queued or being written
        self._flushing = 0  # callers waiting in flush()
        self._cond = threading.Condition()
        self._overloaded = False
        self._stopping = False
        self._abandon = False
        self._careful = False  # the last try failed: skip rows it may have committed after all
        self._thread: threading.Thread | None = None
        self._written = self._errors = self._dropped = 0

    @classmethod
    def open(cls, url: str, **options: Any) -> Ledger:
        ledger = cls(url, **options)
        ledger.start()
        return ledger

    def start(self) -> None:
        """Creates the schema (raises when the database cannot be reached) and starts the writer thread."""
        create_schema(self.engine)
        self._thread = threading.Thread(target=self._run, name="tierd-ledger-writer", daemon=True)
        self._thread.start()
        log.info("ledger at %s", display_url(self.engine.url))

    # --- the event loop's side: never blocks ---------------------------------------------------

    def submit(self, record: RequestRecord) -> None:
        with self._cond:
            self._queue.append(record)
            self._pending[record.request_id] = record.api_key_id
            if len(self._queue) >= self.queue_max_rows and not self._overloaded:
                self._overloaded = True
                log.warning("ledger: %d rows queued; refusing new requests until it drains", len(self._queue))
            self._cond.notify_all()

    @property
    def overloaded(self) -> bool:
        return self._overloaded

    @property
    def failing(self) -> bool:
        """The writer's last try failed (the database is down or refuses writes); true until one succeeds."""
        return self._careful

    def stats(self) -> LedgerStats:
        with self._cond:
            return LedgerStats(len(self._queue), self._written, self._errors, self._dropped, self._overloaded)

    # --- blocking calls: from a worker thread (asyncio.to_thread) or at shutdown ----------------

    def _batch_ready(self) -> bool:
        """Write now rather than wait for more rows: the batch is full, or someone waits for the queue."""
        return len(self._queue) >= self.batch_rows or self._stopping or self._flushing > 0

    def flush(self, timeout_s: float | None = None) -> bool:
        """Wait until everything submitted so far is committed; False on timeout."""
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: not self._queue, timeout_s)
            finally:
                self._flushing -= 1

    def close(self, drain_timeout_s: float = 30.0) -> int:
        """Drain the queue, stop the writer and release the database; returns the rows left unwritten."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(drain_timeout_s)
            if self._thread.is_alive():
                with self._cond:
                    self._abandon = True
                    self._cond.notify_all()
                self._thread.join(10)
        left = len(self._queue)
        if left:
            log.error("ledger: %d request rows could not be written before shutdown and are lost", left)
        self.engine.dispose()
        return left

    def request_owner(self, request_id: str) -> tuple[bool, str | None]:
        """(whether the request is known, written or still queued; the API key id it was made with)."""
        with self._cond:
            if request_id in self._pending:
                return True, self._pending[request_id]
        with self.engine.connect() as conn:
            query = select(RequestRow.api_key_id).where(RequestRow.request_id == request_id)
            found = conn.execute(query).first()
        if found is not None:
            return True, found[0]
        with self._cond:  # written between the two looks
            return (True, self._pending[request_id]) if request_id in self._pending else (False, None)

    def add_feedback(self, request_id: str, score: float, comment: str | None, api_key_id: str | None) -> int:
        """Stores one feedback row now (feedback is rare; it needs no queue); returns its id."""
        values = _fit(
            _string_limits(FeedbackRow.__table__),
            {"request_id": request_id, "score": score, "comment": comment, "api_key_id": api_key_id},
        )
        values["created_at"] = utcnow()
        with self.engine.begin() as conn:
            result = conn.execute(insert(FeedbackRow).returning(FeedbackRow.id), [values])
            return int(result.scalar_one())

    # --- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        delay = self.retry_initial_s
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._stopping)
                if self._abandon or (self._stopping and not self._queue):
                    return
                self._cond.wait_for(self._batch_ready, self.linger_s)
                batch = [self._queue[i] for i in range(min(self.batch_rows, len(self._queue)))]
            try:
                written = self._write(batch)
            except Exception as exc:
                with self._cond:
                    self._errors += 1
                log.warning("ledger: writing %d rows failed (retry in %.1f s): %s", len(batch), delay, _short(exc))
                self._careful = True
                with self._cond:
                    self._cond.wait_for(lambda: self._abandon, delay)
                    if self._abandon:
                        return
                delay = min(delay * 2, self.retry_max_s)
                continue
            delay, self._careful = self.retry_initial_s, False
            with self._cond:
                for record in batch:  # only this thread removes, so the batch is still the queue's head
                    self._queue.popleft()
                    self._pending.pop(record.request_id, None)
                self._written += written
                self._dropped += len(batch) - written
                if self._overloaded and len(self._queue) <= self.queue_max_rows // 2:
                    self._overloaded = False
                    log.warning("ledger: queue down to %d rows; admitting requests again", len(self._queue))
                self._cond.notify_all()

    def _write(self, batch: list[RequestRecord]) -> int:
        """One transaction for the batch; returns how many records were kept (all but refused rows)."""
        try:
            return self._insert(batch)
        # ArithmeticError: a Python int past the column's range (OverflowError); never retried, or one bad row
        # would hold up every row behind it.
        except (IntegrityError, DataError, ValueError, TypeError, ArithmeticError) as exc:
            if len(batch) > 1:  # find the row the database refuses; write the others
                return sum(self._write([record]) for record in batch)
            record = batch[0]
            bare = _bare(record)
            if record != bare:  # the request is still booked, without the figures the database refused
                log.error("ledger: the database refuses this row (%s), kept bare: %r", _short(exc), record)
                return self._write([bare])
            log.error("ledger: the database refuses this row, dropped (%s): %r", _short(exc), record)
            return 0

    def _insert(self, batch: list[RequestRecord]) -> int:
        if self._careful:  # the database may have come back empty, or kept part of a failed try
            create_schema(self.engine)
        todo = batch
        with self.engine.begin() as conn:
            if self._careful:
                ids = [r.request_id for r in batch]
                done = set(conn.scalars(select(RequestRow.request_id).where(RequestRow.request_id.in_(ids))))
                todo = [r for r in batch if r.request_id not in done]
            if todo:
                conn.execute(insert(RequestRow), [request_row(r) for r in todo])
                attempts = [row for r in todo for row in attempt_rows(r)]
                if attempts:
                    conn.execute(insert(AttemptRow), attempts)
        return len(batch)  # rows an earlier try committed count as written


def _bare(record: RequestRecord) -> RequestRecord:
    """The record without its attempts, explanation and figures: what is left when the database refuses it."""
    return replace(
        record, explanation=None, prompt_tokens=None, completion_tokens=None, cost_usd=None, wasted_usd=None,
        frontier_cost_usd=None, savings_usd=None, attempts=(), error_code=record.error_code or RECORD_INCOMPLETE,
    )  # fmt: skip


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
