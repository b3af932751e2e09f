"""The quality benchmark's outputs: DIR/results.json, DIR/report.md, DIR/report.html and two PNG charts.

results.json holds everything (the run, every router's points and hull, the per tier x dataset/category
tables); the Markdown and the self-contained HTML page say the same thing from one list of blocks
(document.py); the charts are report_plots.py's. Without matplotlib (the `bench` extra) the report says so
and keeps its tables.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.quality.agreement import ScorerAgreement
from benchmarks.quality.document import Block, Bullets, Code, Heading, Image, Paragraph, Table, to_html, to_markdown
from benchmarks.quality.model import BenchItem, ScoredOutcome
from benchmarks.quality.replay import (
    CONFIGURED,
    RANDOM_AT_CONFIGURED_SPLIT,
    RANDOM_AT_LEARNED_SPLIT,
    ReplayResult,
)
from benchmarks.quality.router_eval import QUALITY_TARGETS, RouterCurve
from benchmarks.quality.tables import ALL, TierGroupStats

REFERENCE_TITLE = "(reference mode: the datasets' reference answers stand in for the frontier)"
RESULTS_FILE, MARKDOWN_FILE, HTML_FILE = "results.json", "report.md", "report.html"
COST_QUALITY, QUALITY_BY_CATEGORY = "cost_quality.png", "quality_by_category.png"  # report_plots.py draws them
NO_MATPLOTLIB = "No plots: matplotlib is not installed (install the `bench` extra: `pip install 'tierd[bench]'`)."


@dataclass
class RunInfo:
    command: str
    config: str
    datasets: list[str]
    sample: int | None
    seed: int
    reference_mode: bool
    tiers: list[str]
    models: dict[str, str]
    started_at: str
    duration_s: float
    hardware: str
    notes: list[str]


def title(run: RunInfo) -> str:
    head = f"Quality benchmark: {', '.join(run.tiers)}"
    return f"{head} {REFERENCE_TITLE}" if run.reference_mode else head


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _usd(value: float | None) -> str:
    """$ per request, with enough digits for local tiers' fractions of a cent."""
    return "-" if value is None else f"${value:.3g}" if 0 < abs(value) < 0.01 else f"${value:.4f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.0f} ms"


def tier_summary(result: ReplayResult, run: RunInfo) -> Table:
    rows = []
    for tier in result.tiers:
        always = result.always.get(tier)
        rows.append(
            [
                tier,
                run.models.get(tier, "-"),
                _pct(result.adequate_share.get(tier)),
                _pct(result.cheapest_adequate_share.get(tier)),
                _num(always.quality if always else None),
                _usd(always.cost if always else None),
            ]
        )
    headers = ["tier", "model", "answers adequately", "cheapest adequate tier for", "quality", "$ per request"]
    return Table(headers, rows, align_right_from=2)


def _share_to_frontier(curve: RouterCurve, frontier: str) -> str:
    return _pct(curve.tier_share.get(frontier)) if curve.tier_share else "-"


def _is_always(router: RouterCurve) -> bool:
    # A single tier's point, or a random mix of them, adds nothing to the always-tier points every hull already
    # holds: its AIQ and savings are random's, so the tables leave them blank rather than repeat them.
    return router.name.startswith("always-") or router.name in (RANDOM_AT_LEARNED_SPLIT, RANDOM_AT_CONFIGURED_SPLIT)


def split_comparison(result: ReplayResult, router: str, random_twin: str, what: str) -> str | None:
    """Whether a router beats a random router with its own tier split, in quality at (about) equal cost."""
    names = {r.name: r for r in result.routers}
    ours_curve, theirs_curve = names.get(router), names.get(random_twin)
    if ours_curve is None or theirs_curve is None:
        return None
    ours, theirs = ours_curve.operating_point, theirs_curve.operating_point
    if ours is None or theirs is None:
        return None
    verdict = "beats" if ours.quality > theirs.quality + 1e-9 else "does **not** beat"
    return (
        f"{what} {verdict} a random router with the same tier split: quality {ours.quality:.3f} at "
        f"{_usd(ours.cost)} per request against {theirs.quality:.3f} at {_usd(theirs.cost)} "
        f"({ours.quality - theirs.quality:+.3f})."
    )


def router_table(result: ReplayResult) -> Table:
    rows = []
    for r in result.routers:
        op, blank = r.operating_point, _is_always(r)
        rows.append(
            [
                r.name,
                "-" if blank else _num(r.aiq),
                "-" if blank else _num(r.quality_at_oracle_cost),
                _num(op.quality if op else None),
                _usd(op.cost if op else None),
                _share_to_frontier(r, result.frontier),
                *("-" if blank else _pct(r.savings_share.get(f"{q:.2f}")) for q in QUALITY_TARGETS),
            ]
        )
    targets = [f"oracle savings share at {q:.0%} of frontier quality" for q in QUALITY_TARGETS]
    headers = ["router", "AIQ", "quality at the oracle's cost", "quality", "$ per request",
               f"share to {result.frontier}", *targets]  # fmt: skip
    return Table(headers, rows)


