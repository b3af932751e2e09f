"""The serving class: a validated request in, a result value out.

It returns a `JsonResult` or a `StreamResult`, or raises `ApiError`; only the HTTP routes turn those into
responses. Every request takes the same path, top to bottom:
validate -> decide (classify + place, pure: server/routing) -> run its attempts (server/escalation/runner.py;
a tier without checks is a one-attempt run) -> record (server/recording.py builds the one record, and the
bookkeeper in server/accounting takes it). A JSON answer is recorded when `handle` returns; a stream at
its last byte, or when the client leaves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from server.accounting.bookkeeper import Bookkeeper
from server.accounting.ledger_schema import utcnow
from server.accounting.metrics import GatewayMetrics
from server.capture.sink import CaptureSink
from server.errors import (
    ApiError,
    error_code_of_body,
    from_upstream,
    from_validation_error,
    ledger_backlog,
    model_not_found,
    not_an_object,
)
from server.escalation.attempts import Run
from server.escalation.client_schemas import refused_schema
from server.escalation.runner import Escalator
from server.jobs import is_checked, job_for, placement_error
from server.outcome import CLIENT_DISCONNECTED
from server.pricing import Pricer
from server.recording import Progress, TierFacts, assembled_for_capture, attempt_answers, record_of
from server.reservations import Reserver, over_cap, prompt_bound_tokens
from server.response_cost import StreamEnd, metered
from server.responses.protocol import is_responses_body
from server.responses.stream import shape_json, stream_meter
from server.routing.costs import format_usd
from server.routing.gpu_state import GpuView, with_gpu_pressure
from server.routing.prefix_affinity import PrefixAffinity, PrefixMatch
from server.routing.router import AUTO_MODEL, RouteDecision, Router, model_index
from server.service_values import CHAT, RESPONSES, Endpoint, JsonResult, RequestOptions, StreamResult
from server.settings import Settings
from tiers.base import Tier, TierSnapshot, UpstreamError

log = logging.getLogger("tierd.requests")
LEDGER_RETRY_AFTER_S = 2


def tier_facts(tiers: Sequence[Tier]) -> dict[str, TierFacts]:
    return {t.name: TierFacts(t.model, t.local) for t in tiers}


class CompletionService:
    def __init__(
        self,
        settings: Settings,
        tiers: Sequence[Tier],
        router: Router,
        escalator: Escalator,
        pricer: Pricer,
        books: Bookkeeper,
        metrics: GatewayMetrics | None = None,
        capture: CaptureSink | None = None,
        gpus: Callable[[Sequence[TierSnapshot]], GpuView | None] | None = None,
        reserver: Reserver | None = None,
    ) -> None:
        self.settings = settings
        self.tiers = {t.name: t for t in tiers}
        self.facts = tier_facts(tiers)
        self.router = router
        self.escalator = escalator
        self.pricer = pricer
        self.books = books
        self.metrics = metrics
        self.capture = capture
        self.reserver = reserver  # budget holds (server/reservations.py); None: no budgets
        self.gpus = gpus  # the GPU snapshot for a decision (server/telemetry/gpu_watch.py); None: no NVML
        # Which replica served which prompt blocks lately: placement's only memory, kept here.
        p = settings.placement
        self.affinity = PrefixAffinity(
            router.policy.replica_choice,
            block_chars=p.prefix_block_chars,
            max_chars=p.prefix_max_chars,
            max_entries=p.prefix_max_entries,
        )

    def snapshots(self) -> list[TierSnapshot]:
        return [t.snapshot() for t in self.tiers.values()]

    def gpu_state(self) -> tuple[list[TierSnapshot], GpuView | None, dict[str, str]]:
        """The snapshots with each replica's GPUs and pressure, the GPU view, and the hot GPUs (for
        /ready and the dashboard; a decision does the same from its own snapshots)."""
        snapshots = self.snapshots()
        view = self.gpus(snapshots) if self.gpus is not None else None
        marked, hot = with_gpu_pressure(snapshots, view, self.router.gpu_policy)
        return marked, view, hot

    def decide(
        self,
        body: dict[str, Any],
        snapshots: Sequence[TierSnapshot],
        only_tiers: frozenset[str] | None = None,
        prefix: PrefixMatch | None = None,
        gpus: GpuView | None = None,
    ) -> RouteDecision:
        """Resolve `model` and route; raises 404 for an unknown model."""
        model = body.get("model")
        index = model_index(snapshots)
        if model == AUTO_MODEL:
            pinned = None
        elif isinstance(model, str) and model in index:
            pinned = index[model]
        else:
            raise model_not_found(str(model), [AUTO_MODEL, *index])
        return self.router.decide(body, pinned, snapshots, only_tiers, gpus, prefix=prefix)

    async def decide_off_loop(
        self,
        body: dict[str, Any],
        snapshots: Sequence[TierSnapshot],
        only_tiers: frozenset[str] | None = None,
        *,
        remember: bool = False,
    ) -> RouteDecision:
        """decide(), in a worker thread when the classifier may hold the CPU (an embedding takes ~8 ms here).
        The prefix index is read and (`remember`: a request that will run) written here on the event loop,
        never from the worker threads."""
        choosy = [s.name for s in snapshots if len(s.replicas) > 1]  # only they have a replica to choose
        hashes, prefix = self.affinity.look_up(body, choosy)
        gpus = self.gpus(snapshots) if self.gpus is not None else None  # its smoothing state lives on the loop
        if self.router.classifier.blocking:
            decision = await asyncio.to_thread(self.decide, body, snapshots, only_tiers, prefix, gpus)
        else:
            decision = self.decide(body, snapshots, only_tiers, prefix, gpus)
        placement = decision.placement
        if remember and hashes and placement.tier in choosy and placement.replica is not None:
            self.affinity.index.remember(placement.tier, hashes, placement.replica)
        return decision

    async def route(self, body: Any, request_id: str) -> JsonResult:
        """POST /v1/route: the decision for a chat-completions (or Responses API) body, without running it."""
        self.validate(RESPONSES if isinstance(body, dict) and is_responses_body(body) else CHAT, body, request_id)
        decision = await self.decide_off_loop(body, self.snapshots())
        explained = {"object": "tierd.route", "request_id": request_id, **decision.explain()}
        explained["decision"] = decision.short()
        headers = {"x-tierd-request-id": request_id, "x-tierd-decision": decision.short()}
        return JsonResult(200, json.dumps(explained).encode(), headers)

    def validate(self, endpoint: Endpoint, body: Any, request_id: str) -> None:
        if not isinstance(body, dict):
            raise not_an_object()
        try:
            parsed = endpoint.wire_model.model_validate(body)
        except ValidationError as exc:
            raise from_validation_error(exc) from None
        if (refused := refused_schema(body)) is not None:
            raise ApiError("invalid_value", f"{refused[0]}: {refused[1]}", param=refused[0])
        unknown = parsed.model_extra
        if unknown and self.settings.server.log_unknown_fields:  # a few names: a body may hold 100,000 of them
            names = sorted(unknown)
            log.info("request %s: forwarding %d fields tierd does not know: %s", request_id, len(names), names[:20])

    def refused(self, endpoint: Endpoint, request_id: str, error: ApiError, options: RequestOptions | None) -> None:
        """Record a request refused before the service saw it (unparsable JSON, a bad tierd header)."""
        if self.books.overloaded:  # a stream of bad requests must not grow a queue that is already full
            return
        progress = self._progress(endpoint, request_id, options)
        progress.status, progress.error_code = error.status, error.short_code()
        self._record(progress)

    async def handle(
        self, endpoint: Endpoint, body: Any, request_id: str, options: RequestOptions | None = None
    ) -> JsonResult | StreamResult:
        """Serve one request; its record goes to the bookkeeper exactly once, when it ends (a stream: at its
        last byte), whether it succeeded, failed or was cancelled by a client that left."""
        options = options or RequestOptions()
        if self.books.overloaded:
            # Not recorded: the ledger is what is behind. Prometheus still counts it (tier "none").
            self.books.refused_for_backlog()
            raise ledger_backlog(LEDGER_RETRY_AFTER_S)
        progress = self._progress(endpoint, request_id, options)
        streaming = False
        try:
            result = await self._serve(endpoint, body, progress, options)
            streaming = isinstance(result, StreamResult)
            return result
        except ApiError as error:
            progress.status, progress.error_code = error.status, error.short_code()
            raise
        except asyncio.CancelledError:
            progress.status, progress.error_code = 499, CLIENT_DISCONNECTED
            raise
        except Exception:
            progress.status, progress.error_code = 500, "internal_error"
            raise
        finally:
            if not streaming:  # a stream is recorded at its end (_relay)
                self._record(progress)

    def _progress(self, endpoint: Endpoint, request_id: str, options: RequestOptions | None) -> Progress:
        key = options.api_key_id if options else None
        return Progress(request_id, endpoint.path, key, time.monotonic(), utcnow())

    def _record(self, progress: Progress) -> None:
        """Hand the request's record to the bookkeeper, once (the flag is set only once it has it)."""
        if progress.recorded:
            return
        record = record_of(progress, self.facts, self.pricer, utcnow(), time.monotonic())
        self.books.finish(record)
        progress.recorded = True
        if self.capture is not None and progress.body is not None:
            self.capture.offer(record, progress.body, attempt_answers(progress))

    async def _serve(
        self, endpoint: Endpoint, body: Any, progress: Progress, options: RequestOptions
    ) -> JsonResult | StreamResult:
        request_id = progress.request_id
        if isinstance(body, dict):
            model = body.get("model")
            progress.requested_model = model if isinstance(model, str) else None
            progress.stream = bool(body.get("stream"))
            if self.capture is not None:
                progress.body = body
        self.validate(endpoint, body, request_id)
        capped = over_cap(self.settings.budgets, endpoint.path, body)
        if capped is not None:
            raise capped
        snapshots = self.snapshots()
        decision = await self._decided(endpoint, body, snapshots, options, progress)
        decision, options = await self._reserved(endpoint, body, decision, snapshots, options, progress)
        placement = decision.placement
        assert placement.tier is not None
        tier = self.tiers[placement.tier]
        headers = {
            "x-tierd-request-id": request_id,
            "x-tierd-tier": tier.name,
            "x-tierd-model": tier.model,
            "x-tierd-decision": decision.short(),
            "x-tierd-placement": placement.reason,
        }
        if placement.degraded:
            headers["x-tierd-degraded"] = placement.degraded
        if options.only_tiers is not None:
            headers["x-tierd-budget"] = f"local-only: {options.budget_note}"
        job = job_for(
            self.escalator, endpoint.path, body, decision, snapshots, request_id,
            allowed=options.only_tiers, stream_mode=options.stream_mode,
        )  # fmt: skip
        run = progress.run
        try:
            await (self.escalator.run_stream(job, run) if progress.stream else self.escalator.run_json(job, run))
        except UpstreamError as exc:  # the first tier failed before any answer
            log.warning("request %s: tier %s failed: %s", request_id, tier.name, exc.message)  # the client: less
            raise from_upstream(exc, tier.name) from None
        if run.outcome is not None and log.isEnabledFor(logging.INFO):
            log.info("request %s attempts %s", request_id, json.dumps([a.record() for a in run.attempts]))
        final = self.tiers[run.tier]
        headers.update({"x-tierd-tier": final.name, "x-tierd-model": final.model, **run.headers()})
        if run.final.defaulted:
            headers["x-tierd-defaults"] = ",".join(run.final.defaulted)
        if run.final.limited:
            headers["x-tierd-limited"] = ",".join(run.final.limited)
        progress.cost_basis = self.pricer.basis(final.name)
        if progress.stream:  # the cost of a stream goes at its end: its headers leave first
            relay = self._relay(endpoint, run, body, progress)
            return StreamResult(relay, headers, lambda: self._abandoned(progress))
        assert run.response is not None
        headers["x-tierd-replica"] = run.response.replica_id
        headers["x-tierd-cost-usd"] = format_usd(run.cost_usd())
        headers["x-tierd-cost-basis"] = progress.cost_basis
        if run.outcome is not None:
            headers["x-tierd-wasted-cost-usd"] = format_usd(run.wasted_usd())
        status, answer = run.response.status, run.response.body
        if status != 200:
            progress.status, progress.error_code = status, error_code_of_body(answer)
        elif endpoint.responses_api:  # chat's and completions' answers were shaped by the runner
            answer = shape_json(answer, body)
        return JsonResult(status, answer, headers)

    async def _decided(
        self,
        endpoint: Endpoint,
        body: dict[str, Any],
        snapshots: Sequence[TierSnapshot],
        options: RequestOptions,
        progress: Progress,
    ) -> RouteDecision:
        """The routing decision, logged and kept on `progress`; raises its placement error or a refused cap."""
        decided = time.monotonic()
        decision = await self.decide_off_loop(body, snapshots, options.only_tiers, remember=True)
        if self.metrics is not None:
            self.metrics.decision.observe(time.monotonic() - decided)
        progress.decision, progress.explanation = decision, decision.explain()  # the log and the ledger share it
        if log.isEnabledFor(logging.INFO):  # the JSON is built only for a log that keeps it
            explained = json.dumps(progress.explanation, separators=(",", ":"))
            log.info("request %s decision %s", progress.request_id, explained)
        placement = decision.placement
        if placement.error is not None:
            raise placement_error(self.settings, placement.error, options.budget_note)
        assert placement.tier is not None
        over = self.escalator.generation.over_limit(placement.tier, endpoint.path, body)
        if over is not None:
            raise ApiError("invalid_value", over.message(), param=over.param)
        return decision

    async def _reserved(
        self,
        endpoint: Endpoint,
        body: dict[str, Any],
        decision: RouteDecision,
        snapshots: Sequence[TierSnapshot],
        options: RequestOptions,
        progress: Progress,
    ) -> tuple[RouteDecision, RequestOptions]:
        """Hold the request's worst case on its budgets (server/reservations.py); a budget spent meanwhile under
        on_exhausted: local_only decides it again on local tiers, where it is counted but never refused."""
        if self.reserver is None:
            return decision, options
        reserver, path, lease = self.reserver, endpoint.path, progress.request_id
        prompt_tokens = prompt_bound_tokens(body)  # once: both holds and a client's hang-up charge use it
        progress.attempt_bound_usd = lambda tier: reserver.bound(tier, path, body, prompt_tokens).usd

        async def hold(decision: RouteDecision, options: RequestOptions) -> str | None:
            checked = is_checked(self.escalator, decision, body, options.stream_mode)
            return await reserver.reserve(
                path, body, decision, options.key, lease, prompt_tokens, allowed=options.only_tiers,
                may_escalate=checked,
            )  # fmt: skip

        spent = await hold(decision, options)
        if spent is None:
            return decision, options
        local = frozenset(name for name, facts in self.facts.items() if facts.local)
        options = replace(options, only_tiers=local, budget_note=spent)
        decision = await self._decided(endpoint, body, snapshots, options, progress)
        await hold(decision, options)
        return decision, options

    def _relay(self, endpoint: Endpoint, run: Run, body: dict[str, Any], progress: Progress) -> AsyncIterator[bytes]:
        """The run's events to the client, metered; the request is recorded when the stream ends."""
        assert run.events is not None
        meter = stream_meter(endpoint.responses_api, body, run, progress, self.pricer)

        def ended(end: StreamEnd) -> None:
            progress.end = end
            self._record(progress)

        events = run.events if self.capture is None else assembled_for_capture(run.events, progress)
        return metered(events, meter, progress.started, ended)

    def _abandoned(self, progress: Progress) -> None:
        if not progress.recorded:
            progress.status, progress.error_code = 499, CLIENT_DISCONNECTED
            self._record(progress)
