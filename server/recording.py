"""What the service knows of one request as it goes (`Progress`), and the record it becomes at its end.

The service fills a `Progress` in the order things happen: the body's facts, the routing decision, the
run of attempts, a stream's end, a failure. `build_record` turns it into the one `RequestRecord` that
the accounting keeps (server/outcome.py). Pure: clocks and prices are passed in.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.errors import mid_stream_status
from server.escalation.answer import SseSplitter, StreamAssembler, iter_payloads
from server.escalation.attempts import Attempt, Run, plus
from server.outcome import CLIENT_DISCONNECTED, RECORD_INCOMPLETE, AttemptRecord, RequestRecord
from server.pricing import Pricer
from server.response_cost import StreamEnd
from server.routing.features import CHARS_PER_TOKEN
from server.routing.router import RouteDecision

log = logging.getLogger("tierd.requests")


@dataclass(frozen=True, slots=True)
class TierFacts:
    """What the records say about a tier besides its name."""

    model: str
    local: bool  # a vLLM tier (its cost is amortized hardware), not a remote API


@dataclass(slots=True)
class Progress:
    """One request on its way, set by the service as things happen (plain data: the request's path reaches
    this module once, at its end, in `build_record`); `recorded` turns true once its record has gone."""

    request_id: str
    endpoint: str
    api_key_id: str | None
    started: float  # time.monotonic() at the start
    created_at: datetime
    requested_model: str | None = None
    stream: bool = False
    decision: RouteDecision | None = None
    explanation: dict[str, Any] | None = None
    run: Run = field(default_factory=Run)
    cost_basis: str | None = None
    end: StreamEnd | None = None  # a stream's last byte
    status: int = 200  # a failure's (a stream's end may still make it a 499)
    error_code: str | None = None
    recorded: bool = False
    body: dict[str, Any] | None = None  # the request as routed (kept only for capture)
    # A relayed stream's answer, assembled as it passes (only for capture); read when the record is built,
    # which may come before the relay's own end (a client that leaves at [DONE]).
    streamed: StreamAssembler | None = None
    # The worst one attempt on a tier may cost (server/reservations.py), set once the request holds a
    # reservation: what a JSON attempt the client left before its answer is charged.
    attempt_bound_usd: Callable[[str], float] | None = None


def attempt_answers(progress: Progress) -> dict[str, str]:
    """Each answered attempt's text by tier (a relayed stream's from what was relayed), for capture."""
    answers: dict[str, str] = {}
    for i, attempt in enumerate(progress.run.attempts):
        if attempt.status != 200:
            continue
        if i == progress.run.returned and progress.streamed is not None:
            answers[attempt.tier] = progress.streamed.answer(complete=True).text
        elif attempt.answer is not None and attempt.answer.complete:
            answers[attempt.tier] = attempt.answer.text
    return answers


async def assembled_for_capture(events: AsyncIterator[bytes], progress: Progress) -> AsyncIterator[bytes]:
    """The events as they are, their answer text assembled on the way for capture."""
    progress.streamed, splitter = StreamAssembler(), SseSplitter()
    async for chunk in events:
        for payload in iter_payloads(splitter.feed(chunk)):
            progress.streamed.add(payload)
        yield chunk


def _checks(attempt: Attempt) -> tuple[dict[str, Any], ...] | None:
    if not attempt.results:
        return None
    return tuple({"check": r.check, "passed": r.passed, "detail": r.detail} for r in attempt.results)


def _attempt_records(run: Run, tiers: Mapping[str, TierFacts], end: StreamEnd | None) -> tuple[AttemptRecord, ...]:
    records = []
    for i, a in enumerate(run.attempts):
        facts = tiers.get(a.tier)
        answer = a.answer
        prompt, completion = (answer.prompt_tokens, answer.completion_tokens) if answer else (None, None)
        cost, latency = a.cost_usd, round(a.latency_s, 6)
        note = answer.note if answer else None
        if end is not None and i == run.returned:
            # The returned attempt ran until the stream's end; the others ran before it (approximately: the
            # time spent checking answers is counted in this one).
            others = sum(o.latency_s for j, o in enumerate(run.attempts) if j != i)
            prompt, completion = end.prompt_tokens, end.completion_tokens
            cost = plus(end.attempt_cost_usd, a.grading_usd)
            latency = round(max(a.latency_s, end.duration_s - others), 6)
            note = end.usage_note or note
        records.append(
            AttemptRecord(
                index=i,
                tier=a.tier,
                model=facts.model if facts else None,
                replica=a.replica,
                status=a.status,
                returned=i == run.returned and a.status == 200,
                passed=(a.status == 200 and all(r.passed for r in a.results)) if a.results else None,
                checks=_checks(a),
                error=a.error or note,  # a 200 whose usage was unreadable says so here
                prompt_tokens=prompt,
                completion_tokens=completion,
                cost_usd=cost,
                latency_s=latency,
                stopped_after_tokens=a.stopped.tokens if a.stopped else None,
            )
        )
    return tuple(records)


def _wasted_usd(run: Run, cost_usd: float | None) -> float | None:
    """What thrown-away answers cost (unknown ones as nothing); an unchecked run threw nothing away."""
    if run.outcome is None:
        return 0.0 if cost_usd is not None else None
    return run.wasted_usd()


def _estimated_tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def charged_usd(
    progress: Progress, attempts: tuple[AttemptRecord, ...], cost_usd: float | None, pricer: Pricer
) -> float | None:
    """What budgets charge the request: its cost when known; else each attempt's known cost, and for each unknown
    one an estimate from what it used: its tokens where usage said them, else the prompt estimate and its answer
    (a cut stream: the chunks delivered, about a token each), priced at `Pricer.worst_prices`. An attempt that
    failed without an answer is charged nothing (an upstream error is not billed); a JSON attempt the client
    left before its answer, the worst case its reservation held for it (else its prompt estimate)."""
    if cost_usd is not None or not attempts:
        return cost_usd
    run, end = progress.run, progress.end
    decision = progress.decision
    prompt_estimate = decision.features.prompt_tokens_estimate if decision is not None else 0
    total = 0.0
    for record, attempt in zip(attempts, run.attempts, strict=True):
        if record.cost_usd is not None:
            total += record.cost_usd
            continue
        streamed = end is not None and record.index == run.returned
        if not streamed and attempt.answer is None:
            if attempt.error == CLIENT_DISCONNECTED:
                # Nothing shows how much the upstream generated (and billed) before the client left, and
                # charging only the prompt would let a client dodge any answer by hanging up: the worst case.
                bound = progress.attempt_bound_usd
                total += bound(record.tier) if bound else pricer.estimate_usd(record.tier, prompt_estimate, 0)
            continue
        if streamed:
            assert end is not None
            completion = max(end.delivered_chunks, _estimated_tokens(attempt.answer.text) if attempt.answer else 0)
        else:
            assert attempt.answer is not None
            completion = _estimated_tokens(attempt.answer.text)
        prompt = record.prompt_tokens if record.prompt_tokens is not None else prompt_estimate
        completion = record.completion_tokens if record.completion_tokens is not None else completion
        total += pricer.estimate_usd(record.tier, prompt, completion)
    return total


def record_of(
    progress: Progress, tiers: Mapping[str, TierFacts], pricer: Pricer, finished_at: datetime, now: float
) -> RequestRecord:
    """build_record, total: a record that cannot be built (a bug) is logged and replaced by a bare one, so
    that a request is never lost (nor its stream's end)."""
    try:
        return build_record(progress, tiers, pricer, finished_at, now)
    except Exception:
        log.exception("request %s: its record could not be built; booking what is sure", progress.request_id)
        return bare_record(progress, finished_at, now)


def bare_record(progress: Progress, finished_at: datetime, now: float) -> RequestRecord:
    """What is sure of a request whose full record could not be built (a bug tierd logs): the request is
    still booked, its cost unknown, never silently lost."""
    p = progress
    return RequestRecord(
        request_id=p.request_id,
        created_at=p.created_at,
        finished_at=finished_at,
        endpoint=p.endpoint,
        status=p.status,
        api_key_id=p.api_key_id,
        requested_model=p.requested_model,
        stream=p.stream,
        error_code=p.error_code or RECORD_INCOMPLETE,
        latency_s=round(now - p.started, 6),
    )


def build_record(
    progress: Progress, tiers: Mapping[str, TierFacts], pricer: Pricer, finished_at: datetime, now: float
) -> RequestRecord:
    """The request's one record, from everything it got to before it ended (`now`: time.monotonic())."""
    p, run, end = progress, progress.run, progress.end
    decision = p.decision
    classification = decision.classification if decision is not None else None
    placement = decision.placement if decision is not None else None
    attempts = _attempt_records(run, tiers, end)
    final_tier = run.tier if run.attempts else None
    facts = tiers.get(final_tier) if final_tier is not None else None
    returned = next((a for a in attempts if a.returned), None)
    if end is not None:  # a stream: what its usage chunk said, all attempts together
        prompt, completion, cost = end.prompt_tokens, end.completion_tokens, end.cost_usd
    else:
        source = returned or (attempts[-1] if attempts else None)
        prompt = source.prompt_tokens if source else None
        completion = source.completion_tokens if source else None
        cost = run.cost_usd() if run.attempts else None
    frontier_usd, savings = pricer.counterfactual(prompt, completion, cost)
    status, error_code = p.status, p.error_code
    if end is not None and not end.completed:  # the client left before the stream's end
        status, error_code = 499, CLIENT_DISCONNECTED
    elif end is not None and end.error_code is not None:  # an error event after the headers had gone
        status, error_code = mid_stream_status(end.error_code), end.error_code
    return RequestRecord(
        request_id=p.request_id,
        created_at=p.created_at,
        finished_at=finished_at,
        endpoint=p.endpoint,
        status=status,
        api_key_id=p.api_key_id,
        requested_model=p.requested_model,
        stream=p.stream,
        decision=decision.short() if decision is not None else None,
        explanation=p.explanation,
        classifier=classification.classifier if classification is not None else None,
        chosen_tier=(classification.min_tier if classification is not None else placement.wanted)
        if placement is not None
        else None,
        first_tier=placement.tier if placement is not None else None,
        final_tier=final_tier,
        final_model=facts.model if facts else None,
        replica=run.final.replica if run.attempts else (placement.replica if placement is not None else None),
        local=facts.local if facts else None,
        error_code=error_code,
        escalation_outcome=run.outcome,
        escalations=max(0, len(run.attempts) - 1),
        prompt_tokens=prompt,
        completion_tokens=completion,
        cost_usd=cost,
        charged_usd=charged_usd(p, attempts, cost, pricer),
        wasted_usd=_wasted_usd(run, cost) if run.attempts else None,
        cost_basis=p.cost_basis,
        frontier_cost_usd=frontier_usd,
        savings_usd=savings,
        latency_s=round(now - p.started, 6),
        ttft_s=end.ttft_s if end is not None else None,
        attempts=attempts,
    )
