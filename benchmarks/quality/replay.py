"""Router replay: routers evaluated over cached, scored outcomes, with no model calls.

Every item has each tier's answer scored (quality in [0, 1]) and costed, so a router is just a choice of tier
per item, and its (mean $ per request, mean quality) follows by table look-up (RouteLLM-style offline replay).
Routers, each a point or a threshold sweep (curves.py explains hulls, AIQ and the oracle savings share):
- `always-<tier>`: everything to one tier;
- `oracle`: each item to its cheapest adequate tier (model.adequate against the frontier; the best possible);
- `random`: expected values of sending a share p to the dearer of two tiers (adjacent pairs, and the cheapest
  with the frontier): straight lines between the always-tier points, no draw involved;
- `random at learned's split`: the expected point of a random router that sends as many items to each tier
  as the learned router does at its default thresholds (Evaluator.random_at_split; exact, no draw);
- `configured`: the config's own classifier (routing.classifier, e.g. hybrid over the shipped model) as it
  would route each item in production, with `random at configured's split` beside it; a new router model is
  judged here against the cached outcomes without a model call;
- `rules`: tierd's rules classifier from settings.routing.rules on each item's chat body;
- `learned`: tierd's learned router, k-fold cross-validated on measured labels (learned_replay.py), swept over
  a grid of per-tier thresholds;
- `hybrid`: the hybrid classifier's hard constraints (tools, structured output, context windows) as a floor
  under each learned choice, swept the same way.
Tier names in the settings are the run's tier names; REFERENCE_TIER stands for the settings' last tier, and a
configured tier the run left out maps to the next run tier above it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.quality.curves import CurvePoint, aiq, nondecreasing_hull
from benchmarks.quality.learned_replay import HybridConstraints, LearnedFolds, learned_folds
from benchmarks.quality.matrix import IntVector, OutcomeMatrix, build_matrix
from benchmarks.quality.model import DEFAULT_ADEQUACY_THRESHOLD, REFERENCE_TIER, BenchItem, ScoredOutcome
from benchmarks.quality.router_eval import QUALITY_TARGETS, Evaluator, RouterCurve, tier_mapping
from benchmarks.quality.tables import TierGroupStats, group_stats
from server.routing.classifiers import default_registry
from server.routing.classifiers.base import ClassifierContext
from server.routing.classifiers.learned import DEFAULT_FAST_PATH_CONFIDENCE, DEFAULT_THRESHOLD, TextEncoder
from server.routing.features import extract_features
from server.routing.learned.thresholds import choose_many
from server.routing.settings import HybridClassifierSettings
from server.settings import ConfigError, Settings

RANDOM_SHARES = tuple(k / 10 for k in range(11))
RANDOM_AT_LEARNED_SPLIT = "random at learned's split"
CONFIGURED = "configured"  # the config's own router, its trained model as shipped (no k-fold retraining)
RANDOM_AT_CONFIGURED_SPLIT = "random at configured's split"
SWEEP_GRID = 21  # threshold values per tier (0, 0.05, ..., 1) plus 1.01 ("never")
MIN_LEARNED_ITEMS = 10


@dataclass
class ReplayResult:
    tiers: list[str]
    reference_mode: bool
    threshold: float
    seed: int
    items: int  # complete items (every tier scored) that routers were replayed on
    incomplete_items: int
    cost_range: tuple[float, float]  # cheapest and dearest always-tier cost: AIQ's domain
    always: dict[str, CurvePoint]
    adequate_share: dict[str, float]  # per tier: share of items it answers adequately
    cheapest_adequate_share: dict[str, float]  # per tier: share of items it is the cheapest adequate tier for
    routers: list[RouterCurve]
    by_dataset: list[TierGroupStats]
    by_category: list[TierGroupStats]
    notes: list[str] = field(default_factory=list)

    @property
    def frontier(self) -> str:
        return self.tiers[-1]

    def router(self, name: str) -> RouterCurve:
        return next(r for r in self.routers if r.name == name)

    def to_json(self) -> dict[str, Any]:
        return {
            "tiers": self.tiers,
            "frontier": self.frontier,
            "reference_mode": self.reference_mode,
            "adequacy_threshold": self.threshold,
            "seed": self.seed,
            "items": self.items,
            "incomplete_items": self.incomplete_items,
            "cost_range": list(self.cost_range),
            "quality_targets": list(QUALITY_TARGETS),
            "always": {t: p.to_json() for t, p in self.always.items()},
            "adequate_share": self.adequate_share,
            "cheapest_adequate_share": self.cheapest_adequate_share,
            "routers": [r.to_json() for r in self.routers],
            "by_dataset": [s.to_json() for s in self.by_dataset],
            "by_category": [s.to_json() for s in self.by_category],
            "notes": self.notes,
        }


def _bodies(items: Sequence[BenchItem]) -> list[dict[str, Any]]:
    return [{"messages": [dict(m) for m in item.messages]} for item in items]


def _rules(ev: Evaluator, settings: Settings | None, notes: list[str]) -> RouterCurve | None:
    if settings is None or settings.routing.rules is None:
        notes.append("rules: skipped (no settings with a routing.rules section were given)")
        return None
    configured = [t.name for t in settings.tiers]
    classifier = default_registry().build("rules", settings.routing.rules, ClassifierContext.for_tiers(configured))
    to_run = tier_mapping(configured, ev.m.tiers)
    decisions = [classifier.classify(extract_features(body)) for body in _bodies(ev.m.items)]
    chosen = np.array([ev.m.tiers.index(to_run[d.min_tier]) for d in decisions], dtype=np.int64)
    matched: dict[str, int] = {}
    for d in decisions:
        key = d.matched_rules[0] if d.matched_rules else "(default)"
        matched[key] = matched.get(key, 0) + 1
    return ev.fixed("rules", chosen, detail={"matched_rules": dict(sorted(matched.items()))})


def _configured(ev: Evaluator, settings: Settings | None, notes: list[str]) -> list[RouterCurve]:
    """The configured classifier on each item's chat body, and random at its split."""
    if settings is None or settings.routing.classifier == "rules":
        return []  # the rules row already is the configured router
    from server.routing.wiring import classifier_context

    name = settings.routing.classifier
    try:
        classifier = default_registry().build(name, getattr(settings.routing, name, None), classifier_context(settings))
    # ArtifactError is a ValueError; an unbuildable model costs the row, not the report.
    except (ConfigError, ValueError, KeyError, OSError) as exc:
        notes.append(f"configured: skipped, routing.{name} cannot be built ({exc})")
        return []
    to_run = tier_mapping([t.name for t in settings.tiers], ev.m.tiers)
    decisions = [classifier.classify(extract_features(body)) for body in _bodies(ev.m.items)]
    chosen = np.array([ev.m.tiers.index(to_run[d.min_tier]) for d in decisions], dtype=np.int64)
    learned = settings.routing.learned
    detail = {"classifier": name, "model": learned.model if learned else None}
    curve = ev.fixed(CONFIGURED, chosen, detail=detail)
    curve.operating_choice = chosen
    return [curve, ev.random_at_split(RANDOM_AT_CONFIGURED_SPLIT, chosen)]


