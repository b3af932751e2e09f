"""The placement simulation runs (short) and its report has the target figures."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.placement_sim import main


def test_short_simulation_writes_its_report(tmp_path: Path) -> None:
    out = tmp_path / "placement_sim.json"
    report = main(["--seconds", "60", "--out", str(out)])
    assert json.loads(out.read_text()) == report
    steady = report["results"]["steady-2x"]
    assert set(steady) == {"always-local", "always-frontier", "tierd"}
    assert steady["always-local"]["served"]["frontier"] == 0  # tier-1 never spills there
    assert steady["always-frontier"]["served"]["frontier"] == steady["always-frontier"]["requests"]
    assert 0 < steady["tierd"]["spill_share"] < 1


def test_the_gpu_pool_prices_spills_at_the_margin(tmp_path: Path) -> None:
    report = main(["--seconds", "60", "--out", str(tmp_path / "placement_sim.json")])
    pool = report["gpu_pool"]["results"]
    assert set(pool) == {"gpt-4o", "gpt-4o-mini"}
    for load in ("steady-0.5x", "steady-1.5x", "steady-3x"):
        row = pool["gpt-4o-mini"][load]
        assert {"always-frontier", "amortized", "marginal", "marginal+gpu"} <= set(row)
    busy = pool["gpt-4o-mini"]["steady-1.5x"]
    # Against the mini, tier-2's amortized $/token is above the frontier's list price: amortized placement
    # never uses the reserved tier-2, placement at the margin does, and pays the frontier less.
    assert busy["amortized"]["served"]["tier-2"] == 0 < busy["marginal"]["served"]["tier-2"]
    paid = "frontier_paid_per_1k_requests_usd"
    assert busy["marginal"][paid] < busy["amortized"][paid]
    # Against GPT-4o both orders agree, so both strategies place alike.
    same = pool["gpt-4o"]["steady-1.5x"]
    assert same["marginal"]["served"] == same["amortized"]["served"]
