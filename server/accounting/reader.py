"""Read-only access to the ledger for reports (the API, the dashboard, `tierd report`)."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from server.accounting.ledger import display_url, make_engine, normalize_url, sqlite_path
from server.settings import Settings


def ledger_url_of(settings: Settings) -> str:
    """The configured ledger URL (`accounting.ledger_url`), else the default SQLite file in the state dir."""
    return settings.accounting.url(settings.server.state_dir)


class LedgerReader:
    """Opens its engine on first use, and only once the ledger exists: a reader never creates a SQLite file."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        """The URL without its password, for messages."""
        return display_url(self.url)

    def exists(self) -> bool:
        path = sqlite_path(self.url)
        return path is None or path.exists()

    def engine(self) -> Engine | None:
        """The engine, or None while a SQLite ledger file has not been created yet."""
        with self._lock:
            if self._engine is None:
                if not self.exists():
                    return None
                # The writer's engine settings: SQLite in WAL (readers never block the writer) with a busy timeout.
                self._engine = make_engine(self.url)
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
