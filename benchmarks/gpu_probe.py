"""GPU probe: do NVML readings move when the GPU works, and what does this GPU cost per hour?

    python benchmarks/gpu_probe.py [--seconds 60] [--out DIR] [--profile NAME]

Loads cuda:0 with back-to-back bf16 matrix products in a background thread and samples NVML
once a second: a few idle seconds, `--seconds` under load, a few idle again. Prints one line
per sample, a summary (utilisation, power, peak memory, achieved TFLOP/s) and the matched
hardware profile's cloud and owned $/hour, then PASS/FAIL for each plausibility check.
Writes DIR/gpu_probe.json and DIR/trace.jsonl (a trace `TraceSource` replays on GPU-less
machines). Exit status: 0 all checks pass, 1 a check failed, 2 no CUDA or no NVML here.

Runs from a checkout on a bare CUDA image (torch, pyyaml, psutil, nvidia-ml-py): it imports
only `tiers.hardware` and `tiers.telemetry`, never the gateway.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from a checkout, without installing tierd
    sys.path.insert(0, str(REPO_ROOT))

from tiers.hardware import HardwareProfile, detect_hardware, load_profiles, match_profile  # noqa: E402
from tiers.telemetry import CpuSource, NvmlSource, NvmlUnavailableError, TelemetrySnapshot, TraceSource  # noqa: E402
from tiers.telemetry import record as record_trace  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "benchmarks" / "out" / "gpu_probe"
GIB = 1024**3
STATIC_FIELDS = ("index", "name", "uuid", "memory_total_bytes", "power_limit_watts")
# Matmuls queued between synchronisations: enough to keep the GPU busy, few enough to stop promptly.
BATCH = 20


class ProbeUnavailable(Exception):
    """This machine cannot run the probe (no NVML, no CUDA); exit 2 with the message."""


class MatmulLoad:
    """bf16 `size`x`size` matmuls on cuda:0 in a thread, between `go` and `stop`."""

    def __init__(self, torch: Any, size: int) -> None:
        self.torch, self.size = torch, size
        self.ready, self.go, self.stop = threading.Event(), threading.Event(), threading.Event()
        self.matmuls, self.seconds = 0, 0.0
        self.error: str | None = None
        self.thread = threading.Thread(target=self._run, name="matmul-load", daemon=True)

    def _run(self) -> None:
        torch = self.torch
        try:
            a, b, c = (torch.randn(self.size, self.size, device="cuda:0", dtype=torch.bfloat16) for _ in range(3))
            for _ in range(3):  # cuBLAS picks its kernels on the first calls
                torch.matmul(a, b, out=c)
            torch.cuda.synchronize()
            self.ready.set()
            self.go.wait()
            started, done = time.perf_counter(), 0
            while not self.stop.is_set():
                for _ in range(BATCH):
                    torch.matmul(a, b, out=c)
                torch.cuda.synchronize()
                done += BATCH
                self.matmuls, self.seconds = done, time.perf_counter() - started
        except Exception as exc:  # reported as a failed check, not a traceback in a thread
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.ready.set()

    @property
    def tflops(self) -> float:
        return 2 * self.size**3 * self.matmuls / self.seconds / 1e12 if self.seconds > 0 else 0.0


def open_nvml() -> NvmlSource:
    try:
        source = NvmlSource(cpu=CpuSource()).open()
    except NvmlUnavailableError as exc:
        raise ProbeUnavailable(f"NVML is unavailable: {exc}") from exc
    if source.device_count == 0:
        source.close()
        raise ProbeUnavailable("NVML started but sees no GPU")
    return source


def import_cuda_torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ProbeUnavailable("PyTorch is not installed: the probe needs a CUDA build of torch") from exc
    if not torch.cuda.is_available():
        raise ProbeUnavailable(f"CUDA is not available to torch {torch.__version__} (CUDA build: {torch.version.cuda})")
    return torch


def cuda0_index(torch: Any, samples: TelemetrySnapshot) -> int:
    """NVML's index of cuda:0: CUDA orders devices fastest first, NVML by PCI bus."""
    uuid = str(getattr(torch.cuda.get_device_properties(0), "uuid", "")).lower()
    for gpu in samples.gpus:
        if uuid and gpu.uuid.lower().removeprefix("gpu-") == uuid.removeprefix("gpu-"):
            return gpu.index
    return 0


