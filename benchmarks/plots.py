"""Benchmark plots: PNG line charts from benchmark results, byte-stable across reruns.

Needs matplotlib (the `bench` extra). Callers import this module lazily and go without plots
when it is missing: the serving image installs tierd without extras.

`line_plot` and `save` are generic; `hardware_plots` draws `tierd bench hardware`'s two charts from
its results.json mapping: throughput against p95 latency, and $/1M output tokens against concurrency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

# No display anywhere a benchmark runs (servers, CI): render off-screen. Set before anything can
# pull in pyplot; this module itself builds `Figure`s directly so no global pyplot state is kept.
matplotlib.use("Agg")

from matplotlib.axes import Axes  # after the backend is chosen
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogFormatter

# Fixed size and resolution: the same results give the same image.
FIG_WIDTH_IN, PANEL_HEIGHT_IN, DPI = 8.0, 4.5, 100
COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:gray")
MODE_STYLES = {"cloud": "-", "owned": "--"}

THROUGHPUT_VS_LATENCY = "throughput_vs_latency.png"
COST_VS_CONCURRENCY = "cost_vs_concurrency.png"


@dataclass(frozen=True, slots=True)
class Series:
    """One line. Points whose x or y is None (a figure the run could not measure) are left out."""

    label: str
    x: Sequence[float | None]
    y: Sequence[float | None]
    color: str = COLORS[0]
    linestyle: str = "-"
    # Text beside each point (e.g. its concurrency); empty for none.
    point_labels: Sequence[str] = ()
    # Index of a point to ring and tag with `mark_text` (e.g. the knee); None for none.
    mark: int | None = None
    mark_text: str = ""


@dataclass(frozen=True, slots=True)
class Threshold:
    """A horizontal reference line (e.g. an SLO bound)."""

    y: float
    label: str


class _PlainLogFormatter(LogFormatter):
    """LogFormatter's choice of which ticks to label, written as plain numbers (0.6, not 6e-01)."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x:.3g}" if super().__call__(x, pos) else ""


def _points(series: Series, log_y: bool) -> list[tuple[int, float, float]]:
    # A log axis cannot show zero or negatives; those points are dropped rather than failing the plot.
    return [
        (i, x, y)
        for i, (x, y) in enumerate(zip(series.x, series.y, strict=True))
        if x is not None and y is not None and (y > 0 or not log_y)
    ]


def line_plot(
    ax: Axes,
    series: Sequence[Series],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    log2_x: bool = False,
    log_y: bool = False,
    thresholds: Sequence[Threshold] = (),
) -> None:
    """Draws each series as a marked line on `ax`, with its point labels, marked point and thresholds."""
    for s in series:
        points = _points(s, log_y)
        if not points:
            continue
        xs, ys = [p[1] for p in points], [p[2] for p in points]
        ax.plot(xs, ys, color=s.color, linestyle=s.linestyle, marker="o", markersize=4, label=s.label)
        if s.point_labels:
            for i, x, y in points:
                ax.annotate(s.point_labels[i], (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
        marked = [(x, y) for i, x, y in points if i == s.mark]
        if marked:
            (x, y) = marked[0]
            ax.plot([x], [y], marker="o", markersize=11, markerfacecolor="none", markeredgecolor=s.color)
            ax.annotate(s.mark_text, (x, y), textcoords="offset points", xytext=(6, -12), fontsize=8, color=s.color)
    for t in thresholds:
        ax.axhline(t.y, color="black", linestyle=":", linewidth=1, label=t.label)
    # Plain numbers on log axes (1, 2, 4 ... and 200, 300 ...), not the default 2^1 and 2x10^2.
    if log2_x:
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    if log_y:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(_PlainLogFormatter())
        ax.yaxis.set_minor_formatter(_PlainLogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, handlelength=3)  # long enough to tell dashed from solid


def new_figure(panels: int = 1) -> tuple[Figure, list[Axes]]:
    """A figure of `panels` stacked axes at the fixed size."""
    fig = Figure(figsize=(FIG_WIDTH_IN, PANEL_HEIGHT_IN * panels), dpi=DPI, layout="constrained")
    axes = fig.subplots(panels, 1, squeeze=False)
    return fig, [row[0] for row in axes]


def save(fig: Figure, path: Path) -> Path:
    """PNG without the Software tag (it names the matplotlib version), so reruns are byte-identical."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return path


def _ms(value: float | None) -> float | None:
    return None if value is None else value * 1000


def _knee_index(result: dict[str, Any]) -> int | None:
    knee = result.get("knee")
    if not knee:
        return None
    concurrencies = [s["concurrency"] for s in result["steps"]]
    return concurrencies.index(knee["concurrency"]) if knee["concurrency"] in concurrencies else None


def throughput_vs_latency(report: dict[str, Any], path: Path) -> Path:
    """Output tokens/s against p95 TTFT (top) and p95 ITL (bottom), one line per tier, points labelled
    with their concurrency, the knee ringed, the SLO bounds dotted."""
    fig, (ttft_ax, itl_ax) = new_figure(2)
    panels = ((ttft_ax, "ttft_p95_s", "TTFT p95"), (itl_ax, "itl_p95_s", "ITL p95"))
    for ax, key, name in panels:
        series = [
            Series(
                label=result["tier"],
                x=[s["output_tokens_per_s"] for s in result["steps"]],
                y=[_ms(s.get(key)) for s in result["steps"]],
                color=COLORS[n % len(COLORS)],
                point_labels=[f"c={s['concurrency']}" for s in result["steps"]],
                mark=_knee_index(result),
                mark_text="knee",
            )
            for n, result in enumerate(report["tiers"])
        ]
        slo = report["slo"].get(key)
        line_plot(
            ax,
            series,
            title=f"Output throughput against {name}",
            xlabel="output tokens/s",
            ylabel=f"{name} (ms)",
            log_y=True,
            thresholds=[Threshold(slo * 1000, f"SLO {slo * 1000:g} ms")] if slo else [],
        )
    return save(fig, path)


def cost_vs_concurrency(report: dict[str, Any], path: Path) -> Path:
    """$/1M output tokens against concurrency, one line per tier and cost mode (cloud solid, owned
    dashed), the knee ringed."""
    fig, (ax,) = new_figure(1)
    series = [
        Series(
            label=f"{result['tier']} {mode}",
            x=[s["concurrency"] for s in result["steps"]],
            y=[(s.get("usd_per_1m_output_tokens") or {}).get(mode) for s in result["steps"]],
            color=COLORS[n % len(COLORS)],
            linestyle=style,
            mark=_knee_index(result),
            mark_text="knee",
        )
        for n, result in enumerate(report["tiers"])
        for mode, style in MODE_STYLES.items()
    ]
    line_plot(
        ax,
        series,
        title="$/1M output tokens against concurrency",
        xlabel="concurrency",
        ylabel="$ per 1M output tokens",
        log2_x=True,
        log_y=True,
    )
    return save(fig, path)


def hardware_plots(report: dict[str, Any], out: Path) -> list[tuple[str, Path]]:
    """Writes the hardware benchmark's charts into `out`; returns (caption, path) for each."""
    return [
        ("Output throughput against p95 TTFT and ITL", throughput_vs_latency(report, out / THROUGHPUT_VS_LATENCY)),
        ("$/1M output tokens against concurrency", cost_vs_concurrency(report, out / COST_VS_CONCURRENCY)),
    ]
