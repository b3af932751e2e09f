"""API-key authentication of /v1/* and each request's admission (budgets, rate limits).

Authentication is an ASGI middleware over every /v1/ path (inference, route, models, and the usage and
feedback endpoints as they are added), so no route can forget it; /health, /ready and /metrics stay
open for probes and Prometheus. The key comes from `Authorization: Bearer <key>` (what the openai SDK
sends) or `x-api-key` (what some other SDKs send); Bearer wins when both are present.

Modes (config `auth.mode`): `on` checks every request; `off` none; `auto` (default) starts checking as
soon as one key exists — revoked keys count, so revoking the last key never opens the server again.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from fastapi import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from server.accounting.auth_settings import AuthMode, BudgetSettings
from server.accounting.budgets import Admission, KeyLimits, RateLimiter, SpendBook, seed_from
from server.accounting.keys import ApiKey, KeyStore, KeyVerifier, StoredKey
from server.accounting.ledger import make_engine, sqlite_path
from server.accounting.records import RequestRecord
from server.errors import ApiError
from server.service import RequestOptions

log = logging.getLogger("tierd.auth")
STATE_KEY = "api_key"
# The dashboard's page and assets stay open (they hold no data); its data API shows every key's
# usage and recent decisions, so it needs a key like /v1/ does (the page asks for one on a 401).
PROTECTED_PREFIXES = ("/v1/", "/dashboard/api/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def presented_key(headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    other = headers.get(b"x-api-key", b"").decode("latin-1").strip()
    return other or None


def _masked(key: str) -> str:
    """As OpenAI shows a wrong key: enough to recognise it, not enough to use it."""
    return f"{key[:10]}{'*' * 8}{key[-4:]}" if len(key) > 16 else "*" * len(key)


def missing_key() -> ApiError:
    return ApiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY). Keys are created with `tierd keys create --name NAME`.",
        code="invalid_api_key",
    )


def wrong_key(key: str) -> ApiError:
    return ApiError(
        401,
        f"Incorrect API key provided: {_masked(key)}. Keys are listed with `tierd keys list`; revoked keys no "
        "longer work.",
        code="invalid_api_key",
    )


class Gatekeeper:
    """Keys, spend and rates of one tierd: who may call it and what each request may use."""

    def __init__(
        self,
        mode: AuthMode,
        budgets: BudgetSettings,
        *,
        ledger_url: str,
        local_tiers: frozenset[str],
        create_database: bool = True,
        refresh_s: float = 2.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.mode = mode
        self.ledger_url = ledger_url
        self.create_database = create_database
        # With no local tier to fall back on, local_only cannot serve anything: it rejects instead.
        self.local_tiers = local_tiers
        on_exhausted = budgets.on_exhausted if local_tiers else "reject"
        self.spend = SpendBook(clock)
        self.admission = Admission(
            self.spend,
            RateLimiter(clock),
            monthly_budget_usd=budgets.monthly_budget_usd,
            on_exhausted=on_exhausted,
            default_requests_per_minute=budgets.default_requests_per_minute,
        )
        self._clock = clock
        self._store: KeyStore | None = None
        self.verifier = KeyVerifier(self._load, refresh_s=refresh_s)
        self._refresher: asyncio.Task[None] | None = None

    def _open_store(self) -> KeyStore | None:
        """The key table; with the ledger off, only once its database exists (`tierd keys create` makes
        it), so that a tierd without a ledger writes no database of its own. Blocking."""
        path = sqlite_path(self.ledger_url)  # None: not a SQLite file (a server database is assumed to exist)
        if self._store is None and (self.create_database or path is None or path.exists()):
            self._store = KeyStore(make_engine(self.ledger_url))
        return self._store

    def _load(self) -> list[StoredKey]:
        store = self._open_store()
        return store.load() if store is not None else []

    async def start(self, host: str) -> None:
        """Open the ledger, read the keys and the spend so far, and (unless auth is off) keep re-reading the keys."""
        await self.verifier.refresh()  # opens the key table
        if self._store is not None:
            today, month = await asyncio.to_thread(seed_from, self._store.spend_since, self._clock())
            self.spend.seed(today, month)
        if self.mode != "off":  # off never looks at a key
            self._refresher = asyncio.ensure_future(self.verifier.run_refresher())
        keys = self.verifier.any_keys
        log.info("auth mode %s: %s", self.mode, "on" if self.required else "off until a key is created")
        if not is_loopback(host) and (self.mode == "off" or (self.mode == "auto" and not keys)):
            log.warning(
                "!!! tierd listens on %s with authentication OFF: anyone who can reach it can use it and spend "
                "your frontier budget. Create a key (`tierd keys create --name NAME`) or set auth.mode: on. !!!",
                host,
            )

    async def stop(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        if self._store is not None:
            self._store.engine.dispose()

    @property
    def required(self) -> bool:
        return self.mode == "on" or (self.mode == "auto" and self.verifier.any_keys)

    async def authenticate(self, presented: str | None) -> ApiKey | None:
        """The caller's key (None when auth is off); raises a 401 ApiError."""
        if self.mode == "off":
            return None
        if presented is not None:
            key = await self.verifier.verify(presented)
            if key is not None:
                return key
        if not self.required:  # auto, no keys yet: the openai SDK always sends some key; ignore it
            return None
        raise missing_key() if presented is None else wrong_key(presented)

    def record_spend(self, api_key_id: str | None, cost_usd: float | None, at: datetime | None = None) -> None:
        self.spend.record(api_key_id, cost_usd, at)

    def record_request(self, record: RequestRecord) -> None:
        """The bookkeeper's listener: every finished request's cost (all its attempts) counts against budgets,
        on the day it started, as the ledger's rows that seed the budgets at startup do."""
        self.record_spend(record.api_key_id, record.cost_usd, record.created_at)

    def admit(self, key: ApiKey | None, options: RequestOptions) -> RequestOptions:
        """`options` with the key and any tier restriction; raises 429 over a budget or rate limit."""
        limits = KeyLimits(key.id, key.name, key.daily_budget_usd, key.requests_per_minute) if key else None
        verdict = self.admission.decide(limits)
        key_id = key.id if key else None
        if verdict.refusal == "rate_limit_exceeded":
            retry = max(1, math.ceil(verdict.retry_after_s or 1))
            raise ApiError(429, verdict.message, type="requests", code=verdict.refusal, retry_after_s=retry)
        if verdict.refusal == "insufficient_quota":
            raise ApiError(429, verdict.message, type="insufficient_quota", code="insufficient_quota")
        if verdict.local_only is not None:
            return replace(options, api_key_id=key_id, only_tiers=self.local_tiers, budget_note=verdict.local_only)
        return replace(options, api_key_id=key_id)


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


def admit(request: Request, options: RequestOptions) -> RequestOptions:
    """The admission of an inference request (server/api/http.py `request_options`)."""
    gatekeeper: Gatekeeper | None = getattr(request.app.state, "gatekeeper", None)
    if gatekeeper is None:
        return options
    key: ApiKey | None = request.scope.get("state", {}).get(STATE_KEY)
    return gatekeeper.admit(key, options)
