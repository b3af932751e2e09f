"""`tierd router train`: labeled examples in, a router model folder out. Offline; imports scikit-learn lazily.

A training file is JSONL, one example per line: `messages` (a chat) or `prompt` (text), `label` (the cheapest
tier that answers it adequately, by tier name) and optionally `split` (only rows of the requested split are
read when the file has splits). Labels may come from task type (the starter set) or from measured outcomes
(the benchmark harness): the trainer does not care which, and records the file's hash either way.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from server.routing.features import extract_features
from server.routing.learned.artifact import LinearModel, RouterModel
from server.routing.learned.labels import row_label
from server.routing.learned.vectors import embedding_text, hash_text, numeric_vector

DEFAULT_BUCKETS = 2**16
# Regularisation strengths (inverse) and no class reweighting, chosen by family-held-out accuracy on the
# corpus (benchmarks/router_accuracy.py): reweighting inflated the small medium class, which took simple
# requests away from the cheapest tier.
LEXICAL_C = 16.0
SEMANTIC_C = 16.0
CLASS_WEIGHT: str | None = None
# Unlikely logit for a tier with no examples: the model never predicts a label it has not seen.
ABSENT_CLASS_LOGIT = -30.0


class TrainingDataError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    body: dict[str, Any]
    label: int  # index into the tiers, cheapest first
    family: str = ""  # the row's task family (or source): evaluation holds whole families out


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_examples(
    path: Path, tiers: Sequence[str], split: str | None, label_map: Mapping[str, str] | None = None
) -> list[Example]:
    """Rows of `split` (all rows when None or when the file has no `split` fields), validated line by line.

    With `label_map` (server/routing/learned/labels.py), a row's difficulty decides its tier."""
    examples: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainingDataError(f"{where}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise TrainingDataError(f"{where}: each line must be a JSON object")
            if split is not None and "split" in row and row["split"] != split:
                continue
            examples.append(_example(row, tiers, where, number, label_map))
    if not examples:
        raise TrainingDataError(f"{path}: no examples" + (f" in split {split!r}" if split else ""))
    return examples


def _example(
    row: dict[str, Any], tiers: Sequence[str], where: str, number: int, label_map: Mapping[str, str] | None
) -> Example:
    label = row_label(row, label_map)
    if label not in tiers:
        raise TrainingDataError(f"{where}: label {label!r} is not one of the tiers {list(tiers)}")
    messages, prompt = row.get("messages"), row.get("prompt")
    if isinstance(messages, list) and messages and all(isinstance(m, dict) for m in messages):
        body: dict[str, Any] = {"messages": messages}
    elif isinstance(prompt, str) and prompt.strip():
        body = {"messages": [{"role": "user", "content": prompt}]}
    else:
        raise TrainingDataError(f"{where}: needs `messages` (a list of message objects) or `prompt` (text)")
    for key in ("tools", "response_format", "max_tokens"):
        if key in row:
            body[key] = row[key]
    family = row.get("family") or row.get("source") or ""
    return Example(str(row.get("id", number)), body, tiers.index(label), str(family))


@dataclass(frozen=True, slots=True)
class Featurized:
    routing_texts: list[str]
    numeric: np.ndarray  # (n, features), unscaled
    labels: np.ndarray  # (n,)


def featurize(examples: Sequence[Example]) -> Featurized:
    features = [extract_features(e.body) for e in examples]
    numeric = np.stack([numeric_vector(f) for f in features]) if features else np.zeros((0, 0), np.float32)
    return Featurized([f.routing_text for f in features], numeric, np.array([e.label for e in examples]))


def lexical_matrix(texts: Sequence[str], buckets: int, idf: np.ndarray | None = None) -> tuple[Any, np.ndarray]:
    """(csr matrix of unit-length TF-IDF rows, idf). idf is fitted on these texts when not given."""
    from scipy import sparse

    rows = [hash_text(t, buckets) for t in texts]
    if idf is None:
        document_frequency = np.zeros(buckets)
        for ids, _ in rows:
            document_frequency[ids] += 1
        idf = np.log((1 + len(rows)) / (1 + document_frequency)) + 1.0  # smoothed, as scikit-learn does
    idf = idf.astype(np.float32)
    data, indices, indptr = [], [], [0]
    for ids, tf in rows:
        weights = tf * idf[ids]
        norm = float(np.linalg.norm(weights)) if len(weights) else 1.0
        data.append(weights / max(norm, 1e-12))
        indices.append(ids)
        indptr.append(indptr[-1] + len(ids))
    values = np.concatenate(data) if data else np.zeros(0)
    columns = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    matrix = sparse.csr_matrix(
        (values, columns, indptr),
        shape=(len(rows), buckets),
        dtype=np.float32,
    )
    return matrix, idf


def _fit(x: Any, labels: np.ndarray, tiers: int, c: float) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    present = np.unique(labels)
    if len(present) < 2:
        raise TrainingDataError(f"training needs examples of at least two tiers; found only {present.tolist()}")
    fitted = LogisticRegression(C=c, max_iter=3000, class_weight=CLASS_WEIGHT).fit(x, labels)
    coef = np.zeros((tiers, x.shape[1]), dtype=np.float32)
    intercept = np.full(tiers, ABSENT_CLASS_LOGIT, dtype=np.float32)
    if len(present) == 2:  # binary fits return one row: the logit of the second class against the first
        coef[present[1]], intercept[present[0]], intercept[present[1]] = fitted.coef_[0], 0.0, fitted.intercept_[0]
    else:
        coef[present], intercept[present] = fitted.coef_, fitted.intercept_
    return LinearModel(coef, intercept)


def train(
    examples: Sequence[Example],
    encoder: Any,
    tiers: Sequence[str],
    *,
    embedder_name: str,
    buckets: int = DEFAULT_BUCKETS,
    training_info: dict[str, Any] | None = None,
    embeddings: np.ndarray | None = None,
) -> RouterModel:
    """`embeddings` of the examples' `embedding_text`s may be given (evaluation reuses them across folds)."""
    from scipy import sparse

    data = featurize(examples)
    mean = data.numeric.mean(axis=0).astype(np.float32)
    std = data.numeric.std(axis=0)
    scale = np.where(std > 1e-6, std, 1.0).astype(np.float32)  # constant features (e.g. no tools) stay at 0
    scaled = (data.numeric - mean) / scale

    lexical_x, idf = lexical_matrix(data.routing_texts, buckets)
    lexical = _fit(sparse.hstack([lexical_x, sparse.csr_matrix(scaled)]).tocsr(), data.labels, len(tiers), LEXICAL_C)
    if embeddings is None:
        embeddings = np.asarray(encoder.encode([embedding_text(t) for t in data.routing_texts]), dtype=np.float32)
    semantic_x = sparse.hstack([lexical_x, sparse.csr_matrix(np.hstack([embeddings, scaled]))]).tocsr()
    semantic = _fit(semantic_x, data.labels, len(tiers), SEMANTIC_C)

    counts = Counter(tiers[i] for i in data.labels.tolist())
    info = {
        "rows": len(examples),
        "label_counts": {t: counts.get(t, 0) for t in tiers},
        "lexical_C": LEXICAL_C,
        "semantic_C": SEMANTIC_C,
        "class_weight": CLASS_WEIGHT,
        **(training_info or {}),
    }
    return RouterModel(
        tiers=tuple(tiers),
        buckets=buckets,
        embedder=embedder_name,
        embedding_dim=embeddings.shape[1],
        feature_mean=mean,
        feature_scale=scale,
        lexical_idf=idf,
        lexical=lexical,
        semantic=semantic,
        training=info,
        defaults={"thresholds": {t: 0.5 for t in tiers[:-1]}},
    )


def log_loss(probabilities: np.ndarray, labels: np.ndarray) -> float:
    picked = probabilities[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.clip(picked, 1e-9, 1.0)))) if len(labels) else math.nan
