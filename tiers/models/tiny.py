"""A tiny random-weight Llama for fast tests: built offline in about a second, served by vLLM CPU in ~15 s.

Its output is junk, which is fine for protocol, load, routing and escalation tests. Shapes are chosen for
vLLM's CPU backend: head_dim 32 (it only takes head sizes 32, 64, 80, ...), and a context of 4096 so tests
can use max_model_len 2048 or more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tiers.models.corpus import generate_corpus
from tiers.models.hf import quiet_transformers, transformers_api
from tiers.models.manifest import folder_lock, install_folder, staging_folder, verify_folder, write_manifest
from tiers.models.templates import CHATML_CHAT_TEMPLATE

TINY_MODEL_NAME = "tiny-llama"
TINY_RECIPE_VERSION = 1  # bump when the output changes: existing folders get rebuilt
TINY_VOCAB_SIZE = 1024
TINY_CONTEXT = 4096
# Fixed ids (trained first, in this order), so tests and configs can rely on them.
TINY_SPECIAL_TOKENS = ("<unk>", "<s>", "</s>", "<pad>", "<|im_start|>", "<|im_end|>")


def build_tiny_model(out_dir: Path, seed: int = 0) -> Path:
    """Build the tiny model into `out_dir` (the model folder itself) unless a verified copy is there."""
    out_dir = Path(out_dir)
    source = {"generator": "tiers.models.tiny", "seed": seed}
    with folder_lock(out_dir):
        if verify_folder(out_dir, TINY_RECIPE_VERSION, source) is None:
            return out_dir
        with staging_folder(out_dir) as staging:
            model_dir = staging / "model"
            with quiet_transformers():
                tokenizer = _build_tokenizer()
                tokenizer.save_pretrained(model_dir)
                _build_weights(tokenizer, seed).save_pretrained(model_dir)
            write_manifest(model_dir, TINY_MODEL_NAME, TINY_RECIPE_VERSION, source)
            install_folder(model_dir, out_dir)
    return out_dir


def _build_tokenizer() -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    # Byte-level BPE needs no <unk> (every byte is in the alphabet); it is there because HF configs expect one.
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=TINY_VOCAB_SIZE,
        special_tokens=list(TINY_SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(generate_corpus(), trainer)
    # No BOS is added, as with SmolLM2: the ChatML template starts every turn with <|im_start|> instead.
    return transformers_api().PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        model_max_length=TINY_CONTEXT,
        chat_template=CHATML_CHAT_TEMPLATE,
    )


def _build_weights(tokenizer: Any, seed: int) -> Any:
    import torch

    hf = transformers_api()
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in TINY_SPECIAL_TOKENS}
    config = hf.LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=128,
        intermediate_size=256,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        head_dim=32,
        max_position_embeddings=TINY_CONTEXT,
        tie_word_embeddings=True,
        bos_token_id=ids["<s>"],
        eos_token_id=ids["</s>"],
        pad_token_id=ids["<pad>"],
        dtype="bfloat16",
    )
    # fork_rng: seeding must not disturb the caller's (e.g. a test's) global torch RNG.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = hf.LlamaForCausalLM(config).to(torch.bfloat16)  # bf16 halves the file, as the bundled models
    model.generation_config = hf.GenerationConfig(
        bos_token_id=ids["<s>"],
        # vLLM stops on any of these: </s> for completions, <|im_end|> at the end of a ChatML turn.
        eos_token_id=[ids["</s>"], ids["<|im_end|>"]],
        pad_token_id=ids["<pad>"],
    )
    return model
