"""GET /health (the process is alive), GET /ready (every required tier can serve) and GET /metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from server.accounting.shared_state.watch import WatchedState
from server.service import CompletionService
from tiers.base import ReplicaSnapshot

router = APIRouter()


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text: request, token, cost, savings, escalation and latency series, and replica load."""
    service: CompletionService = request.app.state.service
    if service.metrics is None:
        return Response(status_code=404)
    return Response(service.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Alive; its details say where the shared limits live and whether that backend answers (an unreachable
    Redis is not a dead gateway: each limit follows shared_state.on_unreachable meanwhile)."""
    shared_state: WatchedState | None = getattr(request.app.state, "shared_state", None)
    details = {"shared_state": shared_state.status()} if shared_state is not None else {}
    return {"status": "ok", **details}


@router.get("/ready")
async def ready(request: Request) -> JSONResponse:
    service: CompletionService = request.app.state.service
    required = {t.name for t in service.settings.tiers if t.required}
    tiers: list[dict[str, Any]] = []
    all_ready = True
    snapshots, view, hot = service.gpu_state()
    for snap in snapshots:
        is_required = snap.name in required
        all_ready = all_ready and (snap.ready or not is_required)
        tiers.append(
            {
                "name": snap.name,
                "kind": snap.kind.value,
                "model": snap.model,
                "configured": snap.configured,
                "required": is_required,
                "ready": snap.ready,
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
    return JSONResponse({"ready": all_ready, "tiers": tiers, "gpus": gpus}, status_code=200 if all_ready else 503)


def _load(replica: ReplicaSnapshot) -> dict[str, float] | None:
    """The replica's last scraped load, or None when unknown (never scraped, or stale)."""
    load = replica.load
    if load is None:
        return None
    return {"running": load.running, "waiting": load.waiting, "kv_cache_usage": load.kv_cache_usage}
