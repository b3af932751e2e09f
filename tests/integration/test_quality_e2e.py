"""`tierd bench quality` end to end, as a user runs it: a real vLLM tier (the tiny model, attached), no
frontier (reference mode), a handful of items from every kind of dataset, then the same command again."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.processes import REPO
from tests.support import TierdServer, VllmServer, attached_tier, remote_tier

pytestmark = pytest.mark.integration
DATASETS = "gsm8k@2,humaneval@2,mtbench@2,evals:born-first@2"


def _config(tmp_path: Path, upstream: VllmServer) -> Path:
    config = {
        "server": {"state_dir": str(tmp_path / "state")},
        "tiers": [attached_tier("tier-1", upstream), remote_tier("frontier", None)],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        "bench": {
            "quality": {
                "max_tokens": {"*": 16},
                "formats": {"tier-1": {"evals": "completion"}},
                "sandbox": {"timeout_s": 5, "memory_mb": 256},
            }
        },
    }
    path = tmp_path / "tierd.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def _bench(config: Path, out: Path, datasets: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "server.cli", "bench", "quality", "--config", str(config)]
    command += ["--datasets", datasets, "--seed", "5", "--out", str(out), "--concurrency", "2"]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_reference_mode_run_writes_a_consistent_report_and_reruns_from_the_cache(
    ready_upstreams: dict[str, VllmServer], tmp_path: Path
) -> None:
    traffic = tmp_path / "traffic.jsonl"
    rows = [
        {"id": "greet", "messages": [{"role": "user", "content": "Say hello."}], "reference": "Hello!"},
        {"id": "sky", "messages": [{"role": "user", "content": "What colour is the sky?"}], "reference": "Blue."},
    ]
    traffic.write_text("".join(json.dumps(r) + "\n" for r in rows))
    datasets = f"{DATASETS},{traffic}"
    config, out = _config(tmp_path, ready_upstreams["tier-2"]), tmp_path / "out"

    first = _bench(config, out, datasets)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    for name in ("report.md", "report.html", "results.json", "cost_quality.png", "quality_by_category.png"):
        assert (out / name).stat().st_size > 0, name
    report = (out / "report.md").read_text()
    assert "reference mode" in report.lower().splitlines()[0]
    assert "tierd bench quality" in report

    items = 2 + 2 + 2 + 2 + 2
    with sqlite3.connect(out / "outcomes.sqlite") as db:
        per_tier = dict(db.execute("SELECT tier, COUNT(*) FROM outcomes GROUP BY tier").fetchall())
        paths = {r[0] for r in db.execute("SELECT DISTINCT params_hash FROM outcomes")}
    assert per_tier == {"tier-1": items}  # the reference 'frontier' is never called
    assert len(paths) >= 2  # chat and completion prompts hash differently

    labels = [json.loads(line) for line in (out / "router_labels.jsonl").read_text().splitlines()]
    assert labels and all(r["label_source"] == "measured" for r in labels)
    assert {r["label"] for r in labels} <= {"tier-1", "frontier"}  # the reference maps to the last tier's name
    results = json.loads((out / "results.json").read_text())
    assert "tier-1" in json.dumps(results) and "reference" in json.dumps(results)

    # The same command again: nothing is asked or judged twice, and the numbers do not change.
    second = _bench(config, out, datasets)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert f"tier-1: all {items} answers from the cache; not started" in second.stdout
    assert "scores: " in second.stdout and ", 0 computed" in second.stdout
    table = [line for line in first.stdout.splitlines() if line.startswith(("tier-1 ", "reference "))]
    assert table and table == [
        line for line in second.stdout.splitlines() if line.startswith(("tier-1 ", "reference "))
    ]


def test_bad_dataset_is_a_clear_error(ready_upstreams: dict[str, VllmServer], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"messages": "not a list"}\n')
    result = _bench(_config(tmp_path, ready_upstreams["tier-2"]), tmp_path / "out", f"gsm8k@1,{bad}")
    assert result.returncode == 2
    assert f"{bad}:1: `messages` must be a non-empty list" in result.stderr


def test_through_a_running_tierd_with_the_frontier_as_baseline_and_judge(
    gateway: TierdServer, ready_upstreams: dict[str, VllmServer], tmp_path: Path
) -> None:
    """`--url`: every call goes through tierd pinned to a tier; the frontier answers, so no reference mode."""
    config = {
        "tiers": [
            attached_tier("tier-2", ready_upstreams["tier-2"]),
            remote_tier("frontier", ready_upstreams["frontier"]),
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-2", "rules": []}},
        "bench": {"quality": {"max_tokens": {"*": 8}}},
    }
    path = tmp_path / "bench.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "server.cli", "bench", "quality", "--config", str(path), "--url"]
    command += [f"{gateway.url}/v1", "--datasets", "gsm8k@2,evals:born-first@2,mtbench@1", "--out", str(out)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "reference mode" not in (out / "report.md").read_text().lower().splitlines()[0]
    with sqlite3.connect(out / "outcomes.sqlite") as db:
        rows = db.execute("SELECT tier, model, COUNT(*) FROM outcomes WHERE error IS NULL GROUP BY tier").fetchall()
    assert sorted(rows) == [("frontier", "tiny-frontier", 5), ("tier-2", "tiny-tier2", 5)]