def _oracle(ev: Evaluator) -> RouterCurve:
    """The oracle's choices, plus its budgeted versions (Evaluator.oracle_points), which bound the other
    routers' curves from above at every cost."""
    full = ev.m.cheapest_adequate
    operating = ev.point(full, "oracle")
    return ev.curve("oracle", [*ev.oracle_points, operating], operating_point=operating, tier_share=ev.share(full))


def _random(ev: Evaluator) -> RouterCurve:
    n = len(ev.m.tiers)
    pairs = [(i, i + 1) for i in range(n - 1)] + ([(0, n - 1)] if n > 2 else [])
    points = []
    for a, b in pairs:
        pa, pb = ev.always[ev.m.tiers[a]], ev.always[ev.m.tiers[b]]
        for p in RANDOM_SHARES:
            label = f"{ev.m.tiers[b]} share {p:.1f} (rest {ev.m.tiers[a]})"
            points.append(CurvePoint((1 - p) * pa.cost + p * pb.cost, (1 - p) * pa.quality + p * pb.quality, label))
    return ev.curve("random", points)


def aiq_by_dataset(m: OutcomeMatrix, routers: Sequence[RouterCurve]) -> None:
    """Each router's AIQ on each dataset's items alone (RouterBench reports AIQ per dataset)."""
    datasets = sorted({item.dataset for item in m.items})
    for dataset in datasets:
        rows = np.array([i for i, item in enumerate(m.items) if item.dataset == dataset], dtype=np.int64)
        sub = Evaluator(m.subset(rows))
        rebuilt = {"oracle": _oracle(sub), "random": _random(sub)}
        for router in routers:
            if router.name in rebuilt:
                value = rebuilt[router.name].aiq
            else:
                points = [sub.point(chosen[rows], "") for chosen in router.choices]
                value = aiq(nondecreasing_hull([*points, *sub.extremes]), *sub.cost_range)
            router.aiq_by_dataset[dataset] = value


