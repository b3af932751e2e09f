"""The one accounting sink: every finished request reaches it once and goes on to the metrics, the ledger
and the registered listeners (e.g. API-key budgets).

The service builds one `RequestRecord` per request when it ends (a stream's end is its last byte) and hands
it to `finish()`. It runs on the event loop and never blocks: the ledger only queues.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from server.accounting.metrics import Finished, GatewayMetrics
from server.outcome import CLIENT_DISCONNECTED, RequestRecord, cut_by_shutdown

log = logging.getLogger("tierd.accounting")

RequestListener = Callable[[RequestRecord], None]


class RecordSink(Protocol):
    """Where finished records are kept (server/accounting/ledger.py); submit() must not block."""

    @property
    def overloaded(self) -> bool: ...

    def submit(self, record: RequestRecord) -> None: ...


class Bookkeeper:
    def __init__(
        self,
        metrics: GatewayMetrics | None = None,
        ledger: RecordSink | None = None,
        shutting_down: Callable[[], bool] = lambda: False,
    ) -> None:
        self.metrics = metrics
        self.ledger = ledger
        # True once the shutdown grace ran out: a cancellation then is tierd's doing, not the client's.
        self.shutting_down = shutting_down
        self._listeners: list[RequestListener] = []

    def add_listener(self, listener: RequestListener) -> None:
        """`listener(record)` is called on the event loop for every finished request; it must not block.
        An exception it raises is logged and does not affect the request or other listeners."""
        self._listeners.append(listener)

    @property
    def overloaded(self) -> bool:
        """The ledger's queue is full: new requests should be refused until it drains."""
        return self.ledger is not None and self.ledger.overloaded

    def refused_for_backlog(self) -> None:
        """A request turned away because the ledger is behind (it has no record: the ledger is full)."""
        if self.metrics is not None:
            self.metrics.requests.labels("none", "503").inc()

    def finish(self, record: RequestRecord) -> None:
        """Count and keep one finished request (the service hands each one over once)."""
        if record.error_code == CLIENT_DISCONNECTED and self.shutting_down():
            record = cut_by_shutdown(record)
        if self.metrics is not None:
            try:
                self._to_metrics(self.metrics, record)
            except Exception:  # the ledger row matters more than a counter
                log.exception("request %s: counting it in the metrics failed", record.request_id)
        if self.ledger is not None:
            self.ledger.submit(record)
        for listener in self._listeners:
            try:
                listener(record)
            except Exception:
                log.exception("request %s: a request listener failed", record.request_id)

    @staticmethod
    def _to_metrics(metrics: GatewayMetrics, record: RequestRecord) -> None:
        if record.final_tier is None:  # refused before any tier was chosen: counted as the ledger counts it
            metrics.requests.labels("none", str(record.status)).inc()
            return
        metrics.stopped_records(record.attempts)
        if len(record.attempts) > 1:
            metrics.escalated_records(record.attempts)
            for attempt in record.thrown_away:
                metrics.spent(attempt.tier, attempt.prompt_tokens, attempt.completion_tokens, attempt.cost_usd)
        metrics.finished(
            Finished(
                record.final_tier,
                record.status,
                record.prompt_tokens,
                record.completion_tokens,
                record.cost_usd,
                record.latency_s or 0.0,
                record.ttft_s,
                wasted_usd=record.wasted_usd or 0.0,
            )
        )
