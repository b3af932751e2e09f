"""Where the ledger database is: the one function every part resolves its URL with.

`accounting.ledger_url` when the config has it (the ledger's own section), else a SQLite file in the
state dir, so that `tierd serve` and `tierd keys ...` run with the same config find the same database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from server.settings import Settings

LEDGER_FILE = "ledger.db"


def resolve_ledger_url(settings: Settings) -> str:
    accounting: Any = getattr(settings, "accounting", None)
    url = getattr(accounting, "ledger_url", None)
    if isinstance(url, str) and url:
        return url
    return f"sqlite:///{settings.server.state_dir / LEDGER_FILE}"


def open_engine(url: str) -> Engine:
    """An engine on `url`; for SQLite, the folder is created and writers wait for each other's locks
    (the CLI writes keys while the server reads them) instead of failing at once with "database is locked"."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _wal(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets the server read while another process writes.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine
