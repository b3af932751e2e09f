"""API-key authentication of /v1/* and each request's admission (budgets, rate limits).

Authentication is an ASGI middleware over every /v1/ path (inference, route, models, and the usage and
feedback endpoints as they are added), so no route can forget it; /health, /ready and /metrics stay
open for probes and Prometheus. The key comes from `Authorization: Bearer <key>` (what the openai SDK
sends) or `x-api-key` (what some other SDKs send); Bearer wins when both are present.

Modes (config `auth.mode`): `on` checks every request; `off` none; `auto` (default) starts checking as
soon as one key exists — revoked keys count, so revoking the last key never opens the server again.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.accounting.admission import Gatekeeper, limits_of
from server.accounting.keys import ApiKey
from server.errors import ApiError
from server.service import RequestOptions

STATE_KEY = "api_key"
# The dashboard's page and assets stay open (they hold no data); its data API shows every key's
# usage and recent decisions, so it needs a key like /v1/ does (the page asks for one on a 401).
PROTECTED_PREFIXES = ("/v1/", "/dashboard/api/")


def presented_key(headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    other = headers.get(b"x-api-key", b"").decode("latin-1").strip()
    return other or None


class ApiKeyAuth:
    """Checks the key of every /v1/ and dashboard data request before any route runs; puts the key in the
    request's state."""

    def __init__(self, app: ASGIApp, gatekeeper: Gatekeeper) -> None:
        self.app = app
        self.gatekeeper = gatekeeper

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PROTECTED_PREFIXES):
            await self.app(scope, receive, send)
            return
        try:
            key = await self.gatekeeper.authenticate(presented_key(dict(scope.get("headers") or [])))
        except ApiError as error:
            response = JSONResponse(error.body(), status_code=error.status, headers={"www-authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = key
        await self.app(scope, receive, send)


def api_key_id(request: Request) -> str | None:
    key: ApiKey | None = request.scope.get("state", {}).get(STATE_KEY)
    return key.id if key is not None else None


async def admitted_options(
    gatekeeper: Gatekeeper, key: ApiKey | None, options: RequestOptions, request_id: str
) -> RequestOptions:
    """`options` with the key, its limits and any tier restriction of the gatekeeper's verdict; raises its
    refusal. An admitted request holds one of its key's concurrency slots until its record settles."""
    verdict = await gatekeeper.admit(key, request_id)
    if verdict.refusal is not None:
        raise ApiError(verdict.refusal, verdict.message, retry_after_s=verdict.retry_after())
    admitted = replace(options, api_key_id=key.id if key else None, key=limits_of(key))
    if verdict.local_only is not None:
        return replace(admitted, only_tiers=gatekeeper.local_tiers, budget_note=verdict.local_only)
    return admitted


async def admit(request: Request, options: RequestOptions, request_id: str) -> RequestOptions:
    """The admission of an inference request (server/api/inference.py); raises 429s."""
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    if gatekeeper is None:
        return options
    key: ApiKey | None = request.scope.get("state", {}).get(STATE_KEY)
    return await admitted_options(gatekeeper, key, options, request_id)


async def unrecorded(request: Request, options: RequestOptions | None, request_id: str) -> None:
    """A request that ends without a record (the ledger was behind) gives its concurrency slot back here;
    every other one does when its record settles. Idempotent."""
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    if gatekeeper is not None and options is not None:
        await gatekeeper.release(options.api_key_id, request_id)
