"""Where the gateway is in its life, for /ready and the shutdown: starting, serving, draining, cut.

A SIGTERM (server/cli/serving.py) turns the gateway to *draining*: /ready answers 503 from then on, the
listening socket closes, and requests already running get up to `server.shutdown_grace_s` to finish.
When that grace runs out the gateway is *cut*: what still runs is cancelled, and its ledger row says
503 `server_shutdown` rather than the 499 of a client that left (the client did not choose to go).
What is left of `server.shutdown_timeout_s` after that is the ledger's time to write its queue.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Lifecycle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.started = False
        self.draining_since: float | None = None
        self.cut = False  # the grace ran out: requests still running are being cancelled

    def serving(self) -> None:
        self.started = True

    def begin_drain(self) -> None:
        if self.draining_since is None:
            self.draining_since = self._clock()

    def cut_requests(self) -> None:
        self.begin_drain()
        self.cut = True

    @property
    def draining(self) -> bool:
        return self.draining_since is not None

    def left_of(self, budget_s: float) -> float:
        """Seconds left of a budget that started with the drain (all of it before any drain began)."""
        if self.draining_since is None:
            return budget_s
        return max(0.0, budget_s - (self._clock() - self.draining_since))
