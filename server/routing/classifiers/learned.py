"""`learned`: a trained model predicts, for each tier, the probability that it answers adequately.

Two stages from one artifact (server/routing/learned/artifact.py). The lexical stage (hashed n-grams, ~0.3 ms)
answers alone when it is confident; otherwise the semantic stage embeds the routing text with MiniLM (~2-8 ms
on one core of this 2-core box) and decides from the embedding, the same n-grams and the features together.
`fast_path_confidence: 1.0` always embeds. The tier is the cheapest whose adequacy reaches its threshold
(server/routing/learned/thresholds.py); `tierd router calibrate` sets them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from server.routing.classifiers.base import Classification, ClassifierContext
from server.routing.features import RequestFeatures
from server.routing.learned.artifact import RouterModel, load_model
from server.routing.learned.thresholds import adequacy, choose_index
from server.routing.learned.vectors import FloatVector, embedding_text, numeric_vector

DEFAULT_THRESHOLD = 0.5
DEFAULT_FAST_PATH_CONFIDENCE = 0.9


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True, slots=True)
class StagedScores:
    probabilities: FloatVector  # P(label = tier), tier order
    stage: str  # "lexical" or "semantic"


class LearnedClassifier:
    name = "learned"
    # The semantic stage holds a core for milliseconds: callers on an event loop should use a worker thread.
    blocking = True

    def __init__(
        self,
        model: RouterModel,
        encoder: TextEncoder,
        tier_names: Sequence[str],
        thresholds: Mapping[str, float],
        fast_path_confidence: float,
    ) -> None:
        if tuple(tier_names) != model.tiers:
            raise ValueError(
                f"the router model was trained for tiers {list(model.tiers)} but the config has {list(tier_names)}; "
                "retrain it with `tierd router train` for these tiers"
            )
        unknown = sorted(set(thresholds) - set(model.tiers[:-1]))
        if unknown:
            raise ValueError(
                f"thresholds name {unknown}, which are not tiers below the top one ({list(model.tiers[:-1])})"
            )
        defaults = model.defaults.get("thresholds", {})
        self.model = model
        self.encoder = encoder
        self.thresholds = tuple(float(thresholds.get(t, defaults.get(t, DEFAULT_THRESHOLD))) for t in model.tiers[:-1])
        self.fast_path_confidence = fast_path_confidence
        self.version = model.version

    @classmethod
    def from_config(cls, section: Any, context: ClassifierContext) -> LearnedClassifier:
        if section is None:
            raise ValueError("routing.classifier needs a routing.learned section (at least `model:`)")
        model = load_model(context.resolve_model(section.model))
        encoder = context.load_encoder(section.embedder_dir)
        return cls(model, encoder, context.tier_names, section.thresholds, section.fast_path_confidence)

    def scores(self, features: RequestFeatures) -> StagedScores:
        numeric = self.model.scaled_numeric(numeric_vector(features))
        lexical = self.model.lexical_probabilities(features.routing_text, numeric)
        if float(lexical.max()) >= self.fast_path_confidence:
            return StagedScores(lexical, "lexical")
        embedding = np.asarray(self.encoder.encode([embedding_text(features.routing_text)])[0], dtype=np.float32)
        return StagedScores(self.model.semantic_probabilities(features.routing_text, embedding, numeric), "semantic")

    def scores_many(self, features: Sequence[RequestFeatures]) -> list[StagedScores]:
        """scores() for many requests, embedding the uncertain ones in batches (calibration, evaluation)."""
        numeric = [self.model.scaled_numeric(numeric_vector(f)) for f in features]
        lexical = [self.model.lexical_probabilities(f.routing_text, x) for f, x in zip(features, numeric, strict=True)]
        unsure = [i for i, p in enumerate(lexical) if float(p.max()) < self.fast_path_confidence]
        out = [StagedScores(p, "lexical") for p in lexical]
        if unsure:
            embeddings = np.asarray(
                self.encoder.encode([embedding_text(features[i].routing_text) for i in unsure]), dtype=np.float32
            )
            for row, i in enumerate(unsure):
                probabilities = self.model.semantic_probabilities(features[i].routing_text, embeddings[row], numeric[i])
                out[i] = StagedScores(probabilities, "semantic")
        return out

    def classify(self, features: RequestFeatures) -> Classification:
        staged = self.scores(features)
        adequate = adequacy(staged.probabilities)
        chosen = choose_index(adequate.tolist(), self.thresholds)
        scores = {tier: round(float(p), 4) for tier, p in zip(self.model.tiers, adequate, strict=True)}
        return Classification(self.model.tiers[chosen], self.name, self.version, (f"learned:{staged.stage}",), scores)


def resolve_model_path(value: str, bundled_dir: Path) -> Path:
    """`bundled:NAME` is a model shipped with tierd; anything else is a folder path."""
    if value.startswith("bundled:"):
        return bundled_dir / value.removeprefix("bundled:")
    return Path(value).expanduser()
