"""Escalation policy: per-request limits and a global budget shared by all requests (of every gateway).

The global budget bounds how much escalation can cost the whole deployment, whatever the traffic:
- a share budget: every request adds `max_share` of a token to a bucket (capacity `burst`), every
  escalation takes one token, so over any stretch of traffic at most max_share x requests + burst
  escalate;
- a money budget: the bucket refills at `max_usd_per_minute / 60` dollars per second (capacity one
  minute's worth); an escalation needs a positive balance, and its cost is charged once known.
The bucket lives in the shared state (server/accounting/shared_state): in this process by default, in Redis
when several gateways share it, where each take is one atomic step for all of them. When the backend cannot
be reached, `on_unreachable` decides: `closed` refuses the escalation (the request keeps its local answer),
`open` allows it unchecked. The clock is injected for tests (the in-process backend's; Redis uses its own).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import BucketPolicy, SharedState, SharedStateUnavailable
from server.accounting.shared_state.settings import WhenUnreachable

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
        state: SharedState | None = None,
        on_unreachable: WhenUnreachable = "closed",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = BucketPolicy(max_share, burst, max_usd_per_minute)
        self.state: SharedState = state if state is not None else InProcessState()
        self.on_unreachable = on_unreachable
        self._clock = clock
        # This gateway's decisions, for its metrics (the bucket itself is the deployment's).
        self.escalations = 0
        self.refused = 0
        self.unchecked = 0  # allowed without the bucket: it could not be reached and on_unreachable is open

    @property
    def limited(self) -> bool:
        return self.policy.max_share is not None or self.policy.max_usd_per_minute is not None

    async def on_request(self) -> None:
        """Every checked request earns the share budget a fraction of an escalation."""
        if self.policy.max_share is None:
            return
        # A share not earned during an outage only makes escalations rarer for a while.
        with contextlib.suppress(SharedStateUnavailable):
            await self.state.earn_escalation(self.policy, self._clock())

    async def try_escalate(self) -> bool:
        """Take one escalation from the budget, or refuse (and count the refusal)."""
        if not self.limited:
            self.escalations += 1
            return True
        try:
            granted = await self.state.take_escalation(self.policy, self._clock())
        except SharedStateUnavailable:
            granted = self.on_unreachable == "open"
            self.unchecked += granted
        if not granted:
            self.refused += 1
            return False
        self.escalations += 1
        return True

    async def charge(self, usd: float | None) -> None:
        """Book an escalated attempt's cost against the money budget (may go negative: later ones wait)."""
        if self.policy.max_usd_per_minute is None or not usd:
            return
        # The cost is in the ledger either way; only the bucket misses it.
        with contextlib.suppress(SharedStateUnavailable):
            await self.state.charge_escalation(self.policy, usd, self._clock())
