"""A private, throwaway Postgres server for tests: initdb into a folder, start on a free port, drop at the end.

    with private_postgres(tmp_dir) as pg:
        engine = create_engine(pg.url)   # postgresql+psycopg://postgres@127.0.0.1:PORT/tierd_test
        pg.stop(); pg.start()            # e.g. to test a database that goes away and comes back

Postgres refuses to run as root, so initdb and the server run as the `postgres` OS user (`runuser`), with
trust authentication on 127.0.0.1 only. The binaries come from Debian's postgresql package (`make test`
installs it); without them this fails with a message saying so, it never skips.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tiers.vllm_engine import free_port

DATABASE = "tierd_test"
OS_USER = "postgres"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise RuntimeError(
            "The Postgres tests need Postgres server binaries (/usr/lib/postgresql/<version>/bin/initdb): "
            "install Debian's postgresql package (`make test-tools` does)."
        )
    return Path(found[-1]).parent


def _let_postgres_in(folder: Path) -> None:
    """The postgres user must reach the folder: give others search (x, not read) on ancestors lacking it
    (pytest keeps its temp root 0700)."""
    for parent in [folder, *folder.parents]:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(parent, mode | stat.S_IXOTH)


class PrivatePostgres:
    def __init__(self, base: Path) -> None:
        self.bin = postgres_bin()
        self.base = base / "postgres"
        self.data = self.base / "data"
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.base / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{OS_USER}@127.0.0.1:{self.port}/{DATABASE}"

    def _conninfo(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={OS_USER} dbname={database} connect_timeout=2"

    def init(self) -> PrivatePostgres:
        self.base.mkdir(parents=True, exist_ok=True)
        _let_postgres_in(self.base)
        user = pwd.getpwnam(OS_USER)
        os.chown(self.base, user.pw_uid, user.pw_gid)
        subprocess.run(
            ["runuser", "-u", OS_USER, "--", str(self.bin / "initdb"), "-D", str(self.data), "--auth=trust",
             f"--username={OS_USER}", "--encoding=UTF8", "--no-sync"],
            check=True, capture_output=True,
        )  # fmt: skip
        return self

    def start(self, timeout_s: float = 60) -> PrivatePostgres:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                ["runuser", "-u", OS_USER, "--", str(self.bin / "postgres"), "-D", str(self.data),
                 "-p", str(self.port), "-k", str(self.base), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with psycopg.connect(self._conninfo("postgres")):
                    return self
            except psycopg.OperationalError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"postgres did not start:\n{self.log_path.read_text()[-2000:]}") from None
                time.sleep(0.2)

    def create_database(self) -> PrivatePostgres:
        with psycopg.connect(self._conninfo("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        return self

    def stop(self) -> None:
        """Fast shutdown (SIGINT to the postmaster): open connections are cut, as when a server goes away."""
        if self.proc is None or self.proc.poll() is not None:
            return
        pid_file = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@contextlib.contextmanager
def private_postgres(base: Path) -> Iterator[PrivatePostgres]:
    """A started Postgres with an empty `tierd_test` database; stopped and deleted at the end."""
    server = PrivatePostgres(base)
    try:
        yield server.init().start().create_database()
    finally:
        server.stop()
        shutil.rmtree(server.base, ignore_errors=True)


def own_database(shared_url: str, prefix: str) -> str:
    """URL of a new, empty database of the caller's own on the server of `shared_url` (the session's Postgres,
    whose shared database holds other tests' rows)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(shared_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return make_url(shared_url).set(database=name).render_as_string(hide_password=False)
