"""Embedding similarity: how close an answer's meaning is to the frontier's answer (or the reference).

The embedder is the router's own all-MiniLM-L6-v2 on onnxruntime (server/routing/embedding.py), from the
folder `make setup` (or `tierd models prepare-embedder`) exports into the model cache. The cosine of two unit
vectors is clipped to [0, 1]: a negative cosine means "unrelated" as much as zero does. Embedding is CPU work,
so it runs in a worker thread (onnxruntime releases the GIL) and never blocks the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.quality.model import BenchItem, Score
from benchmarks.quality.scorers.base import Embedder, invalid, target_text
from server.routing.embedding import MiniLmEncoder, load_prepared


class MiniLmEmbedder:
    """The `Embedder` protocol over the router's ONNX MiniLM encoder."""

    def __init__(self, encoder: MiniLmEncoder) -> None:
        self._encoder = encoder

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self._encoder.encode(list(texts))


def minilm_embedder(folder: Path | None = None) -> MiniLmEmbedder:
    """Load the exported MiniLM (default: the model cache's); EmbedderError says how to prepare it."""
    return MiniLmEmbedder(load_prepared(folder))


def cosine_similarity(embedder: Embedder, first: str, second: str) -> float:
    rows = embedder.embed([first, second])
    return float(np.clip(np.dot(rows[0], rows[1]), 0.0, 1.0))


class SimilarityScorer:
    """Cosine of the answer's embedding to the baseline's (or the reference's); an empty answer scores 0."""

    name = "similarity"

    def __init__(self, embedder: Embedder | None) -> None:
        self._embedder = embedder

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        return await self.similarity(item, output, baseline, scorer=self.name)

    async def similarity(self, item: BenchItem, output: str, baseline: str | None, *, scorer: str) -> Score:
        """The similarity score under another scorer's name (MT-Bench falls back to it without a judge)."""
        target = target_text(item, baseline)
        against = "the frontier's answer" if baseline is not None and baseline.strip() else "the reference"
        if target is None:
            return invalid(scorer, "no baseline or reference answer to compare with")
        if self._embedder is None:
            return invalid(scorer, "no embedder configured for similarity")
        if not output.strip():
            return Score(0.0, scorer, "empty answer", parts={"similarity": 0.0})
        value = await asyncio.to_thread(cosine_similarity, self._embedder, output, target)
        return Score(value, scorer, f"cosine {value:.3f} to {against}", parts={"similarity": value})
