"""Where the serving path hands a finished request for capture: `offer()` never blocks the event loop.

The service calls `offer()` once per finished request (beside the bookkeeper). Sampling happens there; the
redaction hook and the SQLite write run in the sink's own thread, so neither touches the request's latency.
A full queue drops the row (capture is for learning, never worth slowing traffic).
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from dataclasses import dataclass, replace
from typing import Any

from server.capture.redact import Redactor
from server.capture.store import CapturedRow, CaptureStore
from server.outcome import RequestRecord

log = logging.getLogger("tierd.capture")
_STOP = object()


@dataclass(frozen=True, slots=True)
class Offered:
    record: RequestRecord
    body: dict[str, Any]
    answers: dict[str, str]  # attempt tier -> answer text


def captured_row(offered: Offered) -> CapturedRow:
    record = offered.record
    return CapturedRow(
        request_id=record.request_id,
        created_at=record.created_at,
        endpoint=record.endpoint,
        body=offered.body,
        decision=record.explanation,
        min_tier=record.chosen_tier,
        final_tier=record.final_tier,
        answers=offered.answers,
    )


class CaptureSink:
    def __init__(
        self,
        store: CaptureStore,
        redactor: Redactor | None,
        sample_rate: float = 1.0,
        queue_max_rows: int = 1000,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.redactor = redactor
        self.sample_rate = sample_rate
        self._rng = rng or random.Random()
        self._queue: queue.Queue[object] = queue.Queue(queue_max_rows)
        self._thread: threading.Thread | None = None
        self.dropped = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._work, name="tierd-capture", daemon=True)
        self._thread.start()

    def close(self, timeout_s: float = 10.0) -> None:
        """Write what is queued, then stop."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout_s)
            self._thread = None
        self.store.close()

    def offer(self, record: RequestRecord, body: dict[str, Any], answers: dict[str, str]) -> None:
        """Only answered requests are worth learning from: a refused or failed one has nothing to judge."""
        if record.status != 200 or not answers or self._rng.random() >= self.sample_rate:
            return
        try:
            self._queue.put_nowait(Offered(record, body, answers))
        except queue.Full:
            self.dropped += 1

    def write_now(self, offered: Offered) -> bool:
        """Redact and store one row (the worker's step; tests call it directly). False: the hook dropped it."""
        body, answers = offered.body, offered.answers
        if self.redactor is not None:
            redacted = self.redactor(body, answers)
            if redacted is None:
                return False
            body, answers = redacted
        self.store.write(captured_row(replace(offered, body=body, answers=answers)))
        return True

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            assert isinstance(item, Offered)
            try:
                self.write_now(item)
            except Exception:  # a bad hook or a full disk must not stop capture of the next rows
                log.exception("request %s: capture failed", item.record.request_id)
