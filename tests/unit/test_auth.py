"""Authentication modes and admission of the Gatekeeper, over a real SQLite key table."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.accounting.admission import Gatekeeper, is_loopback
from server.accounting.auth_settings import AuthMode, BudgetSettings
from server.accounting.keys import KeyStore
from server.accounting.ledger import make_engine
from server.api.auth import admitted_options, presented_key
from server.errors import ApiError
from server.service_values import RequestOptions
from server.settings import validate_settings

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _gatekeeper(
    tmp_path: Path, mode: AuthMode = "auto", local: frozenset[str] = frozenset({"tier-1"}), **budgets: object
) -> Gatekeeper:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    return Gatekeeper(
        mode, BudgetSettings.model_validate(budgets), ledger_url=url, local_tiers=local, clock=lambda: NOW
    )


def _run(gatekeeper: Gatekeeper, presented: str | None) -> object:
    async def go() -> object:
        await gatekeeper.start("127.0.0.1")
        try:
            return await gatekeeper.authenticate(presented)
        finally:
            await gatekeeper.stop()

    return asyncio.run(go())


def test_headers_and_addresses() -> None:
    assert presented_key({b"authorization": b"Bearer tierd-x"}) == "tierd-x"
    assert presented_key({b"authorization": b"bearer  tierd-x "}) == "tierd-x"
    assert presented_key({b"x-api-key": b"tierd-y"}) == "tierd-y"
    assert presented_key({b"authorization": b"Bearer a", b"x-api-key": b"b"}) == "a"
    assert presented_key({b"authorization": b"Basic abc"}) is None
    assert presented_key({}) is None
    assert all(is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "10.0.0.1", "::", "tierd.example"))


def test_auto_is_open_without_keys_and_closed_with_one(tmp_path: Path) -> None:
    assert _run(_gatekeeper(tmp_path), None) is None
    assert _run(_gatekeeper(tmp_path), "sk-anything") is None  # the SDK always sends something
    created = KeyStore(make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")).create("alice")
    with pytest.raises(ApiError) as missing:
        _run(_gatekeeper(tmp_path), None)
    assert (missing.value.status, missing.value.code) == (401, "invalid_api_key")
    with pytest.raises(ApiError, match="Incorrect API key provided"):
        _run(_gatekeeper(tmp_path), "sk-anything")
    key = _run(_gatekeeper(tmp_path), created.secret)
    assert getattr(key, "name", None) == "alice"
    assert _run(_gatekeeper(tmp_path, "off"), None) is None


def test_on_needs_a_key_even_before_any_exists(tmp_path: Path) -> None:
    with pytest.raises(ApiError) as missing:
        _run(_gatekeeper(tmp_path, "on"), None)
    assert missing.value.status == 401


def test_a_public_address_without_keys_warns_loudly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def go() -> None:
        gatekeeper = _gatekeeper(tmp_path)
        await gatekeeper.start("0.0.0.0")
        await gatekeeper.stop()

    asyncio.run(go())
    assert any("authentication OFF" in r.message and r.levelname == "WARNING" for r in caplog.records)


async def test_admission_errors_are_openai_shaped(tmp_path: Path) -> None:
    gatekeeper = _gatekeeper(tmp_path, monthly_budget_usd=1.0)
    await gatekeeper.charge(None, 2.0)
    with pytest.raises(ApiError) as spent:
        await admitted_options(gatekeeper, None, RequestOptions(), "r1")
    assert (spent.value.status, spent.value.type, spent.value.code) == (429, "insufficient_quota", "insufficient_quota")
    # local_only keeps the request on the local tiers ...
    local = _gatekeeper(tmp_path, monthly_budget_usd=1.0, on_exhausted="local_only")
    await local.charge(None, 2.0)
    options = await admitted_options(local, None, RequestOptions(stream_mode="off"), "r2")
    assert options.only_tiers == frozenset({"tier-1"}) and options.stream_mode == "off"
    assert options.budget_note is not None and "monthly budget" in options.budget_note
    # ... and rejects when there is no local tier to keep it on.
    remote_only = _gatekeeper(tmp_path, local=frozenset(), monthly_budget_usd=1.0, on_exhausted="local_only")
    await remote_only.charge(None, 2.0)
    with pytest.raises(ApiError, match="quota"):
        await admitted_options(remote_only, None, RequestOptions(), "r3")


async def test_rate_limit_carries_retry_after(tmp_path: Path) -> None:
    gatekeeper = _gatekeeper(tmp_path, default_requests_per_minute=1)
    created = KeyStore(make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")).create("bob")
    admitted = await admitted_options(gatekeeper, created.key, RequestOptions(), "r1")
    assert admitted.api_key_id == created.key.id
    assert admitted.key is not None and admitted.key.name == "bob"
    with pytest.raises(ApiError) as limited:
        await admitted_options(gatekeeper, created.key, RequestOptions(), "r2")
    assert (limited.value.status, limited.value.code) == (429, "rate_limit_exceeded")
    assert limited.value.retry_after_s == 60


def test_config_sections_and_the_ledger_location(tmp_path: Path) -> None:
    base = {
        "server": {"state_dir": str(tmp_path)},
        "tiers": [{"name": "tier-1", "kind": "vllm", "served_model_name": "m", "urls": ["http://127.0.0.1:1"]}],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
    }
    settings = validate_settings(base, "t.yaml")
    assert (settings.auth.mode, settings.budgets.on_exhausted, settings.budgets.monthly_budget_usd) == (
        "auto",
        "reject",
        None,
    )
    assert settings.accounting.url(settings.server.state_dir) == f"sqlite:///{tmp_path.resolve() / 'ledger.db'}"
    with pytest.raises(ValueError, match=r"budgets.on_exhausted"):
        validate_settings({**base, "budgets": {"on_exhausted": "panic"}}, "t.yaml")
    with pytest.raises(ValueError, match=r"auth.mode"):
        validate_settings({**base, "auth": {"mode": "maybe"}}, "t.yaml")


def test_with_the_ledger_off_no_database_is_made_until_a_key_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    gatekeeper = Gatekeeper("auto", BudgetSettings(), ledger_url=url, local_tiers=frozenset(), create_database=False)

    async def go() -> None:
        await gatekeeper.start("127.0.0.1")
        try:
            assert await gatekeeper.authenticate(None) is None
            assert not (tmp_path / "ledger.db").exists()
            created = KeyStore(make_engine(url)).create("alice")  # `tierd keys create` makes the database
            assert (await gatekeeper.authenticate(created.secret)) is not None
            with pytest.raises(ApiError):
                await gatekeeper.authenticate(None)
        finally:
            await gatekeeper.stop()

    asyncio.run(go())
