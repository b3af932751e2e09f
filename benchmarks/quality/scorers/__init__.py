"""Scorers: one tier's answer to one item -> `Score` in [0, 1], registered by the names items carry.

| name          | what it checks                                                                 | needs           |
|---------------|--------------------------------------------------------------------------------|-----------------|
| `gsm8k`       | the final number equals the reference number                                   | reference       |
| `humaneval`   | the problem's unit tests pass, run in a sandboxed process                       | meta prompt/test |
| `evals-match` | an `ideal` matches as the openai/evals eval class does (match/includes/fuzzy)   | reference       |
| `mtbench`     | the judge's 1-10 grade (+ pairwise vs the baseline); similarity without a judge | judge/embedder  |
| `similarity`  | embedding cosine to the baseline (the frontier's answer) or the reference       | embedder        |
| `exact`       | a user row: the extracted final answer equals the reference (normalised)       | reference       |
| `includes`    | a user row: the normalised reference occurs in the answer, as whole words       | reference       |
| `numeric`     | a user row: the final number equals the reference within the row's tolerance   | reference       |
| `choice`      | a user row: the option the answer picks (letter or text) is the reference's    | meta choices    |
| `judge`       | a user row: the frontier grades it (MT-Bench single grade); similarity without | judge/embedder  |

`build_scorers` makes the registry; `ScorerRegistry.score(item, output, baseline)` dispatches on
`item.scorer`, where `baseline` is the frontier's answer, or None in reference mode.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.quality.scorers.base import Embedder, Judge, SandboxLimits, Scorer, ScorerRegistry
from benchmarks.quality.scorers.evals_match import EvalsMatchScorer
from benchmarks.quality.scorers.exact import ChoiceScorer, ExactScorer, IncludesScorer, NumericScorer
from benchmarks.quality.scorers.humaneval import HumanEvalScorer
from benchmarks.quality.scorers.mtbench import JudgeScorer, MtBenchScorer
from benchmarks.quality.scorers.numeric import NumericMatchScorer
from benchmarks.quality.scorers.similarity import SimilarityScorer, minilm_embedder

__all__ = [
    "Embedder",
    "Judge",
    "SandboxLimits",
    "Scorer",
    "ScorerRegistry",
    "build_scorers",
    "minilm_embedder",
]


def build_scorers(
    judge: Judge | None,
    embedder: Embedder | None,
    limits: SandboxLimits = SandboxLimits(),  # noqa: B008 (frozen dataclass: a shared default is safe)
    *,
    scratch_dir: Path | None = None,
) -> ScorerRegistry:
    """Every scorer; without a judge MT-Bench falls back to similarity, without an embedder those are invalid.

    `scratch_dir` is where HumanEval programs get their temporary folders (the system's temp dir if None).
    """
    similarity = SimilarityScorer(embedder)
    return ScorerRegistry(
        [
            NumericMatchScorer(),
            HumanEvalScorer(limits, scratch_dir=scratch_dir),
            EvalsMatchScorer(),
            MtBenchScorer(judge, similarity),
            similarity,
            ExactScorer(),
            IncludesScorer(),
            NumericScorer(),
            ChoiceScorer(),
            JudgeScorer(judge, similarity),
        ]
    )
