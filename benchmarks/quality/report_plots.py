"""The quality report's two charts, drawn with benchmarks/plots.py's figure and save helpers (Agg, byte-stable).

- cost_quality.png: each router's non-decreasing convex hull ($ per request against quality), the learned and
  hybrid sweeps' points faintly, the oracle and rules operating points, the random router's line and the
  always-one-tier points.
- quality_by_category.png: mean quality per category, one bar per tier.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.ticker import FuncFormatter

from benchmarks.plots import COLORS, DPI, FIG_WIDTH_IN, PANEL_HEIGHT_IN, new_figure, save
from benchmarks.quality.replay import ReplayResult
from benchmarks.quality.tables import ALL

_STYLES = {
    "oracle": ("tab:green", ":"),
    "random": ("tab:gray", "--"),
    "rules": ("tab:orange", "-."),
    "learned": ("tab:blue", "-"),
    "hybrid": ("tab:purple", (0, (5, 2))),
}


def _usd(value: float, _: int | None = None) -> str:
    return f"${value:.2g}" if value else "$0"


def cost_quality_plot(result: ReplayResult, path: Path) -> Path:
    fig, (ax,) = new_figure(1)
    for curve in result.routers:
        if curve.name.startswith("always-"):
            continue
        color, style = _STYLES.get(curve.name, (COLORS[len(_STYLES) % len(COLORS)], "-"))
        if curve.name in ("learned", "hybrid") and len(curve.points) > 1:
            ax.scatter([p.cost for p in curve.points], [p.quality for p in curve.points], s=6, color=color, alpha=0.25)
        aiq = f" (AIQ {curve.aiq:.3f})" if curve.aiq is not None else ""
        ax.plot(
            [p.cost for p in curve.hull],
            [p.quality for p in curve.hull],
            color=color,
            linestyle=style,
            linewidth=1.5,
            label=f"{curve.name}{aiq}",
        )
        if curve.operating_point is not None and curve.name in ("oracle", "rules", "learned", "hybrid"):
            op = curve.operating_point
            marker = "*" if curve.name == "oracle" else "D"
            ax.plot([op.cost], [op.quality], marker=marker, markersize=11 if marker == "*" else 6, color=color)
    for tier, point in result.always.items():
        ax.plot([point.cost], [point.quality], marker="s", markersize=7, color="black")
        ax.annotate(f"always {tier}", (point.cost, point.quality), textcoords="offset points", xytext=(5, -12))
    ax.set_title("Cost against quality: each router's non-decreasing convex hull", fontsize=10)
    ax.set_xlabel("$ per request")
    ax.set_ylabel("quality")
    ax.xaxis.set_major_formatter(FuncFormatter(_usd))
    # Start the quality axis just under the lowest point shown, so close curves stay apart.
    lowest = min([p.quality for p in result.always.values()] + [p.quality for r in result.routers for p in r.hull])
    ax.set_ylim(max(0.0, lowest - 0.05), 1.02)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    return save(fig, path)


def quality_by_category_plot(result: ReplayResult, path: Path) -> Path:
    rows = [s for s in result.by_category if s.group != ALL and s.quality is not None]
    categories = sorted({s.group for s in rows})
    fig, (ax,) = new_figure(1)
    # Wide enough for the category names under their bars.
    fig.set_size_inches(max(FIG_WIDTH_IN, 0.6 * len(categories) * max(1, len(result.tiers)) / 2), PANEL_HEIGHT_IN)
    width = 0.8 / max(len(result.tiers), 1)
    x = np.arange(len(categories))
    for k, tier in enumerate(result.tiers):
        values = {s.group: s.quality for s in rows if s.tier == tier}
        heights = [values.get(c) or 0.0 for c in categories]
        ax.bar(x + (k - (len(result.tiers) - 1) / 2) * width, heights, width, label=tier, color=COLORS[k % 8])
    ax.set_xticks(x, categories, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("quality")
    ax.set_ylim(0, 1.05)
    ax.set_title("Mean quality per category and tier", fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=7)
    fig.set_dpi(DPI)
    return save(fig, path)
