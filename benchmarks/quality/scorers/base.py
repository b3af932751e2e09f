"""What every scorer shares: the judge and embedder protocols, the sandbox limits, and the registry by name.

A scorer turns one tier's answer to one item into a `Score` in [0, 1]. Scorers never raise for a bad answer
or a failing judge: they return `Score(valid=False)` with the reason, so one odd item cannot stop a run of
hundreds (the registry also catches what a scorer did not expect, and logs it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from benchmarks.quality.model import BenchItem, Message, Score

log = logging.getLogger(__name__)


class Judge(Protocol):
    """A strong model that grades answers (the runner calls the frontier tier at temperature 0)."""

    async def __call__(self, messages: Sequence[Message], max_tokens: int = 512) -> str: ...


class Embedder(Protocol):
    """Sentence embeddings: one L2-normalised row per text, so a dot product is the cosine."""

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    """Bounds on one generated program's run (HumanEval): wall-clock seconds and address space."""

    timeout_s: float = 10.0
    memory_mb: int = 512


class Scorer(Protocol):
    """One way of judging answers, registered under `name` (what `BenchItem.scorer` names)."""

    name: str

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score: ...


def invalid(scorer: str, detail: str) -> Score:
    """A score that could not be computed: excluded from averages, with the reason for the report."""
    return Score(value=0.0, scorer=scorer, detail=detail, valid=False)


def target_text(item: BenchItem, baseline: str | None) -> str | None:
    """What an open-ended answer is compared with: the frontier's answer, else the dataset's reference."""
    if baseline is not None and baseline.strip():
        return baseline
    if item.reference is not None and item.reference.strip():
        return item.reference
    return None


class ScorerRegistry:
    """Scorers by name; `score` dispatches on `item.scorer` and never raises for a scorer's failure."""

    def __init__(self, scorers: Iterable[Scorer] = ()) -> None:
        self._scorers: dict[str, Scorer] = {}
        for scorer in scorers:
            self.register(scorer)

    def register(self, scorer: Scorer) -> None:
        if scorer.name in self._scorers:
            raise ValueError(f"a scorer named {scorer.name!r} is already registered")
        self._scorers[scorer.name] = scorer

    def names(self) -> list[str]:
        return sorted(self._scorers)

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        scorer = self._scorers.get(item.scorer)
        if scorer is None:
            return invalid(item.scorer, f"no scorer named {item.scorer!r} (known: {', '.join(self.names())})")
        try:
            return await scorer.score(item, output, baseline)
        except Exception as exc:  # a scorer bug must cost one item, not the run; the log keeps the trace
            log.exception("scorer %s failed on %s/%s", item.scorer, item.dataset, item.item_id)
            return invalid(item.scorer, f"scorer error: {type(exc).__name__}: {exc}")
