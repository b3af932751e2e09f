"""A background asyncio task that keeps the latest telemetry snapshot of one source."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from tiers.telemetry.base import TelemetrySnapshot, TelemetrySource

log = logging.getLogger("tierd.telemetry")


class BackgroundSampler:
    """Samples `source` every `interval_s` in a worker thread, so NVML calls never block the loop.

    `snapshot()` is what routing reads: the latest snapshot, or None when there is none yet or
    it is older than `max_age_s` (a stale reading is unknown, not idle). A failing sample is
    logged and counted, and sampling carries on: telemetry must never take the gateway down.
    """

    def __init__(
        self,
        source: TelemetrySource,
        interval_s: float = 1.0,
        max_age_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if interval_s <= 0 or max_age_s <= 0:
            raise ValueError("interval_s and max_age_s must be > 0")
        self.source = source
        self.interval_s = interval_s
        self.max_age_s = max_age_s
        self._clock = clock
        self.latest: TelemetrySnapshot | None = None
        self.samples = 0
        self.errors = 0
        self.last_error: str | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def snapshot(self, now: float | None = None) -> TelemetrySnapshot | None:
        latest = self.latest
        if latest is None or latest.is_stale(self.max_age_s, self._clock() if now is None else now):
            return None
        return latest

    async def sample_once(self) -> TelemetrySnapshot | None:
        try:
            snapshot = await asyncio.to_thread(self.source.sample)
        except Exception as exc:
            self.errors += 1
            self.last_error = f"{type(exc).__name__}: {exc}"
            # The first failure with its traceback, then one line each: a dead GPU fails every second.
            log.warning("telemetry source %s failed: %s", self.source.name, self.last_error, exc_info=self.errors == 1)
            return None
        self.latest = snapshot
        self.samples += 1
        return snapshot

    async def _run(self) -> None:
        while True:
            await self.sample_once()
            await asyncio.sleep(self.interval_s)

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(self._run(), name=f"telemetry-{self.source.name}")

    async def stop(self) -> None:
        """Stop sampling and close the source if it has a `close` (NVML's handle); stopping twice is harmless."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        close = getattr(self.source, "close", None)
        if close is not None:
            close()

    async def __aenter__(self) -> BackgroundSampler:
        self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
