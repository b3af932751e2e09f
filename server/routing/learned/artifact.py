"""The trained router model on disk: `model.json` (what it is, how it was trained) + `weights.npz`.

No pickle: the weights are plain arrays and the metadata is JSON, so an artifact is safe to load
from anywhere, diffable, and independent of the scikit-learn version that trained it. Serving
needs only numpy. Two multinomial logistic models over the tiers (cheapest first) are stored:
- `lexical`: hashed word n-grams + request-shape features (fast, ~0.3 ms);
- `semantic`: the same n-grams + the MiniLM sentence embedding + request-shape features (the embedding costs
  ~2-8 ms on one core). Inputs in that order: buckets, then embedding, then features.
`probabilities` turns either into P(label = tier) for each tier, in tier order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from server.routing.learned.vectors import NUMERIC_FEATURES, VECTORS_VERSION, FloatVector, hash_text

FORMAT = "tierd-router-model"
FORMAT_VERSION = 2
META_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"
_WEIGHT_NAMES = (
    "feature_mean",
    "feature_scale",
    "lexical_idf",
    "lexical_coef",
    "lexical_intercept",
    "semantic_coef",
    "semantic_intercept",
)

FloatMatrix = npt.NDArray[np.float32]


class ArtifactError(ValueError):
    """The folder is not a router model this tierd can load; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Multinomial logistic regression: softmax(x @ coef.T + intercept) over the tiers."""

    coef: FloatMatrix  # (tiers, inputs)
    intercept: FloatVector  # (tiers,)

    def probabilities(self, x: FloatVector) -> FloatVector:
        return _softmax(self.coef @ x + self.intercept)


@dataclass(frozen=True, slots=True)
class RouterModel:
    tiers: tuple[str, ...]
    buckets: int
    embedder: str
    embedding_dim: int
    feature_mean: FloatVector
    feature_scale: FloatVector
    lexical_idf: FloatVector
    lexical: LinearModel
    semantic: LinearModel
    training: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    version: str = ""

    def scaled_numeric(self, numeric: FloatVector) -> FloatVector:
        return ((numeric - self.feature_mean) / self.feature_scale).astype(np.float32)

    def lexical_probabilities(self, text: str, scaled_numeric: FloatVector) -> FloatVector:
        # Sparse dot product: only the hashed buckets present contribute.
        ids, weights = lexical_weights(text, self.buckets, self.lexical_idf)
        logits = self.lexical.intercept + self.lexical.coef[:, self.buckets :] @ scaled_numeric
        if len(ids):
            logits = logits + self.lexical.coef[:, ids] @ weights
        return _softmax(logits)

    def semantic_probabilities(self, text: str, embedding: FloatVector, scaled_numeric: FloatVector) -> FloatVector:
        ids, weights = lexical_weights(text, self.buckets, self.lexical_idf)
        dense = np.concatenate([embedding, scaled_numeric]).astype(np.float32)
        logits = self.semantic.intercept + self.semantic.coef[:, self.buckets :] @ dense
        if len(ids):
            logits = logits + self.semantic.coef[:, ids] @ weights
        return _softmax(logits)

    def save(self, folder: Path, metadata: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "feature_mean": self.feature_mean,
            "feature_scale": self.feature_scale,
            "lexical_idf": self.lexical_idf,
            "lexical_coef": self.lexical.coef,
            "lexical_intercept": self.lexical.intercept,
            "semantic_coef": self.semantic.coef,
            "semantic_intercept": self.semantic.intercept,
        }
        tmp = folder / f".{WEIGHTS_FILE}.tmp"
        with tmp.open("wb") as fh:
            np.savez_compressed(fh, **arrays)
        tmp.replace(folder / WEIGHTS_FILE)
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "version": weights_version(arrays, self.tiers),
            "tiers": list(self.tiers),
            "vectors_version": VECTORS_VERSION,
            "numeric_features": list(NUMERIC_FEATURES),
            "lexical": {"buckets": self.buckets},
            "embedder": {"name": self.embedder, "dim": self.embedding_dim},
            "training": self.training,
            "defaults": self.defaults,
            **metadata,
        }
        (folder / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")


def lexical_weights(text: str, buckets: int, idf: FloatVector) -> tuple[npt.NDArray[np.int64], FloatVector]:
    """TF-IDF weights of the hashed n-grams, unit length (so long prompts do not shout)."""
    ids, tf = hash_text(text, buckets)
    if not len(ids):
        return ids, tf
    weights = tf * idf[ids]
    unit: FloatVector = (weights / max(float(np.linalg.norm(weights)), 1e-12)).astype(np.float32)
    return ids, unit


def _softmax(logits: FloatVector) -> FloatVector:
    exp = np.exp(logits - logits.max())
    out: FloatVector = (exp / exp.sum()).astype(np.float32)
    return out


def weights_version(arrays: dict[str, Any], tiers: tuple[str, ...]) -> str:
    """A short content hash: the same weights for the same tiers always get the same version."""
    digest = hashlib.sha256("\n".join(tiers).encode())
    for name in _WEIGHT_NAMES:
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name], dtype=np.float32).tobytes())
    return digest.hexdigest()[:12]


def load_model(folder: Path) -> RouterModel:
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        raise ArtifactError(
            f"{folder} is not a router model ({META_FILE} missing); train one with "
            "`tierd router train --data FILE.jsonl --out DIR`"
        )
    try:
        meta = json.loads(meta_path.read_text())
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{meta_path} is not valid JSON: {exc}") from None
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(
            f"{folder} holds format {meta.get('format')!r} v{meta.get('format_version')}; this tierd reads "
            f"{FORMAT!r} v{FORMAT_VERSION}: retrain it with `tierd router train`"
        )
    if meta.get("vectors_version") != VECTORS_VERSION or tuple(meta.get("numeric_features", ())) != NUMERIC_FEATURES:
        raise ArtifactError(f"{folder} was trained on other request features than this tierd computes: retrain it")
    try:
        with np.load(folder / WEIGHTS_FILE, allow_pickle=False) as data:
            arrays: dict[str, Any] = {name: np.asarray(data[name], dtype=np.float32) for name in _WEIGHT_NAMES}
    except (OSError, KeyError, ValueError) as exc:
        raise ArtifactError(f"{folder / WEIGHTS_FILE} cannot be read: {exc}") from None
    tiers = tuple(str(t) for t in meta["tiers"])
    if weights_version(arrays, tiers) != meta.get("version"):
        raise ArtifactError(f"{folder}: weights do not match the version in {META_FILE} (a partial copy?)")
    buckets = int(meta["lexical"]["buckets"])
    dim = int(meta["embedder"]["dim"])
    n_numeric = len(NUMERIC_FEATURES)
    expected = {
        "lexical_coef": (len(tiers), buckets + n_numeric),
        "semantic_coef": (len(tiers), buckets + dim + n_numeric),
        "lexical_idf": (buckets,),
    }
    for name, shape in expected.items():
        if arrays[name].shape != shape:
            raise ArtifactError(f"{folder}: {name} has shape {arrays[name].shape}, expected {shape}")
    return RouterModel(
        tiers=tiers,
        buckets=buckets,
        embedder=str(meta["embedder"]["name"]),
        embedding_dim=dim,
        feature_mean=arrays["feature_mean"],
        feature_scale=arrays["feature_scale"],
        lexical_idf=arrays["lexical_idf"],
        lexical=LinearModel(arrays["lexical_coef"], arrays["lexical_intercept"]),
        semantic=LinearModel(arrays["semantic_coef"], arrays["semantic_intercept"]),
        training=dict(meta.get("training", {})),
        defaults=dict(meta.get("defaults", {})),
        version=str(meta["version"]),
    )
