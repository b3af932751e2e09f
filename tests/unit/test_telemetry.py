from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks import gpu_probe
from tests.fixtures.fake_gpu import GIB, FakeNvml, FakeNvmlError, FakeTorch
from tests.host import host_has_nvml
from tiers.telemetry import (
    BackgroundSampler,
    CpuSource,
    NvmlSource,
    NvmlUnavailableError,
    TelemetrySnapshot,
    TraceSource,
    nvml_available,
    read_trace,
    record,
    write_trace,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TRACE = FIXTURES / "handwritten_trace.jsonl"
REPO_ROOT = FIXTURES.parent.parent


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_cpu_source_reads_plausible_values_without_sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    source = CpuSource()

    def no_sleep(seconds: float) -> None:  # psutil's blocking cpu_percent(interval=0.1) sleeps in time.sleep
        raise AssertionError(f"a sample slept {seconds}s")

    monkeypatch.setattr(time, "sleep", no_sleep)
    snapshot = source.sample()
    cpu = snapshot.cpu
    assert cpu is not None and snapshot.gpus == () and snapshot.source == "cpu"
    assert 0 <= cpu.utilization_pct <= 100
    assert cpu.cores >= 1 and cpu.load_avg_1m >= 0
    assert 0 < cpu.memory_used_bytes < cpu.memory_total_bytes
    assert abs(snapshot.age_s()) < 5


def test_cpu_utilisation_is_per_source_not_per_thread() -> None:
    # psutil.cpu_percent(interval=None) keeps its baseline per thread and says 0.0 on a new thread.
    source = CpuSource()
    deadline = time.perf_counter() + 0.3
    while time.perf_counter() < deadline:
        pass
    readings: list[float] = []
    worker = threading.Thread(target=lambda: readings.append(source.read().utilization_pct))
    worker.start()
    worker.join()
    assert readings[0] > 0


def test_snapshot_age_and_staleness() -> None:
    snapshot = TelemetrySnapshot(source="x", taken_at=100.0, gpus=(), cpu=None)
    assert snapshot.age_s(now=103.0) == 3.0
    assert not snapshot.is_stale(5.0, now=104.9)
    assert snapshot.is_stale(5.0, now=105.1)


def test_trace_replays_on_a_fake_clock() -> None:
    clock = FakeClock()
    source = TraceSource(TRACE, clock=clock, wall=clock)
    assert source.name == "trace:nvml"
    readings = []
    for t in (0.0, 0.5, 1.0, 2.9, 3.0):
        clock.now = 1_000.0 + t
        snapshot = source.sample()
        readings.append((snapshot.gpus[0].power_watts, snapshot.taken_at - 1_000.0))
    assert readings == [(78.5, 0.0), (78.5, 0.0), (602.0, 1.0), (655.5, 2.0), (120.0, 3.0)]
    last = source.sample()
    assert last.gpus[0].utilization_pct is None and last.cpu is None  # unsupported readings replay as None
    assert last.gpus[0].name == "NVIDIA H200" and last.gpus[0].memory_total_bytes == 150754820096


def test_a_finished_trace_goes_stale() -> None:
    clock = FakeClock()
    source = TraceSource(TRACE, clock=clock, wall=clock)
    clock.now += 10.0
    snapshot = source.sample()
    assert snapshot.gpus[0].power_watts == 120.0  # holds the last reading...
    assert snapshot.age_s(clock.now) == pytest.approx(7.0)  # ...stamped when it was taken
    assert snapshot.is_stale(5.0, clock.now)


def test_a_looping_trace_wraps_around() -> None:
    clock = FakeClock()
    source = TraceSource(TRACE, loop=True, clock=clock, wall=clock)
    assert source.period_s == 4.0  # the last t plus one more step
    clock.now += 4.0 * 3 + 1.2  # fourth pass, second line
    snapshot = source.sample()
    assert snapshot.gpus[0].power_watts == 602.0
    assert snapshot.age_s(clock.now) == pytest.approx(0.2)


def test_write_and_read_round_trip(tmp_path: Path) -> None:
    original = read_trace(TRACE)
    shifted = [dataclasses.replace(s, taken_at=s.taken_at + 1e9) for s in original]
    write_trace(tmp_path / "copy.jsonl", shifted)
    assert read_trace(tmp_path / "copy.jsonl") == original
    line = json.loads((tmp_path / "copy.jsonl").read_text().splitlines()[1])
    assert line["t"] == 1.0 and "taken_at" not in line


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "has no snapshots"),
        ('{"t": 0, "source": "nvml"}\n', ":1: not a telemetry snapshot"),
        ("not json\n", ":1: not a telemetry snapshot"),
        (
            '{"t": 1, "source": "s", "gpus": [], "cpu": null}\n{"t": 0, "source": "s", "gpus": [], "cpu": null}\n',
            ":2: t",
        ),
    ],
)
def test_bad_traces_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        read_trace(path)


