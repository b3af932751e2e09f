"""Prompt embeddings for a learned router: all-MiniLM-L6-v2 on onnxruntime, without torch.

The model folder is made once by `python -m tiers.models prepare-embedder` (tiers/models/minilm.py). Its ONNX
graph already mean-pools over the attention mask and L2-normalises, so `encode` only cuts, tokenises, pads and
runs it: 7.8 ms p50 for a short prompt on one core of the 2-core box (benchmarks/embedding_latency.py),
without torch at run time.

`encode` is CPU-bound and holds one onnxruntime thread; async callers should run it in a worker thread
(onnxruntime releases the GIL while it runs, and the session and tokenizer are safe to share between threads).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime
from tokenizers import Encoding, Tokenizer

CONFIG_NAME = "tierd-embedder.json"
# Only the first 256 tokens count, but the tokenizer reads the whole string before truncating (a megabyte costs
# ~100 ms). English and code run 3-6 characters a token, so 4,000 characters leave a wide margin over 256
# tokens; only pathological text (hundreds of 100+ character "words", each one [UNK]) can lose tokens here.
MAX_CHARS = 4000
DEFAULT_BATCH_SIZE = 32

Embeddings = npt.NDArray[np.float32]
TokenIds = npt.NDArray[np.int64]


class EmbedderError(RuntimeError):
    """The embedder folder is missing or not one this encoder can run; the message says what to do."""


class EmbedderNotPrepared(EmbedderError):
    """The model cache has no verified export of the embedder yet (`make setup` makes it)."""


class MiniLmEncoder:
    """Sentence embeddings (n, dim) float32, unit length, as SentenceTransformer(...).encode(normalize=True)."""

    def __init__(
        self,
        tokenizer: Tokenizer,
        session: onnxruntime.InferenceSession,
        *,
        dim: int,
        input_names: tuple[str, str, str],
        output_name: str,
        pad_token_id: int,
    ) -> None:
        self._tokenizer = tokenizer
        self._session = session
        self.dim = dim
        self._input_names = input_names
        self._output_name = output_name
        self._pad_token_id = pad_token_id

    @classmethod
    def load(cls, folder: Path) -> MiniLmEncoder:
        """Open a prepared folder. Checksums are not re-verified here: prepare_embedder does that."""
        config = _read_config(folder)
        max_seq_length = int(config["max_seq_length"])
        tokenizer = Tokenizer.from_file(str(folder / str(config["tokenizer_file"])))
        tokenizer.enable_truncation(max_length=max_seq_length)
        tokenizer.no_padding()  # encode pads each length-sorted chunk to its own longest text

        options = onnxruntime.SessionOptions()
        # One thread per call: the router runs beside the gateway, and a single short prompt gains nothing
        # from more (the work per operator is too small to split); throughput comes from batching instead.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only: its warnings are about optimisations it skipped
        session = onnxruntime.InferenceSession(
            str(folder / str(config["model_file"])), options, providers=["CPUExecutionProvider"]
        )
        dim = int(config["dim"])
        input_names = tuple(str(name) for name in config["inputs"])
        output_name = str(config["output"])
        _check_session(session, folder, input_names, output_name, dim)
        return cls(
            tokenizer,
            session,
            dim=dim,
            input_names=(input_names[0], input_names[1], input_names[2]),
            output_name=output_name,
            pad_token_id=int(config["pad_token_id"]),
        )

    def encode(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> Embeddings:
        """Embed `texts` (any length; empty strings too) into an (n, dim) float32 array of unit vectors."""
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of strings, not a string")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        cut = [text[:MAX_CHARS] for text in texts]
        if len(cut) == 1:
            out[:] = self._run([self._tokenizer.encode(cut[0])])
            return out
        encodings = self._tokenizer.encode_batch(cut)
        # Length-sorted chunks pad each batch to a similar length, not to the longest text of all.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), max(1, batch_size)):
            rows = order[start : start + max(1, batch_size)]
            out[rows] = self._run([encodings[i] for i in rows])
        return out

    def _run(self, encodings: list[Encoding]) -> Embeddings:
        length = max(len(encoding.ids) for encoding in encodings)
        input_ids: TokenIds = np.full((len(encodings), length), self._pad_token_id, dtype=np.int64)
        attention_mask: TokenIds = np.zeros((len(encodings), length), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            input_ids[row, : len(encoding.ids)] = encoding.ids
            attention_mask[row, : len(encoding.ids)] = 1
        ids_name, mask_name, types_name = self._input_names
        # Single-sequence inputs are all segment 0 (the tokenizer's type_ids say the same); zeros skip a copy.
        feeds = {ids_name: input_ids, mask_name: attention_mask, types_name: np.zeros_like(input_ids)}
        result: Any = self._session.run([self._output_name], feeds)[0]
        return np.asarray(result, dtype=np.float32)


def _read_config(folder: Path) -> dict[str, Any]:
    hint = "run `python -m tiers.models prepare-embedder`"
    try:
        config = json.loads((folder / CONFIG_NAME).read_text())
    except (OSError, ValueError) as exc:
        raise EmbedderError(f"no readable {CONFIG_NAME} in {folder} ({exc}); {hint}") from exc
    required = ("dim", "max_seq_length", "model_file", "tokenizer_file", "inputs", "output", "pad_token_id")
    missing = [key for key in required if key not in config] if isinstance(config, dict) else list(required)
    if missing:
        raise EmbedderError(f"{folder / CONFIG_NAME} lacks {', '.join(missing)}; {hint}")
    # This encoder runs graphs that pool and normalise themselves; anything else would be silently wrong.
    layout = (config.get("pooling"), config.get("normalize"), config.get("output_is_pooled"), len(config["inputs"]))
    if layout != ("mean", True, True, 3):
        raise EmbedderError(f"{folder}: unsupported embedder layout {layout}; {hint}")
    for key in ("model_file", "tokenizer_file"):
        if not (folder / str(config[key])).is_file():
            raise EmbedderError(f"{folder / str(config[key])} is missing; {hint}")
    result: dict[str, Any] = config
    return result


def _check_session(
    session: onnxruntime.InferenceSession, folder: Path, inputs: tuple[str, ...], output: str, dim: int
) -> None:
    graph_inputs = {node.name for node in session.get_inputs()}
    shapes = {node.name: node.shape for node in session.get_outputs()}
    if not set(inputs) <= graph_inputs or output not in shapes or shapes[output][-1] != dim:
        raise EmbedderError(f"{folder}: model.onnx does not match {CONFIG_NAME} (inputs {sorted(graph_inputs)})")


def load_prepared(folder: Path | None = None) -> MiniLmEncoder:
    """The encoder in `folder`, or by default the export `make setup` verified into the model cache."""
    if folder is None:
        # Imported here: checking the export reads package metadata that serving a rules-only config never needs.
        from tiers.models.bundled import default_cache_dir
        from tiers.models.minilm import EMBEDDER_NAME, embedder_status

        cache_dir = default_cache_dir()
        reason = embedder_status(cache_dir)
        if reason is not None:
            raise EmbedderNotPrepared(
                f"the sentence embedder is not ready ({reason}); run `make setup` or `tierd models prepare-embedder`"
            )
        folder = cache_dir / EMBEDDER_NAME
    return MiniLmEncoder.load(folder)
