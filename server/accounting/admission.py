"""Who may call tierd and what each request may use: API keys, spend and rates, as one object of the app.

The HTTP layer (server/api/auth.py) asks it two things per request: whose key was presented
(`authenticate`, refusing a missing or wrong key with reason `invalid_api_key`) and what the key may do
now (`admit`, a value: admitted, refused with a reason, or kept to local tiers). The service asks it to hold
a request's worst case once its tier is known (`reserve`), and every finished request settles here
(`record_request`, the bookkeeper's listener). It also owns the key table's refresh task and seeds today's
and this month's counters from the ledger at start. The limits themselves live in a SharedState
(server/accounting/budgets.py says how). `revoke` revokes a key in the table, refuses it here at once and
announces it to every gateway sharing the state (revocations.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from server.accounting.auth_settings import AuthMode, BudgetSettings
from server.accounting.budgets import COUNTER_TTL_S, Admission, KeyLimits, Verdict, seed_from
from server.accounting.keys import ApiKey, CreatedKey, KeyNotFound, KeyStore, KeyStoreError, KeyVerifier, StoredKey
from server.accounting.ledger import make_engine, sqlite_path
from server.accounting.revocations import RevocationFeed
from server.accounting.shared_state.memory import InProcessState
from server.accounting.shared_state.protocol import SharedState, SharedStateUnavailable
from server.accounting.shared_state.settings import UnreachablePolicy
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


def limits_of(key: ApiKey | None) -> KeyLimits | None:
    return KeyLimits(key.id, key.name, key.daily_budget_usd, key.requests_per_minute) if key is not None else None


class Gatekeeper:
    """Keys, spend, rates and concurrency of one tierd: who may call it and what each request may use."""

    def __init__(
        self,
        mode: AuthMode,
        budgets: BudgetSettings,
        *,
        ledger_url: str,
        local_tiers: frozenset[str],
        state: SharedState | None = None,
        on_unreachable: UnreachablePolicy | None = None,
        create_database: bool = True,
        refresh_s: float = 2.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        revocation_poll_s: float = 0.2,
        reseed_s: float | None = None,
    ) -> None:
        self.mode = mode
        self.ledger_url = ledger_url
        self.create_database = create_database
        # With no local tier to fall back on, local_only cannot serve anything: it rejects instead.
        self.local_tiers = local_tiers
        on_exhausted = budgets.on_exhausted if local_tiers else "reject"
        self.state: SharedState = state if state is not None else InProcessState()
        self.admission = Admission(
            self.state,
            monthly_budget_usd=budgets.monthly_budget_usd,
            on_exhausted=on_exhausted,
            default_requests_per_minute=budgets.default_requests_per_minute,
            concurrent_requests_per_key=budgets.concurrent_requests_per_key,
            on_unreachable=on_unreachable,
            has_local_tiers=bool(local_tiers),
            clock=clock,
        )
        self._clock = clock
        self._store: KeyStore | None = None
        self.verifier = KeyVerifier(self._load, refresh_s=refresh_s)
        self._refresher: asyncio.Task[None] | None = None
        self._settling: set[asyncio.Task[None]] = set()
        self.revocations = RevocationFeed(self.state, self.verifier, revocation_poll_s)
        self._revocation_poller: asyncio.Task[None] | None = None
        # A shared backend may lose its counters (a Redis restarted empty) while gateways run: they are raised
        # back to the ledger's figures every `reseed_s`. None: seeded once, at start (this process's own state).
        self.reseed_s = reseed_s
        self._reseeder: asyncio.Task[None] | None = None

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
            try:
                await self.seed()
            except SharedStateUnavailable:  # logged by the shared state; the budgets follow on_unreachable
                if self.reseed_s is None:
                    raise
            if self.reseed_s is not None:
                self._reseeder = asyncio.ensure_future(self._keep_seeding(self.reseed_s))
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

    async def seed(self) -> None:
        """Today's and this month's spend from the ledger into the counters that lack it (set-if-absent; Redis
        also raises a counter below the ledger's figure). Raises SharedStateUnavailable."""
        assert self._store is not None
        counters = await asyncio.to_thread(seed_from, self._store.spend_since, self._clock())
        await self.state.seed(counters, COUNTER_TTL_S)

    async def _keep_seeding(self, every_s: float) -> None:
        while True:
            await asyncio.sleep(every_s)
            try:
                await self.seed()
            except SharedStateUnavailable:
                pass  # logged by the shared state; the next round tries again
            except Exception:
                log.exception("re-seeding the budget counters from the ledger failed; trying again in %.0f s", every_s)

    async def stop(self) -> None:
        for task in (self._refresher, self._revocation_poller, self._reseeder):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.settled()
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

    async def admit(self, key: ApiKey | None, request_id: str) -> Verdict:
        """What the request of `key` may do now: be admitted, be refused (a reason code), or stay local. An
        admitted keyed request holds one of its key's concurrency slots until its record settles."""
        return await self.admission.decide(limits_of(key), request_id)

    async def reserve(self, key: KeyLimits | None, request_id: str, amount_usd: float, *, local_only: bool) -> Verdict:
        """Hold the request's worst case on its budgets (server/service.py, once the tier is known)."""
        return await self.admission.reserve(key, request_id, amount_usd, local_only=local_only)

    async def release(self, key_id: str | None, request_id: str) -> None:
        """Give back a concurrency slot (idempotent): for a request that ends without a record."""
        if key_id is not None:
            await self.admission.release(key_id, request_id)

    async def charge(self, key_id: str | None, cost_usd: float, at: datetime | None = None, lease: str = "-") -> None:
        """Book a charge on the counters of `at` (default now) and drop `lease`'s hold."""
        await self.admission.settle(key_id, lease, at or self._clock(), cost_usd)

    async def _settle(self, record: RequestRecord) -> None:
        await self.charge(record.api_key_id, record.charged_usd or 0.0, record.created_at, record.request_id)
        await self.release(record.api_key_id, record.request_id)

    def record_request(self, record: RequestRecord) -> None:
        """The bookkeeper's listener: every finished request's charge (all its attempts; an estimate from what
        it used when its cost is unknown) counts against budgets on the day it started, as the ledger's rows
        that seed the counters at startup do; its hold and concurrency slot are given back."""
        task = asyncio.ensure_future(self._settle(record))
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)

    async def settled(self) -> None:
        """Wait for the settlements under way (tests, shutdown)."""
        while self._settling:
            await asyncio.gather(*list(self._settling), return_exceptions=True)

    def is_admin(self, key: ApiKey | None) -> bool:
        """Whether the caller may see everything and manage keys: an admin key, or anyone while
        authentication is off (auth.mode off, or auto before the first key): then there is no one to tell
        apart, and tierd behaves as it did before roles existed."""
        return key.admin if key is not None else not self.required

    def _writable_store(self) -> KeyStore:
        store = self._open_store()
        if store is None:  # the ledger is off and no key was ever created: make the key table now
            self._store = store = KeyStore(make_engine(self.ledger_url))
        return store

    async def list_keys(self) -> list[ApiKey]:
        return await asyncio.to_thread(lambda: self._writable_store().list_keys())

    async def create_key(
        self, name: str, *, role: str, daily_budget_usd: float | None, requests_per_minute: int | None
    ) -> CreatedKey:
        """A new key, usable at once on this gateway (others see it within auth.refresh_s, or on its first
        use); raises KeyStoreError."""

        def create() -> CreatedKey:
            return self._writable_store().create(
                name, role=role, daily_budget_usd=daily_budget_usd, requests_per_minute=requests_per_minute
            )

        created = await asyncio.to_thread(create)
        await self.verifier.refresh()
        return created

    async def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key: the one seam every revocation goes through. It is stored, refused on this gateway at
        once, and announced so that every gateway sharing the state refuses it within
        `shared_state.revocation_poll_s`. Raises KeyNotFound, or KeyStoreError for a key revoked already
        (that one is refused and announced again all the same: an earlier announcement may have been lost
        while the shared state was unreachable)."""
        try:
            revoked = await asyncio.to_thread(lambda: self._writable_store().revoke_id(key_id))
        except KeyNotFound:
            raise
        except KeyStoreError:
            self.verifier.revoke(key_id)
            await self.revocations.announce(key_id)
            raise
        self.verifier.revoke(key_id)
        await self.revocations.announce(key_id)
        return revoked

    async def rate_verdict(self, key: ApiKey | None) -> Verdict:
        """The requests-per-minute check alone, for endpoints that spend nothing (/v1/route, /v1/usage,
        /v1/feedback, /v1/keys): they count against the key's rpm like inference, never against a budget."""
        return await self.admission.rate_only(limits_of(key))