def stats(values: list[float]) -> dict[str, float] | None:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)} if values else None


def describe(snapshot: TelemetrySnapshot, index: int, phase: str, t: float) -> str:
    gpu = snapshot.gpus[index]

    def fmt(value: float | None, spec: str) -> str:
        return "n/a" if value is None else format(value, spec)

    used = None if gpu.memory_used_bytes is None else gpu.memory_used_bytes / GIB
    total = None if gpu.memory_total_bytes is None else gpu.memory_total_bytes / GIB
    return (
        f"[{t:5.1f}s] {phase:<5} util {fmt(gpu.utilization_pct, '3.0f')} %  "
        f"mem {fmt(used, '.1f')}/{fmt(total, '.1f')} GiB  power {fmt(gpu.power_watts, '4.0f')} W  "
        f"temp {fmt(gpu.temperature_c, '.0f')} C"
    )


def summarize(samples: list[TelemetrySnapshot], phases: list[str], index: int) -> dict[str, Any]:
    def readings(phase: str, field: str) -> list[float]:
        values = (getattr(s.gpus[index], field) for s, p in zip(samples, phases, strict=True) if p == phase)
        return [float(v) for v in values if v is not None]

    memory = readings("load", "memory_used_bytes")
    temperature = readings("load", "temperature_c")
    return {
        "idle": {
            "utilization_pct": stats(readings("idle", "utilization_pct")),
            "power_watts": stats(readings("idle", "power_watts")),
        },
        "load": {
            "utilization_pct": stats(readings("load", "utilization_pct")),
            "power_watts": stats(readings("load", "power_watts")),
            "peak_memory_used_gib": max(memory) / GIB if memory else None,
            "max_temperature_c": max(temperature) if temperature else None,
        },
    }


def run_checks(summary: dict[str, Any], load: MatmulLoad, profile: HardwareProfile | None) -> dict[str, bool]:
    util, power = summary["load"]["utilization_pct"], summary["load"]["power_watts"]
    idle = summary["idle"]["power_watts"]
    return {
        "matmul load ran": load.error is None and load.matmuls > 0,
        "utilization > 0 under load": util is not None and util["median"] > 0,
        "power > 0 under load": power is not None and power["median"] > 0,
        # Against the idle minimum: NVML averages power over about a second, so idle samples next
        # to the load can still read high.
        "power under load > idle power": power is not None and idle is not None and power["median"] > idle["min"],
        "device matches a hardware profile": profile is not None,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="seconds under load (one sample each)")
    parser.add_argument("--idle-seconds", type=int, default=3, help="idle samples before and after the load")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--size", type=int, default=8192, help="matrix side of the bf16 matmuls")
    parser.add_argument("--profile", help="hardware profile name, instead of matching the NVML device name")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for gpu_probe.json and trace.jsonl")
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.idle_seconds < 1 or args.interval <= 0:
        parser.error("--seconds and --idle-seconds must be >= 1 and --interval > 0")
    return args


