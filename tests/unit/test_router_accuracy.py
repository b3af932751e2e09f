"""benchmarks/router_accuracy.py end to end on a slice of the committed corpus, with the real MiniLM embedder."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.router_accuracy import main

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def _slice(tmp_path: Path, families: tuple[str, ...], per_family: int) -> Path:
    rows = [json.loads(line) for line in (DATA / "router_corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    picked = []
    for family in families:
        of_family = [r for r in rows if r["family"] == family]
        for difficulty in ("simple", "medium", "complex"):
            picked += [r for r in of_family if r["difficulty"] == difficulty][: per_family // 3]
    path = tmp_path / "slice.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in picked), encoding="utf-8")
    return path


def test_families_are_held_out_whole_and_the_baselines_score_the_same_rows(tmp_path: Path) -> None:
    data = _slice(tmp_path, ("extraction", "planning", "translation", "code"), 30)
    out = tmp_path / "accuracy.json"
    argv = ["--data", str(data), "--folds", "2", "--out", str(out), "--embedding-cache", str(tmp_path / "e.npz")]
    assert main([*argv, "--probe", str(DATA / "router_probe.jsonl")]) == 0
    report = json.loads(out.read_text())
    held = report["family_heldout"]
    folds = [set(families) for families in held["families"].values()]
    assert set.union(*folds) == {"extraction", "planning", "translation", "code"} and not folds[0] & folds[1]
    assert held["rows"] == 120 and held["clear_rows"] == 80  # medium rows leave simple-vs-complex
    assert sum(sum(row.values()) for row in held["confusion"].values()) == 120
    for score in (
        held["simple_vs_complex"],
        report["baselines"]["length_cut"]["simple_vs_complex"],
        report["baselines"]["random"]["simple_vs_complex"],
        report["baselines"]["keyword_rules"]["simple_vs_complex"],
    ):
        assert 0.0 <= score <= 1.0
    assert set(held["stages"]) == {"lexical", "semantic", "cascade"}
    assert report["probe"]["rows"] == 75 and report["labels"]["simple"] == "tier-1"
    # The embeddings were kept: a rerun reads them instead of embedding again.
    assert (tmp_path / "e.npz").is_file()
