"""Config builders for the integration tests; the processes themselves live in benchmarks.processes."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai

from benchmarks.processes import (
    CPU_ENGINE_ENV,
    TINY_ENGINE_ARGS,
    TierdServer,
    VllmServer,
    http_ok,
    pid_alive,
    wait_until,
)
from tiers.vllm_engine import free_port

__all__ = ["ScriptedServer", "TierdServer", "VllmServer", "pid_alive", "wait_until"]


def openai_client(server: TierdServer, key: str = "unused", timeout: float = 120) -> openai.OpenAI:
    """The official client on a tierd, without the SDK's own retries."""
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0, timeout=timeout)


class ScriptedServer:
    """tests/scripted_openai.py as its own process: an OpenAI-compatible stand-in for the frontier."""

    def __init__(self, name: str, log_path: Path, api_key: str | None = None) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log_path
        self.api_key = api_key  # set: /v1/* wants it, as `vllm serve --api-key` does
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ScriptedServer:
        with open(self.log_path, "ab") as log:
            command = [sys.executable, "-m", "tests.scripted_openai", "--port", str(self.port), "--name", self.name]
            command += ["--api-key", self.api_key] if self.api_key else []
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: http_ok(f"{self.root}/health"), 30, f"scripted server {self.name}")
        return self

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.root}/stats", timeout=5).json())

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


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
