"""`tierd bench quality`: items -> outcomes (cached) -> scores (cached) -> router replay -> report.

    tierd bench quality [--config FILE | --preset P] --datasets gsm8k@60,humaneval@40,mtbench,evals:NAME,x.jsonl
        [--sample N] [--seed S] --out DIR [--tiers tier-1,tier-2] [--concurrency C] [--reference-mode]
        [--url http://tierd/v1] [--cache FILE]

The last tier of the config is the frontier. When it is unconfigured or does not answer (or with
--reference-mode), the datasets' reference answers stand in for it (REFERENCE_TIER) and the report says
"reference mode". Writes DIR/results.json, DIR/report.md, DIR/report.html, the PNG plots and
DIR/router_labels.jsonl (rows `tierd router train` reads); the SQLite cache defaults to DIR/outcomes.sqlite.
"""

from __future__ import annotations

import asyncio
import os
import platform
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.quality import datasets
from benchmarks.quality.agreement import ScorerAgreement, cross_check
from benchmarks.quality.cache import OutcomeCache, OutcomeKey
from benchmarks.quality.model import REFERENCE_TIER, BenchItem, Outcome, ScoredOutcome
from benchmarks.quality.prompts import PromptParams
from benchmarks.quality.runner import Progress, TierJob, TierRunStats, key_for, make_progress, run_tier, tier_key
from benchmarks.quality.scorers import Embedder, ScorerRegistry
from benchmarks.quality.scoring import REFERENCE_COST_NOTE, ScoringResult, reference_outcomes, score_all
from benchmarks.quality.targets import TierAccess, TierGateway, TierJudge, frontier_configured, model_of, probe
from benchmarks.router_data import DEFAULT_WHEEL
from server.bench.quality_settings import DEFAULT_SEED
from server.settings import ConfigError, Settings
from server.wiring import build_pricing
from tiers.http_upstream import HttpClient


@dataclass(frozen=True)
class QualityOptions:
    datasets: str
    out: Path
    sample: int | None = None
    seed: int = DEFAULT_SEED
    tiers: tuple[str, ...] = ()  # local tiers to evaluate (default: every tier below the frontier)
    concurrency: int | None = None
    reference_mode: bool = False
    url: str | None = None
    cache: Path | None = None
    command: str = ""
    config: str = ""
    evals_wheel: Path = DEFAULT_WHEEL


@dataclass
class QualityRun:
    items: list[BenchItem]
    tiers: list[str]  # cheapest first; the last is the frontier or REFERENCE_TIER
    reference_mode: bool
    outcomes: dict[str, dict[tuple[str, str], Outcome]] = field(default_factory=dict)
    stats: list[TierRunStats] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scoring: ScoringResult | None = None
    agreement: list[ScorerAgreement] = field(default_factory=list)  # open-ended scorers vs the exact answers


def _check(settings: Settings, options: QualityOptions) -> tuple[list[str], str]:
    names = [t.name for t in settings.tiers]
    frontier = names[-1]
    unknown = [t for t in options.tiers if t not in names]
    if unknown:
        raise ConfigError(f"--tiers: unknown tier(s) {unknown}; tiers are {names}")
    q = settings.bench.quality
    for tier in q.formats:
        if tier not in names:
            raise ConfigError(f"bench.quality.formats names unknown tier {tier!r}; tiers are {names}")
    if q.judge_tier is not None and q.judge_tier not in names:
        raise ConfigError(f"bench.quality.judge_tier names unknown tier {q.judge_tier!r}; tiers are {names}")
    local = [t for t in options.tiers or names[:-1] if t != frontier]
    if not local:
        raise ConfigError("no tier to evaluate below the frontier (the config's last tier)")
    return [t for t in names if t in local], frontier


def params_for(settings: Settings, tier: str) -> Callable[[BenchItem], PromptParams]:
    q = settings.bench.quality

    def params(item: BenchItem) -> PromptParams:
        return PromptParams(q.format_for(tier, item.dataset), q.max_tokens_for(item.dataset), q.temperature, q.few_shot)

    return params


def tier_job(settings: Settings, access: TierAccess) -> TierJob:
    q = settings.bench.quality
    return TierJob(
        access.tier,
        access.model,
        access.call,
        access.cost,
        params_for(settings, access.tier),
        q.request_timeout_s,
    )


def tier_keys(settings: Settings, tier: str, items: Sequence[BenchItem]) -> list[OutcomeKey]:
    """The cache keys of `tier`'s answers to `items` under the config's prompt parameters."""
    params, model = params_for(settings, tier), model_of(settings, tier)
    return [tier_key(tier, model, params(i), i) for i in items]


