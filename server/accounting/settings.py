"""The `accounting:` section of the config: the request ledger (server/accounting/ledger.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from server.config_base import StrictModel

LEDGER_FILE = "ledger.db"
_SCHEMES = ("sqlite://", "postgresql://", "postgres://", "postgresql+psycopg://")


class AccountingSettings(StrictModel):
    enabled: bool = Field(True, description="write every request to the ledger (also needed by POST /v1/feedback)")
    ledger_url: str | None = Field(
        None,
        description="SQLAlchemy URL: sqlite:///PATH or postgresql+psycopg://USER:PASS@HOST/DB; "
        "empty: SQLite at <server.state_dir>/ledger.db",
    )
    queue_max_rows: int = Field(
        10_000, ge=1, description="request rows waiting to be written before new requests get 503 ledger_backlog"
    )
    batch_rows: int = Field(200, ge=1, le=10_000, description="request rows written per transaction")
    drain_timeout_s: float = Field(
        30.0,
        gt=0,
        description="at shutdown, the longest wait for queued rows to be written (never past the end of "
        "server.shutdown_timeout_s)",
    )
    read_workers: int = Field(
        4,
        ge=1,
        le=64,
        description="threads of the pool that serves ledger reads of /v1/usage, the dashboard and /v1/feedback "
        "(their own, so that a flood of them cannot starve routing)",
    )

    @field_validator("ledger_url", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("ledger_url")
    @classmethod
    def _known_database(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(_SCHEMES):
            raise ValueError(f"{url.split('://')[0]!r} is not a supported database; use sqlite:/// or postgresql://")
        return url

    def url(self, state_dir: Path) -> str:
        """The ledger's URL, the default SQLite file resolved against the state dir."""
        if self.ledger_url is not None:
            return self.ledger_url
        return f"sqlite:///{(state_dir.expanduser() / LEDGER_FILE).resolve()}"
