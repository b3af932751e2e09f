"""API keys: created, listed and revoked in the ledger (`tierd_api_keys`), verified from memory.

A key reads `tierd-<id>-<secret>`: the id is public (it is what the ledger records per request and
what finds the row without scanning), the secret is 256 random bits shown once and never stored.
The row keeps a random salt and HMAC-SHA256(salt, secret). A fast hash is the right one here: slow
hashes (bcrypt, scrypt, argon2) exist to make guessing *low-entropy passwords* from a stolen hash
expensive, but nobody can enumerate 2^256 secrets at any hash speed, while a slow hash would cost
every request milliseconds of CPU and hand attackers a cheap way to load the server. The salt keeps
equal inputs from giving equal hashes across keys and databases. Comparison is constant-time.

`KeyVerifier` holds every key row in memory (a verified request costs microseconds) and re-reads
the table every few seconds, because `tierd keys create|revoke` write it from another process while
the server runs; an unknown id also triggers a (rate-limited) re-read, so new keys work at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.accounting.ledger_schema import ApiKeyRow, RequestRow, utcnow
from server.accounting.schema_setup import create_schema

log = logging.getLogger("tierd.auth")

KEY_PREFIX = "tierd"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_KEY = re.compile(rf"^{KEY_PREFIX}-([0-9a-f]{{16}})-([A-Za-z0-9_-]{{43}})$")


# admin: every key's usage and recent decisions, the tiers' detail, and key management (GET/POST/DELETE
# /v1/keys); ordinary: inference, routing, feedback and its own usage only.
Role = Literal["admin", "ordinary"]
ROLES: tuple[str, ...] = get_args(Role)


class KeyStoreError(ValueError):
    """A key operation that cannot be done, worded for the person at the CLI."""


class KeyNotFound(KeyStoreError):
    """No key has that name or id (404 over HTTP, not 400)."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """What is known of a key besides its secret."""

    id: str
    name: str
    daily_budget_usd: float | None
    requests_per_minute: int | None
    created_at: datetime
    revoked_at: datetime | None = None
    role: Role = "ordinary"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class StoredKey:
    key: ApiKey
    salt: str
    key_hash: str


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: ApiKey
    secret: str  # the whole key text, `tierd-<id>-<secret>`: shown once, stored nowhere


def hash_secret(salt: str, secret: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()


def parse_key(presented: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed key text, else None."""
    match = _KEY.match(presented)
    return (match.group(1), match.group(2)) if match else None


