"""Read-only access to the ledger for reports (the API, the dashboard, `tierd report`).

The HTTP endpoints that touch the ledger (usage, the dashboard's data, feedback) run their blocking calls
on the reader's own small thread pool (`run`), never on the event loop's default one: the classifier
and the key table use that, so a flood of /v1/usage could otherwise starve routing.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine

from server.accounting.ledger import display_url, make_engine, normalize_url, sqlite_path
from server.settings import Settings


def ledger_url_of(settings: Settings) -> str:
    """The configured ledger URL (`accounting.ledger_url`), else the default SQLite file in the state dir."""
    return settings.accounting.url(settings.server.state_dir)


T = TypeVar("T")


class LedgerReader:
    """Opens its engine on first use, and only once the ledger exists: a reader never creates a SQLite file."""

    def __init__(self, url: str, *, workers: int = 4) -> None:
        self.url = normalize_url(url)
        self.workers = workers
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[..., T], /, *args: object) -> T:
        """`fn(*args)` on the ledger's own bounded pool of `workers` threads (calls beyond it queue there)."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="tierd-ledger-read")
            pool = self._pool
        return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args))

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
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
