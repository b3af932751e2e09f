"""The serving class: a validated request in, a result value out.

It returns a `JsonResult` or a `StreamResult`, or raises `ApiError`; only the HTTP
routes turn those into responses. Flow: validate -> resolve the model -> route
(classify + place, pure) -> call the tier, checking its answer and escalating when the
tier has checks (server/escalation) -> relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from server.accounting.bookkeeper import Bookkeeper, tier_facts
from server.accounting.metrics import GatewayMetrics
from server.accounting.records import CLIENT_DISCONNECTED, RequestTrace
from server.errors import ApiError, error_code_of, from_upstream, from_validation_error, ledger_backlog, model_not_found
from server.escalation.checks import CheckRequest
from server.escalation.runner import Escalator, Job, Run
from server.escalation.settings import StreamMode
from server.protocol import ChatCompletionRequest, CompletionRequest
from server.relay import open_relay
from server.response_cost import CostOf, StreamEnd, StreamMeter, attempt_cost, metered, with_usage
from server.routing.costs import format_usd, tier_cost
from server.routing.router import AUTO_MODEL, RouteDecision, Router, model_index
from server.settings import OpenAITierSettings, Settings
from tiers.base import Tier, TierSnapshot, UpstreamError

log = logging.getLogger("tierd.requests")
LEDGER_RETRY_AFTER_S = 2


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str  # upstream path under /v1
    wire_model: type[BaseModel]


CHAT = Endpoint("/chat/completions", ChatCompletionRequest)
COMPLETIONS = Endpoint("/completions", CompletionRequest)


@dataclass(frozen=True, slots=True)
class JsonResult:
    status: int
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class StreamResult:
    chunks: AsyncIterator[bytes]
    headers: dict[str, str]
    # Records the request if the stream never starts (the client left between headers and first byte).
    abandoned: Callable[[], None] | None = None


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """tierd's own per-request options, from `x-tierd-*` request headers (never forwarded upstream)."""

    stream_mode: StreamMode | None = None
    api_key_id: str | None = None  # the caller's API key (set by auth), recorded with the request
    # Set by admission (server/api/auth.py) when a budget is spent and the policy is local_only.
    only_tiers: frozenset[str] | None = None  # the (local) tiers the request may use
    budget_note: str | None = None  # which budget is spent, for the x-tierd-budget header


