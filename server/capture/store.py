"""The capture store: one SQLite file (stdlib sqlite3), one row per captured request, keyed by its request id
(the id `/v1/feedback` scores), with the request body, the routing decision and every attempt's answer."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS captured (
    request_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    body TEXT NOT NULL,
    decision TEXT,
    min_tier TEXT,
    final_tier TEXT,
    answers TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_captured_created ON captured (created_at);
"""


@dataclass(frozen=True, slots=True)
class CapturedRow:
    request_id: str
    created_at: datetime
    endpoint: str
    body: dict[str, Any]
    decision: dict[str, Any] | None  # the routing explanation (/v1/route's), classifier scores included
    min_tier: str | None  # the classifier's choice
    final_tier: str | None  # the tier whose answer the client got
    answers: dict[str, str]  # tier -> answer text, one per attempt


class CaptureStore:
    """Thread-safe: the sink writes from its thread, `tierd router learn` reads from the CLI."""

    def __init__(self, path: Path, retention_days: float, max_rows: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.retention = timedelta(days=retention_days)
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def write(self, row: CapturedRow, now: datetime | None = None) -> None:
        """Keep one row, then apply the retention limits (age, then row count)."""
        values = (
            row.request_id,
            row.created_at.astimezone(UTC).isoformat(),
            row.endpoint,
            json.dumps(row.body),
            json.dumps(row.decision) if row.decision is not None else None,
            row.min_tier,
            row.final_tier,
            json.dumps(row.answers),
        )
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO captured VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            self._expire(now or datetime.now(UTC))

    def expire(self, now: datetime | None = None) -> int:
        """Apply the retention limits now; returns how many rows went."""
        with self._lock, self._db:
            return self._expire(now or datetime.now(UTC))

    def _expire(self, now: datetime) -> int:
        cutoff = (now - self.retention).astimezone(UTC).isoformat()
        gone = self._db.execute("DELETE FROM captured WHERE created_at < ?", (cutoff,)).rowcount
        gone += self._db.execute(
            "DELETE FROM captured WHERE request_id NOT IN "
            "(SELECT request_id FROM captured ORDER BY created_at DESC LIMIT ?)",
            (self.max_rows,),
        ).rowcount
        return int(gone)

    def rows(self) -> list[CapturedRow]:
        """Every row, oldest first."""
        with self._lock:
            found = self._db.execute("SELECT * FROM captured ORDER BY created_at, request_id").fetchall()
        return [
            CapturedRow(
                r[0],
                datetime.fromisoformat(r[1]),
                r[2],
                json.loads(r[3]),
                json.loads(r[4]) if r[4] else None,
                r[5],
                r[6],
                json.loads(r[7]),
            )
            for r in found
        ]

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM captured").fetchone()[0])
