"""Several tierd processes sharing one ledger (Postgres) and one shared state (Redis), as a deployment of N
gateway replicas runs: the pieces tests/integration/test_multi_gateway.py and benchmarks/multi_gateway.py share."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.processes import REPO, TierdServer

FRONTIER_ENV = "MULTI_FRONTIER_KEY"


@dataclass(frozen=True, slots=True)
class Upstream:
    """An OpenAI-compatible server a tier points at: its root URL and the model name it serves."""

    root: str
    model: str


def gateway_config(
    local: Upstream, frontier: Upstream, *, ledger_url: str, redis_url: str, **sections: Any
) -> dict[str, Any]:
    """One config for every gateway: a local tier (priced, so its answers cost something), a frontier tier, keys
    required, the ledger in Postgres and the limits in Redis. `sections` replace whole top-level sections."""
    local_tier = {
        "name": "tier-1", "kind": "vllm", "served_model_name": local.model, "urls": [local.root],
        "cost": {"hardware": "cpu", "tokens_per_hour": 1_000_000},
    }  # fmt: skip
    frontier_tier = {
        "name": "frontier", "kind": "openai", "base_url": f"{frontier.root}/v1", "model": frontier.model,
        "api_key_env": FRONTIER_ENV, "price_per_1m_input": 2.5, "price_per_1m_output": 10.0, "max_retries": 0,
    }  # fmt: skip
    proof = {"name": "proof", "keywords": ["prove"], "tier": "frontier"}
    config: dict[str, Any] = {
        "tiers": [local_tier, frontier_tier],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": [proof]}},
        "placement": {"never_spill": ["tier-1"]},
        "accounting": {"ledger_url": ledger_url, "batch_rows": 50},
        # Five minutes between re-reads of the key table: a revocation can only reach the others by its announcement.
        "auth": {"mode": "on", "refresh_s": 300},
        "shared_state": {"url": redis_url, "timeout_s": 0.25, "revocation_poll_s": 0.1},
    }
    config.update(sections)
    return config


@contextlib.contextmanager
def running_gateways(config: dict[str, Any], workdir: Path, count: int) -> Iterator[list[TierdServer]]:
    """`count` tierd processes with one config (each its own port and state dir), started at once."""
    env = {FRONTIER_ENV: "sk-multi"}
    servers = [TierdServer(config, workdir / f"gateway-{i}", env) for i in range(count)]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(120)
        yield servers
    finally:
        for server in servers:
            if server.proc is not None:
                server.stop()


def keys_cli(server: TierdServer, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server.cli", "keys", *args, "--config", str(server.config_path)]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)


def create_key(server: TierdServer, name: str, *options: str) -> tuple[str, str]:
    """(key text, key id) of a new key made by `tierd keys create`."""
    done = keys_cli(server, "create", "--name", name, *options)
    match = re.search(r"^\s+(tierd-([0-9a-f]{16})-\S+)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"tierd keys create failed: {done.stdout}{done.stderr}")
    return match.group(1), match.group(2)


def chat(server: TierdServer, key: str, text: str, *, model: str = "tier-1", max_tokens: int = 2) -> httpx.Response:
    body = {"model": model, "messages": [{"role": "user", "content": text}], "max_tokens": max_tokens, "temperature": 0}
    return httpx.post(
        f"{server.url}/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}, timeout=120
    )


def health(server: TierdServer) -> dict[str, Any]:
    return dict(httpx.get(f"{server.url}/health", timeout=5).json())


def metric(server: TierdServer, series: str) -> float:
    """The sum of a Prometheus series over its labels (0 when absent); `series` may name labels too
    (`name{label="value"`), matched as a prefix of the line."""
    text = httpx.get(f"{server.url}/metrics", timeout=5).text
    total = 0.0
    for line in text.splitlines():
        rest = line[len(series) :]
        if line.startswith(series) and ("{" in series or rest[:1] in ("{", " ")):
            total += float(line.rsplit(" ", 1)[1])
    return total


def ledger_rows(ledger_url: str, key_id: str) -> list[dict[str, Any]]:
    """The key's request rows in the ledger: status and cost."""
    from sqlalchemy import create_engine, text

    engine = create_engine(ledger_url)
    try:
        with engine.connect() as conn:
            query = text(
                "SELECT request_id, status, cost_usd, prompt_tokens FROM tierd_requests WHERE api_key_id = :key"
            )
            return [dict(row._mapping) for row in conn.execute(query, {"key": key_id})]
    finally:
        engine.dispose()


def dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def round_robin(servers: Sequence[TierdServer], i: int) -> TierdServer:
    return servers[i % len(servers)]
