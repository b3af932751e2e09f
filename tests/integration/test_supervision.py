"""Managed replicas: restarted when they die, stopped with tierd, no orphans, nothing in /tmp."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from tests.conftest import FRONTIER_KEY
from tests.support import TierdServer, managed_tier, pid_alive, remote_tier, wait_until
from tiers.vllm_engine import private_tmp_dir

pytestmark = pytest.mark.integration


def test_killed_replica_is_restarted_and_ready_reflects_it(gateway: TierdServer) -> None:
    [pid] = [r["pid"] for t in gateway.ready_state()["tiers"] if t["name"] == "tier-1" for r in t["replicas"]]
    os.kill(pid, signal.SIGKILL)

    def tier1() -> dict:
        return next(t for t in gateway.ready_state()["tiers"] if t["name"] == "tier-1")

    wait_until(lambda: not tier1()["ready"], 15, "/v1/tiers to notice the dead replica")
    # The gateway itself still serves (/ready); the tier's absence shows in /health and the metrics.
    assert httpx.get(f"{gateway.url}/ready").status_code == 200
    assert gateway.health()["tiers_ready"] is False
    # While tier-1 is down, `auto` requests for it move up a tier instead of failing.
    moved = httpx.post(
        f"{gateway.url}/v1/chat/completions",
        timeout=60,
        json={"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2},
    )
    assert moved.status_code == 200 and moved.headers["x-tierd-tier"] == "tier-2"

    gateway.wait_ready(timeout_s=180)
    replica = tier1()["replicas"][0]
    assert replica["status"] == "ready"
    assert replica["restarts"] >= 1
    assert replica["pid"] not in (None, pid)


def test_a_managed_engine_does_not_inherit_the_frontiers_key_or_tierds_settings(gateway: TierdServer) -> None:
    """The frontier's API key (TEST_FRONTIER_KEY here) and TIERD_* settings stay with tierd; PATH and the
    tier's own `managed.env` reach the engine."""
    gateway.wait_ready(timeout_s=180)
    [pid] = [r["pid"] for t in gateway.ready_state()["tiers"] if t["name"] == "tier-1" for r in t["replicas"]]
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    environ = dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)
    assert FRONTIER_KEY not in raw and "TEST_FRONTIER_KEY" not in environ
    assert not [name for name in environ if name.startswith("TIERD_")]
    assert environ["PATH"] == os.environ["PATH"] and environ["OMP_NUM_THREADS"] == "1"


def _tmp_entries() -> set[str]:
    return {p.name for p in Path("/tmp").iterdir()}


def _tiny_gateway(tiny_model_dir: Path, workdir: Path) -> TierdServer:
    config = {
        "tiers": [managed_tier("tier-1", tiny_model_dir, "tiny-solo"), remote_tier("frontier", None)],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
    }
    return TierdServer(config, workdir)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_stops_every_child_and_leaves_no_tmp_files(
    tiny_model_dir: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    before = _tmp_entries()
    server = _tiny_gateway(tiny_model_dir, tmp_path).start().wait_ready()
    pids = server.replica_pids()
    assert pids and all(pid_alive(pid) for pid in pids), pids
    # uvicorn finishes its graceful shutdown, then re-raises the signal it caught.
    assert server.stop(sig) in (0, -sig), server.log_tail()
    assert "stopped all tiers" in server.log_tail()
    for pid in pids:
        wait_until(lambda pid=pid: not pid_alive(pid), 10, f"replica pid {pid} to exit")
    new_in_tmp = {n for n in _tmp_entries() - before if not n.startswith("pytest-of-")}
    assert new_in_tmp == set()
    assert not private_tmp_dir(tmp_path / "replicas" / "tier-1-0").exists()
    assert (tmp_path / "logs" / "tier-1-0.log").stat().st_size > 0


def test_children_die_even_when_tierd_is_killed(tiny_model_dir: Path, tmp_path: Path) -> None:
    server = _tiny_gateway(tiny_model_dir, tmp_path).start().wait_ready()
    pids = server.replica_pids()
    assert pids and all(pid_alive(pid) for pid in pids), pids  # else the loop below checks nothing
    server.stop(signal.SIGKILL)
    for pid in pids:
        wait_until(lambda pid=pid: not pid_alive(pid), 30, f"orphaned replica pid {pid} to exit")
