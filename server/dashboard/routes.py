"""GET /dashboard (the page and its own JS and CSS: no CDN) and the JSON it polls under /dashboard/api/.

The figures come from server/accounting/usage.py, the same functions as GET /v1/usage and
`tierd report`, so the three agree by construction. Live load comes from the tiers' snapshots and
from `app.state.telemetry`, a callable returning a `TelemetrySnapshot` or None (no sampler wired).

Like /v1/usage, an ordinary key sees only its own figures and recent decisions; the host's telemetry
and which replica runs on which GPU are for an admin key only (an ordinary one gets the tiers' load).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from server.accounting.reader import LedgerReader
from server.accounting.usage import RECENT_DEFAULT, recent_requests, time_series, usage_document
from server.api.auth import caller_is_admin
from server.api.usage import ledger_engine, parse_window, read_report
from server.errors import ApiError
from server.service import CompletionService
from tiers.base import ReplicaSnapshot, TierSnapshot
from tiers.telemetry.base import TelemetrySnapshot

router = APIRouter()

STATIC_DIR = Path(__file__).parent / "static"
_ASSETS = {
    "dashboard.js": "text/javascript; charset=utf-8",
    "dashboard.css": "text/css; charset=utf-8",
}
MAX_RECENT = 200
TelemetryProvider = Callable[[], TelemetrySnapshot | None]


@router.get("/dashboard", include_in_schema=False)
async def page() -> Response:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/dashboard/static/{name}", include_in_schema=False)
async def asset(name: str) -> Response:
    if name not in _ASSETS:  # a fixed list: no path from the URL ever reaches the file system
        raise ApiError("not_found", f"no dashboard asset {name!r}")
    return FileResponse(STATIC_DIR / name, media_type=_ASSETS[name], headers={"cache-control": "no-cache"})


def _recent_limit(value: str | None) -> int:
    if value is None:
        return RECENT_DEFAULT
    if not value.isdigit() or not 1 <= int(value) <= MAX_RECENT:
        raise ApiError("invalid_value", f"recent: expected an integer from 1 to {MAX_RECENT}", param="recent")
    return int(value)


@router.get("/dashboard/api/overview")
async def overview(request: Request) -> JSONResponse:
    """KPIs by tier (exactly GET /v1/usage?group_by=tier), the time series and the newest requests."""
    window = parse_window(request.query_params.get("since"), request.query_params.get("until"))
    limit = _recent_limit(request.query_params.get("recent"))
    admin = caller_is_admin(request)
    report = await read_report(request, window, "tier")
    engine = ledger_engine(request) if report.ledger_ready else None
    reader: LedgerReader = request.app.state.ledger_reader
    key_id = report.key_id  # the caller's scope, as read_report chose it
    series, recent = (
        await asyncio.gather(
            reader.run(time_series, engine, window, key_id), reader.run(recent_requests, engine, window, limit, key_id)
        )
        if engine is not None
        else (time_series(None, window), [])
    )
    return JSONResponse(
        {
            "object": "tierd.dashboard.overview",
            "ledger": {"ready": report.ledger_ready, "location": reader.location if admin else None},
            "usage": usage_document(report),
            "series": series,
            "recent": recent,
        }
    )


@router.get("/dashboard/api/live")
async def live(request: Request) -> JSONResponse:
    """Each tier's replicas now, and the host's GPU/CPU telemetry when a sampler is wired."""
    service: CompletionService = request.app.state.service
    admin = caller_is_admin(request)
    provider: TelemetryProvider | None = getattr(request.app.state, "telemetry", None)
    telemetry = provider() if provider is not None and admin else None
    snapshots, _, hot = service.gpu_state()
    gpu_map: dict[str, list[str]] = {}  # GPU index -> the replicas on it
    for snap in snapshots if admin else ():
        for replica in snap.replicas:
            for gpu in replica.gpus:
                gpu_map.setdefault(gpu, []).append(replica.replica_id)
    return JSONResponse(
        {
            "object": "tierd.dashboard.live",
            "taken_at": time.time(),
            "tiers": [_tier(s, admin) for s in snapshots],
            "telemetry": telemetry.to_dict() if telemetry is not None else None,
            "gpu_map": gpu_map,
            "hot_gpus": hot if admin else {},
        }
    )


def _tier(snap: TierSnapshot, admin: bool) -> dict[str, Any]:
    replicas = [_replica(r, admin) for r in snap.replicas]
    return {
        "name": snap.name,
        "kind": snap.kind.value,
        "model": snap.model,
        "local": snap.local,
        "configured": snap.configured,
        "ready": snap.ready,
        "replicas_ready": sum(1 for r in snap.replicas if r.routable),
        "replicas_total": len(snap.replicas),
        "in_flight": sum(r.in_flight for r in snap.replicas),
        "running": _sum_known(r["running"] for r in replicas),
        "waiting": _sum_known(r["waiting"] for r in replicas),
        "kv_cache_usage": _max_known(r["kv_cache_usage"] for r in replicas),
        "replicas": replicas,
    }


def _replica(r: ReplicaSnapshot, admin: bool) -> dict[str, Any]:
    load = r.load
    return {
        "id": r.replica_id,
        "status": r.status.value,
        "breaker": r.breaker,
        "in_flight": r.in_flight,
        "running": load.running if load else None,
        "waiting": load.waiting if load else None,
        "kv_cache_usage": load.kv_cache_usage if load else None,
        "generation_tokens_per_s": r.rates.generation_tokens_per_s if r.rates else None,
        "gpus": list(r.gpus) if admin else [],
        "gpu_pressure": r.gpu_pressure if admin else None,
    }


def _sum_known(values: Any) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _max_known(values: Any) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None
