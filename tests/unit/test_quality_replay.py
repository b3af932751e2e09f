"""Router replay over synthetic scored outcomes, the k-fold learned router with the real MiniLM embedder, and
the measured labels read back by `tierd router train`'s reader and CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from benchmarks.quality.labels import measured_rows, write_rows
from benchmarks.quality.model import REFERENCE_TIER, BenchItem, ScoredOutcome
from benchmarks.quality.replay import ReplayResult, replay, tier_mapping
from server.cli import main
from server.routing.embedding import MiniLmEncoder
from server.routing.learned.training import read_examples
from server.settings import load_settings
from tiers.models.bundled import default_cache_dir
from tiers.models.minilm import prepare_embedder

TIERS = ("tier-1", "tier-2", "frontier")
COSTS = {"tier-1": 1.0, "tier-2": 2.0, "frontier": 10.0, REFERENCE_TIER: 10.0}
STARTER = Path(__file__).parents[2] / "benchmarks" / "data" / "router_starter.jsonl"


@pytest.fixture(scope="module")
def encoder() -> MiniLmEncoder:
    return MiniLmEncoder.load(prepare_embedder(default_cache_dir()))


def _item(i: int, text: str, dataset: str = "synthetic", category: str = "cat") -> BenchItem:
    return BenchItem(dataset, f"{i:03d}", category, ({"role": "user", "content": text},))


def _scored(item: BenchItem, qualities: dict[str, float]) -> list[ScoredOutcome]:
    return [
        ScoredOutcome(item.dataset, item.item_id, item.category, t, q, COSTS[t], 0.1 * (k + 1), 10, 5)
        for k, (t, q) in enumerate(qualities.items())
    ]


def _labelled(label: int, tiers: tuple[str, ...] = TIERS) -> dict[str, float]:
    """Quality 1 from the label's tier upward, 0 below: the label is the cheapest adequate tier."""
    return {t: float(k >= label) for k, t in enumerate(tiers)}


