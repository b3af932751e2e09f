"""A private, throwaway Redis for tests: Debian's redis-server on a free loopback port, its folder in a temp dir,
no persistence (no RDB, no AOF), stopped at the end.

    with private_redis(tmp_dir) as server:
        server.url                 # redis://127.0.0.1:PORT/0
        server.stop(); server.start()   # a Redis that goes away and comes back (empty: nothing persists)

`make test` installs redis-server (`make test-tools`); without it this fails with a message saying so, it never
skips.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tiers.vllm_engine import free_port


def redis_server_bin() -> str:
    found = shutil.which("redis-server")
    if found is None:
        raise RuntimeError(
            "The shared-state tests need Redis: install Debian's redis-server package (`make test-tools` does)."
        )
    return found


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    def __init__(self, base: Path, port: int | None = None) -> None:
        self.bin = redis_server_bin()
        self.dir = base / "redis"
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.dir / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 20) -> PrivateRedis:
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [self.bin, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
                 "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout_s
        while not _answers(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{self.log_path.read_text()[-2000:]}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """SIGKILL, as when the server or its host goes away (and nothing is saved either way)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.kill()
        self.proc.wait(10)


@contextlib.contextmanager
def private_redis(base: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(base)
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)