def threshold_grid(tiers: int) -> list[tuple[float, ...]]:
    """As `tierd router calibrate` searches: a finer grid per threshold when there are few tiers."""
    per = SWEEP_GRID if tiers <= 3 else max(6, round(SWEEP_GRID ** (2 / (tiers - 1))))
    values = [round(float(v), 4) for v in np.linspace(0.0, 1.0, per)] + [1.01]
    return list(itertools.product(values, repeat=tiers - 1))


def _sweep(ev: Evaluator, name: str, folds: LearnedFolds, floors: IntVector | None) -> RouterCurve:
    seen: dict[tuple[float, float], CurvePoint] = {}
    choices: list[IntVector] = []
    for combo in threshold_grid(len(ev.m.tiers)):
        chosen = choose_many(folds.adequacies, combo)
        if floors is not None:
            chosen = np.maximum(chosen, floors)
        choices.append(chosen)
        point = ev.point(chosen, "thresholds " + ", ".join(f"{t:g}" for t in combo))
        seen.setdefault((round(point.cost, 15), round(point.quality, 12)), point)
    default = choose_many(folds.adequacies, [DEFAULT_THRESHOLD] * (len(ev.m.tiers) - 1))
    if floors is not None:
        default = np.maximum(default, floors)
    operating = ev.point(default, f"thresholds {DEFAULT_THRESHOLD:g} (the trained model's default)")
    return ev.curve(
        name,
        list(seen.values()),
        operating_point=operating,
        tier_share=ev.share(default),
        detail=folds.to_json(),
        choices=choices,
        operating_choice=default,
    )


def _constraints(settings: Settings | None, tiers: Sequence[str]) -> HybridConstraints:
    section = (settings.routing.hybrid if settings else None) or HybridClassifierSettings()
    if settings is None:
        return HybridConstraints(None, None, {}, section.default_completion_tokens)
    from server.routing.wiring import classifier_context

    to_run = tier_mapping([t.name for t in settings.tiers], tiers)
    windows = {**classifier_context(settings).context_windows, **section.context_windows}
    return HybridConstraints(
        to_run[section.tools_min_tier] if section.tools_min_tier else None,
        to_run[section.structured_output_min_tier] if section.structured_output_min_tier else None,
        {t: w for t, w in windows.items() if to_run.get(t) == t},
        section.default_completion_tokens,
    )


def _load_encoder(settings: Settings | None) -> TextEncoder:
    from server.routing.wiring import load_encoder

    learned = settings.routing.learned if settings else None
    encoder: TextEncoder = load_encoder(learned.embedder_dir if learned else None)
    return encoder


def _learned(
    ev: Evaluator,
    settings: Settings | None,
    encoder: TextEncoder | None,
    seed: int,
    folds: int,
    notes: list[str],
) -> list[RouterCurve]:
    labels = ev.m.cheapest_adequate
    if len(ev.m) < MIN_LEARNED_ITEMS or len(np.unique(labels)) < 2:
        notes.append(
            f"learned, hybrid: skipped ({len(ev.m)} items, {len(np.unique(labels))} distinct measured labels; "
            f"k-fold training needs at least {MIN_LEARNED_ITEMS} items and two labels)"
        )
        return []
    try:
        encoder = encoder or _load_encoder(settings)
    except ConfigError as exc:
        notes.append(f"learned, hybrid: skipped, the MiniLM embedder cannot be loaded ({exc})")
        return []
    learned_section = settings.routing.learned if settings else None
    confidence = learned_section.fast_path_confidence if learned_section else DEFAULT_FAST_PATH_CONFIDENCE
    constraints = _constraints(settings, ev.m.tiers)
    result = learned_folds(
        _bodies(ev.m.items),
        labels,
        ev.m.tiers,
        encoder=encoder,
        folds=folds,
        seed=seed,
        fast_path_confidence=confidence,
        constraints=constraints,
    )
    notes.extend(result.notes)
    curves = [_sweep(ev, "learned", result, None)]
    if result.floors is None:
        notes.append("hybrid: skipped (no fold had two labels to train the learned model it builds on)")
        return curves
    raised = int(np.count_nonzero(result.floors))
    hybrid = _sweep(ev, "hybrid", result, result.floors)
    hybrid.detail["items_raised_by_constraints"] = raised
    if raised == 0:
        notes.append(
            "hybrid equals learned here: no item has tools, a JSON response_format or a prompt too long for a "
            "tier's context window, so its hard constraints never raise the learned choice"
        )
    return [*curves, hybrid]


