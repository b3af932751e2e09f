"""Values shared by every stage of the quality harness (plain frozen dataclasses, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Message = dict[str, str]  # {"role": ..., "content": ...}
# The tier whose answers stand in for "the frontier" when no frontier is reachable: the dataset's
# reference answers (reference mode). Outcomes of this pseudo-tier cost nothing and are never called.
REFERENCE_TIER = "reference"


@dataclass(frozen=True, slots=True)
class BenchItem:
    """One question of one dataset, as a client would send it, with what a correct answer looks like."""

    dataset: str  # "gsm8k", "humaneval", "mtbench", "evals:NAME", "jsonl:NAME"
    item_id: str  # stable within the dataset (the source's own id where it has one)
    category: str  # the report's per-category breakdown (MT-Bench category, evals set, "math", ...)
    messages: tuple[Message, ...]  # the chat request (the last turn is the one that is scored)
    reference: str | None = None  # the dataset's answer (a number, an ideal, a reference text)
    scorer: str = "similarity"  # the registered scorer name that judges answers to this item
    meta: dict[str, Any] = field(default_factory=dict)  # scorer inputs: HumanEval tests, evals match kind...

    @property
    def key(self) -> tuple[str, str]:
        return (self.dataset, self.item_id)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One tier's answer to one item: what the cache stores (keyed by dataset, item, tier, model, params)."""

    dataset: str
    item_id: str
    tier: str
    model: str
    params_hash: str  # hash of the prompt format and sampling parameters that produced the output
    output: str | None  # None when the call failed (`error` says why)
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_s: float | None
    cost_usd: float | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """A scorer's verdict on one outcome: `value` in [0, 1] (1 = as good as the frontier/reference)."""

    value: float
    scorer: str
    detail: str = ""
    # Scores that could not be computed (a judge that failed, a missing reference) are excluded from
    # quality averages rather than counted as zero.
    valid: bool = True
    # Named components a report may show (e.g. MT-Bench single grade and pairwise win rate).
    parts: dict[str, float] = field(default_factory=dict)


# A tier's answer is adequate when it is as good as the frontier's on the same item, or at least this
# good: binary scores (1 = correct) need 1 unless the frontier failed too; graded scores (a judge's
# 1-10 over 10, a similarity) need not match a frontier that scored higher than the threshold.
DEFAULT_ADEQUACY_THRESHOLD = 0.8


def adequate(tier_quality: float, frontier_quality: float, threshold: float = DEFAULT_ADEQUACY_THRESHOLD) -> bool:
    return tier_quality >= min(frontier_quality, threshold)


@dataclass(frozen=True, slots=True)
class ScoredOutcome:
    """What router replay reads: one tier on one item, its quality and its cost. No model calls needed."""

    dataset: str
    item_id: str
    category: str
    tier: str
    quality: float  # Score.value
    cost_usd: float
    latency_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
