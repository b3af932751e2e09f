"""/v1/keys: API keys over HTTP, for admin keys only (`tierd keys` is the same from the command line).

GET /v1/keys lists every key (never a secret); POST /v1/keys creates one and returns its secret, once;
DELETE /v1/keys/{id} revokes one. Revocation goes through `Gatekeeper.revoke`, which stores it and
refreshes this gateway's key table at once. Any other key gets 403 `insufficient_permissions`, and so
does everyone while authentication is off (the first admin key comes from `tierd keys create --admin`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from server.accounting.admission import Gatekeeper
from server.accounting.keys import ApiKey, KeyNotFound, KeyStoreError, Role
from server.accounting.usage_window import iso
from server.api.auth import admit_rate, require_admin
from server.api.http import read_model
from server.api.openapi import json_body
from server.errors import ApiError

router = APIRouter()


class KeyCreateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128, description="unique: letters, digits, . _ -")
    role: Role = Field("ordinary", description="admin: sees everything and manages keys; ordinary: its own usage")
    daily_budget_usd: float | None = Field(None, gt=0, allow_inf_nan=False)
    requests_per_minute: int | None = Field(None, ge=1)


def key_document(key: ApiKey) -> dict[str, Any]:
    return {
        "object": "tierd.api_key",
        "id": key.id,
        "name": key.name,
        "role": key.role,
        "daily_budget_usd": key.daily_budget_usd,
        "requests_per_minute": key.requests_per_minute,
        "created_at": iso(key.created_at),
        "revoked_at": iso(key.revoked_at) if key.revoked_at is not None else None,
    }


async def _admin_gatekeeper(request: Request, what: str) -> Gatekeeper:
    require_admin(request, what, key_required=True)
    await admit_rate(request)
    gatekeeper: Gatekeeper = request.app.state.gatekeeper
    return gatekeeper


@router.get("/v1/keys")
async def list_keys(request: Request) -> JSONResponse:
    gatekeeper = await _admin_gatekeeper(request, "Listing API keys")
    keys = await gatekeeper.list_keys()
    return JSONResponse({"object": "list", "data": [key_document(k) for k in keys]})


@router.post("/v1/keys", openapi_extra=json_body(KeyCreateBody, errors=(400, 401, 403, 429)))
async def create_key(request: Request) -> JSONResponse:
    gatekeeper = await _admin_gatekeeper(request, "Creating API keys")
    body = await read_model(request, KeyCreateBody)
    try:
        created = await gatekeeper.create_key(
            body.name,
            role=body.role,
            daily_budget_usd=body.daily_budget_usd,
            requests_per_minute=body.requests_per_minute,
        )
    except KeyStoreError as exc:
        raise ApiError("invalid_value", str(exc), param="name") from None
    # The secret is in this answer only: tierd stores a salted hash of it.
    return JSONResponse({**key_document(created.key), "key": created.secret})


@router.delete("/v1/keys/{key_id}")
async def revoke_key(request: Request, key_id: str) -> JSONResponse:
    gatekeeper = await _admin_gatekeeper(request, "Revoking API keys")
    try:
        revoked = await gatekeeper.revoke(key_id)
    except KeyNotFound as exc:
        raise ApiError("not_found", str(exc), param="key_id") from None
    except KeyStoreError as exc:
        raise ApiError("invalid_value", str(exc), param="key_id") from None
    return JSONResponse({**key_document(revoked), "revoked": True})
