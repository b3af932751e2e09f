"""GET /v1/models: `auto`, every tier name, and every underlying model."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request

from server.routing.router import AUTO_MODEL
from server.service import CompletionService

router = APIRouter()
_CREATED = int(time.time())


def _entry(model_id: str, owned_by: str, **tierd: Any) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": _CREATED, "owned_by": owned_by, "tierd": tierd}


@router.get("/v1/models")
async def list_models(request: Request) -> dict[str, Any]:
    service: CompletionService = request.app.state.service
    snapshots = service.snapshots()
    data = [_entry(AUTO_MODEL, "tierd", kind="router", tiers=[t.name for t in snapshots])]
    for tier in snapshots:
        data.append(
            _entry(tier.name, "tierd", kind="tier", model=tier.model, ready=tier.ready, configured=tier.configured)
        )
    for tier in snapshots:
        if tier.configured and tier.model not in {d["id"] for d in data}:
            data.append(_entry(tier.model, tier.name, kind="model", tier=tier.name))
    return {"object": "list", "data": data}
