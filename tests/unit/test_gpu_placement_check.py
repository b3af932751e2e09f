"""The GPU placement check end to end on stand-ins for torch and NVML (the real run is on a GPU host:
benchmarks/results/gpu_placement/): the decision leaves the replica on the GPU the load makes hot."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from benchmarks import gpu_placement_check as check
from tests.fixtures.fake_gpu import FakeNvml, FakeTorch
from tiers.telemetry import NvmlSource


def test_the_decision_turns_away_from_the_loaded_gpu_and_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    torch = FakeTorch()
    monkeypatch.setattr(check, "import_cuda_torch", lambda: torch)
    # The fake GPU lists this process as its compute process, as NVML lists the torch process on a real one.
    nvml = FakeNvml(busy=torch.busy, per_gpu=lambda handle: {"pids": [os.getpid()]})
    monkeypatch.setattr(check, "open_nvml", lambda: NvmlSource(nvml=nvml).open())
    monkeypatch.setattr(check, "cuda0_index", lambda torch, first: 0)

    status = check.main(
        ["--idle-s", "0.6", "--load-s", "1.5", "--cool-s", "1.0", "--interval-s", "0.1", "--smoothing-s", "0.2",
         "--out", str(tmp_path)]
    )  # fmt: skip

    report = json.loads((tmp_path / "gpu_placement_check.json").read_text())
    assert status == 0, report["checks"]
    assert report["discovered_gpus_of_this_process"] == ["0"]
    hot = [s for s in report["steps"] if s["hot"]]
    assert hot and hot[0]["phase"] == "load" and all(s["phase"] != "idle" for s in hot)  # smoothed: lags a little
    assert all(s["tier1_replica"] == "tier-1-1" and "GPU 0 hot" in s["tier1_reason"] for s in hot)
    assert all(s["tier2_request_tier"] == "frontier" for s in hot)
    idle = [s for s in report["steps"] if s["phase"] == "idle"]
    assert all(s["tier1_replica"] == "tier-1-0" and s["tier2_request_tier"] == "tier-2" for s in idle)