def aiq_table(result: ReplayResult) -> Table:
    datasets = sorted({d for r in result.routers for d in r.aiq_by_dataset})
    rows = [
        [r.name, _num(r.aiq), *(_num(r.aiq_by_dataset.get(d)) for d in datasets)]
        for r in result.routers
        if not _is_always(r)
    ]
    return Table(["router", "all items", *datasets], rows)


def group_table(stats: Sequence[TierGroupStats], what: str) -> Table:
    ordered = sorted(stats, key=lambda s: (s.group == ALL, s.group, 0))
    rows = [
        [
            s.group,
            s.tier,
            str(s.items),
            _num(s.quality),
            _pct(s.agreement),
            _usd(s.cost_per_request),
            _num(s.prompt_tokens, 0),
            _num(s.completion_tokens, 0),
            _ms(s.latency_p50_s),
        ]
        for s in ordered
    ]
    headers = [what, "tier", "items", "quality", "agreement", "$ per request", "prompt tok", "completion tok", "p50"]
    return Table(headers, rows, align_right_from=2)


def key_answer(result: ReplayResult) -> str:
    """The product answer in one sentence: how much traffic the cheap tiers can take."""
    if not result.items:
        return "No item was scored on every tier, so no routing figures could be computed."
    shares = ", ".join(f"**{t}** {result.cheapest_adequate_share[t]:.0%}" for t in result.tiers)
    cheapest = result.tiers[0]
    return (
        f"On {result.items} items, **{cheapest}** alone answers {result.adequate_share[cheapest]:.0%} of them "
        f"adequately. Sent each to its cheapest adequate tier (the oracle), traffic would split {shares}."
    )


SAVINGS_DEFINITION = (
    "**Oracle savings share** at q% of frontier quality: the share of the oracle's saving, at the same quality, "
    "that the router makes: (cost of always-frontier - the router's least cost reaching q% of the frontier's "
    "quality) / (cost of always-frontier - the oracle's least cost reaching it), the oracle's cost being that "
    "of its budgeted curve. The oracle is 100% by construction, no router passes it (capped at 100%), 0% "
    "saves nothing."
)
DEFINITIONS = [
    "**Adequate**: a tier's score reaches min(frontier's score on the same item, threshold); the frontier is "
    "adequate to itself. **Agreement** is the share of a tier's items where it is adequate.",
    "**AIQ** (RouterBench, Hu et al. 2024): the mean quality of a router's non-decreasing convex hull over the "
    "cost range of the always-one-tier points; every hull includes the always-one-tier points (a deployer can "
    "always mix them in), so the random router's AIQ is the floor.",
    SAVINGS_DEFINITION,
    "**random at learned's split** (and **at configured's split**): the expected quality and cost of sending "
    "as many items to each tier as that router does (learned at its default thresholds), but chosen at random: "
    "sum over tiers of (share of items sent there) x (that tier's mean quality, or cost, over all items). "
    "Exact, no sampling.",
    "**configured**: the config's own classifier (routing.classifier; hybrid over the shipped router model in "
    "the cpu preset) as it would route each item, no retraining. **learned** and **hybrid** are retrained "
    "k-fold on these items' measured labels.",
    "**always-<tier>** rows show that tier's point only: its hull is the random router's.",
    "**Quality at the oracle's cost**: the hull's quality at the $ per request the full oracle spends. "
    "**Operating point** (the quality, $ per request and frontier share columns): rules and oracle as they "
    "are; learned and hybrid at the trained model's default thresholds (0.5), each item scored by a model that "
    "never saw it (k-fold).",
]


def _sampling(run: RunInfo) -> str:
    """How items were drawn: `--sample N` per dataset, overridden by a dataset's own `NAME@N`."""
    own = [d for d in run.datasets if "@" in d]
    default = f"{run.sample} per dataset" if run.sample is not None else "all items"
    if not own:
        return f"sample {default}"
    if len(own) == len(run.datasets):
        return "sample per dataset as in the command (`NAME@N`)"
    return f"sample {default} unless the command gives `NAME@N`"


