"""Ordered rules from the YAML: the first rule whose conditions all hold picks the tier."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from server.routing.classifiers.base import Classification, ClassifierContext
from server.routing.features import RequestFeatures


@dataclass(frozen=True, slots=True)
class CompiledRule:
    name: str
    tier: str
    keywords: tuple[str, ...]
    pattern: re.Pattern[str] | None
    min_prompt_tokens: int | None
    max_prompt_tokens: int | None
    min_turns: int | None
    has_tools: bool | None
    has_response_format: bool | None
    min_code_cues: int | None = None
    min_math_cues: int | None = None
    min_multi_step_cues: int | None = None
    task_types: frozenset[str] = frozenset()

    def matches(self, f: RequestFeatures) -> bool:
        # Cheap numeric checks first; text scans last.
        if self.min_prompt_tokens is not None and f.prompt_tokens_estimate < self.min_prompt_tokens:
            return False
        if self.max_prompt_tokens is not None and f.prompt_tokens_estimate > self.max_prompt_tokens:
            return False
        if self.min_turns is not None and f.turns < self.min_turns:
            return False
        if self.has_tools is not None and f.has_tools != self.has_tools:
            return False
        if self.has_response_format is not None and f.has_response_format != self.has_response_format:
            return False
        if self.min_code_cues is not None and f.code_cues < self.min_code_cues:
            return False
        if self.min_math_cues is not None and f.math_cues < self.min_math_cues:
            return False
        if self.min_multi_step_cues is not None and f.multi_step_cues < self.min_multi_step_cues:
            return False
        if self.task_types and self.task_types.isdisjoint(f.task_types):
            return False
        if self.keywords and not any(k in f.text for k in self.keywords):
            return False
        return not (self.pattern is not None and self.pattern.search(f.text) is None)


def compile_rule(rule: Any) -> CompiledRule:
    # All of a rule's regexes become one alternation: one scan of the text instead of many.
    pattern = re.compile("|".join(f"(?:{p})" for p in rule.regex), re.IGNORECASE) if rule.regex else None
    return CompiledRule(
        name=rule.name,
        tier=rule.tier,
        keywords=tuple(k.lower() for k in rule.keywords),
        pattern=pattern,
        min_prompt_tokens=rule.min_prompt_tokens,
        max_prompt_tokens=rule.max_prompt_tokens,
        min_turns=rule.min_turns,
        has_tools=rule.has_tools,
        has_response_format=rule.has_response_format,
        min_code_cues=rule.min_code_cues,
        min_math_cues=rule.min_math_cues,
        min_multi_step_cues=rule.min_multi_step_cues,
        task_types=frozenset(rule.task_types),
    )


class RulesClassifier:
    name = "rules"
    version = "1"
    blocking = False

    def __init__(self, default_tier: str, rules: Sequence[CompiledRule], tier_names: Sequence[str]) -> None:
        self.default_tier = default_tier
        self.rules = tuple(rules)
        self.tier_names = tuple(tier_names)

    @classmethod
    def from_config(cls, section: Any, context: ClassifierContext) -> RulesClassifier:
        if section is None:
            raise ValueError("routing.classifier is `rules` but the config has no routing.rules section")
        return cls(section.default_tier, [compile_rule(r) for r in section.rules], context.tier_names)

    def classify(self, features: RequestFeatures) -> Classification:
        for rule in self.rules:
            if rule.matches(features):
                return self._result(rule.tier, (rule.name,))
        return self._result(self.default_tier, ())

    def _result(self, tier: str, matched: tuple[str, ...]) -> Classification:
        # Rules are categorical: a tier is adequate (1.0) from the chosen one upward.
        floor = self.tier_names.index(tier)
        scores = {name: 1.0 if i >= floor else 0.0 for i, name in enumerate(self.tier_names)}
        return Classification(tier, self.name, self.version, matched, scores)
