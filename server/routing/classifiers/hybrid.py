"""`hybrid`: hard constraints first, the learned model for everything they leave open.

Constraints are facts about the request that no score should override: a tier whose context window cannot
hold the prompt plus the completion cannot answer it, and tool calls or a JSON schema may need a tier known
to follow them. They set a floor; the learned model picks at or above it. When the floor is already the top
tier the model is not run at all (no embedding to pay for).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from server.routing.classifiers.base import Classification, ClassifierContext
from server.routing.classifiers.learned import LearnedClassifier
from server.routing.features import RequestFeatures
from server.routing.settings import HybridClassifierSettings


class HybridClassifier:
    name = "hybrid"
    blocking = True

    def __init__(
        self,
        learned: LearnedClassifier,
        tier_names: Sequence[str],
        *,
        tools_min_tier: str | None,
        structured_output_min_tier: str | None,
        context_windows: Mapping[str, int],
        default_completion_tokens: int,
    ) -> None:
        self.learned = learned
        self.tier_names = tuple(tier_names)
        self.tools_min_tier = tools_min_tier
        self.structured_output_min_tier = structured_output_min_tier
        self.context_windows = dict(context_windows)
        self.default_completion_tokens = default_completion_tokens
        self.version = f"{learned.version}+c1"

    @classmethod
    def from_config(cls, section: Any, context: ClassifierContext) -> HybridClassifier:
        learned_section = context.sections.get("learned")
        if learned_section is None:
            raise ValueError("routing.classifier `hybrid` needs a routing.learned section (its model)")
        learned = LearnedClassifier.from_config(learned_section, context)
        section = section or HybridClassifierSettings()  # the section is optional: its defaults apply
        return cls(
            learned,
            context.tier_names,
            tools_min_tier=section.tools_min_tier,
            structured_output_min_tier=section.structured_output_min_tier,
            context_windows={**context.context_windows, **section.context_windows},
            default_completion_tokens=section.default_completion_tokens,
        )

    def constraints(self, features: RequestFeatures) -> tuple[int, tuple[str, ...]]:
        """(index of the least capable tier allowed, names of the constraints that raised it)."""
        floor, why = 0, list[str]()
        if features.has_tools and self.tools_min_tier is not None:
            floor, why = max(floor, self.tier_names.index(self.tools_min_tier)), [*why, "tools"]
        if features.has_response_format and self.structured_output_min_tier is not None:
            floor = max(floor, self.tier_names.index(self.structured_output_min_tier))
            why.append("structured-output")
        needed = features.prompt_tokens_estimate + (features.max_tokens or self.default_completion_tokens)
        for i, tier in enumerate(self.tier_names[:-1]):
            window = self.context_windows.get(tier)
            if i >= floor and window is not None and needed > window:
                floor = i + 1
                why.append(f"context>{tier}")
        return floor, tuple(why)

    def classify(self, features: RequestFeatures) -> Classification:
        floor, why = self.constraints(features)
        if floor == len(self.tier_names) - 1:
            scores = {t: (1.0 if i == floor else 0.0) for i, t in enumerate(self.tier_names)}
            return Classification(self.tier_names[floor], self.name, self.version, why, scores)
        learned = self.learned.classify(features)
        chosen = max(floor, self.tier_names.index(learned.min_tier))
        return Classification(
            self.tier_names[chosen], self.name, self.version, (*why, *learned.matched_rules), learned.scores
        )
