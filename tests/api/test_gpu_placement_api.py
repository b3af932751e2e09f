"""GPU state through the whole gateway: the real app, its telemetry sampler and NVML source, over scripted
tiers. No GPU here: NVML is a fake two-GPU `pynvml` module behind the real NvmlSource (tests/fixtures/
fake_gpu.py), or the NVML trace recorded on an H200 (tests/fixtures/h200_probe_trace.jsonl) replayed
through the trace source. The same decision on a real H200 is benchmarks/results/gpu_placement/."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import gateway_settings, running_gateway, scripted_tiers, vllm_tier
from tests.fixtures.fake_gpu import FakeNvml
from tiers.load import ReplicaLoad
from tiers.scripted import ScriptedTier

H200_TRACE = Path(__file__).parents[1] / "fixtures" / "h200_probe_trace.jsonl"
SAY_HI = {"model": "auto", "messages": [{"role": "user", "content": "Say hi"}]}


def _settings(tmp_path: Path, telemetry: dict[str, Any]) -> Any:
    two_urls = ["http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1"]
    return gateway_settings(
        tmp_path,
        tiers=[
            vllm_tier("tier-1", urls=two_urls, gpus=[[0], [1]]),
            vllm_tier("tier-2", gpus=[[0]]),
            {
                "name": "frontier",
                "kind": "openai",
                "base_url": "http://127.0.0.1:9/v1",
                "model": "f",
                "price_per_1m_input": 2.5,
                "price_per_1m_output": 10.0,
                "max_retries": 0,
            },
        ],
        telemetry=telemetry,
        placement={"gpu": {"smoothing_s": 0.05}},
    )


def _tiers(settings: Any) -> Any:
    tiers = scripted_tiers(settings)
    tiers["tier-1"] = ScriptedTier("tier-1", "tier-1-model", tiers["tier-1"].handler, replicas=2, gpus=[("0",), ("1",)])
    tiers["tier-2"].gpus = [("0",)]
    for name in ("tier-1", "tier-2"):  # requests queue on every local replica
        tiers[name].load = ReplicaLoad(1e12, 4.0, 2.0, 0.3, 0.0, 0.0, 0.0)
    return tiers


async def _route_until(gateway: Any, replica: str, timeout_s: float = 5.0) -> dict[str, Any]:
    """/v1/route until it reads GPU state and places on `replica` (the sampler reads NVML every 50 ms),
    else the last answer."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        routed = (await gateway.http.post("/v1/route", json=SAY_HI)).json()
        done = routed["gpu"] is not None and routed["replica"] == replica
        if done or asyncio.get_running_loop().time() > deadline:
            return routed
        await asyncio.sleep(0.05)


async def test_a_hot_gpu_turns_the_decision_away_over_http(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = {0: {"utilization": 20, "pids": []}, 1: {"utilization": 20, "pids": []}}
    monkeypatch.setitem(sys.modules, "pynvml", FakeNvml(("NVIDIA H200", "NVIDIA H200"), per_gpu=state.__getitem__))
    settings = _settings(tmp_path, {"source": "nvml", "interval_s": 0.05, "max_age_s": 5})
    async with running_gateway(settings, _tiers(settings)) as gateway:
        cool = await _route_until(gateway, "tier-1-0")
        assert cool["replica"] == "tier-1-0" and cool["gpu"]["hot"] == {}
        assert cool["gpu"]["gpu_map"] == {"tier-1-0": ["0"], "tier-1-1": ["1"], "tier-2-0": ["0"]}

        state[0]["utilization"] = 99  # GPU 0, shared by tier-1-0 and tier-2-0, is saturated
        hot = await _route_until(gateway, "tier-1-1")
        assert hot["replica"] == "tier-1-1", hot["placement_reason"]
        assert "avoided tier-1-0: GPU 0 hot (utilization 9" in hot["placement_reason"]  # smoothed towards 99%
        assert "4 waiting on its replicas" in hot["placement_reason"]  # tier-1-0 and tier-2-0, 2 each
        assert [g["gpu"] for g in hot["gpu"]["replica_gpus"]] == ["1"]

        answered = await gateway.chat("Say hi")
        assert answered.status_code == 200
        assert answered.headers["x-tierd-replica"] == "tier-1-1"
        assert "GPU 0 hot" in answered.headers["x-tierd-placement"]

        # A request for tier-2, whose only replica is on the hot GPU, spills to the frontier.
        spilled = (
            await gateway.http.post(
                "/v1/route",
                json={
                    **SAY_HI,
                    "model": "auto",
                    "messages": [{"role": "user", "content": "Translate this to French: good morning"}],
                },
            )
        ).json()
        assert spilled["chosen_tier"] == "frontier" and spilled["spilled_from"] == "tier-2"

        ready = (await gateway.http.get("/v1/tiers")).json()
        replicas = {r["id"]: r for t in ready["tiers"] for r in t["replicas"]}
        assert replicas["tier-1-0"]["gpus"] == ["0"] and "GPU 0 hot" in replicas["tier-1-0"]["gpu_pressure"]
        assert replicas["tier-1-1"]["gpu_pressure"] is None
        assert [(g["gpu"], bool(g["hot"])) for g in ready["gpus"]] == [("0", True), ("1", False)]
        live = (await gateway.http.get("/dashboard/api/live")).json()
        assert live["gpu_map"] == {"0": ["tier-1-0", "tier-2-0"], "1": ["tier-1-1"]} and "0" in live["hot_gpus"]


async def test_the_recorded_h200_trace_under_load_makes_its_replicas_hot(tmp_path: Path) -> None:
    # The trace's load phase (from t=3 s: 99-100% utilization at ~690 W of 700 W), rebased to start at once.
    lines = [json.loads(line) for line in H200_TRACE.read_text().splitlines() if line.strip()]
    loaded = [{**line, "t": round(line["t"] - 3.0, 3)} for line in lines if 3.0 <= line["t"] <= 40.0]
    trace = tmp_path / "h200_loaded.jsonl"
    trace.write_text("".join(json.dumps(line) + "\n" for line in loaded))
    settings = _settings(tmp_path, {"source": "trace", "trace_path": str(trace), "interval_s": 0.05})
    async with running_gateway(settings, _tiers(settings)) as gateway:
        routed = await _route_until(gateway, "tier-1-1")
        # The trace has one GPU (index 0): tier-1-1's GPU 1 is unknown there, so never hot.
        assert routed["replica"] == "tier-1-1" and "GPU 0 hot" in routed["placement_reason"]
        (gpu,) = routed["gpu"]["replica_gpus"] or [None]
        assert gpu is None  # GPU 1 is not in the trace
        assert routed["gpu"]["hot"]["0"].startswith("GPU 0 hot")
