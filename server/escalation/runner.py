"""Running a request with escalation: try a tier, check its answer, go up a tier when it fails.

This is the I/O side of escalation (checks and budgets are pure, in checks.py and policy.py). Three ways
to run, by stream mode:
- JSON (non-streamed requests): each attempt's whole answer is checked.
- `buffer`: the cheap tier's stream is read to the end and checked before the client gets a byte; the
  accepted answer is replayed. Latency: the client waits for the whole cheap answer.
- `prefix`: the first `prefix_tokens` chunks are held and checked; if they pass, they and the rest of
  the stream go to the client unchecked. Once a byte is sent there is no escalation.
The client never receives parts of two answers. Every attempt is recorded (tier, tokens, cost, checks).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from server.escalation import streams
from server.escalation.answer import Answer, answer_from_json
from server.escalation.checks import Check, CheckRequest, CheckResult, run_checks
from server.escalation.policy import GlobalBudget, Outcome, RequestLimits
from server.escalation.settings import StreamMode
from server.escalation.verifier import Verifier
from tiers.base import Tier, UpstreamError, UpstreamResponse


@dataclass(frozen=True, slots=True)
class TierChecks:
    checks: tuple[Check, ...] = ()
    stream_mode: StreamMode = "buffer"
    verifier: Verifier | None = None

    @property
    def active(self) -> bool:
        return bool(self.checks) or self.verifier is not None

    @property
    def needs_logprobs(self) -> bool:
        return any(c.needs_logprobs for c in self.checks)


@dataclass(frozen=True, slots=True)
class Job:
    """One request to run: where it goes first, and what its answers are checked against."""

    path: str
    body: dict[str, Any]
    first_tier: str
    replica: str | None  # placement's choice on the first tier; later tiers choose their own
    request: CheckRequest
    request_id: str
    ready: Callable[[str], bool]

    @property
    def chat(self) -> bool:
        return self.path.endswith("/chat/completions")

    def replica_for(self, attempt_index: int) -> str | None:
        return self.replica if attempt_index == 0 else None


@dataclass(slots=True)
class _Held:
    """A failed streamed attempt whose events could still be sent (buffered, or a live prefix)."""

    index: int
    read: streams.Read
    events: AsyncGenerator[bytes, None]
    strip: streams.Strip


@dataclass(slots=True)
class Attempt:
    tier: str
    status: int
    latency_s: float
    answer: Answer | None = None
    results: list[CheckResult] = field(default_factory=list)
    cost_usd: float | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == 200 and all(r.passed for r in self.results)

    @property
    def failures(self) -> int:
        return sum(1 for r in self.results if not r.passed) if self.status == 200 else 1_000

    def record(self) -> dict[str, Any]:
        a = self.answer
        return {
            "tier": self.tier,
            "status": self.status,
            "latency_s": round(self.latency_s, 4),
            "prompt_tokens": a.prompt_tokens if a else None,
            "completion_tokens": a.completion_tokens if a else None,
            "cost_usd": self.cost_usd,
            "checks": [r.short() for r in self.results],
            "failed": {r.check: r.detail for r in self.results if not r.passed},
            "error": self.error,
        }


@dataclass(slots=True)
class Run:
    """The outcome of one request: which tier's answer the client gets, and every attempt."""

    outcome: Outcome
    attempts: list[Attempt]
    returned: int  # index of the attempt whose answer the client gets
    response: UpstreamResponse | None = None  # JSON mode
    chunks: AsyncIterator[bytes] | None = None  # stream modes

    @property
    def final(self) -> Attempt:
        return self.attempts[self.returned]

    @property
    def tier(self) -> str:
        return self.final.tier

    @property
    def thrown_away(self) -> list[Attempt]:
        return [a for i, a in enumerate(self.attempts) if i != self.returned]

    def headers(self) -> dict[str, str]:
        headers = {"x-tierd-attempts": str(len(self.attempts)), "x-tierd-escalation": self.outcome}
        escalated_from = [a.tier for a in self.attempts if a.tier != self.tier]
        if escalated_from:
            headers["x-tierd-escalated-from"] = ",".join(escalated_from)
        if self.final.results:
            headers["x-tierd-checks"] = ",".join(r.short() for r in self.final.results)
        return headers

    def cost_usd(self) -> tuple[float | None, float]:
        """(all attempts' cost, or None when one is unknown; the cost of attempts not returned)."""
        return _known_sum(self.attempts), sum(a.cost_usd or 0.0 for a in self.thrown_away)

    def thrown_away_usd(self) -> float | None:
        """What the answers the client does not get cost; None when one of them is unknown."""
        return _known_sum(self.thrown_away)


