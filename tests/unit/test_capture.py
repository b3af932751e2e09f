"""The capture store and sink: opt-in, retention by age and by rows, redaction, a hook that drops a row."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from server.capture.redact import emails_and_numbers, load_redactor
from server.capture.settings import CaptureSettings
from server.capture.sink import CaptureSink, Offered
from server.capture.store import CapturedRow, CaptureStore
from server.outcome import RequestRecord

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _row(request_id: str, age: timedelta = timedelta(0)) -> CapturedRow:
    body = {"messages": [{"role": "user", "content": "hi"}]}
    return CapturedRow(request_id, NOW - age, "/chat/completions", body, None, "tier-1", "tier-1", {"tier-1": "a"})


def _record(request_id: str, status: int = 200) -> RequestRecord:
    return RequestRecord(
        request_id=request_id, created_at=NOW, finished_at=NOW, endpoint="/chat/completions", status=status,
        chosen_tier="tier-1", final_tier="tier-1",
    )  # fmt: skip


def test_capture_is_off_by_default_and_a_bad_hook_is_refused() -> None:
    assert CaptureSettings().enabled is False
    with pytest.raises(ValidationError, match=r"package\.module:function"):
        CaptureSettings(redact="no_colon_here")
    with pytest.raises(ValueError, match="cannot be loaded"):
        load_redactor("server.capture.redact:no_such_function")
    assert load_redactor(CaptureSettings().redact) is emails_and_numbers


def test_retention_drops_old_rows_and_keeps_the_newest_max_rows(tmp_path: Path) -> None:
    store = CaptureStore(tmp_path / "c.sqlite", retention_days=14, max_rows=2)
    store.write(_row("old", timedelta(days=15)), now=NOW)
    assert store.count() == 0  # older than the retention: gone as soon as it is written
    for i in range(3):
        store.write(_row(f"r{i}", timedelta(minutes=10 - i)), now=NOW)
    assert [r.request_id for r in store.rows()] == ["r1", "r2"]
    assert store.expire(now=NOW + timedelta(days=15)) == 2


def test_default_redaction_hides_emails_and_long_numbers_but_keeps_short_ones() -> None:
    body = {"model": "auto", "messages": [{"role": "user", "content": "Call +49 170 1234567 or bo@x.org: 486 + 141?"}]}
    redacted, answers = emails_and_numbers(body, {"tier-1": "Sent to bo@x.org"})
    assert redacted["messages"][0]["content"] == "Call <number> or <email>: 486 + 141?"
    assert answers == {"tier-1": "Sent to <email>"}
    assert body["messages"][0]["content"].startswith("Call +49")  # the caller's body is not changed


def test_the_sink_samples_skips_failures_and_lets_a_hook_drop_a_row(tmp_path: Path) -> None:
    def drop_secrets(body: dict[str, Any], answers: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]] | None:
        return None if "secret" in str(body) else (body, answers)

    store = CaptureStore(tmp_path / "c.sqlite", retention_days=14, max_rows=100)
    sink = CaptureSink(store, drop_secrets, sample_rate=1.0)
    assert sink.write_now(Offered(_record("kept"), {"messages": [{"role": "user", "content": "x"}]}, {"t": "a"}))
    assert not sink.write_now(Offered(_record("gone"), {"messages": [{"role": "user", "content": "secret"}]}, {}))
    assert [r.request_id for r in store.rows()] == ["kept"]

    sink = CaptureSink(store, None, sample_rate=0.5, rng=random.Random(1))
    sink.start()
    for i in range(200):
        sink.offer(_record(f"s{i}"), {"messages": []}, {"tier-1": "a"})
    sink.offer(_record("failed", status=500), {"messages": []}, {"tier-1": "a"})
    sink.close()
    store = CaptureStore(tmp_path / "c.sqlite", retention_days=14, max_rows=100)
    ids = {r.request_id for r in store.rows()}
    assert "failed" not in ids
    assert 60 <= len(ids) - 1 <= 100  # about half of 200, capped at max_rows (100) with "kept"
