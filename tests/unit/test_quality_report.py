"""The quality report: results.json, report.md, report.html (self-contained) and the two PNG charts."""

from __future__ import annotations

import json
from pathlib import Path

from matplotlib.image import imread

from benchmarks.quality.model import REFERENCE_TIER, BenchItem, ScoredOutcome
from benchmarks.quality.replay import replay
from benchmarks.quality.report import REFERENCE_TITLE, RunInfo, write_report
from server.settings import load_settings

TIERS = ("tier-1", "tier-2", REFERENCE_TIER)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _data() -> tuple[list[BenchItem], list[ScoredOutcome]]:
    """40 items over two datasets and four categories; tier-1 right on a quarter, tier-2 on half."""
    items, scored = [], []
    for i in range(40):
        dataset, category = ("gsm8k", "math") if i % 2 else ("mtbench", ["writing", "coding", "roleplay"][i % 3])
        item = BenchItem(dataset, f"{i:03d}", category, ({"role": "user", "content": f"Question {i} | x"},), "1")
        items.append(item)
        qualities = {"tier-1": float(i % 4 == 0), "tier-2": float(i % 2 == 0) * 0.9, REFERENCE_TIER: 1.0}
        costs = {"tier-1": 2e-6, "tier-2": 5e-6, REFERENCE_TIER: 4e-4}
        scored += [
            ScoredOutcome(dataset, item.item_id, category, t, q, costs[t], 0.5 + k, 20, 40 + i)
            for k, (t, q) in enumerate(qualities.items())
        ]
    return items, scored


def _run(reference_mode: bool) -> RunInfo:
    return RunInfo(
        command="tierd bench quality --preset cpu --datasets gsm8k,mtbench --sample 20 --seed 1 --out DIR",
        config="preset cpu",
        datasets=["gsm8k", "mtbench"],
        sample=20,
        seed=1,
        reference_mode=reference_mode,
        tiers=list(TIERS),
        models={"tier-1": "smollm2-135m-instruct", "tier-2": "gemma3-270m", REFERENCE_TIER: "dataset references"},
        started_at="2026-11-28T21:00:00Z",
        duration_s=123.4,
        hardware="2-core CPU",
        notes=["a run note"],
    )


def test_report_writes_every_file_and_says_reference_mode(tmp_path: Path) -> None:
    items, scored = _data()
    settings = load_settings(None, preset="cpu", env={})
    result = replay(items, scored, TIERS, settings=settings, seed=1, include_learned=False)
    write_report(tmp_path, _run(True), items, scored, result)
    for name in ("results.json", "report.md", "report.html", "cost_quality.png", "quality_by_category.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    for png in ("cost_quality.png", "quality_by_category.png"):
        assert (tmp_path / png).read_bytes().startswith(PNG_MAGIC)
        assert imread(tmp_path / png).shape[1] >= 800  # drawn at the fixed width or wider
    md = (tmp_path / "report.md").read_text()
    assert md.splitlines()[0] == f"# Quality benchmark: tier-1, tier-2, reference {REFERENCE_TITLE}"
    assert "tierd bench quality --preset cpu" in md
    # The key product answer: tier-1 answers a quarter adequately; the oracle sends it a quarter.
    assert "**tier-1** alone answers 25% of them adequately" in md
    for router in ("always-tier-1", "oracle", "random", "rules"):
        assert f"| {router} |" in md
    assert "| gsm8k | tier-1 | 20 | 0.000 | 0.0% |" in md  # per tier x dataset row
    assert "\\| x" not in md and "a run note" in md
    page = (tmp_path / "report.html").read_text()
    assert REFERENCE_TITLE.replace("'", "&#x27;") in page or REFERENCE_TITLE in page
    assert "data:image/png;base64," in page and 'src="http' not in page and "<link" not in page
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["run"]["reference_mode"] is True and results["items"] == 40
    assert {r["name"] for r in results["routers"]} >= {"oracle", "random", "rules", "always-tier-1"}
    assert any(row["group"] == "math" and row["tier"] == "tier-2" for row in results["by_category"])


def test_title_without_reference_mode(tmp_path: Path) -> None:
    items, scored = _data()
    result = replay(items, scored, TIERS, settings=None, seed=1, include_learned=False)
    write_report(tmp_path, _run(False), items, scored, result)
    first = (tmp_path / "report.md").read_text().splitlines()[0]
    assert first == "# Quality benchmark: tier-1, tier-2, reference"