class CompletionService:
    def __init__(
        self,
        settings: Settings,
        tiers: Sequence[Tier],
        router: Router,
        escalator: Escalator | None = None,
        cost_of: CostOf | None = None,
        metrics: GatewayMetrics | None = None,
        books: Bookkeeper | None = None,
    ) -> None:
        self.settings = settings
        self.tiers = {t.name: t for t in tiers}
        self.router = router
        self.escalator = escalator
        self.cost_of = cost_of or attempt_cost(router.policy.pricing, self.tiers)
        self.metrics = metrics
        self.books = books or Bookkeeper(tier_facts(tiers), None, metrics)

    def snapshots(self) -> list[TierSnapshot]:
        return [t.snapshot() for t in self.tiers.values()]

    def decide(
        self, body: dict[str, Any], snapshots: Sequence[TierSnapshot], only_tiers: frozenset[str] | None = None
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
        return self.router.decide(body, pinned, snapshots, only_tiers)

    async def decide_off_loop(
        self, body: dict[str, Any], snapshots: Sequence[TierSnapshot], only_tiers: frozenset[str] | None = None
    ) -> RouteDecision:
        """decide(), in a worker thread when the classifier may hold the CPU (an embedding takes ~8 ms here)."""
        if self.router.classifier.blocking:
            return await asyncio.to_thread(self.decide, body, snapshots, only_tiers)
        return self.decide(body, snapshots, only_tiers)

    async def route(self, body: Any, request_id: str) -> JsonResult:
        """POST /v1/route: the decision for a chat-completions body, without running it."""
        self.validate(CHAT, body, request_id)
        decision = await self.decide_off_loop(body, self.snapshots())
        explained = {"object": "tierd.route", "request_id": request_id, **decision.explain()}
        explained["decision"] = decision.short()
        headers = {"x-tierd-request-id": request_id, "x-tierd-decision": decision.short()}
        return JsonResult(200, json.dumps(explained).encode(), headers)

    def validate(self, endpoint: Endpoint, body: Any, request_id: str) -> None:
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object.", code="invalid_type")
        try:
            parsed = endpoint.wire_model.model_validate(body)
        except ValidationError as exc:
            raise from_validation_error(exc) from None
        unknown = parsed.model_extra
        if unknown and self.settings.server.log_unknown_fields:
            log.info("request %s: forwarding fields tierd does not know: %s", request_id, sorted(unknown))

    def _unconfigured_message(self, tier_name: str) -> str:
        tier = self.settings.tier(tier_name)
        missing = tier.missing_settings() if isinstance(tier, OpenAITierSettings) else []
        return (
            f"Tier '{tier_name}' is not configured: set {' and '.join(missing)} in the config "
            "(the presets read TIERD_FRONTIER_BASE_URL, TIERD_FRONTIER_MODEL and TIERD_FRONTIER_API_KEY), "
            "or set server.on_frontier_missing: degrade."
        )

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
        trace = self.books.open(request_id, endpoint.path, options.api_key_id)
        try:
            result = await self._handle(endpoint, body, trace, options)
        except ApiError as error:
            trace.failed(error.status, error.short_code())
            self.books.finish(trace)
            raise
        except asyncio.CancelledError:
            trace.failed(499, CLIENT_DISCONNECTED)
            self.books.finish(trace)
            raise
        except Exception:
            trace.failed(500, "internal_error")
            self.books.finish(trace)
            raise
        if isinstance(result, JsonResult):
            self.books.finish(trace)
        return result

    def refused(self, endpoint: Endpoint, request_id: str, error: ApiError, options: RequestOptions | None) -> None:
        """Record a request refused before the service saw it (unparsable JSON, a bad tierd header)."""
        if self.books.overloaded:  # a stream of bad requests must not grow a queue that is already full
            return
        trace = self.books.open(request_id, endpoint.path, options.api_key_id if options else None)
        trace.failed(error.status, error.short_code())
        self.books.finish(trace)

    async def _handle(
        self, endpoint: Endpoint, body: Any, trace: RequestTrace, options: RequestOptions
    ) -> JsonResult | StreamResult:
        request_id = trace.request_id
        trace.body(body)
        self.validate(endpoint, body, request_id)
        snapshots = self.snapshots()
        decided = time.monotonic()
        decision = await self.decide_off_loop(body, snapshots, options.only_tiers)
        if self.metrics is not None:
            self.metrics.decision.observe(time.monotonic() - decided)
        explanation = decision.explain()  # once: the log line and the ledger row share it
        trace.routed(decision, explanation)
        log.info("request %s decision %s", request_id, json.dumps(explanation, separators=(",", ":")))
        placement = decision.placement
        if placement.error is not None:
            err = placement.error
            message = self._unconfigured_message(err.tier) if err.code == "frontier_unconfigured" else err.message
            quota = err.code == "insufficient_quota"  # a pinned tier that a spent budget does not allow
            if quota:
                message = f"{options.budget_note}: {message}"
            raise ApiError(err.status, message, type="insufficient_quota" if quota else "server_error", code=err.code)
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
        escalator = self.escalator
        if escalator is not None and decision.mode == "auto" and escalator.checks_for(tier.name).active:
            # Escalation climbs only to ready tiers, and only to allowed ones when a budget is spent.
            allowed = options.only_tiers
            ready = {s.name: s.ready and (allowed is None or s.name in allowed) for s in snapshots}
            request = CheckRequest.from_body(body, decision.features.text)
            job = Job(endpoint.path, body, tier.name, placement.replica, request, request_id, ready.__getitem__)
            mode = options.stream_mode
            if body.get("stream") and mode != "off":
                with self._upstream_call(trace, tier.name, placement.replica):
                    run = await escalator.run_stream(job, mode)
                assert run.chunks is not None
                trace.ran(run, job.replica_for(run.returned))
                chunks = self._metered(run.chunks, run.tier, body, trace, run.thrown_away_usd())
                return StreamResult(chunks, self._run_headers(run, headers, request_id), self._abandon(trace))
            if not body.get("stream"):
                with self._upstream_call(trace, tier.name, placement.replica):
                    run = await escalator.run_json(job)
                assert run.response is not None
                run_headers = self._run_headers(run, headers, request_id)
                run_headers["x-tierd-replica"] = run.response.replica_id
                trace.ran(run, run.response.replica_id)
                trace.cost_basis(self._basis(run.tier))
                if run.response.status != 200:
                    trace.failed(run.response.status, _error_code(run.response.body))
                return JsonResult(run.response.status, run.response.body, run_headers)
        if body.get("stream"):
            # The cost of a stream goes at its end (server/response_cost.py): headers leave first.
            with self._upstream_call(trace, tier.name, placement.replica):
                relay = await open_relay(tier, endpoint.path, with_usage(body), request_id, placement.replica)
            trace.attempt(tier.name, 200, replica=placement.replica, latency_s=None)
            chunks = self._metered(relay, tier.name, body, trace)
            return StreamResult(chunks, headers, self._abandon(trace))
        with self._upstream_call(trace, tier.name, placement.replica):
            called = time.monotonic()
            response = await tier.post_json(endpoint.path, body, request_id, placement.replica)
        headers["x-tierd-replica"] = response.replica_id
        snapshot = next(s for s in snapshots if s.name == tier.name)
        usage = _usage(response.body) if response.status == 200 else None
        usd, basis = self._answer_cost(tier.name, snapshot, usage)
        headers.update(_cost_header_values(usd, basis))
        error = None if response.status == 200 else _error_code(response.body)
        trace.attempt(
            tier.name,
            response.status,
            replica=response.replica_id,
            latency_s=time.monotonic() - called,
            usage=usage,
            cost_usd=usd,
            error=error,
        )
        trace.cost_basis(basis)
        if error is not None:
            trace.failed(response.status, error)
        return JsonResult(response.status, response.body, headers)

    @contextlib.contextmanager
    def _upstream_call(self, trace: RequestTrace, tier: str, replica: str | None) -> Iterator[None]:
        """An upstream failure before any answer: recorded as the request's one attempt, raised as an ApiError."""
        called = time.monotonic()
        try:
            yield
        except UpstreamError as exc:
            trace.attempt(tier, exc.status, replica=replica, latency_s=time.monotonic() - called, error=exc.message)
            raise from_upstream(exc, tier) from None
        except asyncio.CancelledError:  # the client left while the tier was working on it
            trace.attempt(tier, 499, replica=replica, latency_s=time.monotonic() - called, error=CLIENT_DISCONNECTED)
            raise

    def _abandon(self, trace: RequestTrace) -> Callable[[], None]:
        def abandoned() -> None:
            if not trace.finished:
                trace.failed(499, CLIENT_DISCONNECTED)
                self.books.finish(trace)

        return abandoned

    def _basis(self, tier: str) -> str:
        return self._answer_cost(tier, self.tiers[tier].snapshot(), None)[1]

    def _metered(
        self,
        chunks: AsyncIterator[bytes],
        tier: str,
        body: dict[str, Any],
        trace: RequestTrace,
        earlier: float | None = 0.0,
    ) -> AsyncIterator[bytes]:
        basis = self._basis(tier)
        trace.cost_basis(basis)
        wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        meter = StreamMeter(
            tier=tier,
            cost_of=self.cost_of,
            client_wants_usage=wants_usage,
            request_id=trace.request_id,
            cost_basis=basis,
            earlier_usd=earlier,
        )

        def on_end(end: StreamEnd) -> None:
            trace.stream_ended(end)
            self.books.finish(trace)

        return metered(chunks, meter, trace.started, on_end)

    def _run_headers(self, run: Run, headers: dict[str, str], request_id: str) -> dict[str, str]:
        """The final tier, the attempts, and the cost of all of them; every attempt goes to the log."""
        log.info("request %s attempts %s", request_id, json.dumps([a.record() for a in run.attempts]))
        tier = self.tiers[run.tier]
        total, wasted = run.cost_usd()
        out = {**headers, "x-tierd-tier": tier.name, "x-tierd-model": tier.model, **run.headers()}
        if run.response is not None:  # a stream's cost comes at its end (server/response_cost.py)
            out["x-tierd-cost-usd"] = format_usd(total)
            out["x-tierd-wasted-cost-usd"] = format_usd(wasted)
        return out

    def _answer_cost(
        self, tier_name: str, snapshot: TierSnapshot, usage: tuple[int, int] | None
    ) -> tuple[float | None, str]:
        """(the answer's cost from its usage and the tier's $/token, the cost basis); None when either is
        missing (an error answer, no usage, or a local tier with no price or throughput yet)."""
        pricing = self.router.policy.pricing.get(tier_name)
        cost = tier_cost(pricing, snapshot) if pricing is not None else None
        usd = cost.request_usd(*usage) if cost is not None and usage is not None else None
        return usd, cost.basis if cost else "unknown"


def _cost_header_values(usd: float | None, basis: str) -> dict[str, str]:
    return {"x-tierd-cost-usd": format_usd(usd), "x-tierd-cost-basis": basis}


def _error_code(body: bytes) -> str | None:
    """An upstream error body's code (or type), for the ledger."""
    try:
        return error_code_of(json.loads(body))
    except ValueError:
        return "upstream_error"


def _usage(body: bytes) -> tuple[int, int] | None:
    try:
        usage = json.loads(body).get("usage") or {}
        return int(usage["prompt_tokens"]), int(usage.get("completion_tokens") or 0)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
