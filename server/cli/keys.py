"""`tierd keys create|list|revoke`: API keys in the ledger database the config names.

They write the same database a running `tierd serve` reads (with the same --config/--preset), which
sees new keys and revocations within `auth.refresh_s` seconds, without a restart. When the config shares its
state in Redis (`shared_state.url`), `revoke` also announces the revocation there, and every gateway refuses the
key within `shared_state.revocation_poll_s`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any

from server.accounting.keys import ROLES, ApiKey, KeyStore, KeyStoreError
from server.accounting.ledger import display_url, make_engine
from server.accounting.reader import ledger_url_of
from server.accounting.shared_state.protocol import SharedStateUnavailable
from server.accounting.shared_state.redis_state import display_url as display_redis_url
from server.accounting.shared_state.settings import SharedStateSettings
from server.accounting.shared_state.watch import open_shared_state
from server.settings import ConfigError, Settings

Loader = Callable[[argparse.Namespace], Settings]


def add_keys_commands(sub: Any, add_config_args: Callable[[argparse.ArgumentParser], None], load: Loader) -> None:
    keys = sub.add_parser("keys", help="API keys: create, list, revoke")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)

    create = keys_sub.add_parser("create", help="create a key and print it (once: it is stored only as a hash)")
    add_config_args(create)
    create.add_argument("--name", required=True, help="a unique name (letters, digits, . _ -)")
    create.add_argument("--daily-budget-usd", type=float, help="dollars the key may spend per UTC day")
    create.add_argument("--rpm", type=int, help="requests per minute (default: budgets.default_requests_per_minute)")
    role = create.add_mutually_exclusive_group()
    role.add_argument(
        "--role",
        choices=ROLES,
        default="ordinary",
        help="admin: sees every key's usage, the tiers' detail and manages keys (/v1/keys); "
        "ordinary (default): inference and its own usage only",
    )
    role.add_argument("--admin", dest="role", action="store_const", const="admin", help="same as --role admin")
    create.set_defaults(func=lambda a: _create(a, _store(load(a))))

    listing = keys_sub.add_parser("list", help="list keys (never their secrets)")
    add_config_args(listing)
    listing.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    listing.set_defaults(func=lambda a: _list(a, _store(load(a))))

    revoke = keys_sub.add_parser("revoke", help="revoke a key by name; a running tierd refuses it within seconds")
    add_config_args(revoke)
    revoke.add_argument("name", help="the key's name")
    revoke.set_defaults(func=lambda a: _revoke_announced(a, load(a)))


def _store(settings: Settings) -> KeyStore:
    url = ledger_url_of(settings)
    try:
        return KeyStore(make_engine(url))
    except Exception as exc:  # a wrong URL, an unreachable Postgres: say which database
        where = display_url(url)
        raise ConfigError(f"cannot open the ledger database {where}: {exc}") from None


def _money(usd: float | None) -> str:
    return "-" if usd is None else f"${usd:g}/day"


def _create(args: argparse.Namespace, store: KeyStore) -> int:
    try:
        created = store.create(
            args.name, daily_budget_usd=args.daily_budget_usd, requests_per_minute=args.rpm, role=args.role
        )
    except KeyStoreError as exc:
        print(f"tierd: {exc}", file=sys.stderr)
        return 1
    key = created.key
    limits = f"budget {_money(key.daily_budget_usd)}, rpm {key.requests_per_minute or '-'}"
    print(f"created {key.role} key {key.name!r} (id {key.id}, {limits})")
    print()
    print(f"    {created.secret}")
    print()
    print("Save it now: this is the only time it is shown (tierd stores only a salted hash of it).")
    print("Clients send it as their API key (the openai SDK's api_key=, or Authorization: Bearer <key>).")
    return 0


def _row(key: ApiKey) -> dict[str, Any]:
    return {
        "name": key.name,
        "id": key.id,
        "role": key.role,
        "daily_budget_usd": key.daily_budget_usd,
        "requests_per_minute": key.requests_per_minute,
        "created_at": key.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        "revoked_at": key.revoked_at.strftime("%Y-%m-%d %H:%M:%S") if key.revoked_at else None,
    }


def _list(args: argparse.Namespace, store: KeyStore) -> int:
    keys = store.list_keys()
    if args.json:
        print(json.dumps([_row(k) for k in keys], indent=2))
        return 0
    if not keys:
        print("no keys (authentication is off in auth.mode auto until one is created)")
        return 0
    header = ("NAME", "ID", "ROLE", "DAILY BUDGET", "RPM", "CREATED (UTC)", "STATUS")
    rows = [
        (
            k.name,
            k.id,
            k.role,
            _money(k.daily_budget_usd),
            str(k.requests_per_minute or "-"),
            _row(k)["created_at"],
            "active" if k.active else f"revoked {_row(k)['revoked_at']}",
        )
        for k in keys
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _revoke(args: argparse.Namespace, store: KeyStore) -> ApiKey | None:
    try:
        return store.revoke(args.name)
    except KeyStoreError as exc:
        print(f"tierd: {exc}", file=sys.stderr)
        return None


async def announce(settings: SharedStateSettings, key_id: str) -> bool:
    """Announce a revocation on the shared state the config names; False when it cannot be reached."""
    state = open_shared_state(settings)
    try:
        await state.announce_revocation(key_id)
    except SharedStateUnavailable:
        return False
    finally:
        await state.close()
    return True


def _revoke_announced(args: argparse.Namespace, settings: Settings) -> int:
    key = _revoke(args, _store(settings))
    if key is None:
        return 1
    within = "auth.refresh_s seconds"
    shared = settings.shared_state
    if not shared.url.startswith("memory://"):  # in-process state is each gateway's own: nothing to announce on
        where = display_redis_url(shared.url)
        if asyncio.run(announce(shared, key.id)):
            within = f"{shared.revocation_poll_s:g} s (announced on {where})"
        else:
            print(f"tierd: could not reach {where} to announce it", file=sys.stderr)
    print(f"revoked key {key.name!r} (id {key.id}); every running tierd refuses it within {within}")
    return 0
