"""Config builders for the integration tests; the processes themselves live in benchmarks.processes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai

from benchmarks.processes import (
    CPU_ENGINE_ENV,
    TINY_ENGINE_ARGS,
    ScriptedServer,
    TierdServer,
    VllmServer,
    pid_alive,
    wait_until,
)

__all__ = ["ScriptedServer", "TierdServer", "VllmServer", "pid_alive", "wait_until"]


def openai_client(server: TierdServer, key: str = "unused", timeout: float = 120) -> openai.OpenAI:
    """The official client on a tierd, without the SDK's own retries."""
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0, timeout=timeout)


@contextlib.contextmanager
def running_scripted(name: str, workdir: Path, api_key: str | None = None) -> Iterator[ScriptedServer]:
    server = ScriptedServer(name, workdir / f"{name}.log", api_key).start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def running_tierd(config: dict[str, Any], workdir: Path, env: dict[str, str] | None = None) -> Iterator[TierdServer]:
    server = TierdServer(config, workdir, env).start()
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def managed_tier(name: str, model_dir: Path, served: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "vllm",
        "served_model_name": served,
        "managed": {"model": str(model_dir), "engine_args": TINY_ENGINE_ARGS, "env": CPU_ENGINE_ENV, **extra},
        "supervision": {"health_interval_s": 0.5, "backoff_initial_s": 0.5},
    }


def attached_tier(name: str, server: VllmServer, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "vllm", "served_model_name": server.name, "urls": [server.root], **extra}


def remote_tier(
    name: str, server: VllmServer | None, key_env: str = "TEST_FRONTIER_KEY", **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "openai",
        "base_url": f"{server.root}/v1" if server else "",
        "model": server.name if server else "",
        "api_key_env": key_env,
        "price_per_1m_input": 2.5,
        "price_per_1m_output": 10.0,
        **extra,
    }


ROUTING_RULES = {
    "classifier": "rules",
    "rules": {
        "default_tier": "tier-1",
        "rules": [
            {"name": "reasoning", "keywords": ["prove", "step by step"], "tier": "frontier"},
            {"name": "transform", "keywords": ["translate", "summarize"], "tier": "tier-2"},
        ],
    },
}
