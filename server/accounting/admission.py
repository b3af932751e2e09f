"""Who may call tierd and what each request may use: API keys, spend and rates, as one object of the app.

The HTTP layer (server/api/auth.py) asks it two things per request: whose key was presented
(`authenticate`, refusing a missing or wrong key with reason `invalid_api_key`) and what the key may do
now (`verdict`, a value: admitted, refused with a reason, or kept to local tiers). It also owns the
key table's refresh task and seeds today's and this month's spend from the ledger at start. `revoke` revokes a
key in the table, refuses it here at once and announces it to every gateway sharing the state (revocations.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from server.accounting.auth_settings import AuthMode, BudgetSettings
from server.accounting.budgets import Admission, KeyLimits, RateLimiter, SpendBook, Verdict, seed_from
from server.accounting.keys import ApiKey, KeyStore, KeyVerifier, StoredKey, UnknownKey
from server.accounting.ledger import make_engine, sqlite_path
from server.accounting.revocations import RevocationFeed
from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import SharedState
from server.errors import ApiError
from server.outcome import RequestRecord

log = logging.getLogger("tierd.auth")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _masked(key: str) -> str:
    """As OpenAI shows a wrong key: enough to recognise it, not enough to use it."""
    return f"{key[:10]}{'*' * 8}{key[-4:]}" if len(key) > 16 else "*" * len(key)


def missing_key() -> ApiError:
    return ApiError(
        "invalid_api_key",
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY). Keys are created with `tierd keys create --name NAME`.",
    )


def wrong_key(key: str) -> ApiError:
    return ApiError(
        "invalid_api_key",
        f"Incorrect API key provided: {_masked(key)}. Keys are listed with `tierd keys list`; revoked keys no "
        "longer work.",
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
        shared_state: SharedState | None = None,
        revocation_poll_s: float = 0.2,
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
        self.shared_state: SharedState = shared_state if shared_state is not None else InProcessState()
        self.revocations = RevocationFeed(self.shared_state, self.verifier, revocation_poll_s)
        self._revocation_poller: asyncio.Task[None] | None = None

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
            self._revocation_poller = asyncio.ensure_future(self.revocations.run())
        keys = self.verifier.any_keys
        log.info("auth mode %s: %s", self.mode, "on" if self.required else "off until a key is created")
        if not is_loopback(host) and (self.mode == "off" or (self.mode == "auto" and not keys)):
            log.warning(
                "!!! tierd listens on %s with authentication OFF: anyone who can reach it can use it and spend "
                "your frontier budget. Create a key (`tierd keys create --name NAME`) or set auth.mode: on. !!!",
                host,
            )

    async def stop(self) -> None:
        for task in (self._refresher, self._revocation_poller):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._store is not None:
            self._store.engine.dispose()

    async def revoke(self, key_id: str) -> ApiKey:
        """Revoke the key `key_id` in the key table, refuse it on this gateway at once, and announce it so that every
        gateway sharing the state refuses it within `shared_state.revocation_poll_s`. Idempotent; raises UnknownKey
        (also when no key table exists yet)."""
        store = await asyncio.to_thread(self._open_store)
        if store is None:
            raise UnknownKey(f"no key with id {key_id!r} (no key was ever created)")
        key = await asyncio.to_thread(store.revoke_id, key_id)
        self.verifier.revoke(key_id)
        await self.revocations.announce(key_id)
        return key

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

    def verdict(self, key: ApiKey | None) -> Verdict:
        """What the request of `key` may do now: be admitted, be refused (a reason code), or stay local."""
        limits = KeyLimits(key.id, key.name, key.daily_budget_usd, key.requests_per_minute) if key else None
        return self.admission.decide(limits)