def replay(
    items: Sequence[BenchItem],
    scored: Sequence[ScoredOutcome],
    tiers: Sequence[str],
    *,
    settings: Settings | None,
    seed: int,
    folds: int = 5,
    threshold: float = DEFAULT_ADEQUACY_THRESHOLD,
    encoder: TextEncoder | None = None,
    include_learned: bool = True,
) -> ReplayResult:
    """`tiers` cheapest first, the last being the frontier (or REFERENCE_TIER). `encoder` defaults to the
    MiniLM embedder the settings name (the one `make setup` prepares); `include_learned=False` skips the
    learned and hybrid routers (their k-fold training is the only slow part)."""
    m = build_matrix(items, scored, tiers, threshold)
    notes: list[str] = []
    if m.incomplete:
        notes.append(f"{m.incomplete} items left out of routing: some tier has no valid score for them")
    by_dataset = group_stats(scored, m.tiers, lambda o: o.dataset, threshold)
    by_category = group_stats(scored, m.tiers, lambda o: o.category, threshold)
    empty = {t: 0.0 for t in m.tiers}
    if len(m) == 0:
        notes.append("no item has a score on every tier: nothing to replay")
        return ReplayResult(
            list(m.tiers), m.tiers[-1] == REFERENCE_TIER, threshold, seed, 0, m.incomplete, (0.0, 0.0), {},
            empty, empty, [], by_dataset, by_category, notes,
        )  # fmt: skip
    ev = Evaluator(m)
    if ev.cost_range[1] - ev.cost_range[0] <= 0:
        notes.append("every tier costs the same per request here: AIQ and savings shares are undefined")
    elif ev.always[m.tiers[-1]].cost <= ev.oracle_cost:
        notes.append(
            f"{m.tiers[-1]} costs no more per request than the oracle "
            f"(${ev.always[m.tiers[-1]].cost:.3g} vs ${ev.oracle_cost:.3g}): there are no savings to share, and "
            "the cost axis says little (in reference mode, give the reference outcomes the frontier's estimated cost)"
        )
    routers = [ev.fixed(f"always-{t}", np.full(len(m), i, dtype=np.int64)) for i, t in enumerate(m.tiers)]
    routers.append(_oracle(ev))
    routers.append(_random(ev))
    rules = _rules(ev, settings, notes)
    routers += [rules] if rules else []
    routers += _configured(ev, settings, notes) if include_learned else []
    learned = _learned(ev, settings, encoder, seed, folds, notes) if include_learned else []
    routers += learned
    if learned and learned[0].operating_choice is not None:
        routers.append(ev.random_at_split(RANDOM_AT_LEARNED_SPLIT, learned[0].operating_choice))
    aiq_by_dataset(m, routers)
    labels = m.cheapest_adequate
    return ReplayResult(
        tiers=list(m.tiers),
        reference_mode=m.tiers[-1] == REFERENCE_TIER,
        threshold=threshold,
        seed=seed,
        items=len(m),
        incomplete_items=m.incomplete,
        cost_range=ev.cost_range,
        always=ev.always,
        adequate_share={t: float(m.adequate[:, i].mean()) for i, t in enumerate(m.tiers)},
        cheapest_adequate_share=ev.share(labels),
        routers=routers,
        by_dataset=by_dataset,
        by_category=by_category,
        notes=notes,
    )