def probe(args: argparse.Namespace) -> int:
    profiles = load_profiles()
    if args.profile is not None and args.profile not in profiles:
        raise ProbeUnavailable(f"no hardware profile named {args.profile!r}; known: {', '.join(sorted(profiles))}")
    source = open_nvml()  # before torch: NVML fails fast, importing torch takes seconds
    with source:
        torch = import_cuda_torch()
        first = source.sample()
        index = cuda0_index(torch, first)
        device = first.gpus[index]
        profile = detect_hardware(profiles, args.profile) if args.profile else match_profile(device.name, profiles)
        print(f"device: {device.name} ({device.uuid}), driver {source.driver_version}")
        print(f"torch {torch.__version__}, CUDA {torch.version.cuda}")
        print(f"profile: {profile.name if profile else 'none matches ' + repr(device.name)}")

        load = MatmulLoad(torch, args.size)
        load.thread.start()
        load.ready.wait(timeout=120)
        if load.error is not None or not load.ready.is_set():
            print(f"FAIL  the matmul load could not start: {load.error or 'no CUDA setup after 120 s'}")
            return 1
        idle_n, load_n = args.idle_seconds, args.seconds
        phases = ["idle"] * idle_n + ["load"] * load_n + ["idle"] * idle_n
        taken: list[TelemetrySnapshot] = []

        def on_sample(snapshot: TelemetrySnapshot) -> None:
            taken.append(snapshot)
            i = len(taken) - 1
            print(describe(snapshot, index, phases[i], snapshot.taken_at - taken[0].taken_at), flush=True)
            if i == idle_n - 1:
                load.go.set()
            elif i == idle_n + load_n - 1:
                load.stop.set()

        args.out.mkdir(parents=True, exist_ok=True)
        trace_path = args.out / "trace.jsonl"
        try:
            samples = record_trace(source, trace_path, len(phases), args.interval, on_sample=on_sample)
        finally:
            load.go.set()
            load.stop.set()
            load.thread.join(timeout=60)

    summary = summarize(samples, phases, index)
    checks = run_checks(summary, load, profile)
    checks["trace replays"] = TraceSource(trace_path).sample().gpus[index].uuid == device.uuid
    versions = {"driver_version": source.driver_version, "torch": torch.__version__, "cuda": torch.version.cuda}
    report = {
        "device": {k: v for k, v in dataclasses.asdict(device).items() if k in STATIC_FIELDS} | versions,
        "config": {**vars(args), "out": str(args.out)},
        "matmul": {"count": load.matmuls, "seconds": load.seconds, "tflops": load.tflops, "error": load.error},
        **summary,
        "profile": None,
        "checks": checks,
        "passed": all(checks.values()),
    }
    if profile is not None:
        report["profile"] = {"name": profile.name, "bf16_dense_tflops": profile.bf16_dense_tflops}
        report["profile"].update({f"{m}_usd_per_hour": profile.usd_per_hour(m) for m in ("cloud", "owned")})
        report["matmul"]["pct_of_spec"] = 100 * load.tflops / profile.bf16_dense_tflops
    (args.out / "gpu_probe.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_summary(report)
    print(f"wrote {args.out / 'gpu_probe.json'} and {trace_path}")
    return 0 if report["passed"] else 1


def print_summary(report: dict[str, Any]) -> None:
    def line(label: str, s: dict[str, float] | None, unit: str) -> None:
        text = "n/a" if s is None else f"min {s['min']:.0f}  median {s['median']:.0f}  max {s['max']:.0f} {unit}"
        print(f"  {label:<22} {text}")

    print("\nsummary:")
    line("utilization under load", report["load"]["utilization_pct"], "%")
    line("power under load", report["load"]["power_watts"], "W")
    line("power idle", report["idle"]["power_watts"], "W")
    peak, total = report["load"]["peak_memory_used_gib"], (report["device"]["memory_total_bytes"] or 0) / GIB
    print(f"  {'peak memory':<22} {'n/a' if peak is None else f'{peak:.1f}'} of {total:.1f} GiB")
    m, p = report["matmul"], report["profile"]
    spec = f" ({m['pct_of_spec']:.0f}% of the profile's dense bf16 spec)" if p else ""
    print(f"  {'bf16 matmul':<22} {m['tflops']:.1f} TFLOP/s: {m['count']} matmuls in {m['seconds']:.1f} s{spec}")
    if m["error"]:
        print(f"  matmul error: {m['error']}")
    if p is not None:
        cloud, owned = p["cloud_usd_per_hour"], p["owned_usd_per_hour"]
        print(f"  {'profile ' + p['name']:<22} cloud ${cloud:.3f}/hour, owned ${owned:.3f}/hour (per GPU)")
    print("\nchecks:")
    for name, ok in report["checks"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    print("PASS" if report["passed"] else "FAIL")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return probe(args)
    except ProbeUnavailable as exc:
        print(f"gpu_probe: cannot run here: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
