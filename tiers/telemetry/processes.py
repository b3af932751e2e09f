"""Which processes descend from a replica's: vLLM's engine core, not the API server tierd started,
holds the GPU context, so NVML's process list names a child of the pid tierd knows."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")
MAX_PROCESSES = 4096  # a bound on the walk: a fork bomb under a replica must not stall the caller


def _children(pid: int, proc: Path) -> list[int]:
    """Children from /proc/PID/task/*/children (Linux 3.5+); [] when the process is gone or unreadable."""
    children: list[int] = []
    try:
        tasks = list((proc / str(pid) / "task").iterdir())
    except OSError:
        return children
    for task in tasks:
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return children


def process_tree(pid: int, proc: Path = PROC) -> frozenset[int]:
    """`pid` and every process below it."""
    seen, todo = {pid}, [pid]
    while todo and len(seen) < MAX_PROCESSES:
        for child in _children(todo.pop(), proc):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return frozenset(seen)
