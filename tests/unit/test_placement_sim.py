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
