"""A throwaway Postgres 15 server for tests: initdb in a temp dir, a private socket dir, a free port.

initdb refuses to run as root, so the data dir belongs to the `postgres` OS user and every server
command runs through `runuser -u postgres --` when the tests run as root. That user must be able to
reach the folder: pytest's own temp root is private to root (mode 700), so the server lives under
`.test-postgres/` in the repository (git-ignored) and is deleted at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tiers.vllm_engine import free_port

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PARENT = REPO / ".test-postgres"
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
DATABASE = "tierd_test"


def _pg_bin() -> Path:
    for candidate in PG_BIN_CANDIDATES:
        if (candidate / "initdb").exists():
            return candidate
    raise RuntimeError("Postgres binaries not found under /usr/lib/postgresql/*/bin: run `make test-tools`")


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def running_postgres(parent: Path | None = None) -> Iterator[str]:
    """Yields a `postgresql+psycopg://` URL of a fresh database; stops and deletes the server after."""
    bin_dir = _pg_bin()
    parent = parent or DEFAULT_PARENT
    parent.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="tierd-pg-", dir=parent)).resolve()
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()

    def run(command: list[str]) -> None:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr or done.stdout}")

    pg_ctl = str(bin_dir / "pg_ctl")
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    try:
        run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]))
        run(_as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start"]))
        run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE])
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
