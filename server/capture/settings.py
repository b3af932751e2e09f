"""The `capture:` config section: opt-in, with a retention limit, a sample rate and a redaction hook."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from server.config_base import StrictModel

DEFAULT_REDACT = "server.capture.redact:emails_and_numbers"


class CaptureSettings(StrictModel):
    enabled: bool = Field(False, description="keep routed requests with each tier's answer (off unless set)")
    path: Path | None = Field(None, description="SQLite file; empty: <server.state_dir>/capture.sqlite")
    retention_days: float = Field(14.0, gt=0, description="rows older than this are deleted on write")
    max_rows: int = Field(100_000, ge=1, description="the newest rows kept; older ones are deleted on write")
    sample_rate: float = Field(1.0, ge=0.0, le=1.0, description="share of finished requests captured")
    redact: str | None = Field(
        DEFAULT_REDACT,
        description="package.module:function(body, answers) -> (body, answers), or None to drop the row; "
        "empty: store as received",
    )
    queue_max_rows: int = Field(1000, ge=1, description="rows waiting to be written; more are dropped, not waited on")

    @field_validator("redact", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("redact")
    @classmethod
    def _hook_form(cls, value: str | None) -> str | None:
        if value is not None and (value.count(":") != 1 or not all(value.split(":"))):
            raise ValueError(f"redact {value!r}: expected package.module:function")
        return value

    def file(self, state_dir: Path) -> Path:
        return (self.path or state_dir / "capture.sqlite").expanduser()
