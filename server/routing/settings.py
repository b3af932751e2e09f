"""The `routing:` section of the config: which classifier decides, and each classifier's own settings."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from server.config_base import StrictModel as _Strict


class Rule(_Strict):
    """All conditions given must hold; `keywords` and `regex` match when any entry does."""

    name: str
    tier: str
    keywords: list[str] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)
    min_prompt_tokens: int | None = Field(None, ge=0)
    max_prompt_tokens: int | None = Field(None, ge=0)
    min_turns: int | None = Field(None, ge=1)
    has_tools: bool | None = None
    has_response_format: bool | None = None
    min_code_cues: int | None = Field(None, ge=1)
    min_math_cues: int | None = Field(None, ge=1)
    min_multi_step_cues: int | None = Field(None, ge=1)
    task_types: list[Literal["extract", "format", "classify", "translate", "summarize"]] = Field(
        default_factory=list, description="matches when the prompt shows any of these task types"
    )

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"regex {pattern!r} does not compile: {exc}") from exc
        return patterns


class RulesClassifierSettings(_Strict):
    default_tier: str
    rules: list[Rule] = Field(default_factory=list)


class LearnedClassifierSettings(_Strict):
    model: str = Field(
        "bundled:cpu", description="a folder made by `tierd router train`, or bundled:NAME (shipped with tierd)"
    )
    embedder_dir: str | None = Field(
        None, description="the prepared MiniLM folder; default $TIERD_CACHE_DIR/models/minilm-l6-v2-onnx"
    )
    thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="tier -> minimum P(tier adequate) to send a request there; written by `tierd router calibrate`; "
        "tiers not listed use the model's defaults",
    )
    fast_path_confidence: float = Field(
        0.9, ge=0.0, le=1.0, description="the lexical stage decides alone at this confidence or above; 1 = always embed"
    )
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="for `tierd router train`: difficulty or difficulty/family of a corpus row -> the tier it "
        "teaches (default: simple -> cheapest, medium -> middle, complex -> most capable)",
    )

    @field_validator("thresholds")
    @classmethod
    def _probabilities(cls, thresholds: dict[str, float]) -> dict[str, float]:
        for tier, value in thresholds.items():
            if not 0.0 <= value <= 1.01:
                raise ValueError(f"threshold for {tier!r} is {value}; it must lie in [0, 1] (1.01 = never)")
        return thresholds


class HybridClassifierSettings(_Strict):
    tools_min_tier: str | None = Field(None, description="requests with `tools` go at least to this tier")
    structured_output_min_tier: str | None = Field(
        None, description="requests with a json_object/json_schema response_format go at least here"
    )
    context_windows: dict[str, int] = Field(
        default_factory=dict,
        description="tier -> tokens its model holds; default: a managed tier's max-model-len engine arg",
    )
    default_completion_tokens: int = Field(
        512, ge=1, description="completion length assumed for the context check when max_tokens is absent"
    )


class RoutingSettings(_Strict):
    classifier: str = "rules"
    rules: RulesClassifierSettings | None = None
    learned: LearnedClassifierSettings | None = None
    hybrid: HybridClassifierSettings | None = None

    def tier_references(self) -> list[tuple[str, str]]:
        """(where, tier name) for every tier this section names, to check against the tiers."""
        refs: list[tuple[str, str]] = []
        if self.rules is not None:
            refs.append(("routing.rules.default_tier", self.rules.default_tier))
            refs += [(f"routing.rules.rules[{i}].tier ({r.name})", r.tier) for i, r in enumerate(self.rules.rules)]
        if self.learned is not None:
            refs += [(f"routing.learned.thresholds.{t}", t) for t in self.learned.thresholds]
        if self.hybrid is not None:
            for field_name in ("tools_min_tier", "structured_output_min_tier"):
                value = getattr(self.hybrid, field_name)
                if value is not None:
                    refs.append((f"routing.hybrid.{field_name}", value))
            refs += [(f"routing.hybrid.context_windows.{t}", t) for t in self.hybrid.context_windows]
        return refs
