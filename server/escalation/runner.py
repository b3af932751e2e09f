"""The attempt loop every request runs: call a tier, check its answer, go up a tier when it fails.

This is the I/O side of escalation (checks and budgets are pure, in checks.py and policy.py). A request
whose tier has no checks (or that names its model) is a one-attempt run that is taken as it comes.
Two shapes, JSON and stream; a stream runs in one of three ways, by stream mode:
- `buffer`: the cheap tier's stream is read to the end and checked before the client gets a byte; the
  accepted answer is replayed. Latency: the client waits for the whole cheap answer.
- `prefix`: the first `prefix_tokens` chunks are held and checked; if they pass, they and the rest of
  the stream go to the client unchecked. Once a byte is sent there is no escalation.
- unchecked (`off`, or a last tier): read up to the first event, so that a failure before any byte is
  still an HTTP error, then relayed as it comes.
The client never receives parts of two answers. Every attempt is kept on the `Run` (attempts.py), which
the caller owns, so that the attempts of a run that fails or is cancelled midway are still recorded.
A tier with a runaway guard (runaway.py) has each generation watched, while it is read or relayed, and
stopped once it degenerates; its JSON requests are then served from an internal stream (json_stream.py).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from server.errors import upstream_status
from server.escalation import json_stream, streams
from server.escalation.answer import answer_from_json
from server.escalation.attempts import Attempt, Run, plus
from server.escalation.checks import Check, CheckRequest, CheckResult, DegenerationCheck, run_checks
from server.escalation.policy import GlobalBudget, Outcome, RequestLimits
from server.escalation.runaway import RunawayGuard, Trip, Watch
from server.escalation.settings import StreamMode
from server.escalation.verifier import Verifier
from server.generation import NO_RULES, GenerationRules
from server.outcome import CLIENT_DISCONNECTED
from server.responses.protocol import RESPONSES_LOGPROBS
from tiers.base import Tier, TierKind, UpstreamError, UpstreamResponse

# What an attempt cost from its tokens (server/pricing.py); None when unknown.
CostOf = Callable[[str, "int | None", "int | None"], "float | None"]


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


NO_CHECKS = TierChecks()


@dataclass(frozen=True, slots=True)
class Job:
    """One request to run: where it goes first, and what its answers are checked against (None: unchecked)."""

    path: str
    body: dict[str, Any]
    first_tier: str
    replica: str | None  # placement's choice on the first tier; later tiers choose their own
    request_id: str
    check: CheckRequest | None = None
    ready: Callable[[str], bool] = lambda _tier: False  # which tiers an escalation may climb to
    stream_mode: StreamMode | None = None  # the client's override of the tiers' own modes
    allowed: frozenset[str] | None = None  # the only tiers the request may use, a verifier's too (None: any)

    @property
    def chat(self) -> bool:
        return self.path.endswith("/chat/completions")

    @property
    def responses(self) -> bool:
        return self.path.endswith("/responses")

    def replica_for(self, attempt_index: int) -> str | None:
        return self.replica if attempt_index == 0 else None


def upstream_body(
    body: dict[str, Any],
    *,
    chat: bool,
    stream: bool,
    add_logprobs: bool,
    responses: bool = False,
    chunk_usage: bool = False,
) -> dict[str, Any]:
    """The body sent to a tier: the client's, plus log-probabilities a check needs and, for a stream, usage
    (for the checks and the cost; the client's own choice is applied on the way out); `chunk_usage`: in
    every chunk (vLLM's continuous_usage_stats), so that a guarded generation stopped early is booked exactly."""
    prepared = dict(body)
    if responses:  # its stream ends with its usage anyway; server/responses/shape.py takes out what tierd added
        if add_logprobs:
            prepared["include"] = [*(body.get("include") or []), RESPONSES_LOGPROBS]
        return prepared
    if add_logprobs:
        prepared["logprobs"] = True if chat else 1
    if stream:
        prepared["stream_options"] = {**(body.get("stream_options") or {}), "include_usage": True}
        if chunk_usage:
            prepared["stream_options"]["continuous_usage_stats"] = True
    return prepared


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
        generation: GenerationRules = NO_RULES,
        guards: Mapping[str, RunawayGuard] | None = None,
    ) -> None:
        self.guards = guards or {}  # the runaway guard of each tier that has one (runaway.py)
        self.tiers = tiers
        self.order = list(order)
        self.tier_checks = tier_checks
        self.limits = limits
        self.budget = budget
        self.cost_of = cost_of
        self.prefix_tokens = prefix_tokens
        self.generation = generation

    def checks_for(self, tier: str) -> TierChecks:
        return self.tier_checks.get(tier, NO_CHECKS)

    def _next_tier(self, current: str, ready: Callable[[str], bool]) -> str | None:
        above = self.order[self.order.index(current) + 1 :]
        return next((t for t in above if ready(t)), None)

    async def _refusal(self, attempts: Sequence[Attempt], next_tier: str | None) -> Outcome | None:
        """Why the request may not escalate again (None: it may). Takes from the global budget last."""
        if next_tier is None:
            return "no-higher-tier"
        if len(attempts) - 1 >= self.limits.max_escalations:
            return "limit-reached"
        spent = sum(a.cost_usd or 0.0 for a in attempts)
        if self.limits.max_cost_usd is not None and spent >= self.limits.max_cost_usd:
            return "cost-limit"
        if not await self.budget.try_escalate():
            return "budget-exhausted"
        return None

    def _start(
        self, job: Job, run: Run, tier: str, stream: bool
    ) -> tuple[Attempt, TierChecks, dict[str, Any], streams.Strip, Watch | None]:
        """A new attempt on `tier`: its checks, the body it is sent, what to strip from its answer, and its
        runaway watch. The guard protects the tier, so it watches unchecked (pinned) requests too."""
        checks = self.checks_for(tier) if job.check is not None else NO_CHECKS
        asked = RESPONSES_LOGPROBS in (job.body.get("include") or ()) if job.responses else job.body.get("logprobs")
        add_logprobs = checks.needs_logprobs and not asked
        generation = self.generation.prepare(tier, job.path, job.body)
        # Not /v1/responses: its typed events are another shape than the chunks the guard reads and ends.
        guard = None if job.responses else self.guards.get(tier)
        if guard is not None and not stream and not guard.guards_json(generation.body, job.chat, add_logprobs):
            guard = None
        chunk_usage = guard is not None and self.tiers[tier].kind is not TierKind.OPENAI_REMOTE
        prepared = upstream_body(
            generation.body, chat=job.chat, stream=stream or guard is not None, add_logprobs=add_logprobs,
            responses=job.responses, chunk_usage=chunk_usage,
        )  # fmt: skip
        # A Responses answer loses what the client did not ask for on its way out (server/responses/shape.py).
        client_chunk_usage = (job.body.get("stream_options") or {}).get("continuous_usage_stats")
        strip = streams.Strip(
            logprobs=add_logprobs and not job.responses, chunk_usage=chunk_usage and not client_chunk_usage
        )
        attempt = Attempt(tier, 200, 0.0, replica=job.replica_for(len(run.attempts)))
        attempt.defaulted, attempt.limited = generation.defaulted, generation.limited
        run.attempts.append(attempt)
        return attempt, checks, prepared, strip, guard.watch() if guard is not None else None

    async def _judge(self, checks: TierChecks, attempt: Attempt, job: Job) -> None:
        assert job.check is not None and attempt.answer is not None
        answer = attempt.answer
        if any(c.blocking for c in checks.checks):  # an embedding takes milliseconds: off the event loop
            results = await asyncio.to_thread(run_checks, checks.checks, answer, job.check)
        else:
            results = run_checks(checks.checks, answer, job.check)
        if answer.runaway is not None and not any(r.check == DegenerationCheck.name for r in results):
            results.append(DegenerationCheck().run(answer, job.check))  # a stopped answer fails, whatever the checks
        verifier = checks.verifier
        if verifier is not None and answer.complete and all(r.passed for r in results):
            grader = verifier.tier.name
            if job.allowed is not None and grader not in job.allowed:  # e.g. local_only: not graded
                results.append(CheckResult(verifier.name, True, f"not graded: this request may not use {grader}"))
            else:
                grading = await verifier.grade(job.check, answer, job.request_id)
                results.append(grading.result)
                if grading.called:  # its cost is the request's, booked with the answer it graded
                    attempt.grading_usd = self.cost_of(grader, grading.prompt_tokens, grading.completion_tokens)
                    attempt.cost_usd = plus(attempt.cost_usd, attempt.grading_usd)
        attempt.results = results

    def _price(self, attempt: Attempt) -> None:
        answer = attempt.answer
        if answer is not None:
            attempt.cost_usd = self.cost_of(attempt.tier, answer.prompt_tokens, answer.completion_tokens)

    async def _escalation(self, job: Job, run: Run, tier: str) -> tuple[str | None, Outcome | None]:
        next_tier = self._next_tier(tier, job.ready)
        return next_tier, await self._refusal(run.attempts, next_tier)

    # --- JSON ------------------------------------------------------------------------------------

    async def run_json(self, job: Job, run: Run) -> None:
        """Decide `run`: its returned attempt and response. Raises the first tier's UpstreamError."""
        if job.check is not None:
            await self.budget.on_request()
        responses: dict[int, UpstreamResponse] = {}
        tier_name = job.first_tier
        while True:
            attempt, checks, prepared, strip, watch = self._start(job, run, tier_name, stream=False)
            index = len(run.attempts) - 1
            started = time.monotonic()
            trip: Trip | None = None
            try:
                tier = self.tiers[tier_name]
                if watch is None:
                    response = await tier.post_json(job.path, prepared, job.request_id, attempt.replica)
                else:
                    response, trip = await json_stream.post_via_stream(
                        tier, job.path, prepared, job.request_id, attempt.replica, watch, chat=job.chat
                    )
            except UpstreamError as exc:
                attempt.failed(upstream_status(exc), exc.message, time.monotonic() - started)
                if not responses:
                    raise
                return await self._best_json(run, responses, "upstream-failed")
            except asyncio.CancelledError:  # the client left while the tier was working on it
                attempt.failed(499, CLIENT_DISCONNECTED, time.monotonic() - started)
                raise
            attempt.latency_s, attempt.replica = time.monotonic() - started, response.replica_id
            if response.status != 200:
                attempt.status = response.status
                if not responses:  # the client gets the upstream's own answer, as without escalation
                    return await self._decided(run, "not-checked" if job.check else None, index, response)
                attempt.error = response.body[:200].decode(errors="replace")
                return await self._best_json(run, responses, "upstream-failed")
            parsed = response.payload if response.payload is not None else _json_object(response.body)
            attempt.answer = answer_from_json(parsed)
            if trip is not None:
                attempt.stop(trip)
            self._price(attempt)
            response = streams.shape_json(response, parsed, strip_logprobs=strip.logprobs)
            responses[index] = response
            if not checks.active:
                return await self._decided(run, _passed(run) if job.check else None, index, response)
            await self._judge(checks, attempt, job)
            if attempt.passed:
                return await self._decided(run, _passed(run), index, response)
            next_tier, refusal = await self._escalation(job, run, tier_name)
            if refusal is not None or next_tier is None:
                return await self._best_json(run, responses, refusal or "no-higher-tier")
            tier_name = next_tier

    async def _best_json(self, run: Run, responses: dict[int, UpstreamResponse], outcome: Outcome) -> None:
        """The answer with the fewest failed checks; the more capable tier on ties."""
        index = min(responses, key=lambda i: (run.attempts[i].failures, -i))
        await self._decided(run, outcome, index, responses[index])

    async def _decided(self, run: Run, outcome: Outcome | None, index: int, response: UpstreamResponse | None) -> None:
        run.outcome, run.returned, run.response = outcome, index, response
        for attempt in run.attempts[1:]:
            await self.budget.charge(attempt.cost_usd)

    # --- streams -------------------------------------------------------------------------------

    async def run_stream(self, job: Job, run: Run) -> None:
        """Decide `run` once the client can be sent the headers: the tier is final, the stream's first event
        read. Raises the first tier's UpstreamError."""
        if job.check is not None:
            await self.budget.on_request()
        held: list[_Held] = []
        tier_name = job.first_tier
        try:
            while True:
                attempt, checks, prepared, strip, watch = self._start(job, run, tier_name, stream=True)
                tier_mode = job.stream_mode or checks.stream_mode
                last_resort = not checks.active or tier_mode == "off"
                events = streams.events(self.tiers[tier_name], job.path, prepared, job.request_id, attempt.replica)
                started = time.monotonic()
                try:
                    prefix = None if tier_mode == "buffer" else self.prefix_tokens
                    current = await streams.read(events, prefix, last_resort, watch, job.chat)
                except UpstreamError as exc:
                    attempt.failed(upstream_status(exc), exc.message, time.monotonic() - started)
                    if not held:
                        raise
                    return await self._best_stream(run, held, "upstream-failed")
                except asyncio.CancelledError:
                    attempt.failed(499, CLIENT_DISCONNECTED, time.monotonic() - started)
                    raise
                attempt.latency_s = time.monotonic() - started
                index = len(run.attempts) - 1
                this = _Held(index, current, events, strip, watch, job.chat)
                if last_resort:
                    if current.stopped is not None:
                        attempt.stop(current.stopped)
                    self._close_all(held)
                    return await self._stream_decided(run, _passed(run) if job.check is not None else None, this)
                attempt.answer = current.assembler.answer(complete=current.finished)
                if current.stopped is not None:
                    attempt.stop(current.stopped)
                if current.finished:
                    self._price(attempt)
                await self._judge(checks, attempt, job)
                if attempt.passed:
                    self._close_all(held)
                    outcome = _passed(run) if current.finished else "prefix-accepted"
                    return await self._stream_decided(run, outcome, this)
                held.append(this)
                next_tier, refusal = await self._escalation(job, run, tier_name)
                if refusal is not None or next_tier is None:
                    return await self._best_stream(run, held, refusal or "no-higher-tier")
                tier_name = next_tier
        except BaseException:
            self._close_all(held)
            raise

    async def _stream_decided(self, run: Run, outcome: Outcome | None, chosen: _Held) -> None:
        await self._decided(run, outcome, chosen.index, None)
        rest = None if chosen.read.finished else chosen.events
        attempt = run.attempts[chosen.index]  # the guard may still trip (attempt.stop) while the rest is relayed
        run.events = streams.replay(
            chosen.read.events, rest, chosen.strip, chosen.watch, chosen.chat, attempt.stop, attempt.tier
        )

    async def _best_stream(self, run: Run, held: list[_Held], outcome: Outcome) -> None:
        best = min(held, key=lambda h: (run.attempts[h.index].failures, -h.index))
        self._close_all([h for h in held if h is not best])
        await self._stream_decided(run, outcome, best)

    def _close_all(self, held: list[_Held]) -> None:
        for entry in held:
            streams.close_later(entry.events)


@dataclass(slots=True)
class _Held:
    """A streamed attempt whose events could still be sent (buffered, or a live prefix)."""

    index: int
    read: streams.Read
    events: AsyncGenerator[list[bytes], None]
    strip: streams.Strip
    watch: Watch | None = None  # the runaway guard's, when the tier has one
    chat: bool = True


def _passed(run: Run) -> Outcome:
    return "escalated" if len(run.attempts) > 1 else "accepted"


def _json_object(body: bytes) -> dict[str, Any]:
    """A tier's JSON answer; an answer that is not a JSON object is checked (and priced) as an empty one."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