def _known_sum(attempts: Sequence[Attempt]) -> float | None:
    """The attempts' total cost; None when any one is unknown."""
    costs = [a.cost_usd for a in attempts]
    return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)


# What one attempt cost (server/response_cost.py builds it); None when unknown.
CostOf = Callable[[str, Answer], "float | None"]


class Escalator:
    def __init__(
        self,
        tiers: Mapping[str, Tier],
        order: Sequence[str],
        tier_checks: Mapping[str, TierChecks],
        limits: RequestLimits,
        budget: GlobalBudget,
        cost_of: CostOf,
        prefix_tokens: int,
    ) -> None:
        self.tiers = tiers
        self.order = list(order)
        self.tier_checks = tier_checks
        self.limits = limits
        self.budget = budget
        self.cost_of = cost_of
        self.prefix_tokens = prefix_tokens

    def checks_for(self, tier: str) -> TierChecks:
        return self.tier_checks.get(tier, TierChecks())

    def _next_tier(self, current: str, ready: Callable[[str], bool]) -> str | None:
        above = self.order[self.order.index(current) + 1 :]
        return next((t for t in above if ready(t)), None)

    def _refusal(self, attempts: Sequence[Attempt], next_tier: str | None) -> Outcome | None:
        """Why the request may not escalate again (None: it may). Takes from the global budget last."""
        if next_tier is None:
            return "no-higher-tier"
        if len(attempts) - 1 >= self.limits.max_escalations:
            return "limit-reached"
        spent = sum(a.cost_usd or 0.0 for a in attempts)
        if self.limits.max_cost_usd is not None and spent >= self.limits.max_cost_usd:
            return "cost-limit"
        if not self.budget.try_escalate():
            return "budget-exhausted"
        return None

    def _prepare(self, body: dict[str, Any], tier: str, chat: bool, stream: bool) -> tuple[dict[str, Any], bool]:
        """The body sent to `tier`, and whether tierd added logprobs the client did not ask for."""
        prepared = dict(body)
        added_logprobs = False
        if self.checks_for(tier).needs_logprobs and not body.get("logprobs"):
            prepared["logprobs"] = True if chat else 1
            added_logprobs = True
        if stream:  # usage for the checks and the cost; the client's choice is applied at the end
            prepared["stream_options"] = {**(body.get("stream_options") or {}), "include_usage": True}
        return prepared, added_logprobs

    async def _judge(self, tier: str, answer: Answer, request: CheckRequest, request_id: str) -> list[CheckResult]:
        checks = self.checks_for(tier)
        results = run_checks(checks.checks, answer, request)
        if checks.verifier is not None and answer.complete and all(r.passed for r in results):
            results.append(await checks.verifier.grade(request, answer, request_id))
        return results

    # --- JSON ------------------------------------------------------------------------------------

    async def run_json(self, job: Job) -> Run:
        self.budget.on_request()
        attempts: list[Attempt] = []
        responses: dict[int, UpstreamResponse] = {}
        tier_name = job.first_tier
        while True:
            prepared, added = self._prepare(job.body, tier_name, job.chat, stream=False)
            started = time.monotonic()
            try:
                response = await self.tiers[tier_name].post_json(
                    job.path, prepared, job.request_id, job.replica_for(len(attempts))
                )
            except UpstreamError as exc:
                if not attempts:
                    raise
                attempts.append(Attempt(tier_name, exc.status, time.monotonic() - started, error=exc.message))
                return self._best_json(attempts, responses, "upstream-failed")
            attempt = Attempt(tier_name, response.status, time.monotonic() - started)
            attempts.append(attempt)
            if response.status != 200:
                if len(attempts) == 1:  # the client gets the upstream's own error, as without escalation
                    return Run("not-checked", attempts, 0, response=response)
                attempt.error = response.body[:200].decode(errors="replace")
                return self._best_json(attempts, responses, "upstream-failed")
            parsed = json.loads(response.body)
            attempt.answer = answer_from_json(parsed)
            attempt.cost_usd = self.cost_of(tier_name, attempt.answer)
            if added:
                response = streams.strip_logprobs_json(response, parsed)
            responses[len(attempts) - 1] = response
            attempt.results = await self._judge(tier_name, attempt.answer, job.request, job.request_id)
            if attempt.passed:
                self._charge(attempts)
                return Run(_passed(attempts), attempts, len(attempts) - 1, response=response)
            next_tier = self._next_tier(tier_name, job.ready)
            refusal = self._refusal(attempts, next_tier)
            if refusal is not None:
                return self._best_json(attempts, responses, refusal)
            assert next_tier is not None
            tier_name = next_tier

    def _best_json(self, attempts: list[Attempt], responses: dict[int, UpstreamResponse], outcome: Outcome) -> Run:
        """The answer with the fewest failed checks; the more capable tier on ties."""
        index = min(responses, key=lambda i: (attempts[i].failures, -i))
        self._charge(attempts)
        return Run(outcome, attempts, index, response=responses[index])

    def _charge(self, attempts: Sequence[Attempt]) -> None:
        for attempt in attempts[1:]:
            self.budget.charge(attempt.cost_usd)

    # --- streams -------------------------------------------------------------------------------

    async def run_stream(self, job: Job, mode: StreamMode | None) -> Run:
        """Returns once the client can be sent the headers: the tier is final, the stream's first event read."""
        self.budget.on_request()
        attempts: list[Attempt] = []
        held: list[_Held] = []
        tier_name = job.first_tier
        try:
            while True:
                checks = self.checks_for(tier_name)
                tier_mode = mode or checks.stream_mode
                last_resort = not checks.active or tier_mode == "off"
                prepared, added = self._prepare(job.body, tier_name, job.chat, stream=True)
                strip = streams.Strip(logprobs=added)
                replica = job.replica_for(len(attempts))
                events = streams.events(self.tiers[tier_name], job.path, prepared, job.request_id, replica)
                started = time.monotonic()
                attempt = Attempt(tier_name, 200, 0.0)
                attempts.append(attempt)
                try:
                    prefix = None if tier_mode == "buffer" else self.prefix_tokens
                    current = await streams.read(events, prefix, last_resort)
                except UpstreamError as exc:
                    attempt.status, attempt.error = exc.status, exc.message
                    attempt.latency_s = time.monotonic() - started
                    if not held:
                        raise
                    return self._best_stream(attempts, held, "upstream-failed")
                attempt.latency_s = time.monotonic() - started
                if last_resort:
                    self._close_all(held)
                    return self._stream_run(_passed(attempts), attempts, current, events, strip)
                attempt.answer = current.assembler.answer(complete=current.finished)
                if current.finished:
                    attempt.cost_usd = self.cost_of(tier_name, attempt.answer)
                attempt.results = await self._judge(tier_name, attempt.answer, job.request, job.request_id)
                if attempt.passed:
                    self._close_all(held)
                    outcome = _passed(attempts) if current.finished else "prefix-accepted"
                    return self._stream_run(outcome, attempts, current, events, strip)
                held.append(_Held(len(attempts) - 1, current, events, strip))
                next_tier = self._next_tier(tier_name, job.ready)
                refusal = self._refusal(attempts, next_tier)
                if refusal is not None:
                    return self._best_stream(attempts, held, refusal)
                assert next_tier is not None
                tier_name = next_tier
        except BaseException:
            self._close_all(held)
            raise

    def _stream_run(
        self,
        outcome: Outcome,
        attempts: list[Attempt],
        current: streams.Read,
        events: AsyncGenerator[bytes, None],
        strip: streams.Strip,
    ) -> Run:
        self._charge(attempts)
        rest = None if current.finished else events
        return Run(outcome, attempts, len(attempts) - 1, chunks=streams.replay(current.events, rest, strip))

    def _best_stream(self, attempts: list[Attempt], held: list[_Held], outcome: Outcome) -> Run:
        best = min(held, key=lambda h: (attempts[h.index].failures, -h.index))
        self._close_all([h for h in held if h is not best])
        self._charge(attempts)
        rest = None if best.read.finished else best.events
        chunks = streams.replay(best.read.events, rest, best.strip)
        return Run(outcome, attempts, best.index, chunks=chunks)

    def _close_all(self, held: list[_Held]) -> None:
        for entry in held:
            streams.close_later(entry.events)


def _passed(attempts: Sequence[Attempt]) -> Outcome:
    return "escalated" if len(attempts) > 1 else "accepted"