def new_key_material() -> tuple[str, str, str, str]:
    """(id, full key text, salt, hash) of a fresh key."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)  # 32 random bytes: 43 url-safe characters
    salt = secrets.token_hex(16)
    return key_id, f"{KEY_PREFIX}-{key_id}-{secret}", salt, hash_secret(salt, secret)


def matches(stored: StoredKey, secret: str) -> bool:
    return hmac.compare_digest(hash_secret(stored.salt, secret), stored.key_hash)


def _api_key(row: ApiKeyRow) -> ApiKey:
    role: Role = "admin" if row.role == "admin" else "ordinary"
    return ApiKey(row.id, row.name, row.daily_budget_usd, row.requests_per_minute, row.created_at, row.revoked_at, role)


class KeyStore:
    """The key table, through SQLAlchemy (SQLite or Postgres). Blocking: call it off the event loop."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_schema(engine)  # the ledger's tables: a key store may come before the first `tierd serve`

    def create(
        self,
        name: str,
        *,
        daily_budget_usd: float | None = None,
        requests_per_minute: int | None = None,
        role: str = "ordinary",
    ) -> CreatedKey:
        if role not in ROLES:
            raise KeyStoreError(f"role {role!r} is not one of {', '.join(ROLES)}")
        if not _NAME.match(name):
            raise KeyStoreError(
                f"invalid key name {name!r}: use 1-128 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit"
            )
        if daily_budget_usd is not None and not daily_budget_usd > 0:
            raise KeyStoreError(f"--daily-budget-usd must be a positive amount, not {daily_budget_usd}")
        if requests_per_minute is not None and requests_per_minute < 1:
            raise KeyStoreError(f"--rpm must be at least 1, not {requests_per_minute}")
        key_id, text, salt, key_hash = new_key_material()
        with Session(self.engine) as session:
            existing = session.scalars(select(ApiKeyRow).where(ApiKeyRow.name == name)).first()
            if existing is not None:
                state = " (revoked)" if existing.revoked_at is not None else ""
                raise KeyStoreError(f"a key named {name!r} already exists{state}; key names are unique")
            row = ApiKeyRow(
                id=key_id,
                name=name,
                salt=salt,
                key_hash=key_hash,
                daily_budget_usd=daily_budget_usd,
                requests_per_minute=requests_per_minute,
                created_at=utcnow(),
                role=role,
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:  # created by someone else between the check and the insert
                raise KeyStoreError(f"a key named {name!r} already exists; key names are unique") from None
            return CreatedKey(_api_key(row), text)

    def list_keys(self) -> list[ApiKey]:
        return [s.key for s in self.load()]

    def load(self) -> list[StoredKey]:
        with Session(self.engine) as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at)).all()
            return [StoredKey(_api_key(r), r.salt, r.key_hash) for r in rows]

    def revoke(self, name: str) -> ApiKey:
        """Revoke the key named `name` (the CLI's handle on a key)."""
        return self._revoke(ApiKeyRow.name == name, f"no key named {name!r}", f"the key {name!r}")

    def revoke_id(self, key_id: str) -> ApiKey:
        """Revoke the key whose id is `key_id` (the HTTP API's handle on a key)."""
        return self._revoke(ApiKeyRow.id == key_id, f"no key with id {key_id!r}", f"the key {key_id!r}")

    def _revoke(self, which: Any, missing: str, label: str) -> ApiKey:
        with Session(self.engine) as session:
            row = session.scalars(select(ApiKeyRow).where(which)).first()
            if row is None:
                names = session.scalars(select(ApiKeyRow.name).order_by(ApiKeyRow.name)).all()
                raise KeyNotFound(f"{missing} (keys: {', '.join(names) or 'none'})")
            if row.revoked_at is not None:
                raise KeyStoreError(f"{label} was already revoked at {row.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
            row.revoked_at = utcnow()
            session.commit()
            return _api_key(row)

    def spend_since(self, since: datetime) -> dict[str | None, float]:
        """Dollars spent per key id (None: requests without a key) since `since`, from the ledger's
        request rows (their cost covers every attempt of the request)."""
        query = (
            select(RequestRow.api_key_id, func.coalesce(func.sum(RequestRow.cost_usd), 0.0))
            .where(RequestRow.created_at >= since)
            .group_by(RequestRow.api_key_id)
        )
        with self.engine.connect() as conn:
            return {key_id: float(total or 0.0) for key_id, total in conn.execute(query).all()}


class KeyVerifier:
    """Every key row in memory; `verify` answers from it. Touched only from the event loop."""

    def __init__(
        self,
        load: Callable[[], Sequence[StoredKey]],
        *,
        refresh_s: float = 2.0,
        miss_refresh_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._load = load
        self.refresh_s = refresh_s
        self.miss_refresh_s = miss_refresh_s
        self._clock = clock
        self._sleep = sleep
        self._keys: dict[str, StoredKey] = {}
        self._read_started: float | None = None  # when the read behind the keys in memory began
        self._last_miss_read: float | None = None
        # Ids revoked by an announcement (shared_state) or by this gateway: refused at once, even when a read of
        # the table that began before the revocation still brings the row back as active.
        self._revoked: set[str] = set()
        self._lock = asyncio.Lock()
        self.reads = 0

    @property
    def any_keys(self) -> bool:
        """Whether any key was ever created (revoked ones count: revoking a key never opens the server)."""
        return bool(self._keys)

    async def _read(self) -> None:
        """One read of the table (callers hold the lock)."""
        started = self._clock()
        keys = await asyncio.to_thread(self._load)
        self.reads += 1
        self._keys = {k.key.id: k for k in keys}
        self._read_started = started

    async def refresh(self) -> None:
        async with self._lock:
            await self._read()

    async def run_refresher(self) -> None:
        """Re-read the keys every `refresh_s` until cancelled; a failed read keeps the keys known so far."""
        while True:
            await self._sleep(self.refresh_s)
            try:
                await self.refresh()
            except Exception as exc:  # a DB hiccup must not stop authentication
                log.warning("could not re-read API keys (keeping the %d known): %s", len(self._keys), exc)

    def revoke(self, key_id: str) -> None:
        """Refuse `key_id` from now on, without waiting for the next read of the table."""
        self._revoked.add(key_id)

    def check(self, presented: str) -> ApiKey | None:
        """The active key `presented` is, from memory only; None for anything else."""
        parsed = parse_key(presented)
        if parsed is None or parsed[0] in self._revoked:
            return None
        stored = self._keys.get(parsed[0])
        if stored is None or not matches(stored, parsed[1]) or not stored.key.active:
            return None
        return stored.key

    async def verify(self, presented: str) -> ApiKey | None:
        """`check`; a well-formed key with an unknown id (one created a moment ago by the CLI) first waits
        for a read of the table that began after it arrived. Misses start at most one read per
        `miss_refresh_s`, however many arrive (random ids cannot hammer the database: they wait instead)."""
        parsed = parse_key(presented)
        if parsed is None or parsed[0] in self._revoked:
            return None
        if parsed[0] not in self._keys:
            arrived = self._clock()
            async with self._lock:
                if self._read_started is None or self._read_started <= arrived:  # nobody read since it came
                    if self._last_miss_read is not None:
                        await self._sleep(max(0.0, self._last_miss_read + self.miss_refresh_s - self._clock()))
                    self._last_miss_read = self._clock()
                    try:
                        await self._read()
                    except Exception as exc:
                        log.warning("could not re-read API keys: %s", exc)
        return self.check(presented)