def test_record_samples_on_a_schedule(tmp_path: Path) -> None:
    clock = FakeClock(0.0)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 6))
        clock.now += seconds

    trace = TraceSource(TRACE, clock=clock, wall=clock)
    seen: list[TelemetrySnapshot] = []
    taken = record(trace, tmp_path / "t.jsonl", 3, 0.5, on_sample=seen.append, sleep=sleep, clock=clock)
    assert sleeps == [0.5, 0.5] and seen == taken
    assert [s["t"] for s in map(json.loads, (tmp_path / "t.jsonl").read_text().splitlines())] == [0.0, 0.0, 1.0]


async def test_background_sampler_keeps_the_latest_snapshot() -> None:
    source = TraceSource(TRACE, loop=True)
    async with BackgroundSampler(source, interval_s=0.01, max_age_s=30.0) as sampler:
        assert sampler.running
        for _ in range(200):
            if sampler.samples >= 3:
                break
            await asyncio.sleep(0.01)
        snapshot = sampler.snapshot()
        assert snapshot is not None and snapshot.gpus[0].name == "NVIDIA H200"
    assert not sampler.running and sampler.samples >= 3 and sampler.errors == 0
    await sampler.stop()  # stopping twice is harmless


async def test_a_stale_snapshot_is_unknown() -> None:
    clock = FakeClock(time.time())
    sampler = BackgroundSampler(TraceSource(TRACE, wall=clock), interval_s=60, max_age_s=5.0, clock=clock)
    assert sampler.snapshot() is None  # nothing sampled yet
    assert await sampler.sample_once() is not None
    assert sampler.snapshot() is not None
    clock.now += 5.5
    assert sampler.snapshot() is None
    assert sampler.latest is not None  # still kept, for display, but not for decisions


class Flaky:
    name = "flaky"

    def __init__(self) -> None:
        self.calls = 0
        self.inner = TraceSource(TRACE, loop=True)

    def sample(self) -> TelemetrySnapshot:
        self.calls += 1
        if self.calls % 2:
            raise RuntimeError("GPU is lost")
        return self.inner.sample()


async def test_a_failing_source_does_not_stop_sampling(caplog: pytest.LogCaptureFixture) -> None:
    source = Flaky()
    async with BackgroundSampler(source, interval_s=0.005, max_age_s=30.0) as sampler:
        for _ in range(400):
            if sampler.samples >= 2 and sampler.errors >= 2:
                break
            await asyncio.sleep(0.005)
        assert sampler.running
    assert sampler.samples >= 2 and sampler.errors >= 2
    assert sampler.last_error == "RuntimeError: GPU is lost"
    assert "telemetry source flaky failed" in caplog.text


def test_nvml_availability_matches_this_host() -> None:
    """The real pynvml, on whatever this host is: no driver (CI) or a GPU node."""
    with pytest.raises(RuntimeError, match="not open"):
        NvmlSource().sample()
    if not host_has_nvml():
        assert nvml_available() is False
        with pytest.raises(NvmlUnavailableError, match="NVML could not start"), NvmlSource():
            pass
        return
    assert nvml_available() is True
    with NvmlSource(cpu=CpuSource()) as source:
        assert source.device_count >= 1 and all(source.device_names) and source.driver_version
        count, snapshot = source.device_count, source.sample()
    assert snapshot.source == "nvml" and snapshot.cpu is not None
    assert [g.index for g in snapshot.gpus] == list(range(count))
    for gpu in snapshot.gpus:
        assert gpu.name.strip() and gpu.uuid.startswith(("GPU-", "MIG-"))
        assert gpu.memory_total_bytes is None or gpu.memory_total_bytes > 0


