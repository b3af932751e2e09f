"""One routing decision: resolve the requested model, classify, place. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from server.routing.classifiers import Classification, Classifier
from server.routing.features import RequestFeatures, extract_features
from server.routing.gpu_state import (
    DEFAULT_GPU_POLICY,
    GpuPolicy,
    GpuView,
    gpu_explanation,
    replica_watts,
    with_gpu_pressure,
)
from server.routing.marginal import RequestDemand
from server.routing.placement import DEFAULT_POLICY, Placement, PlacementPolicy, place, place_within
from server.routing.prefix_affinity import PrefixMatch
from tiers.base import TierSnapshot

AUTO_MODEL = "auto"
# Completion tokens assumed for a request that sets no max_tokens, when pricing it at the margin.
ASSUMED_COMPLETION_TOKENS = 256


@dataclass(frozen=True, slots=True)
class RouteDecision:
    requested_model: str
    mode: Literal["auto", "pinned"]
    placement: Placement
    features: RequestFeatures
    classification: Classification | None = None
    # The GPUs behind the decision (the chosen replica's, the replica map, the hot ones); {} without NVML.
    gpu: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tier(self) -> str | None:
        return self.placement.tier

    def short(self) -> str:
        """Header form, e.g. `auto rules:code min=frontier -> tier-2 (frontier-unconfigured)`."""
        if self.classification is None:
            head = f"pinned {self.placement.wanted}"
        else:
            c = self.classification
            matched = ",".join(c.matched_rules) or "default"
            head = f"auto {c.classifier}:{matched} min={c.min_tier}"
        tail = f" ({self.placement.degraded})" if self.placement.degraded else ""
        if self.placement.limited_from:
            tail += f" (budget: local only, not {self.placement.limited_from})"
        return f"{head} -> {self.placement.tier or 'none'}{tail}"

    def explain(self) -> dict[str, Any]:
        c = self.classification
        f = self.features
        return {
            "requested_model": self.requested_model,
            "mode": self.mode,
            "chosen_tier": self.placement.tier,
            "min_tier": c.min_tier if c else self.placement.wanted,
            "degraded": self.placement.degraded,
            "replica": self.placement.replica,
            "spilled_from": self.placement.spilled_from,
            "budget_limited_from": self.placement.limited_from,
            "placement_reason": self.placement.reason,
            "placement_error": (
                {
                    "code": self.placement.error.code,
                    "message": self.placement.error.message,
                }
                if self.placement.error
                else None
            ),
            "classifier": {"name": c.classifier, "version": c.version} if c else None,
            "matched_rules": list(c.matched_rules) if c else [],
            "scores": dict(c.scores) if c else {},
            "marginal_costs": {cost.tier: cost.to_dict() for cost in self.placement.costs} or None,
            "gpu": dict(self.gpu) or None,
            "features": f.to_dict(),
        }


def model_index(tiers: Sequence[TierSnapshot]) -> dict[str, str]:
    """Every name a client may put in `model`, mapped to its tier (`auto` excluded)."""
    index: dict[str, str] = {}
    for tier in tiers:
        index.setdefault(tier.model, tier.name)
    for tier in tiers:  # tier names win over model names that collide with them
        index[tier.name] = tier.name
    return index


class Router:
    def __init__(
        self,
        classifier: Classifier,
        on_frontier_missing: Literal["degrade", "error"],
        policy: PlacementPolicy = DEFAULT_POLICY,
        gpu_policy: GpuPolicy = DEFAULT_GPU_POLICY,
    ) -> None:
        self.classifier = classifier
        self.on_frontier_missing = on_frontier_missing
        self.policy = policy
        self.gpu_policy = gpu_policy
        # Each tier's GPUs per replica, to share a GPU's measured power among the replicas on it.
        self.gpu_shares = {name: pricing.gpus_per_replica for name, pricing in policy.pricing.items()}

    def _place(
        self,
        wanted: str,
        tiers: Sequence[TierSnapshot],
        *,
        pinned: bool,
        only: frozenset[str] | None,
        demand: RequestDemand,
        watts: Mapping[str, float],
        prefix: PrefixMatch | None,
    ) -> Placement:
        missing, policy = self.on_frontier_missing, self.policy
        if only is not None:
            return place_within(
                wanted, tiers, only, pinned=pinned, on_frontier_missing=missing, policy=policy, demand=demand,
                watts=watts, prefix=prefix,
            )  # fmt: skip
        return place(
            wanted, tiers, pinned=pinned, on_frontier_missing=missing, policy=policy, demand=demand, watts=watts,
            prefix=prefix,
        )  # fmt: skip

    def decide(
        self,
        body: Mapping[str, Any],
        pinned_tier: str | None,
        tiers: Sequence[TierSnapshot],
        only_tiers: frozenset[str] | None = None,
        gpus: GpuView | None = None,
        *,
        prefix: PrefixMatch | None = None,
    ) -> RouteDecision:
        """`only_tiers`: when set, the only tiers placement may choose (a spent budget's local tiers).
        `gpus`: the GPU snapshot (None without NVML): replicas on hot GPUs are avoided, and owned GPUs'
        power prices their spare tokens. `prefix`: what the service's prefix index knows of the request's
        prompt, for the replica choice."""
        features = extract_features(body)
        requested = str(body.get("model", AUTO_MODEL))
        tiers, hot = with_gpu_pressure(tiers, gpus, self.gpu_policy)
        demand = RequestDemand(features.prompt_tokens_estimate, features.max_tokens or ASSUMED_COMPLETION_TOKENS)
        watts = replica_watts(tiers, gpus, self.gpu_shares)
        if pinned_tier is not None:
            placement = self._place(
                pinned_tier, tiers, pinned=True, only=only_tiers, demand=demand, watts=watts, prefix=prefix
            )
            gpu = gpu_explanation(gpus, tiers, placement.replica, hot)
            return RouteDecision(requested, "pinned", placement, features, gpu=gpu)
        classification = self.classifier.classify(features)
        placement = self._place(
            classification.min_tier, tiers, pinned=False, only=only_tiers, demand=demand, watts=watts, prefix=prefix
        )
        gpu = gpu_explanation(gpus, tiers, placement.replica, hot)
        return RouteDecision(requested, "auto", placement, features, classification, gpu)
