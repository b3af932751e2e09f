"""API keys, budgets and rate limits end to end: real tierd processes over real vLLM tiers, keys made by the
`tierd keys` CLI in its own process against the same SQLite ledger while tierd runs, requests by the openai SDK."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.conftest import FRONTIER_KEY
from tests.support import (
    TierdServer,
    VllmServer,
    attached_tier,
    openai_client,
    remote_tier,
    running_tierd,
    wait_until,
)

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
HELLO = [{"role": "user", "content": "Say hi"}]
HARD = [{"role": "user", "content": "Prove that 2 is prime"}]


def _config(upstreams: dict[str, VllmServer], **extra: Any) -> dict[str, Any]:
    return {
        "tiers": [
            # Priced at a fixed throughput, so every answer's cost is known and counts against budgets.
            attached_tier("tier-1", upstreams["tier-2"], cost={"hardware": "cpu", "tokens_per_hour": 1_000_000}),
            remote_tier("frontier", upstreams["frontier"], max_retries=0),
        ],
        "routing": {
            "classifier": "rules",
            "rules": {
                "default_tier": "tier-1",
                "rules": [{"name": "proof", "keywords": ["prove"], "tier": "frontier"}],
            },
        },
        **extra,
    }


@pytest.fixture(scope="module")
def gateway(ready_upstreams: dict[str, VllmServer], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TierdServer]:
    workdir = tmp_path_factory.mktemp("keys")
    with running_tierd(_config(ready_upstreams), workdir, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as server:
        yield server


def keys_cli(server: TierdServer, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server.cli", "keys", *args, "--config", str(server.config_path)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)


def create_key(server: TierdServer, name: str, *options: str) -> str:
    done = keys_cli(server, "create", "--name", name, *options)
    assert done.returncode == 0, done.stderr
    match = re.search(r"^\s+(tierd-\S+)$", done.stdout, re.MULTILINE)
    assert match is not None and "only time it is shown" in done.stdout, done.stdout
    return match.group(1)


def ask(server: TierdServer, key: str, messages: list[dict[str, str]] = HELLO) -> Any:
    return openai_client(server, key).chat.completions.with_raw_response.create(
        model="auto", messages=messages, max_tokens=4, temperature=0
    )


def _status_without_key(server: TierdServer) -> int:
    body = {"model": "auto", "messages": HELLO, "max_tokens": 2}
    return httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=60).status_code


def test_auth_turns_on_with_the_first_key_and_off_for_nobody_after_revocation(gateway: TierdServer) -> None:
    assert keys_cli(gateway, "list").stdout.startswith("no keys")
    assert _status_without_key(gateway) == 200  # auto mode on 127.0.0.1 without keys: open
    key = create_key(gateway, "alice")
    # Keys written by another process are seen within auth.refresh_s (2 s by default).
    wait_until(lambda: _status_without_key(gateway) == 401, 15, "auth on once a key exists", interval_s=0.2)

    missing = httpx.get(f"{gateway.url}/v1/models", timeout=10)  # the SDK itself refuses to send no key
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "invalid_api_key"
    assert missing.headers["www-authenticate"] == "Bearer"
    with pytest.raises(openai.AuthenticationError) as wrong:
        ask(gateway, key[:-3] + "xyz")
    assert wrong.value.code == "invalid_api_key"
    assert wrong.value.body["type"] == "invalid_request_error"  # type: ignore[index]
    assert "Incorrect API key provided" in wrong.value.message and key not in wrong.value.message

    raw = ask(gateway, key)
    assert raw.http_response.status_code == 200 and raw.parse().choices
    assert "alice" in keys_cli(gateway, "list").stdout
    for open_path in ("/health", "/ready", "/metrics"):
        assert httpx.get(f"{gateway.url}{open_path}", timeout=10).status_code == 200

    revoked = keys_cli(gateway, "revoke", "alice")
    assert revoked.returncode == 0, revoked.stderr

    def refused() -> bool:
        try:
            ask(gateway, key)
        except openai.AuthenticationError:
            return True
        return False

    wait_until(refused, 15, "the revoked key refused", interval_s=0.2)
    assert _status_without_key(gateway) == 401  # revoking the only key does not open the server
    again = keys_cli(gateway, "revoke", "alice")
    assert again.returncode == 1 and "already revoked" in again.stderr


def test_a_spent_daily_budget_gets_insufficient_quota(gateway: TierdServer) -> None:
    key = create_key(gateway, "tiny-budget", "--daily-budget-usd", "0.000000001")
    first = ask(gateway, key)
    assert first.http_response.status_code == 200
    assert float(first.headers["x-tierd-cost-usd"]) > 0
    with pytest.raises(openai.RateLimitError) as spent:
        ask(gateway, key)
    # A streamed answer's cost (known at its end) counts too.
    streamed = create_key(gateway, "tiny-stream", "--daily-budget-usd", "0.000000001")
    chunks = openai_client(gateway, streamed).chat.completions.create(
        model="auto", messages=HELLO, max_tokens=4, temperature=0, stream=True
    )
    assert [c for c in chunks]
    with pytest.raises(openai.RateLimitError):
        ask(gateway, streamed)
    assert spent.value.code == "insufficient_quota"
    assert spent.value.body["type"] == "insufficient_quota"  # type: ignore[index]
    assert "daily budget of key 'tiny-budget'" in spent.value.message
    # The ledger records each request with its key, the refused one too.
    key_id = key.split("-")[1]

    def ledger_rows() -> list[tuple[int, str | None]]:
        with sqlite3.connect(gateway.config_path.parent / "ledger.db") as db:
            query = "SELECT status, error_code FROM tierd_requests WHERE api_key_id = ? ORDER BY created_at"
            return list(db.execute(query, (key_id,)))

    wait_until(lambda: len(ledger_rows()) == 2, 15, "the ledger's rows of the key", interval_s=0.2)
    assert ledger_rows() == [(200, None), (429, "insufficient_quota")]
    # Another key is not affected.
    assert ask(gateway, create_key(gateway, "roomy", "--daily-budget-usd", "100")).http_response.status_code == 200


def test_rpm_limit_refuses_the_third_request_in_a_minute(gateway: TierdServer) -> None:
    key = create_key(gateway, "rpm-two", "--rpm", "2")
    for _ in range(2):
        assert ask(gateway, key).http_response.status_code == 200
    with pytest.raises(openai.RateLimitError) as limited:
        ask(gateway, key)
    assert limited.value.code == "rate_limit_exceeded"
    assert 1 <= int(limited.value.response.headers["retry-after"]) <= 60


def test_local_only_keeps_a_spent_budget_off_the_frontier(
    ready_upstreams: dict[str, VllmServer], tmp_path: Path
) -> None:
    config = _config(
        ready_upstreams,
        budgets={"monthly_budget_usd": 0.000000001, "on_exhausted": "local_only"},
        # The tiny model's junk fails these checks: without the budget, tier-1's answers would escalate.
        escalation={"tiers": {"tier-1": {"checks": ["empty", "degeneration"]}}, "budget": {"max_share": 1.0}},
    )
    with running_tierd(config, tmp_path, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as server:
        # No keys: auth is off, and the monthly budget counts requests without a key. Before it is spent,
        # tier-1's junk answer escalates to the frontier (whose cost spends the budget).
        first = ask(server, "unused", HELLO)
        assert (first.headers["x-tierd-tier"], first.headers["x-tierd-escalation"]) == ("frontier", "escalated")
        assert "x-tierd-budget" not in first.headers
        # Spent: the classifier still asks for the frontier, placement keeps the request local, and the
        # failed answer may not escalate either.
        limited = ask(server, "unused", HARD)
        assert limited.http_response.status_code == 200
        assert limited.headers["x-tierd-tier"] == "tier-1"
        assert limited.headers["x-tierd-budget"].startswith("local-only: the monthly budget")
        assert "min=frontier" in limited.headers["x-tierd-decision"]
        assert "budget: local only, not frontier" in limited.headers["x-tierd-decision"]
        assert limited.headers["x-tierd-escalation"] == "no-higher-tier"
        with pytest.raises(openai.RateLimitError) as pinned:  # asking for the frontier by name is refused
            openai_client(server).chat.completions.create(model="frontier", messages=HARD, max_tokens=2)
        assert pinned.value.code == "insufficient_quota"
    # Restarted on the same ledger, tierd seeds the month's spend from it: still local only.
    with running_tierd(config, tmp_path, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as restarted:
        again = ask(restarted, "unused", HARD)
        assert again.headers["x-tierd-tier"] == "tier-1" and "x-tierd-budget" in again.headers
