"""create_app(settings): builds the object graph once; the lifespan starts and stops tiers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.accounting.admission import Gatekeeper
from server.accounting.bookkeeper import Bookkeeper
from server.accounting.ledger import Ledger
from server.accounting.metrics import GatewayMetrics
from server.accounting.reader import LedgerReader, ledger_url_of
from server.accounting.shared_state.watch import open_shared_state
from server.api import feedback, inference, keys, models, ops, route, usage
from server.api.auth import ApiKeyAuth
from server.api.feedback import FeedbackBody
from server.api.http import BodySizeLimit, error_response
from server.api.keys import KeyCreateBody
from server.api.openapi import document_request_bodies
from server.capture.redact import load_redactor
from server.capture.sink import CaptureSink
from server.capture.store import CaptureStore
from server.dashboard import routes as dashboard
from server.errors import ApiError, http_reason
from server.escalation.wiring import build_escalator
from server.lifecycle import Lifecycle
from server.pricing import Pricer
from server.protocol import ChatCompletionRequest, CompletionRequest
from server.reservations import Reserver
from server.responses.protocol import ResponsesRequest
from server.routing.wiring import SharedEncoders, build_router
from server.service import CompletionService
from server.settings import ConfigError, Settings
from server.telemetry.gpu_watch import GpuWatch
from server.telemetry.wiring import build_sampler
from server.wiring import build_pricing, build_tiers, placement_policy
from tiers.base import Tier
from tiers.http_upstream import HttpClient

log = logging.getLogger("tierd")


def create_app(
    settings: Settings, *, http_client: HttpClient | None = None, tiers: Sequence[Tier] | None = None
) -> FastAPI:
    """Everything that can fail on configuration fails here, before any process starts.

    `tiers` replaces the tiers the settings describe with given objects of the same names (in-process
    ones such as tiers/scripted.py's, for tests); routing, prices and checks still come from the settings.
    """
    # One pool for every upstream; each in-flight request holds a connection for its whole generation.
    client = http_client or HttpClient()
    tiers = build_tiers(settings, client) if tiers is None else _given_tiers(settings, tiers)
    # Pricing reads hardware profiles and probes NVML: done once here, not by every build_router caller.
    pricing = build_pricing(settings)
    encoders = SharedEncoders()  # the learned router and the relevance check embed with one encoder
    router = build_router(settings, placement_policy(settings, pricing), encoders)
    pricer = Pricer(pricing, {t.name: t for t in tiers})
    # Limits every gateway of the deployment shares (in this process unless shared_state.url names Redis).
    shared_state = open_shared_state(settings.shared_state)
    escalator = build_escalator(settings, tiers, pricer.attempt_usd, encoders=encoders, shared_state=shared_state)
    sampler = build_sampler(settings.telemetry)
    telemetry = sampler.snapshot if sampler is not None else (lambda: None)
    metrics = GatewayMetrics(lambda: [t.snapshot() for t in tiers], pricer.frontier, telemetry=telemetry)
    metrics.watch_shared_state(shared_state, escalator.budget)
    accounting = settings.accounting
    ledger_url = ledger_url_of(settings)
    ledger = None
    if accounting.enabled:  # the engine only: nothing connects before the lifespan starts
        ledger = Ledger(ledger_url, queue_max_rows=accounting.queue_max_rows, batch_rows=accounting.batch_rows)
        metrics.watch_ledger(ledger.stats)
    lifecycle = Lifecycle()  # turned to draining by a SIGTERM (server/cli/serving.py), or by the lifespan's end
    books = Bookkeeper(metrics, ledger, shutting_down=lambda: lifecycle.cut)
    # API keys live in the ledger's database (also when the ledger itself is disabled).
    gatekeeper = Gatekeeper(
        settings.auth.mode,
        settings.budgets,
        ledger_url=ledger_url,
        local_tiers=frozenset(t.name for t in tiers if t.local),
        state=shared_state,
        on_unreachable=settings.shared_state.on_unreachable,
        create_database=accounting.enabled,
        refresh_s=settings.auth.refresh_s,
        revocation_poll_s=settings.shared_state.revocation_poll_s,
        reseed_s=settings.shared_state.reseed_s if shared_state.shared else None,
    )
    books.add_listener(gatekeeper.record_request)  # settles each request's hold and concurrency slot
    reserver = Reserver(
        gatekeeper,
        pricer,
        escalator.generation,
        escalator.order,
        max_escalations=settings.escalation.max_escalations,
        assumed_max_tokens=settings.budgets.assumed_max_tokens,
    )
    capture = build_capture(settings)
    gpu_watch = GpuWatch(telemetry, smoothing_s=settings.placement.gpu.smoothing_s)
    service = CompletionService(
        settings, tiers, router, escalator, pricer, books, metrics, capture, gpu_watch.view, reserver
    )
    # Reports read the same database through their own engine (opened on first use).
    ledger_reader = LedgerReader(ledger_url, workers=accounting.read_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if ledger is not None:  # a database that cannot be reached stops tierd here, before any tier starts
            await asyncio.to_thread(ledger.start)
        await client.open()
        await shared_state.start()  # an unreachable Redis is logged, not fatal (see shared_state.on_unreachable)
        if sampler is not None:
            sampler.start()
        if capture is not None:
            capture.start()
        await gatekeeper.start(settings.server.host)
        for tier in tiers:
            await tier.start()
        log.info("tierd started with tiers %s", ", ".join(f"{t.name}({t.kind.value})" for t in tiers))
        lifecycle.serving()
        try:
            yield
        finally:
            # By now uvicorn has let the last responses (and streams) end or cut them at the grace's end
            # (server/cli/serving.py), so every record is queued. The ledger gets what is left of the
            # shutdown budget, so that the whole stop fits the orchestrator's grace period.
            lifecycle.begin_drain()
            if ledger is not None:
                drain_s = min(accounting.drain_timeout_s, lifecycle.left_of(settings.server.shutdown_timeout_s))
                log.info("writing the ledger's queued rows (at most %.1f s)", drain_s)
                await asyncio.to_thread(ledger.close, max(1.0, drain_s))
            if capture is not None:
                await asyncio.to_thread(capture.close)
            log.info("stopping tiers")
            await asyncio.gather(*(tier.stop() for tier in tiers))
            if sampler is not None:
                await sampler.stop()  # also closes NVML's handle
            if http_client is None:
                await client.close()
            ledger_reader.close()
            await gatekeeper.stop()
            await shared_state.close()
            log.info("stopped all tiers")

    # /docs (Swagger UI) reads /openapi.json, whose request schemas come from the wire models (api/openapi.py).
    app = FastAPI(title="tierd", version="0.1.0", lifespan=lifespan, docs_url="/docs", redoc_url=None)
    document_request_bodies(
        app, [ChatCompletionRequest, CompletionRequest, ResponsesRequest, FeedbackBody, KeyCreateBody]
    )
    app.state.service = service
    # Live GPU/host load for the dashboard: the latest snapshot, None when unknown or stale.
    app.state.telemetry = telemetry
    app.state.ledger = ledger
    app.state.books = books  # listeners (e.g. API-key budgets) register with books.add_listener()
    app.state.ledger_reader = ledger_reader
    app.state.gatekeeper = gatekeeper
    app.state.lifecycle = lifecycle
    app.state.shared_state = shared_state
    app.include_router(inference.router)
    app.include_router(models.router)
    app.include_router(ops.router)
    app.include_router(route.router)
    app.include_router(feedback.router)
    app.include_router(usage.router)
    app.include_router(keys.router)
    app.include_router(dashboard.router)
    app.add_middleware(ApiKeyAuth, gatekeeper=gatekeeper)
    # Added last, so it runs first: an oversized body is refused before anything else.
    app.add_middleware(BodySizeLimit, limit=settings.server.max_body_bytes)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(ApiError("invalid_request", str(exc.errors()[0].get("msg", "invalid request"))))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(ApiError(http_reason(exc.status_code), str(exc.detail)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(ApiError("internal_error", "Internal error in tierd; see its log."))

    return app


def build_capture(settings: Settings) -> CaptureSink | None:
    """The capture sink when `capture.enabled` (opt-in); a hook that cannot be loaded is a config error."""
    section = settings.capture
    if not section.enabled:
        return None
    try:
        redactor = load_redactor(section.redact)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    store = CaptureStore(section.file(settings.server.state_dir), section.retention_days, section.max_rows)
    return CaptureSink(store, redactor, section.sample_rate, section.queue_max_rows)


def _given_tiers(settings: Settings, tiers: Sequence[Tier]) -> list[Tier]:
    """The given tiers in the config's order; each configured tier needs one, and no other may come."""
    by_name = {t.name: t for t in tiers}
    wanted = [t.name for t in settings.tiers]
    if sorted(by_name) != sorted(wanted):
        raise ConfigError(
            f"create_app(tiers=...): the config names tiers {wanted}, the given ones are {sorted(by_name)}"
        )
    return [by_name[name] for name in wanted]