def _synthetic() -> tuple[list[BenchItem], list[ScoredOutcome]]:
    # 30 items: 10 each that tier-1, tier-2 and only the frontier answer. Prompts the cpu preset's rules send to
    # tier-1 (default), tier-2 (arithmetic) and the frontier (code).
    texts = ["What is the capital of country {}?", "Compute {} + 17 for me.", "Fix this: def f{}(x): return x"]
    items, scored = [], []
    for i in range(30):
        item = _item(i, texts[i // 10].format(i), category=["easy", "medium", "hard"][i // 10])
        items.append(item)
        scored += _scored(item, _labelled(i // 10))
    return items, scored


def test_always_oracle_and_random_points() -> None:
    items, scored = _synthetic()
    result = replay(items, scored, TIERS, settings=None, seed=1, include_learned=False)
    assert result.items == 30 and result.incomplete_items == 0
    # Always one tier: its cost, and the share of items it answers (tier-1 10/30, tier-2 20/30, frontier all).
    assert [(p.cost, p.quality) for p in result.always.values()] == [
        (1.0, pytest.approx(1 / 3)),
        (2.0, pytest.approx(2 / 3)),
        (10.0, 1.0),
    ]
    # Oracle: 10 items on each tier, all answered: (10 x 1 + 10 x 2 + 10 x 10) / 30.
    oracle = result.router("oracle")
    assert oracle.operating_point is not None
    assert oracle.operating_point.cost == pytest.approx(130 / 30) and oracle.operating_point.quality == 1.0
    assert oracle.tier_share == pytest.approx({"tier-1": 1 / 3, "tier-2": 1 / 3, "frontier": 1 / 3})
    assert result.cheapest_adequate_share == pytest.approx({t: 1 / 3 for t in TIERS})
    assert result.adequate_share == pytest.approx({"tier-1": 1 / 3, "tier-2": 2 / 3, "frontier": 1.0})
    # Random: straight lines between always-tier points, e.g. half of tier-1's traffic to the frontier.
    random_points = {p.label: (p.cost, p.quality) for p in result.router("random").points}
    assert random_points["frontier share 0.5 (rest tier-1)"] == pytest.approx((5.5, (1 / 3 + 1) / 2))
    assert random_points["tier-2 share 0.5 (rest tier-1)"] == pytest.approx((1.5, 0.5))
    # Random's hull is the always-tier points' own hull: (1, 1/3) -> (2, 2/3) -> (10, 1).
    # AIQ = [1 x (1/3 + 2/3) / 2 + 8 x (2/3 + 1) / 2] / 9 = (0.5 + 6.6667) / 9.
    assert result.router("random").aiq == pytest.approx((0.5 + 8 * (5 / 3) / 2) / 9)
    # Budgeted oracle: upgrading tier-1 -> tier-2 items first (1 quality per $1) then frontier items ($9 each):
    # its hull is (1, 1/3) -> (1.333, 2/3) -> (4.333, 1), flat to 10:
    # [0.333 x (1/3 + 2/3) / 2 + 3 x (2/3 + 1) / 2 + 5.667 x 1] / 9. No router does better.
    assert [v for p in oracle.hull for v in (p.cost, p.quality)] == pytest.approx([1, 1 / 3, 4 / 3, 2 / 3, 13 / 3, 1])
    assert oracle.aiq == pytest.approx((1 / 6 + 2.5 + 17 / 3) / 9)
    assert oracle.quality_at_oracle_cost == 1.0
    # One dataset: its AIQ is the overall one, for every router.
    assert all(r.aiq_by_dataset == {"synthetic": pytest.approx(r.aiq)} for r in result.routers)
    # Random at the oracle's cost ($4.333): on the chord (2, 2/3) -> (10, 1): 2/3 + (2.333 / 8) x (1/3).
    assert result.router("random").quality_at_oracle_cost == pytest.approx(2 / 3 + (7 / 3) / 8 / 3)
    assert (oracle.aiq or 0) >= max(r.aiq or 0 for r in result.routers) - 1e-12
    json.dumps(result.to_json())  # results.json must serialise as is
    # Per tier x dataset: quality, agreement with the frontier, cost, tokens, latency.
    row = next(s for s in result.by_dataset if s.tier == "tier-2" and s.group == "synthetic")
    assert (row.items, row.quality, row.agreement, row.cost_per_request) == (30, pytest.approx(2 / 3), 2 / 3, 2.0)
    assert (row.prompt_tokens, row.completion_tokens, row.latency_p50_s) == (10, 5, pytest.approx(0.2))
    hard = next(s for s in result.by_category if s.tier == "tier-1" and s.group == "hard")
    assert hard.quality == 0.0 and hard.items == 10


def test_rules_from_settings_map_onto_the_run_tiers() -> None:
    items, scored = _synthetic()
    settings = load_settings(None, preset="cpu", env={})
    result = replay(items, scored, TIERS, settings=settings, seed=1, include_learned=False)
    rules = result.router("rules")
    # The preset's rules send each third of the prompts to the tier that answers it: the oracle's choice.
    assert rules.tier_share == pytest.approx({t: 1 / 3 for t in TIERS})
    assert rules.operating_point is not None
    assert (rules.operating_point.cost, rules.operating_point.quality) == (pytest.approx(130 / 30), 1.0)
    assert rules.detail["matched_rules"] == {"(default)": 10, "arithmetic": 10, "code": 10}
    # In reference mode, with tier-2 not run: the configured frontier is the reference, tier-2 goes up to it.
    assert tier_mapping(["tier-1", "tier-2", "frontier"], ["tier-1", REFERENCE_TIER]) == {
        "tier-1": "tier-1",
        "tier-2": REFERENCE_TIER,
        "frontier": REFERENCE_TIER,
    }


def test_items_missing_a_tier_are_left_out() -> None:
    items, scored = _synthetic()
    scored = [s for s in scored if not (s.item_id == "000" and s.tier == "tier-2")]
    result = replay(items, scored, TIERS, settings=None, seed=1, include_learned=False)
    assert (result.items, result.incomplete_items) == (29, 1)
    assert any("1 items left out" in n for n in result.notes)


def _starter_items(n: int) -> tuple[list[BenchItem], list[ScoredOutcome]]:
    """Real prompts of the starter set, scored as if each tier answered exactly the rows labelled for it."""
    rows = [json.loads(line) for line in STARTER.read_text().splitlines()]
    picked = random.Random(7).sample(rows, n)
    items, scored = [], []
    for i, row in enumerate(picked):
        item = BenchItem(row["source"].split("/")[0], f"{i:04d}", row["task"], tuple(row["messages"]), reference="x")
        items.append(item)
        label = TIERS.index(row["label"])
        scored += _scored(
            item, {t: q for t, q in zip((*TIERS[:-1], REFERENCE_TIER), _labelled(label).values(), strict=True)}
        )
    return items, scored


def test_learned_k_fold_gives_a_useful_curve(encoder: MiniLmEncoder) -> None:
    items, scored = _starter_items(60)
    tiers = (*TIERS[:-1], REFERENCE_TIER)
    # One prompt of ~10,000 tokens: more than the preset's local tiers hold (max-model-len 8192).
    long_item = _item(999, "Summarize this log. " + "line of log text " * 2400, dataset="long")
    items.append(long_item)
    scored += _scored(long_item, {"tier-1": 0.0, "tier-2": 0.0, REFERENCE_TIER: 1.0})
    settings = load_settings(None, preset="cpu", env={})
    result: ReplayResult = replay(items, scored, tiers, settings=settings, seed=3, folds=3, encoder=encoder)
    learned, hybrid, randomly = result.router("learned"), result.router("hybrid"), result.router("random")
    assert learned.detail["folds"] == 3 and learned.detail["trained_folds"] == 3
    # The hull rises with cost and ends at the frontier; the sweep spans cheap to dear.
    qualities = [p.quality for p in learned.hull]
    assert qualities == sorted(qualities)
    costs = [p.cost for p in learned.points]
    assert min(costs) == pytest.approx(1.0) and max(costs) == pytest.approx(10.0)
    # Task-type labels are learnable: better than mixing tiers at random, short of the oracle.
    assert (randomly.aiq or 0) < (learned.aiq or 0) < (result.router("oracle").aiq or 0)
    assert (learned.savings_share["0.95"] or 0) > 0.3
    # Hybrid's context-window constraint sends the long prompt to the reference whatever the model says: at any
    # thresholds it spends at least as much as learned and answers at least as well.
    assert hybrid.detail["items_raised_by_constraints"] == 1
    assert not any("hybrid equals learned" in n for n in result.notes)
    assert hybrid.tier_share and learned.tier_share
    assert hybrid.tier_share[REFERENCE_TIER] >= learned.tier_share[REFERENCE_TIER]
    assert hybrid.points[0].quality >= learned.points[0].quality


def test_measured_labels_round_trip_through_router_train(tmp_path: Path) -> None:
    items, scored = _starter_items(40)
    tiers = (*TIERS[:-1], REFERENCE_TIER)
    rows = measured_rows(items, scored, tiers, frontier_name="frontier")
    assert len(rows) == 40
    assert {r["label_source"] for r in rows} == {"measured"}
    assert {r["label"] for r in rows} <= set(TIERS) and REFERENCE_TIER not in {r["label"] for r in rows}
    assert {r["split"] for r in rows} <= {"train", "calibration", "heldout"}
    path = write_rows(rows, tmp_path / "labels.jsonl")
    examples = read_examples(path, TIERS, None)
    assert [TIERS[e.label] for e in examples] == [r["label"] for r in rows]
    assert examples[0].body["messages"] == list(items[0].messages)
    # The real CLI trains on the file's train split.
    assert main(["router", "train", "--preset", "cpu", "--data", str(path), "--out", str(tmp_path / "m")]) == 0
    assert (tmp_path / "m" / "model.json").is_file()
    # Labels are the cheapest adequate tier: a row labelled tier-2 has tier-1 below the frontier's quality.
    row = next(r for r in rows if r["label"] == "tier-2")
    assert row["qualities"]["tier-1"] < row["qualities"]["frontier"] and row["difficulty"] == "medium"
    assert np.isclose(row["qualities"]["tier-2"], 1.0)


def test_a_free_frontier_is_reported_not_divided_by() -> None:
    items, scored = _synthetic()
    free = [s if s.tier != "frontier" else ScoredOutcome(s.dataset, s.item_id, s.category, s.tier, s.quality, 0.0)
            for s in scored]  # fmt: skip
    result = replay(items, free, TIERS, settings=None, seed=1, include_learned=False)
    assert all(share is None for r in result.routers for share in r.savings_share.values())
    assert any("no savings to share" in n for n in result.notes)
    json.dumps(result.to_json())


def test_the_configured_router_is_replayed_with_its_model_beside_random_at_its_split(
    tmp_path: Path, encoder: MiniLmEncoder
) -> None:
    items, scored = _starter_items(40)
    tiers = (*TIERS[:-1], REFERENCE_TIER)
    path = write_rows(measured_rows(items, scored, tiers, frontier_name="frontier"), tmp_path / "labels.jsonl")
    assert main(["router", "train", "--preset", "cpu", "--data", str(path), "--out", str(tmp_path / "m")]) == 0
    settings = load_settings(None, preset="cpu", env={"TIERD__ROUTING__LEARNED__MODEL": str(tmp_path / "m")})
    result = replay(items, scored, tiers, settings=settings, seed=3, folds=3, encoder=encoder)
    configured, twin = result.router("configured"), result.router("random at configured's split")
    assert configured.detail["classifier"] == "hybrid" and configured.tier_share == twin.tier_share
    assert configured.operating_point is not None and twin.operating_point is not None
    expected = sum(share * result.always[t].quality for t, share in (twin.tier_share or {}).items())
    assert twin.operating_point.quality == pytest.approx(expected)
    # A model that learned these task types routes better than the same split at random.
    assert configured.operating_point.quality > twin.operating_point.quality


def test_a_model_this_tierd_cannot_read_skips_the_configured_row_with_a_note(tmp_path: Path) -> None:
    items, scored = _synthetic()
    (tmp_path / "model.json").write_text("{}")
    settings = load_settings(None, preset="cpu", env={"TIERD__ROUTING__LEARNED__MODEL": str(tmp_path)})
    result = replay(items, scored, TIERS, settings=settings, seed=1, folds=3)
    assert "configured" not in {r.name for r in result.routers}
    assert any(n.startswith("configured: skipped, routing.hybrid cannot be built") for n in result.notes)
