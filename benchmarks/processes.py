"""Real processes for tests and benchmarks: vLLM servers and tierd itself, as users run them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import yaml

from tiers.load import ReplicaLoad
from tiers.telemetry.vllm_metrics import parse_vllm_metrics
from tiers.vllm_engine import VllmLaunchSpec, VllmProcess, free_port

REPO = Path(__file__).resolve().parent.parent

# The launch settings of the cpu preset, sized for the tiny test model.
CPU_ENGINE_ENV = {
    "OMP_NUM_THREADS": "1",
    "VLLM_ENABLE_V1_MULTIPROCESSING": "0",
    "VLLM_CPU_KVCACHE_SPACE": "1",
    "HF_HUB_OFFLINE": "1",
}


def cuda_engine() -> bool:
    """Whether this host's engine is the regular (CUDA) `vllm` wheel, which the Makefile installs on GPU
    nodes, rather than `vllm-cpu` (tiers.vllm_engine.resolve_launcher tells them apart the same way)."""
    try:
        metadata.distribution("vllm")
    except metadata.PackageNotFoundError:
        return False
    return True


TINY_ENGINE_ARGS: dict[str, Any] = {
    "enforce-eager": True,
    "distributed-executor-backend": "uni",
    "max-model-len": 4096,
    "max-num-seqs": 16,
    # Named and `required` tool_choice need a parser; `pythonic` needs no special tokens.
    "enable-auto-tool-choice": True,
    "tool-call-parser": "pythonic",
    # On a GPU each vLLM process claims this share of the whole GPU at start (0.9 by default) and refuses
    # to start with less free, so a second tiny server would fail. The suite runs up to about seven at once
    # on one GPU; the tiny model needs well under a GiB (5% of a 24 GiB L4 is 1.2 GiB).
    **({"gpu-memory-utilization": 0.05} if cuda_engine() else {}),
}


def engine_arg_list(args: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for key, value in args.items():
        out += [f"--{key}"] if value is True else [f"--{key}", str(value)]
    return out


def wait_until(predicate: Any, timeout_s: float, what: str, interval_s: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval_s)
    raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


class VllmServer:
    """A vLLM server started by the test itself (an 'attached' tier or the stand-in frontier)."""

    def __init__(self, model_dir: Path, name: str, workdir: Path, extra_args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        spec = VllmLaunchSpec(
            model=str(model_dir),
            served_model_name=name,
            engine_args=tuple(engine_arg_list(TINY_ENGINE_ARGS)) + extra_args,
            env=CPU_ENGINE_ENV,
        )
        self.process = VllmProcess(spec, self.port, workdir, workdir / f"{name}.log")
        self.name = name

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> VllmServer:
        self.process.start()
        return self

    def wait_ready(self, timeout_s: float = 240) -> VllmServer:
        def ready() -> bool:
            if not self.process.running():
                raise RuntimeError(f"vLLM {self.name} exited: {self.process.tail_log(10)}")
            return http_ok(f"{self.root}/health")

        wait_until(ready, timeout_s, f"vLLM {self.name} /health")
        return self

    def stop(self) -> None:
        self.process.stop_blocking(10)

    def load(self) -> ReplicaLoad:
        """The replica's load, read from its own /metrics."""
        return parse_vllm_metrics(httpx.get(f"{self.root}/metrics", timeout=5).text, time.time())


def tiny_test_model() -> Path:
    """The tiny random-weight model, built once into the cache (tests and benchmarks share it)."""
    from tiers.models.bundled import default_cache_dir
    from tiers.models.tiny import build_tiny_model

    return build_tiny_model(default_cache_dir().parent / "test-models" / "tiny-llama")


class ScriptedServer:
    """tests/scripted_openai.py as its own process: an OpenAI-compatible stand-in for the frontier (the
    integration tests and the reliability suite share it)."""

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


class TierdServer:
    """`tierd serve --config FILE` as a child process, as a user runs it."""

    def __init__(self, config: dict[str, Any], workdir: Path, env: dict[str, str] | None = None) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        config = {**config, "server": {**config.get("server", {}), "port": self.port, "state_dir": str(workdir)}}
        self.config_path = workdir / "tierd.yaml"
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
        self.log_path = workdir / "tierd.log"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> TierdServer:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--config", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=REPO,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_ready(self, timeout_s: float = 240) -> TierdServer:
        """Until the gateway is ready (/ready) and so is every required tier (/health's tiers_ready)."""

        def ready() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"tierd exited with {self.proc.returncode}:\n{self.log_tail()}")
            return http_ok(f"{self.url}/ready") and self.health().get("tiers_ready") is True

        wait_until(ready, timeout_s, "tierd /ready and its tiers")
        return self

    def health(self) -> dict[str, Any]:
        try:
            return dict(httpx.get(f"{self.url}/health", timeout=2).json())
        except (httpx.HTTPError, ValueError):
            return {}

    def ready_state(self, api_key: str | None = None) -> dict[str, Any]:
        """GET /v1/tiers: every tier and replica in detail (an admin key when auth is on)."""
        headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
        return dict(httpx.get(f"{self.url}/v1/tiers", timeout=5, headers=headers).json())

    def replica_pids(self) -> list[int]:
        return [r["pid"] for t in self.ready_state()["tiers"] for r in t["replicas"] if r["pid"]]

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 60) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not collected it yet.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False
    return True