def test_nvml_source_reads_every_gpu() -> None:
    nvml = FakeNvml(names=["NVIDIA H200", b"NVIDIA L4"], busy=lambda: True)
    with NvmlSource(nvml=nvml, cpu=CpuSource(), clock=lambda: 42.0) as source:
        assert source.device_names == ("NVIDIA H200", "NVIDIA L4") and source.driver_version == "575.57.08"
        snapshot = source.sample()
    assert nvml.open_count == 0
    assert snapshot.taken_at == 42.0 and snapshot.cpu is not None and len(snapshot.gpus) == 2
    gpu = snapshot.gpus[1]
    assert (gpu.index, gpu.name, gpu.uuid) == (1, "NVIDIA L4", "GPU-00000001-aaaa-bbbb-cccc-dddddddddddd")
    assert (gpu.utilization_pct, gpu.memory_used_bytes, gpu.memory_total_bytes) == (100.0, 2 * GIB, 140 * GIB)
    assert (gpu.power_watts, gpu.power_limit_watts, gpu.temperature_c) == (610.0, 700.0, 62.0)
    assert nvml_available(FakeNvml()) is True
    assert nvml_available(FakeNvml(names=())) is False


def test_unsupported_readings_are_none_and_other_errors_propagate() -> None:
    nvml = FakeNvml(unsupported={"power", "power_limit", "temperature"})
    with NvmlSource(nvml=nvml) as source:
        gpu = source.sample().gpus[0]
        assert (gpu.power_watts, gpu.power_limit_watts, gpu.temperature_c) == (None, None, None)
        assert gpu.utilization_pct == 0.0
        nvml.lost = True
        with pytest.raises(FakeNvmlError):
            source.sample()


def test_gpu_probe_fails_cleanly_without_a_gpu(tmp_path: Path) -> None:
    # The probe runs as a script in its own process: a pynvml whose NVML never starts (as on a host without
    # a driver) goes ahead of the real one on its path, so a GPU node takes this path too.
    no_driver = tmp_path / "no-driver"
    no_driver.mkdir()
    (no_driver / "pynvml.py").write_text(
        "class NVMLError(Exception):\n    pass\n\n\ndef nvmlInit():\n    raise NVMLError('Driver Not Loaded')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(no_driver), os.environ.get("PYTHONPATH")]))}
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "benchmarks/gpu_probe.py", "--seconds", "3", "--out", str(out)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "gpu_probe: cannot run here: NVML is unavailable: NVML could not start: Driver Not Loaded" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_gpu_probe_end_to_end_with_fake_nvml_and_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    torch = FakeTorch()
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "pynvml", FakeNvml(names=["NVIDIA H200"], busy=torch.busy))
    args = ["--seconds", "4", "--idle-seconds", "2", "--interval", "0.1", "--size", "64", "--out", str(tmp_path)]
    assert gpu_probe.main(args) == 0
    out = capsys.readouterr().out
    assert "profile h200" in out and out.rstrip().endswith(str(tmp_path / "trace.jsonl"))
    report = json.loads((tmp_path / "gpu_probe.json").read_text())
    assert report["passed"] and all(report["checks"].values())
    assert report["profile"]["name"] == "h200" and report["load"]["power_watts"]["median"] == 610.0
    assert report["matmul"]["count"] > 0 and torch.matmuls >= report["matmul"]["count"]
    assert len(read_trace(tmp_path / "trace.jsonl")) == 8


def test_gpu_probe_reports_missing_cuda(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "torch", FakeTorch(cuda_available=False))
    monkeypatch.setitem(sys.modules, "pynvml", FakeNvml())
    assert gpu_probe.main(["--seconds", "1", "--out", str(tmp_path)]) == 2
    assert "CUDA is not available to torch 2.13.0+fake" in capsys.readouterr().err


def test_recorded_h200_trace_replays_and_maps_to_its_profile() -> None:
    """tests/fixtures/h200_probe_trace.jsonl was recorded by benchmarks/gpu_probe.py on a real H200."""
    from tiers.hardware import load_profiles, match_profile

    path = Path(__file__).parent.parent / "fixtures" / "h200_probe_trace.jsonl"
    snapshots = read_trace(path)
    assert len(snapshots) > 60
    loaded = [s.gpus[0] for s in snapshots if (s.gpus[0].utilization_pct or 0) >= 99]
    assert len(loaded) > 50
    assert all(600 < (g.power_watts or 0) <= (g.power_limit_watts or 0) for g in loaded)
    profile = match_profile(snapshots[0].gpus[0].name, load_profiles())
    assert profile is not None and profile.name == "h200"
