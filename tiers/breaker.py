"""A circuit breaker per replica: failures in a row open it; after a backoff one probe request may pass.

The clock is injected so tests step time by hand. States, as placement reads them:
`closed` (normal), `open` (no traffic until the backoff ends), `half-open` (the backoff ended: the next
request is a probe; its success closes the breaker, its failure reopens it with twice the backoff).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

BreakerState = Literal["closed", "open", "half-open"]


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    failures_to_open: int = 3
    backoff_s: float = 5.0
    backoff_max_s: float = 60.0


class CircuitBreaker:
    def __init__(self, policy: BreakerPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._backoff_s = policy.backoff_s
        self._probing = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self._backoff_s:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """May a request go to this replica now? In half-open only one probe at a time passes."""
        state = self.state
        if state == "closed":
            return True
        if state == "open" or self._probing:
            return False
        self._probing = True
        return True

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probing = False
        self._backoff_s = self.policy.backoff_s

    def release(self) -> None:
        """The request ended without a verdict (cancelled): let the next one probe instead."""
        self._probing = False

    def record_failure(self) -> None:
        if self._opened_at is not None:
            # A failed probe (or a straggler from before the opening): back off longer.
            if self._probing:
                self._backoff_s = min(self.policy.backoff_max_s, self._backoff_s * 2)
            self._opened_at = self._clock()
            self._probing = False
            return
        self._failures += 1
        if self._failures >= self.policy.failures_to_open:
            self._opened_at = self._clock()
