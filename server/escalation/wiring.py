"""Builds the escalator from validated settings: each tier's checks, its verifier, limits and budget."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from server.accounting.shared_state.protocol import SharedState
from server.escalation.checks import Check, CheckRegistry, DegenerationCheck, default_checks
from server.escalation.policy import GlobalBudget, RequestLimits
from server.escalation.runaway import GuardConfig, RunawayGuard
from server.escalation.runner import CostOf, Escalator, TierChecks
from server.escalation.verifier import Verifier
from server.generation import GenerationRules, TierGeneration
from server.routing.wiring import load_encoder
from server.settings import ConfigError, Settings
from tiers.base import Tier


def _build_checks(specs: Sequence[str | dict[str, Any]], where: str, registry: CheckRegistry) -> tuple[Check, ...]:
    checks = []
    for i, spec in enumerate(specs):
        name, options = (spec, {}) if isinstance(spec, str) else (str(spec["name"]), {**spec})
        options.pop("name", None)
        try:
            checks.append(registry.build(name, options))
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{where}.checks[{i}]: {exc.args[0]}") from None
    return tuple(checks)


def build_escalator(
    settings: Settings,
    tiers: Sequence[Tier],
    cost_of: CostOf,
    clock: Callable[[], float] = time.monotonic,
    encoders: Callable[[str | None], Any] = load_encoder,
    shared_state: SharedState | None = None,
) -> Escalator:
    """The attempt loop of every request; with no checks configured, each request is one unchecked attempt
    (still watched by its tier's runaway guard, when it has one). `encoders` loads the sentence embedder (the
    app passes the one it shares with the router); it is called only if a tier configures the `relevance`
    check, and every such check gets the same encoder. `shared_state` keeps the global budget's bucket (the
    deployment's, when several gateways share it); None keeps it in this process."""
    config = settings.escalation
    # The learned router's embedder folder, when one is configured, so that both use the same encoder.
    embedder_dir = settings.routing.learned.embedder_dir if settings.routing.learned is not None else None
    loaded: list[Any] = []

    def encoder() -> Any:
        if not loaded:
            try:
                loaded.append(encoders(embedder_dir))
            except ConfigError as exc:  # worded for routing.learned; say which check needs it
                raise ValueError(f"the relevance check needs the sentence embedder: {exc}") from None
        return loaded[0]

    registry = default_checks(encoder)
    by_name = {t.name: t for t in tiers}
    tier_checks: dict[str, TierChecks] = {}
    guards: dict[str, RunawayGuard] = {}
    for name, tier_config in config.tiers.items():
        where = f"escalation.tiers.{name}"
        verifier = None
        if tier_config.verifier is not None:
            v = tier_config.verifier
            verifier = Verifier(by_name[v.tier], v.min_probability, v.max_answer_chars)
        checks = _build_checks(tier_config.checks, where, registry)
        tier_checks[name] = TierChecks(checks, tier_config.stream_mode or config.stream_mode, verifier)
        runaway = tier_config.runaway
        if runaway is not None and runaway.enabled:
            # The tier's own degeneration check (with its options) judges the tail, when it has one.
            check = next((c for c in checks if isinstance(c, DegenerationCheck)), None)
            thresholds = GuardConfig(
                runaway.min_tokens, runaway.every_tokens, runaway.window_tokens, runaway.json_requests
            )
            guards[name] = RunawayGuard(thresholds, check)
    budget = GlobalBudget(
        max_share=config.budget.max_share,
        burst=config.budget.burst,
        max_usd_per_minute=config.budget.max_usd_per_minute,
        state=shared_state,
        on_unreachable=settings.shared_state.on_unreachable.escalation,
        clock=clock,
    )
    limits = RequestLimits(config.max_escalations, config.max_cost_usd)
    order = [t.name for t in settings.tiers]
    generation = GenerationRules({t.name: TierGeneration(t.defaults, t.limits) for t in settings.tiers})
    return Escalator(
        by_name, order, tier_checks, limits, budget, cost_of, config.prefix_tokens, generation, guards
    )  # fmt: skip
