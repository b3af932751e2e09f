"""The bundled models, prepared in the default cache dir as `make setup` leaves them.

Quick when `make setup` (or `python -m tiers.models prepare --all`) already ran: preparing then only
verifies checksums (~1 s). Otherwise it converts (about 20 s + 60 s on 2 cores). No vLLM here: serving them
is covered by the engine integration tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tiers.models.bundled import BUNDLED_MODELS, default_cache_dir, model_status, prepare_model
from tiers.models.manifest import MANIFEST_NAME

pytestmark = pytest.mark.slow

CHAT = [
    {"role": "system", "content": "Answer in one word."},
    {"role": "user", "content": "What is the capital of France?"},
]


@pytest.fixture(scope="module", params=sorted(BUNDLED_MODELS))
def prepared(request: pytest.FixtureRequest) -> tuple[str, Path]:
    name: str = request.param
    return name, prepare_model(name, default_cache_dir())


@pytest.fixture(scope="module")
def tokenizer(prepared: tuple[str, Path]) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(prepared[1], local_files_only=True)


def test_manifest_verifies(prepared: tuple[str, Path]) -> None:
    name, folder = prepared
    assert model_status(name, default_cache_dir()) is None
    manifest = json.loads((folder / MANIFEST_NAME).read_text())
    assert manifest["model"] == name
    assert manifest["source"]["package"] == BUNDLED_MODELS[name].distribution
    assert len(manifest["source"]["gguf_sha256"]) == 64
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= set(manifest["files"])
    assert not list(folder.glob("*.gguf"))  # scratch GGUF removed


def test_config_is_plain_bf16(prepared: tuple[str, Path]) -> None:
    config = json.loads((prepared[1] / "config.json").read_text())
    assert "quantization_config" not in config  # else vLLM would try to load it as GGUF
    assert config["dtype"] == "bfloat16"


def test_chat_template_renders(prepared: tuple[str, Path], tokenizer: Any) -> None:
    name = prepared[0]
    prompt = tokenizer.apply_chat_template(CHAT, tokenize=False, add_generation_prompt=True)
    expected = {
        "smollm2-135m-instruct": (
            "<|im_start|>system\nAnswer in one word.<|im_end|>\n"
            "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
        ),
        "gemma3-270m": (
            "<bos><start_of_turn>user\nAnswer in one word.\n\nWhat is the capital of France?<end_of_turn>\n"
            "<start_of_turn>model\n"
        ),
    }
    assert prompt == expected[name]


def test_bos_handling(prepared: tuple[str, Path], tokenizer: Any) -> None:
    # Completions are tokenized with special tokens: BOS only where the model was trained with it.
    # Chat prompts are tokenized without: the template alone must place it, exactly once.
    model = BUNDLED_MODELS[prepared[0]]
    bos = tokenizer.bos_token_id
    plain = tokenizer("Hello")["input_ids"]
    chat = tokenizer.apply_chat_template(CHAT, add_generation_prompt=True, tokenize=True, return_dict=True)
    chat_ids = chat["input_ids"]
    if model.add_bos_token:
        assert plain[0] == bos and plain.count(bos) == 1
        assert chat_ids[0] == bos and chat_ids.count(bos) == 1
    else:
        assert bos not in plain


def test_generation_config_stops_at_end_of_turn(prepared: tuple[str, Path], tokenizer: Any) -> None:
    generation = json.loads((prepared[1] / "generation_config.json").read_text())
    eos = generation["eos_token_id"]
    eos_ids = eos if isinstance(eos, list) else [eos]
    end_of_turn = {"smollm2-135m-instruct": "<|im_end|>", "gemma3-270m": "<end_of_turn>"}[prepared[0]]
    assert tokenizer.convert_tokens_to_ids(end_of_turn) in eos_ids


def test_generation_config_carries_the_model_cards_sampling(prepared: tuple[str, Path]) -> None:
    """vLLM takes these as the defaults of a request that leaves sampling out (instead of temperature 1.0)."""
    generation = json.loads((prepared[1] / "generation_config.json").read_text())
    card = {
        "smollm2-135m-instruct": {"temperature": 0.2, "top_p": 0.9},
        "gemma3-270m": {"temperature": 1.0, "top_k": 64, "top_p": 0.95},
    }[prepared[0]]
    assert {k: generation.get(k) for k in card} == card and generation["do_sample"] is True
