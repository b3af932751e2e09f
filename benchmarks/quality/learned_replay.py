"""The learned router (and hybrid on top of it) evaluated by k-fold cross-validation over measured labels.

Each fold trains tierd's own learned router (server/routing/learned/training.py `train`) on the other folds'
items, labelled with their cheapest adequate tier (the measured label labels.py writes), and scores its
held-out items through the serving classifier's `scores_many` (lexical stage first, MiniLM when unsure). So
every item gets an out-of-fold P(tier adequate), and the threshold sweep replays them at no model cost.
Embeddings are computed once for all items (the expensive part) and reused by every fold.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.quality.matrix import FloatMatrix, IntVector
from server.routing.classifiers.hybrid import HybridClassifier
from server.routing.classifiers.learned import LearnedClassifier, TextEncoder
from server.routing.features import RequestFeatures, extract_features
from server.routing.learned.thresholds import adequacy
from server.routing.learned.training import Example, train
from server.routing.learned.vectors import embedding_text
from server.routing.settings import HybridClassifierSettings

EMBEDDER_LABEL = "minilm-l6-v2-onnx"


class PrecomputedEncoder:
    """Serves embeddings computed once up front, so each fold's classifier does not embed again."""

    def __init__(self, texts: Sequence[str], embeddings: npt.NDArray[np.float32]) -> None:
        self._rows = {text: embeddings[i] for i, text in enumerate(texts)}

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.stack([self._rows[t] for t in texts]).astype(np.float32)


@dataclass(frozen=True, slots=True)
class HybridConstraints:
    """The hybrid classifier's settings, with tier names already mapped onto the run's tiers."""

    tools_min_tier: str | None
    structured_output_min_tier: str | None
    context_windows: Mapping[str, int]
    default_completion_tokens: int = HybridClassifierSettings().default_completion_tokens


@dataclass
class LearnedFolds:
    adequacies: FloatMatrix  # (items, tiers), out of fold
    floors: IntVector | None  # hybrid's constraint floor per item; None when no fold could be trained
    folds: int
    trained_folds: int
    semantic_share: float  # share of items the semantic stage decided
    embed_s: float
    train_s: float
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "trained_folds": self.trained_folds,
            "semantic_share": round(self.semantic_share, 4),
            "embed_s": round(self.embed_s, 3),
            "train_s": round(self.train_s, 3),
        }


def fold_assignment(n: int, folds: int, seed: int) -> IntVector:
    """Balanced folds over a seeded permutation: fold sizes differ by at most one."""
    order = np.random.default_rng(seed).permutation(n)
    assigned = np.zeros(n, dtype=np.int64)
    assigned[order] = np.arange(n) % folds
    return assigned


def learned_folds(
    bodies: Sequence[dict[str, Any]],
    labels: IntVector,
    tiers: Sequence[str],
    *,
    encoder: TextEncoder,
    folds: int,
    seed: int,
    fast_path_confidence: float,
    constraints: HybridConstraints,
) -> LearnedFolds:
    n, names = len(bodies), tuple(tiers)
    k = max(2, min(folds, n))
    features = [extract_features(b) for b in bodies]
    texts = [embedding_text(f.routing_text) for f in features]  # what the semantic stage embeds
    started = time.perf_counter()
    embeddings = np.asarray(encoder.encode(texts), dtype=np.float32).reshape(n, -1)
    embed_s = time.perf_counter() - started
    cached = PrecomputedEncoder(texts, embeddings)
    assigned = fold_assignment(n, k, seed)
    adequacies = np.zeros((n, len(names)), dtype=np.float64)
    semantic = 0
    trained: LearnedClassifier | None = None
    notes: list[str] = []
    started = time.perf_counter()
    for fold in range(k):
        held = np.flatnonzero(assigned == fold)
        rest = np.flatnonzero(assigned != fold)
        if len(held) == 0:
            continue
        present = np.unique(labels[rest])
        if len(present) < 2:
            # One label only: nothing to learn. The held-out items get the training labels' shares (a constant
            # prior), which is what any classifier trained on this data would say.
            prior = np.bincount(labels[rest], minlength=len(names)) / max(len(rest), 1)
            adequacies[held] = adequacy(prior)
            notes.append(
                f"learned fold {fold + 1}/{k}: its training items all have label {[names[i] for i in present]}; "
                "held-out items get the label shares instead of a model"
            )
            continue
        examples = [Example(str(i), bodies[i], int(labels[i])) for i in rest]
        model = train(examples, None, names, embedder_name=EMBEDDER_LABEL, embeddings=embeddings[rest])
        classifier = LearnedClassifier(model, cached, names, {}, fast_path_confidence)
        staged = classifier.scores_many([features[i] for i in held])
        adequacies[held] = adequacy(np.stack([s.probabilities for s in staged]))
        semantic += sum(s.stage == "semantic" for s in staged)
        trained = classifier
    train_s = time.perf_counter() - started
    floors = None if trained is None else hybrid_floors(trained, names, features, constraints)
    trained_folds = k - len(notes)
    return LearnedFolds(adequacies, floors, k, trained_folds, semantic / max(n, 1), embed_s, train_s, notes)


def hybrid_floors(
    learned: LearnedClassifier,
    tiers: Sequence[str],
    features: Sequence[RequestFeatures],
    constraints: HybridConstraints,
) -> IntVector:
    """The least tier hybrid allows per item (its hard constraints do not depend on the learned model)."""
    hybrid = HybridClassifier(
        learned,
        tiers,
        tools_min_tier=constraints.tools_min_tier,
        structured_output_min_tier=constraints.structured_output_min_tier,
        context_windows=constraints.context_windows,
        default_completion_tokens=constraints.default_completion_tokens,
    )
    return np.array([hybrid.constraints(f)[0] for f in features], dtype=np.int64)
