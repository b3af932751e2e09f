"""Probes and detail: GET /health (alive), GET /ready (the gateway can serve), GET /metrics, GET /v1/tiers.

/ready is about the gateway itself — its event loop answers, it has started and is not shutting down, and
its ledger takes writes (no backlog, no failing writes) — not about the tiers: a tier that is down is
placement's business (the request goes elsewhere or gets a clear 503), and taking every gateway out of
its Service because one tier restarts would turn a partial outage into a total one. Tier availability is
in /health (`tiers_ready`), in /metrics (`tierd_tier_routable_replicas`) and, in detail, in /v1/tiers.

/health, /ready and /metrics are open to probes and say nothing of the tiers' addresses; /v1/tiers (URLs,
pids, errors with log tails, the GPU map) needs an admin key.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from server.accounting.ledger import Ledger
from server.accounting.shared_state.watch import WatchedState
from server.api.auth import require_admin
from server.lifecycle import Lifecycle
from server.service import CompletionService
from tiers.base import ReplicaSnapshot, TierSnapshot

router = APIRouter()


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text: request, token, cost, savings, escalation and latency series, and replica load."""
    service: CompletionService = request.app.state.service
    if service.metrics is None:
        return Response(status_code=404)
    return Response(service.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


def _required_ready(service: CompletionService, snapshots: list[TierSnapshot]) -> bool:
    required = {t.name for t in service.settings.tiers if t.required}
    return all(s.ready for s in snapshots if s.name in required)


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Liveness: always 200 while the process answers. `tiers_ready`: every required tier has a replica
    that takes requests (which ones, in /v1/tiers and the metrics)."""
    service: CompletionService = request.app.state.service
    # Whether the shared limits' backend answers: an unreachable Redis is not a dead gateway (each limit
    # follows shared_state.on_unreachable meanwhile). Its address and errors are in /v1/tiers (admins).
    shared_state: WatchedState | None = getattr(request.app.state, "shared_state", None)
    details: dict[str, Any] = {}
    if shared_state is not None:
        status = shared_state.status()
        details["shared_state"] = {"shared": status["shared"], "reachable": status["reachable"]}
    return {"status": "ok", "tiers_ready": _required_ready(service, service.snapshots()), **details}


def not_ready_reason(lifecycle: Lifecycle | None, ledger: Ledger | None) -> str | None:
    """Why the gateway cannot take new requests now, or None."""
    if lifecycle is not None and lifecycle.draining:
        return "shutting_down"
    if lifecycle is not None and not lifecycle.started:
        return "starting"
    if ledger is not None and ledger.overloaded:
        return "ledger_backlog"
    if ledger is not None and ledger.failing:
        return "ledger_unwritable"
    return None


@router.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """Readiness of the gateway itself: 503 with a reason while it starts, shuts down, or its ledger
    cannot keep up or cannot write. A minimal body: probes are not authenticated."""
    reason = not_ready_reason(getattr(request.app.state, "lifecycle", None), request.app.state.ledger)
    return JSONResponse({"ready": reason is None, "reason": reason}, status_code=200 if reason is None else 503)


@router.get("/v1/tiers")
async def tiers_detail(request: Request) -> JSONResponse:
    """Every tier and replica in detail (addresses, pids, last errors, load, GPUs): admin keys only."""
    require_admin(request, "The tiers' detail")
    service: CompletionService = request.app.state.service
    required = {t.name for t in service.settings.tiers if t.required}
    tiers: list[dict[str, Any]] = []
    snapshots, view, hot = service.gpu_state()
    for snap in snapshots:
        tiers.append(
            {
                "name": snap.name,
                "kind": snap.kind.value,
                "model": snap.model,
                "configured": snap.configured,
                "required": snap.name in required,
                "ready": snap.ready,
                "replicas_routable": sum(1 for r in snap.replicas if r.routable),
                "replicas": [
                    {
                        "id": r.replica_id,
                        "url": r.base_url,
                        "status": r.status.value,
                        "in_flight": r.in_flight,
                        "restarts": r.restarts,
                        "pid": r.pid,
                        "last_error": r.last_error,
                        "breaker": r.breaker,
                        "load": _load(r),
                        "gpus": list(r.gpus),
                        "gpu_pressure": r.gpu_pressure,
                    }
                    for r in snap.replicas
                ],
            }
        )
    gpus = [{**g.to_dict(), "hot": hot.get(g.key)} for g in view.gpus] if view is not None else []
    body = {"object": "tierd.tiers", "tiers_ready": _required_ready(service, snapshots), "tiers": tiers, "gpus": gpus}
    shared_state: WatchedState | None = getattr(request.app.state, "shared_state", None)
    if shared_state is not None:
        body["shared_state"] = shared_state.status()
    return JSONResponse(body)


def _load(replica: ReplicaSnapshot) -> dict[str, float] | None:
    """The replica's last scraped load, or None when unknown (never scraped, or stale)."""
    load = replica.load
    if load is None:
        return None
    return {"running": load.running, "waiting": load.waiting, "kv_cache_usage": load.kv_cache_usage}
