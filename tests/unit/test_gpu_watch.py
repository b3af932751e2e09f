"""The GPU view placement reads (server/telemetry/gpu_watch.py), the NVML readings it needs (clock reasons,
compute processes), each replica's configured GPUs, and the process tree that maps a managed replica."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from server.settings import ConfigError, load_settings
from server.telemetry.gpu_watch import GpuWatch
from server.wiring import build_tiers
from tests.fixtures.fake_gpu import FakeNvml
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.http_upstream import HttpClient
from tiers.telemetry import NvmlSource, TelemetrySnapshot, read_trace, write_trace
from tiers.telemetry.nvml import clock_event_reasons
from tiers.telemetry.processes import process_tree


def two_gpus(per_gpu: dict[int, dict[str, Any]]) -> NvmlSource:
    return NvmlSource(nvml=FakeNvml(("NVIDIA H200", "NVIDIA H200"), per_gpu=per_gpu.__getitem__)).open()


def test_nvml_reads_clock_reasons_and_compute_processes() -> None:
    source = two_gpus({0: {"throttle": 0x4 | 0x40, "pids": [11, 12]}, 1: {"throttle": 0x1}})
    first, second = source.sample().gpus
    assert first.throttle_reasons == ("sw_power_cap", "hw_thermal") and first.process_pids == (11, 12)
    assert second.throttle_reasons == ("gpu_idle",) and second.process_pids == ()
    assert clock_event_reasons(0x8 | 0x80) == ("hw_slowdown", "hw_power_brake")
    unreadable = NvmlSource(nvml=FakeNvml(unsupported=("throttle", "processes"))).open().sample().gpus[0]
    assert unreadable.throttle_reasons is None and unreadable.process_pids is None


def test_traces_keep_the_new_fields_and_old_traces_still_load(tmp_path: Path) -> None:
    snapshot = two_gpus({0: {"throttle": 0x20, "pids": [7]}, 1: {}}).sample()
    write_trace(tmp_path / "t.jsonl", [snapshot])
    assert read_trace(tmp_path / "t.jsonl")[0].gpus[0].throttle_reasons == ("sw_thermal",)
    old = read_trace(Path(__file__).parents[1] / "fixtures" / "h200_probe_trace.jsonl")  # recorded before them
    assert old[0].gpus[0].throttle_reasons is None and old[0].gpus[0].process_pids is None


def _tier(*replicas: ReplicaSnapshot) -> TierSnapshot:
    return TierSnapshot("tier-1", TierKind.VLLM_MANAGED, "m", True, True, replicas)


def _replica(rid: str, pid: int | None = None, gpus: tuple[str, ...] = ()) -> ReplicaSnapshot:
    return ReplicaSnapshot(rid, "http://x/v1", ReplicaStatus.READY, 0, 0, 0.0, pid=pid, gpus=gpus)


class Clocked:
    """Telemetry whose NVML reading is re-taken at a given time (what the sampler does every interval)."""

    def __init__(self, source: NvmlSource) -> None:
        self.source, self.latest = source, None

    def at(self, t: float) -> None:
        sample = self.source.sample()
        self.latest = TelemetrySnapshot(sample.source, t, sample.gpus, None)  # type: ignore[assignment]

    def __call__(self) -> TelemetrySnapshot | None:
        return self.latest


def test_utilization_is_smoothed_so_one_busy_reading_does_not_flip_placement() -> None:
    state = {0: {"utilization": 0}, 1: {"utilization": 0}}
    telemetry = Clocked(two_gpus(state))
    watch = GpuWatch(telemetry, smoothing_s=5.0)
    tiers = [_tier(_replica("r0", gpus=("0",)))]
    assert watch.view(tiers) is None  # no reading yet
    telemetry.at(0.0)
    assert watch.view(tiers).gpus[0].utilization_pct == 0.0  # type: ignore[union-attr]
    state[0]["utilization"] = 100
    for t in (1.0, 2.0):
        telemetry.at(t)
        view = watch.view(tiers)
    assert view is not None and 30 < view.gpus[0].utilization_pct < 35  # type: ignore[operator]  # 1 - e^(-2/5)
    assert watch.view(tiers) is view  # the same reading: the same view, nothing recomputed
    for t in range(3, 16):
        telemetry.at(float(t))
        view = watch.view(tiers)
    assert view is not None and view.gpus[0].utilization_pct > 90  # type: ignore[operator]  # stayed busy
    assert view.gpus[1].utilization_pct == 0.0


def test_managed_replicas_are_found_on_the_gpu_that_lists_their_engine() -> None:
    # vLLM's engine core, a child of the API server tierd started, is what NVML lists on a GPU.
    state = {0: {"pids": [4242]}, 1: {"pids": [999]}}
    telemetry = Clocked(two_gpus(state))
    trees = {100: frozenset({100, 4242}), 200: frozenset({200, 201})}
    watch = GpuWatch(telemetry, tree=trees.__getitem__)
    tiers = [_tier(_replica("r0", pid=100, gpus=("1",)), _replica("r1", pid=200, gpus=("1",)), _replica("r2"))]
    telemetry.at(0.0)
    view = watch.view(tiers)
    assert view is not None and view.discovered == {"r0": ("0",)}
    assert [g.key for g in view.replica_gpus(tiers[0].replicas[0])] == ["0"]  # NVML wins over the config
    assert [g.key for g in view.replica_gpus(tiers[0].replicas[1])] == ["1"]  # not found: its configured GPU


def test_the_process_tree_includes_children_of_children() -> None:
    child = "import time; time.sleep(30)"
    script = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {child!r}]); time.sleep(30)"
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 10
        while len(process_tree(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        tree = process_tree(parent.pid)
        assert parent.pid in tree and len(tree) == 2
        assert os.getpid() not in tree
    finally:
        for pid in process_tree(parent.pid):
            os.kill(pid, 9)
        parent.wait()
    assert process_tree(parent.pid) == frozenset({parent.pid})  # gone: just itself


def _config(tmp_path: Path, tier: dict[str, Any]) -> Path:
    import yaml

    path = tmp_path / "tierd.yaml"
    data = {"server": {"state_dir": str(tmp_path / "state")}, "tiers": [tier], "routing": {"classifier": "rules",
            "rules": {"default_tier": tier["name"]}}, "telemetry": {"source": "off"}}  # fmt: skip
    path.write_text(yaml.safe_dump(data))
    return path


def test_each_replica_gets_its_configured_gpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attached = {"name": "t", "kind": "vllm", "served_model_name": "m", "urls": ["http://a:1/v1", "http://b:1/v1"],
                "gpus": [[0], ["GPU-abc", 1]], "cost": {"hardware": "cpu"}}  # fmt: skip
    settings = load_settings(_config(tmp_path, attached), env={})
    (tier,) = build_tiers(settings, HttpClient())
    assert [r.gpus for r in tier.snapshot().replicas] == [("0",), ("GPU-abc", "1")]

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "2,3")  # what a managed replica inherits without `gpus`
    managed = {"name": "t", "kind": "vllm", "served_model_name": "m", "cost": {"hardware": "cpu"},
               "managed": {"model": str(tmp_path), "replicas": 2}}  # fmt: skip
    settings = load_settings(_config(tmp_path, managed), env={})
    (tier,) = build_tiers(settings, HttpClient())
    assert [r.gpus for r in tier.snapshot().replicas] == [("2", "3"), ("2", "3")]

    own = {**managed, "gpus": [[0], [1]]}  # each replica launched on its own GPU
    settings = load_settings(_config(tmp_path, own), env={})
    (tier,) = build_tiers(settings, HttpClient())
    replicas = tier.replicas  # type: ignore[attr-defined]
    assert [r.gpus for r in replicas] == [("0",), ("1",)]
    assert [r.process.spec.env["CUDA_VISIBLE_DEVICES"] for r in replicas] == ["0", "1"]


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"gpus": [[0]]}, "gpus lists 1 replica(s) for 2"),
        ({"gpus": [[0], [1]], "env": {"CUDA_VISIBLE_DEVICES": "0"}}, "not both"),
    ],
)
def test_gpu_config_errors_are_clear(tmp_path: Path, extra: dict[str, Any], problem: str) -> None:
    managed = {"model": str(tmp_path), "replicas": 2, **({"env": extra["env"]} if "env" in extra else {})}
    tier = {"name": "t", "kind": "vllm", "served_model_name": "m", "managed": managed, "gpus": extra["gpus"]}
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_settings(_config(tmp_path, tier), env={})
