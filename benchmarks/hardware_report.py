"""The hardware sweep's human report: markdown tables from the results.json mapping.

No plots: matplotlib is not in tierd's pinned environment, and these tables hold the same series
(throughput against latency; $/1M output tokens against concurrency), one row per step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def render(report: dict[str, Any]) -> str:
    slo = report["slo"]
    lines = [
        "# Hardware benchmark",
        "",
        f"{report['measured_at']}. SLO: TTFT p95 <= {slo['ttft_p95_s']} s, "
        f"ITL p95 <= {slo['itl_p95_s']} s. Throughput is over each step's wall time; latency over its "
        "successful requests. The knee is the fastest step within the SLO.",
        "",
    ]
    for result in report["tiers"]:
        lines += tier_section(result)
    return "\n".join(lines)


def write_markdown(path: Path, report: dict[str, Any]) -> None:
    path.write_text(render(report) + "\n", encoding="utf-8")
    print(f"wrote {path}")
