"""API-key authentication of /v1/* and each request's admission (budgets, rate limits).

Authentication is an ASGI middleware over every /v1/ path (inference, route, models, and the usage and
feedback endpoints as they are added), so no route can forget it; /health, /ready and /metrics stay
open for probes and Prometheus. The key comes from `Authorization: Bearer <key>` (what the openai SDK
sends) or `x-api-key` (what some other SDKs send); Bearer wins when both are present.

Modes (config `auth.mode`): `on` checks every request; `off` none; `auto` (default) starts checking as
soon as one key exists — revoked keys count, so revoking the last key never opens the server again.

Roles: an admin key may manage keys (/v1/keys), read every key's usage and the tiers' detail (/v1/tiers);
an ordinary key sees only its own usage and decisions. While authentication is off, every caller sees
what an admin sees (there is no one to tell apart): what tierd did before roles existed. Managing keys
over HTTP always takes an admin key; the first one comes from `tierd keys create --admin`.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.accounting.admission import Gatekeeper, limits_of
from server.accounting.budgets import Verdict
from server.accounting.keys import ApiKey
from server.errors import ApiError
from server.service_values import RequestOptions

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


def caller(request: Request) -> ApiKey | None:
    """The key the request was authenticated with; None while authentication is off."""
    key: ApiKey | None = request.scope.get("state", {}).get(STATE_KEY)
    return key


def caller_is_admin(request: Request) -> bool:
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    key = caller(request)
    if gatekeeper is None:
        return key is None or key.admin
    return gatekeeper.is_admin(key)


def require_admin(request: Request, what: str, *, key_required: bool = False) -> None:
    """Raises 403 `permission_denied` unless the caller may act as an admin. `key_required`: only an
    admin key will do, even while authentication is off (managing keys must never be open to anyone:
    the first caller could lock everybody else out)."""
    key = caller(request)
    if key_required and key is None:
        raise ApiError(
            "permission_denied",
            f"{what} needs an admin key, and authentication is off: create the first admin key with "
            "`tierd keys create --name NAME --admin` (auth.mode auto then turns authentication on).",
        )
    if not caller_is_admin(request):
        name = key.name if key is not None else "?"
        raise ApiError(
            "permission_denied",
            f"{what} needs an admin key; the key {name!r} is an ordinary one "
            "(admin keys are made with `tierd keys create --name NAME --admin`).",
        )


def usage_scope(request: Request) -> str | None:
    """Whose requests a usage read may see: None for everyone's (an admin), else the caller's key id."""
    key = caller(request)
    return None if caller_is_admin(request) or key is None else key.id


def _raise_refusal(verdict: Verdict) -> None:
    if verdict.refusal is not None:
        raise ApiError(verdict.refusal, verdict.message, retry_after_s=verdict.retry_after())


async def admit_rate(request: Request) -> None:
    """The admission of a request that spends nothing (route, usage, feedback): the key's requests per
    minute only; raises its 429."""
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    if gatekeeper is not None:
        _raise_refusal(await gatekeeper.rate_verdict(caller(request)))


async def admitted_options(
    gatekeeper: Gatekeeper, key: ApiKey | None, options: RequestOptions, request_id: str
) -> RequestOptions:
    """`options` with the key, its limits and any tier restriction of the gatekeeper's verdict; raises its
    refusal. An admitted request holds one of its key's concurrency slots until its record settles."""
    verdict = await gatekeeper.admit(key, request_id)
    _raise_refusal(verdict)
    admitted = replace(options, api_key_id=key.id if key else None, key=limits_of(key))
    if verdict.local_only is not None:
        return replace(admitted, only_tiers=gatekeeper.local_tiers, budget_note=verdict.local_only)
    return admitted


async def admit(request: Request, options: RequestOptions, request_id: str) -> RequestOptions:
    """The admission of an inference request (server/api/inference.py); raises 429s."""
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    if gatekeeper is None:
        return options
    return await admitted_options(gatekeeper, caller(request), options, request_id)


async def unrecorded(request: Request, options: RequestOptions | None, request_id: str) -> None:
    """A request that ends without a record (the ledger was behind) gives its concurrency slot back here;
    every other one does when its record settles. Idempotent."""
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    if gatekeeper is not None and options is not None:
        await gatekeeper.release(options.api_key_id, request_id)
