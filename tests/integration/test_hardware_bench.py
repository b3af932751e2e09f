"""`tierd bench hardware` end to end, as a user runs it: a managed tier with the tiny model is launched
by the benchmark, swept at concurrency 1 and 2 on this host's vLLM (CPU, or the GPU on a CUDA node), and the
measured profile it writes is what the cost model then reads. A smoke run: few requests, short answers, a
generous SLO."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.processes import REPO
from server.settings import load_settings
from server.wiring import build_pricing
from tests.host import host_has_nvml
from tests.support import ROUTING_RULES, managed_tier
from tiers.hardware import default_profiles_dir, load_profiles
from tiers.measured import load_measured

pytestmark = pytest.mark.integration

BENCH = {
    "slo": {"ttft_p95_s": 60, "itl_p95_s": 10},  # the other jobs on a shared 2-core box must not fail it
    "concurrency": [1, 2],
    "min_requests": 4,
    "requests_per_stream": 2,
    "warmup_requests": 1,
    "output_tokens": [8, 16],
    "max_prompt_chars": 300,
    "sample_interval_s": 0.2,
}


def test_bench_hardware_sweeps_a_managed_tier_and_feeds_the_cost_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    profiles_dir = tmp_path / "gpu_configs"
    shutil.copytree(default_profiles_dir(), profiles_dir, ignore=shutil.ignore_patterns("measured", "*.md"))
    tier = {**managed_tier("tier-1", tiny_model_dir, "tiny-bench"), "cost": {"hardware": "cpu"}}
    config = {
        "server": {"state_dir": str(tmp_path / "state")},
        "tiers": [tier, {"name": "frontier", "kind": "openai"}],
        "routing": {**ROUTING_RULES, "rules": {"default_tier": "tier-1"}},
        "bench": BENCH,
    }
    config_path = tmp_path / "tierd.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    out = tmp_path / "out"
    env = {**os.environ, "TIERD_GPU_CONFIGS": str(profiles_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "bench", "hardware", "--config", str(config_path), "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=480,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "tier-1 c=2:" in done.stdout

    results = json.loads((out / "results.json").read_text())
    (tier_result,) = results["tiers"]
    assert [s["concurrency"] for s in tier_result["steps"]] == [1, 2]
    # The gateway's `auto` telemetry: NVML on a GPU node (with the host CPU alongside), the CPU sampler elsewhere.
    telemetry = "nvml" if host_has_nvml() else "cpu"
    for step in tier_result["steps"]:
        assert step["errors"] == 0 and step["requests"] == 4
        assert step["output_tokens_per_s"] > 0 and step["ttft_p95_s"] > 0 and step["itl_p95_s"] is not None
        assert step["device"]["source"] == telemetry and step["device"]["cpu_utilization_pct_mean"] is not None
        assert step["usd_per_1m_output_tokens"]["cloud"] > step["usd_per_1m_output_tokens"]["owned"] > 0
    assert tier_result["knee"] is not None and tier_result["telemetry_source"] == telemetry
    assert "(knee)" in (out / "report.md").read_text()

    measured = load_measured(profiles_dir, "cpu", "tiny-bench")
    assert measured is not None and tier_result["measured_profile"].startswith(str(profiles_dir))
    assert measured.knee.concurrency == tier_result["knee"]["concurrency"]
    settings = load_settings(config_path, env=env)
    pricing = build_pricing(settings, load_profiles(profiles_dir))["tier-1"]
    assert pricing.tokens_per_replica_hour == pytest.approx(measured.tokens_per_hour)
    assert not any((tmp_path / "out" / "replicas" / "tier-1").glob("tmp/*")), "the replica's private tmp is removed"
