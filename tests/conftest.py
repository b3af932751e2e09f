"""Session-wide real parts: the tiny model, three vLLM processes' worth of tiers, and tierd.

Processes start once per session, in parallel: tier-1 is managed by tierd itself,
tier-2 is a vLLM server tierd attaches to, and the frontier is a third vLLM server
reached through the `openai` remote kind with an API key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.processes import tiny_test_model
from tests.postgres import PrivatePostgres, private_postgres
from tests.support import (
    ROUTING_RULES,
    ScriptedServer,
    TierdServer,
    VllmServer,
    attached_tier,
    managed_tier,
    remote_tier,
    running_scripted,
)

FRONTIER_KEY = "sk-test-frontier-key"
H200_TRACE = Path(__file__).parent / "fixtures" / "h200_probe_trace.jsonl"


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    return tiny_test_model()


@pytest.fixture(scope="session")
def vllm_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vllm")


@pytest.fixture(scope="session")
def upstreams(tiny_model_dir: Path, vllm_workdir: Path) -> Iterator[dict[str, VllmServer]]:
    servers = {
        "tier-2": VllmServer(tiny_model_dir, "tiny-tier2", vllm_workdir / "tier2"),
        "frontier": VllmServer(
            tiny_model_dir, "tiny-frontier", vllm_workdir / "frontier", extra_args=("--api-key", FRONTIER_KEY)
        ),
    }
    try:
        for server in servers.values():
            server.start()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def gateway_config(tiny_model_dir: Path, upstreams: dict[str, VllmServer]) -> dict:
    return {
        "server": {"max_body_bytes": 65536},
        "tiers": [
            managed_tier("tier-1", tiny_model_dir, "tiny-tier1"),
            attached_tier("tier-2", upstreams["tier-2"]),
            remote_tier("frontier", upstreams["frontier"], required=True),
        ],
        "routing": ROUTING_RULES,
        # The same GPU load on every host (CI has no GPU): an NVML trace recorded on an H200, through the
        # same sampler interface NVML uses (tiers/telemetry/trace.py).
        "telemetry": {"source": "trace", "trace_path": str(H200_TRACE)},
    }


@pytest.fixture(scope="session")
def gateway(
    tiny_model_dir: Path, upstreams: dict[str, VllmServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TierdServer]:
    """tierd with all three tier kinds, each over real HTTP."""
    workdir = tmp_path_factory.mktemp("gateway")
    server = TierdServer(gateway_config(tiny_model_dir, upstreams), workdir, env={"TEST_FRONTIER_KEY": FRONTIER_KEY})
    server.start()  # tier-1 boots while the attached servers do
    try:
        for upstream in upstreams.values():
            upstream.wait_ready()
        yield server.wait_ready()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ready_upstreams(upstreams: dict[str, VllmServer]) -> dict[str, VllmServer]:
    for upstream in upstreams.values():
        upstream.wait_ready()
    return upstreams


@pytest.fixture(scope="session")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScriptedServer]:
    """The scripted stand-in for the frontier (tests/scripted_openai.py), one process for the session. Tests
    share it: read its /stats as before and after, never as absolute counts."""
    with running_scripted("frontier-sim", tmp_path_factory.mktemp("scripted")) as server:
        yield server


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePostgres]:
    """A private Postgres server for the session (tests/postgres.py); fails, never skips, without binaries."""
    with private_postgres(tmp_path_factory.mktemp("pg")) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres: PrivatePostgres) -> str:
    """`postgresql+psycopg://...` of an empty database on the session's private Postgres. Tests share it:
    use your own request ids (or tables) rather than expecting it empty."""
    return postgres.url