def _cached(
    settings: Settings, tier: str, items: Sequence[BenchItem], cache: OutcomeCache
) -> dict[tuple[str, str], Outcome] | None:
    """Every item's outcome for `tier` when the cache has them all (the tier need not be started), else None."""
    found = {}
    for item, key in zip(items, tier_keys(settings, tier, items), strict=True):
        outcome = cache.get(key)
        if outcome is None:
            return None
        found[item.key] = outcome
    return found


async def _answers(
    settings: Settings, access: TierAccess, items: Sequence[BenchItem], cache: OutcomeCache, concurrency: int,
    progress: Progress, run: QualityRun,
) -> None:  # fmt: skip
    job = tier_job(settings, access)
    run.stats.append(await run_tier(job, items, cache, concurrency, progress))
    found = {}
    for item in items:
        outcome = cache.get(key_for(job, item), include_failed=True)
        if outcome is not None:
            found[item.key] = outcome
    run.outcomes[access.tier] = found


async def _tier_answers(
    settings: Settings, gateway: TierGateway, tier: str, items: Sequence[BenchItem], cache: OutcomeCache,
    concurrency: int, progress: Progress, run: QualityRun,
) -> None:  # fmt: skip
    cached = _cached(settings, tier, items, cache)
    if cached is not None:
        print(f"[quality] {tier}: all {len(items)} answers from the cache; not started", flush=True)
        run.outcomes[tier] = cached
        span = cache.written_between(tier_keys(settings, tier, items))
        run.stats.append(TierRunStats(tier, len(items), 0, 0, 0.0, span))
        return
    async with gateway.session(tier) as access:
        await _answers(settings, access, items, cache, concurrency, progress, run)


def _registry(settings: Settings, judge: TierJudge | None, scratch_dir: Path, notes: list[str]) -> ScorerRegistry:
    from benchmarks.quality.scorers import SandboxLimits, build_scorers, minilm_embedder
    from server.routing.embedding import EmbedderError

    try:
        embedder: Embedder | None = minilm_embedder()
    except EmbedderError as exc:  # similarity scores become invalid (and are said to be) rather than guessed
        embedder = None
        notes.append(f"no embedding similarity: {exc}")
    sandbox = settings.bench.quality.sandbox
    limits = SandboxLimits(sandbox.timeout_s, sandbox.memory_mb)
    return build_scorers(judge, embedder, limits, scratch_dir=scratch_dir)


async def collect(settings: Settings, options: QualityOptions, cache: OutcomeCache, scratch_dir: Path) -> QualityRun:
    """Asks every tier (managed ones launched one at a time), then scores; the frontier stays up for judging."""
    local, frontier = _check(settings, options)
    q = settings.bench.quality
    concurrency = options.concurrency or q.concurrency
    configured, why = frontier_configured(settings)
    reference_mode = options.reference_mode or (not configured and options.url is None)
    notes = [] if configured or options.reference_mode else [f"{why}: reference mode"]
    items = datasets.load_all(
        datasets.parse_specs(options.datasets),
        options.sample,
        options.seed,
        evals_wheel=options.evals_wheel,
        require_reference=reference_mode,
    )
    run = QualityRun(items, [], reference_mode, notes=notes)
    progress = make_progress()
    client = HttpClient()
    await client.open()
    try:
        gateway = TierGateway(settings, client, build_pricing(settings), options.url)
        for tier in local:
            await _tier_answers(settings, gateway, tier, items, cache, concurrency, progress, run)
        if not reference_mode:
            async with gateway.session(frontier) as access:
                failure = await probe(access)
                if failure is None:
                    await _answers(settings, access, items, cache, concurrency, progress, run)
                    run.tiers = [*local, frontier]
                    judge_tier = q.judge_tier or frontier
                    # The frontier judges on its own session; another judge tier is started for the scoring.
                    judging: AbstractAsyncContextManager[TierAccess] = (
                        nullcontext(access) if judge_tier == frontier else gateway.session(judge_tier)
                    )
                    async with judging as judge_access:
                        judge = TierJudge(judge_access)
                        run.scoring = await _score(settings, run, cache, judge, judge_tier, concurrency, scratch_dir)
                    return run
                run.notes.append(f"the frontier tier {frontier!r} did not answer ({failure}): reference mode")
                run.reference_mode = True
                run.items = [i for i in items if i.reference is not None]
        run.outcomes[REFERENCE_TIER] = {
            (o.dataset, o.item_id): o for o in reference_outcomes(run.items, gateway.pricing[frontier])
        }
        run.notes.append(REFERENCE_COST_NOTE)
        run.tiers = [*local, REFERENCE_TIER]
        run.scoring = await _score(settings, run, cache, None, None, concurrency, scratch_dir)
        return run
    finally:
        await client.close()


