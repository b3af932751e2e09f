"""The hardware sweep's human report: report.md (a table per tier) and its plots, from the
results.json mapping; `replot` rebuilds both from a results.json without running anything.

The plots (benchmarks/plots.py) need matplotlib, the `bench` extra. Without it the report says
so and keeps the tables, which hold the same series one row per step.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from server.settings import ConfigError

NO_MATPLOTLIB = (
    "No plots: matplotlib is not installed. Install the `bench` extra (`pip install 'tierd[bench]'`) "
    "and run `tierd bench hardware --replot DIR` to add them."
)

HEADER = (
    "| concurrency | req/s | out tok/s | all tok/s | TTFT p50 / p95 | ITL p50 / p95 | power W | GPU % | CPU % "
    "| J / out tok | $/1M out cloud | $/1M out owned | SLO |\n"
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.0f} ms"


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.4f}"


def step_row(step: dict[str, Any], knee: int | None) -> str:
    device = step.get("device") or {}
    usd = step["usd_per_1m_output_tokens"]
    mark = " (knee)" if step["concurrency"] == knee else ""
    cells = [
        f"{step['concurrency']}{mark}",
        _num(step["requests_per_s"], 2),
        _num(step["output_tokens_per_s"]),
        _num(step["total_tokens_per_s"]),
        f"{_ms(step['ttft_p50_s'])} / {_ms(step['ttft_p95_s'])}",
        f"{_ms(step['itl_p50_s'])} / {_ms(step['itl_p95_s'])}",
        _num(device.get("power_watts_mean")),
        _num(device.get("gpu_utilization_pct_mean")),
        _num(device.get("cpu_utilization_pct_mean")),
        _num(step.get("joules_per_output_token"), 3),
        _usd(usd.get("cloud")),
        _usd(usd.get("owned")),
        ("yes" if step["within_slo"] else "no") + (f", {step['errors']} errors" if step["errors"] else ""),
    ]
    return "| " + " | ".join(cells) + " |"


def tier_section(result: dict[str, Any]) -> list[str]:
    knee = result["knee"]
    lines = [
        f"## {result['tier']}: {result['model']} on `{result['hardware']}` (x{result['gpus_per_replica']:g})",
        "",
        f"Replica {result['url']} ({result['engine']}); telemetry from {result['telemetry_source']}; "
        f"${result['usd_per_hour']['cloud']:.4f}/hour cloud, ${result['usd_per_hour']['owned']:.4f}/hour owned.",
        "",
        HEADER,
        *(step_row(s, knee["concurrency"] if knee else None) for s in result["steps"]),
        "",
    ]
    if knee:
        lines.append(
            f"Knee: concurrency {knee['concurrency']}, {knee['output_tokens_per_s']:,.1f} output tok/s "
            f"({knee['total_tokens_per_s'] * 3600:,.0f} tokens/hour, prompt + generated), "
            f"{_usd(knee['usd_per_1m_output_tokens'].get('cloud'))}/1M output tokens cloud, "
            f"{_usd(knee['usd_per_1m_output_tokens'].get('owned'))} owned."
        )
    else:
        lines.append("No step met the SLO: no knee, and no measured profile was written.")
    if result.get("measured_profile"):
        lines.append(f"Measured profile: `{result['measured_profile']}`.")
    if result.get("errors"):
        lines += ["", "First errors:", *(f"- {e}" for e in result["errors"])]
    return [*lines, ""]


def render(report: dict[str, Any], images: Sequence[tuple[str, str]] | None = ()) -> str:
    """The report; `images` are (caption, file name relative to report.md), None when they could not
    be drawn (no matplotlib)."""
    slo = report["slo"]
    lines = [
        "# Hardware benchmark",
        "",
        f"{report['measured_at']}. SLO: TTFT p95 <= {slo['ttft_p95_s']} s, "
        f"ITL p95 <= {slo['itl_p95_s']} s. Throughput is over each step's wall time; latency over its "
        "successful requests. The knee is the fastest step within the SLO.",
        "",
    ]
    if images is None:
        lines += [NO_MATPLOTLIB, ""]
    for caption, name in images or ():
        lines += [f"![{caption}]({name})", ""]
    for result in report["tiers"]:
        lines += tier_section(result)
    return "\n".join(lines)


def write_markdown(path: Path, report: dict[str, Any], images: Sequence[tuple[str, str]] | None = ()) -> None:
    path.write_text(render(report, images) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def write_outputs(out: Path, report: dict[str, Any]) -> None:
    """OUT/report.md with its plots beside it (the results.json is the caller's)."""
    images: list[tuple[str, str]] | None
    try:
        # Imported here: matplotlib is an optional extra, and loading it costs a second or so.
        from benchmarks.plots import hardware_plots
    except ModuleNotFoundError as exc:
        # Only matplotlib's absence means "no plots"; any other missing module is a real fault.
        if (exc.name or "").partition(".")[0] != "matplotlib":
            raise
        images = None
    else:
        images = []
        for caption, path in hardware_plots(report, out):
            print(f"wrote {path}")
            images.append((caption, path.name))
    write_markdown(out / "report.md", report, images)


def replot(out: Path) -> dict[str, Any]:
    """Rebuilds OUT/report.md and the plots from OUT/results.json; runs no benchmark."""
    path = out / "results.json"
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"--replot {out}: cannot read {path}: {exc}") from None
    write_outputs(out, report)
    return report
