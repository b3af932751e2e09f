"""The `bench.quality` section of the tierd config: how `tierd bench quality` asks each tier and scores it."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import Field, model_validator

from server.config_base import StrictModel

PromptFormat = Literal["chat", "completion"]
# The sampling seed of the router data set and of `tierd bench quality` (the same items on every run).
DEFAULT_SEED = 20261128
_T = TypeVar("_T")
PositiveInt = Annotated[int, Field(ge=1)]
# Datasets are named by kind ("gsm8k", "evals", "jsonl", ...) or in full ("evals:food"); "*" is the default.
DatasetKey = Annotated[str, Field(pattern=r"^(\*|[a-z0-9]+(:[^\s]+)?)$")]


def _default_max_tokens() -> dict[str, int]:
    return {"gsm8k": 256, "humaneval": 384, "mtbench": 512, "evals": 96, "jsonl": 512, "*": 256}


class QualitySandbox(StrictModel):
    """Limits on each HumanEval test run (a separate process, never the benchmark's own)."""

    timeout_s: float = Field(10.0, gt=0, description="wall-clock limit per test run, seconds")
    memory_mb: int = Field(512, ge=16, description="address-space limit per test run, MiB")


class QualityBenchSettings(StrictModel):
    concurrency: int = Field(4, ge=1, description="requests in flight per tier (--concurrency overrides)")
    temperature: float = Field(0.0, ge=0, le=2, description="sampling temperature of every call (0: greedy)")
    max_tokens: dict[DatasetKey, PositiveInt] = Field(
        default_factory=_default_max_tokens,
        description="answer budget per dataset kind or full dataset name; `*` for the rest",
    )
    formats: dict[str, dict[DatasetKey, PromptFormat]] = Field(
        default_factory=dict,
        description="tier -> dataset (kind, full name or `*`) -> `chat` (instruction models, /v1/chat/completions) "
        "or `completion` (base models: few-shot text prompts on /v1/completions); default chat",
    )
    few_shot: int = Field(3, ge=0, le=3, description="worked examples a `completion` prompt starts with")
    judge_tier: str | None = Field(
        None, description="tier that judges open-ended answers (MT-Bench); default: the last (frontier) tier"
    )
    adequacy_threshold: float = Field(
        0.8, ge=0, le=1, description="a tier is adequate on an item when its quality >= min(frontier's, this)"
    )
    sandbox: QualitySandbox = Field(default_factory=QualitySandbox)
    request_timeout_s: float = Field(600.0, gt=0, description="one call's limit; a slower call is an error outcome")
    folds: int = Field(5, ge=2, description="k of the k-fold cross-validation of learned routers in replay")

    @model_validator(mode="after")
    def _has_default_budget(self) -> QualityBenchSettings:
        self.max_tokens.setdefault("*", 256)
        return self

    def max_tokens_for(self, dataset: str) -> int:
        return _lookup(self.max_tokens, dataset, 256)

    def format_for(self, tier: str, dataset: str) -> PromptFormat:
        return _lookup(self.formats.get(tier, {}), dataset, "chat")


def _lookup(table: dict[str, _T], dataset: str, default: _T) -> _T:
    """The most specific entry: the full name (`evals:food`), then its kind (`evals`), then `*`."""
    kind = dataset.split(":", 1)[0]
    for key in (dataset, kind, "*"):
        if key in table:
            return table[key]
    return default