async def _score(
    settings: Settings,
    run: QualityRun,
    cache: OutcomeCache,
    judge: TierJudge | None,
    judge_tier: str | None,
    concurrency: int,
    scratch_dir: Path,
) -> ScoringResult:
    registry = _registry(settings, judge, scratch_dir, run.notes)
    judge_model = f"{judge_tier}:{model_of(settings, judge_tier)}" if judge_tier else ""
    result = await score_all(
        run.items, run.outcomes, run.tiers, registry, cache, judge_model=judge_model, concurrency=concurrency
    )
    print(f"[quality] scores: {result.from_cache} from the cache, {result.computed} computed", flush=True)
    # Without a judge the `judge` scorer is similarity again: only a real judge is worth comparing.
    run.agreement = await cross_check(
        run.items, run.outcomes, run.tiers, result.scores, registry, cache,
        scorers=["similarity", *(["judge"] if judge is not None else [])], judge_model=judge_model,
        concurrency=concurrency, threshold=settings.bench.quality.adequacy_threshold,
    )  # fmt: skip
    if result.dropped_items:
        run.notes.append(
            f"{len(result.dropped_items)} item(s) left out of replay: some tier's score could not be computed "
            f"({', '.join(result.dropped_items[:5])}{', ...' if len(result.dropped_items) > 5 else ''})"
        )
    return result


def run_quality(settings: Settings, options: QualityOptions) -> QualityRun:
    """The whole benchmark; writes everything under options.out and returns what it measured."""
    started, started_at = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    options.out.mkdir(parents=True, exist_ok=True)
    cache_path = options.cache or options.out / "outcomes.sqlite"
    # HumanEval programs run in folders next to the cache, not in the report's folder.
    scratch_dir = cache_path.parent / "sandbox"
    scratch_dir.mkdir(parents=True, exist_ok=True)
    with OutcomeCache(cache_path) as cache:
        run = asyncio.run(collect(settings, options, cache, scratch_dir))
    # Imported once the answers are in the cache: replay and the report load scikit-learn and matplotlib.
    from benchmarks.quality.labels import LABELS_FILE, measured_rows, write_rows
    from benchmarks.quality.replay import replay
    from benchmarks.quality.report import RunInfo, write_report

    assert run.scoring is not None
    q = settings.bench.quality
    scored = run.scoring.scored
    result = replay(
        run.items, scored, run.tiers, settings=settings, seed=options.seed, folds=q.folds,
        threshold=q.adequacy_threshold,
    )  # fmt: skip
    rows = measured_rows(
        run.items, scored, run.tiers, threshold=q.adequacy_threshold, frontier_name=settings.tiers[-1].name,
        seed=options.seed,
    )  # fmt: skip
    write_rows(rows, options.out / LABELS_FILE)
    models = {t: (model_of(settings, t) if t != REFERENCE_TIER else "dataset references") for t in run.tiers}
    info = RunInfo(
        command=options.command,
        config=options.config,
        # As asked (`gsm8k@60` keeps its own draw size); the items per dataset are counted in the report.
        datasets=[f"{d.name}@{d.sample}" if d.sample else d.name for d in datasets.parse_specs(options.datasets)],
        sample=options.sample,
        seed=options.seed,
        reference_mode=run.reference_mode,
        tiers=run.tiers,
        models=models,
        started_at=started_at,
        duration_s=round(time.monotonic() - started, 1),
        hardware=f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}",
        notes=[*run.notes, *(s.line() for s in run.stats)],
    )
    write_report(options.out, info, run.items, scored, result, run.agreement)
    print(summary_table(run.tiers, scored))
    return run


def summary_table(tiers: Sequence[str], scored: Sequence[ScoredOutcome]) -> str:
    """Quality, $/request and latency per tier x dataset, as printed at the end of a run."""
    head = f"{'tier':<12} {'dataset':<22} {'items':>5} {'quality':>8} {'$/request':>12} {'latency s':>10}"
    lines = [head, "-" * len(head)]
    for tier in tiers:
        for dataset in sorted({s.dataset for s in scored}):
            rows = [s for s in scored if s.tier == tier and s.dataset == dataset]
            if not rows:
                continue
            latencies = [s.latency_s for s in rows if s.latency_s is not None]
            latency = f"{sum(latencies) / len(latencies):.2f}" if latencies else "-"
            lines.append(
                f"{tier:<12} {dataset:<22} {len(rows):>5} {sum(s.quality for s in rows) / len(rows):>8.3f} "
                f"{sum(s.cost_usd for s in rows) / len(rows):>12.8f} {latency:>10}"
            )
    return "\n".join(lines)