def agreement_table(agreement: Sequence[ScorerAgreement]) -> Table:
    rows = [
        [a.scorer, str(a.pairs), _pct(a.agreement), _pct(a.precision), _pct(a.recall), str(a.adequate_by_scorer),
         str(a.adequate_by_exact)]
        for a in agreement
    ]  # fmt: skip
    headers = ["scorer", "(item, tier) pairs", "agreement", "precision", "recall", "adequate by the scorer",
               "adequate by the exact answer"]  # fmt: skip
    return Table(headers, rows)


AGREEMENT_NOTE = (
    "Each tier below the frontier, on every item scored by its exact answer (exact, includes, numeric, choice, "
    "GSM8K, evals `ideal`), scored again by the open-ended scorer; the exact answer's verdict of adequate is the "
    "truth. Precision: of the answers the scorer calls adequate, the share that are right; recall: of the right "
    "answers, the share it calls adequate."
)


def blocks(
    run: RunInfo,
    items: Sequence[BenchItem],
    result: ReplayResult,
    plots: bool,
    agreement: Sequence[ScorerAgreement] = (),
) -> list[Block]:
    per_dataset = Counter(item.dataset for item in items)
    out: list[Block] = [
        Heading(title(run), 1),
        Code(run.command),
        Paragraph(
            f"Started {run.started_at}, took {run.duration_s:,.0f} s on {run.hardware}. Config `{run.config}`, "
            f"seed {run.seed}, {_sampling(run)}; "
            f"{len(items)} items ("
            + ", ".join(f"{d} {n}" for d, n in sorted(per_dataset.items()))
            + f"); adequacy threshold {result.threshold:g}."
        ),
        Heading("What each tier handles adequately"),
        Paragraph(key_answer(result)),
        tier_summary(result, run),
        Heading("Routers"),
        router_table(result),
        Paragraph(SAVINGS_DEFINITION),
    ]
    comparisons = [
        split_comparison(result, "learned", RANDOM_AT_LEARNED_SPLIT, "At its default thresholds, the learned "
                         "router (k-fold trained on these items' measured labels)"),
        split_comparison(result, CONFIGURED, RANDOM_AT_CONFIGURED_SPLIT, "The configured router (the config's "
                         "classifier with its trained model as shipped)"),
    ]  # fmt: skip
    out += [Paragraph(c) for c in comparisons if c]
    caption = "Cost against quality per router (hulls), with the always-tier points"
    out.append(Image(COST_QUALITY, caption) if plots else Paragraph(NO_MATPLOTLIB))
    if result.items:
        out += [Heading("AIQ per dataset", 3), aiq_table(result)]
    if any(a.pairs for a in agreement):
        out += [Heading("Scorers against the exact answers"), agreement_table(agreement), Paragraph(AGREEMENT_NOTE)]
    out += [Heading("Per tier and dataset"), group_table(result.by_dataset, "dataset")]
    out += [Heading("Per tier and category"), group_table(result.by_category, "category")]
    if plots:
        out.append(Image(QUALITY_BY_CATEGORY, "Mean quality per category and tier"))
    notes = [*run.notes, *result.notes]
    if notes:
        out += [Heading("Notes"), Bullets(notes)]
    out += [Heading("Definitions"), Bullets(DEFINITIONS)]
    return out


def results_json(
    run: RunInfo,
    items: Sequence[BenchItem],
    scored: Sequence[ScoredOutcome],
    result: ReplayResult,
    agreement: Sequence[ScorerAgreement] = (),
) -> dict[str, Any]:
    return {
        "benchmark": "quality",
        "title": title(run),
        "run": asdict(run),
        "item_count": len(items),
        "items_per_dataset": dict(sorted(Counter(i.dataset for i in items).items())),
        "scored_outcomes": len(scored),
        "items_per_scorer": dict(sorted(Counter(i.scorer for i in items).items())),
        "scorer_agreement": [a.to_json() for a in agreement],
        **result.to_json(),
    }


def write_report(
    out_dir: Path,
    run: RunInfo,
    items: Sequence[BenchItem],
    scored: Sequence[ScoredOutcome],
    result: ReplayResult,
    agreement: Sequence[ScorerAgreement] = (),
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / RESULTS_FILE).write_text(
        json.dumps(results_json(run, items, scored, result, agreement), indent=2) + "\n"
    )
    try:
        from benchmarks.quality.report_plots import cost_quality_plot, quality_by_category_plot
    except ImportError:
        plots = False
    else:
        plots = bool(result.items)
        if plots:
            cost_quality_plot(result, out_dir / COST_QUALITY)
            quality_by_category_plot(result, out_dir / QUALITY_BY_CATEGORY)
    content = blocks(run, items, result, plots, agreement)
    (out_dir / MARKDOWN_FILE).write_text(to_markdown(content))
    (out_dir / HTML_FILE).write_text(to_html(content, title(run), out_dir))
