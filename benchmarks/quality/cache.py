"""The outcome cache: every tier's answer (and every score) in SQLite, written the moment it arrives.

An outcome is keyed by (dataset, item, tier, model, params hash), so a rerun asks only for what is missing
and a change of model or prompt parameters asks again. Failed calls are kept for the record but do not
count as present: a rerun tries them again. Scores are keyed by the outcome's key plus the scorer and a
hash of what the answer was compared with (the frontier's answer or the reference, and the judge), so
judge calls are never repeated either.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from benchmarks.quality.model import Outcome, Score

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    dataset TEXT NOT NULL, item_id TEXT NOT NULL, tier TEXT NOT NULL, model TEXT NOT NULL,
    params_hash TEXT NOT NULL, output TEXT, prompt_tokens INTEGER, completion_tokens INTEGER,
    latency_s REAL, cost_usd REAL, error TEXT, created_at REAL NOT NULL,
    PRIMARY KEY (dataset, item_id, tier, model, params_hash)
);
CREATE TABLE IF NOT EXISTS scores (
    dataset TEXT NOT NULL, item_id TEXT NOT NULL, tier TEXT NOT NULL, model TEXT NOT NULL,
    params_hash TEXT NOT NULL, scorer TEXT NOT NULL, basis_hash TEXT NOT NULL,
    value REAL NOT NULL, detail TEXT NOT NULL, parts TEXT NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (dataset, item_id, tier, model, params_hash, scorer, basis_hash)
);
"""
OutcomeKey = tuple[str, str, str, str, str]  # dataset, item_id, tier, model, params_hash


def outcome_key(o: Outcome) -> OutcomeKey:
    return (o.dataset, o.item_id, o.tier, o.model, o.params_hash)


def basis_hash(*parts: str | None) -> str:
    """What an answer was scored against (baseline or reference text, judge model), as a short hash."""
    joined = "\x1f".join("\x00" if p is None else p for p in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


class OutcomeCache:
    """One SQLite file; each write commits at once (an interrupted run loses only calls in flight)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def __enter__(self) -> OutcomeCache:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def put(self, o: Outcome) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO outcomes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*outcome_key(o), o.output, o.prompt_tokens, o.completion_tokens, o.latency_s, o.cost_usd, o.error,
                 time.time()),
            )  # fmt: skip

    def get(self, key: OutcomeKey, *, include_failed: bool = False) -> Outcome | None:
        row = self._db.execute(
            "SELECT output, prompt_tokens, completion_tokens, latency_s, cost_usd, error FROM outcomes "
            "WHERE dataset=? AND item_id=? AND tier=? AND model=? AND params_hash=?",
            key,
        ).fetchone()
        if row is None or (row[5] is not None and not include_failed):
            return None
        return Outcome(*key, *row)

    def present(self, keys: Iterable[OutcomeKey]) -> dict[OutcomeKey, Outcome]:
        """The successful outcomes among `keys`."""
        found = {}
        for key in keys:
            outcome = self.get(key)
            if outcome is not None:
                found[key] = outcome
        return found

    def written_between(self, keys: Iterable[OutcomeKey]) -> tuple[float, float] | None:
        """When the earliest and the latest of these outcomes were written (Unix time); None if none were."""
        times = [
            row[0]
            for key in keys
            for row in self._db.execute(
                "SELECT created_at FROM outcomes WHERE dataset=? AND item_id=? AND tier=? AND model=? "
                "AND params_hash=?",
                key,
            )
        ]
        return (min(times), max(times)) if times else None

    def count(self, tier: str | None = None) -> int:
        sql, args = "SELECT COUNT(*) FROM outcomes WHERE error IS NULL", tuple[str, ...]()
        if tier is not None:
            sql, args = sql + " AND tier=?", (tier,)
        return int(self._db.execute(sql, args).fetchone()[0])

    def put_score(self, key: OutcomeKey, basis: str, score: Score) -> None:
        """Only valid scores are kept: a judge that failed is asked again next time."""
        if not score.valid:
            return
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (*key, score.scorer, basis, score.value, score.detail, json.dumps(score.parts), time.time()),
            )

    def get_score(self, key: OutcomeKey, scorer: str, basis: str) -> Score | None:
        row = self._db.execute(
            "SELECT value, detail, parts FROM scores WHERE dataset=? AND item_id=? AND tier=? AND model=? "
            "AND params_hash=? AND scorer=? AND basis_hash=?",
            (*key, scorer, basis),
        ).fetchone()
        if row is None:
            return None
        return Score(row[0], scorer, row[1], True, {k: float(v) for k, v in json.loads(row[2]).items()})
