"""Escalation policy: per-request limits and a global budget shared by all requests.

The global budget bounds how much escalation can cost the whole gateway, whatever the traffic:
- a share budget: every request adds `max_share` of a token to a bucket (capacity `burst`), every
  escalation takes one token, so over any stretch of traffic at most max_share x requests + burst
  escalate;
- a money budget: the bucket refills at `max_usd_per_minute / 60` dollars per second (capacity one
  minute's worth); an escalation needs a positive balance, and its cost is charged once known.
State lives in one object owned by the app; it is touched only from the event loop, so the
check-and-take in `try_escalate` is atomic under concurrency. The clock is injected for tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Outcome = Literal[
    "accepted",  # the first answer passed its checks
    "escalated",  # a later tier's answer passed
    "budget-exhausted",  # the global budget refused an escalation
    "limit-reached",  # max_escalations for this request
    "cost-limit",  # max_cost_usd for this request
    "no-higher-tier",  # nothing above is ready
    "upstream-failed",  # the escalated tier failed; the earlier answer is returned
    "prefix-accepted",  # streaming prefix mode: the first tokens passed, the rest was streamed unchecked
    "not-checked",  # the first tier answered with an error, passed on as without escalation
]


@dataclass(frozen=True, slots=True)
class RequestLimits:
    max_escalations: int = 2
    max_cost_usd: float | None = None


class GlobalBudget:
    def __init__(
        self,
        *,
        max_share: float | None,
        burst: float,
        max_usd_per_minute: float | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_share = max_share
        self.burst = burst
        self.max_usd_per_minute = max_usd_per_minute
        self._clock = clock
        self._share_tokens = burst
        self._usd = max_usd_per_minute or 0.0
        self._usd_at = clock()
        self.escalations = 0
        self.refused = 0

    def on_request(self) -> None:
        """Every checked request earns the share budget a fraction of an escalation."""
        if self.max_share is not None:
            self._share_tokens = min(self.burst, self._share_tokens + self.max_share)

    def _refill_usd(self) -> None:
        if self.max_usd_per_minute is None:
            return
        now = self._clock()
        self._usd = min(self.max_usd_per_minute, self._usd + (now - self._usd_at) * self.max_usd_per_minute / 60)
        self._usd_at = now

    def try_escalate(self) -> bool:
        """Take one escalation from the budget, or refuse (and count the refusal)."""
        self._refill_usd()
        share_ok = self.max_share is None or self._share_tokens >= 1.0
        usd_ok = self.max_usd_per_minute is None or self._usd > 0
        if not (share_ok and usd_ok):
            self.refused += 1
            return False
        if self.max_share is not None:
            self._share_tokens -= 1.0
        self.escalations += 1
        return True

    def charge(self, usd: float | None) -> None:
        """Book an escalated attempt's cost against the money budget (may go negative: later ones wait)."""
        if self.max_usd_per_minute is not None and usd:
            self._refill_usd()
            self._usd -= usd
