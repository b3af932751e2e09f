"""Building the configured classifier: config errors name the field; the shipped cpu model loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.routing.learned.artifact import load_model
from server.routing.learned.training import file_sha256
from server.routing.wiring import BUNDLED_ROUTER_MODELS, build_router, classifier_context
from server.settings import ConfigError, load_settings

CORPUS = Path(__file__).parents[2] / "benchmarks" / "data" / "router_corpus.jsonl"

BASE = """\
tiers:
  - {name: small, kind: vllm, served_model_name: s, managed: {model: /m, engine_args: {max-model-len: 2048}}}
  - {name: big, kind: openai, base_url: "http://x/v1", model: m, api_key_env: K}
routing:
"""


def _settings(tmp_path: Path, routing: str) -> object:
    path = tmp_path / "tierd.yaml"
    path.write_text(BASE + routing)
    return load_settings(path)


@pytest.mark.parametrize(
    ("routing", "message"),
    [
        ("  classifier: learned\n  learned: {thresholds: {medium: 0.5}}\n", "routing.learned.thresholds.medium"),
        ("  classifier: learned\n  learned: {thresholds: {small: 1.5}}\n", "must lie in [0, 1]"),
        ("  classifier: hybrid\n  hybrid: {tools_min_tier: giant}\n", "routing.hybrid.tools_min_tier"),
        ("  classifier: learned\n  learned: {fast_path_confidence: 2}\n", "fast_path_confidence"),
    ],
)
def test_bad_learned_settings_name_the_field(tmp_path: Path, routing: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _settings(tmp_path, routing)


@pytest.mark.parametrize(
    ("routing", "message"),
    [
        ("  classifier: learned\n  learned: {model: /no/such/folder}\n", "is not a folder"),
        ("  classifier: learned\n  learned: {model: 'bundled:nope'}\n", "bundled models: cpu"),
        ("  classifier: hybrid\n", "needs a routing.learned section"),
        ("  classifier: learned\n", "needs a routing.learned section"),
        ("  classifier: learned\n  learned: {model: 'bundled:cpu'}\n", "trained for tiers"),
        ("  classifier: magic\n", "unknown classifier 'magic'"),
    ],
)
def test_router_build_errors_are_config_errors(tmp_path: Path, routing: str, message: str) -> None:
    settings = _settings(tmp_path, routing)
    with pytest.raises(ConfigError, match=message):
        build_router(settings)  # type: ignore[arg-type]


def test_context_windows_come_from_max_model_len(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "  classifier: rules\n  rules: {default_tier: small}\n")
    assert dict(classifier_context(settings).context_windows) == {"small": 2048}  # type: ignore[arg-type]


@pytest.mark.parametrize("preset", ["cpu", "gpu-3tier"])
def test_shipped_models_match_the_committed_corpus(preset: str) -> None:
    model = load_model(BUNDLED_ROUTER_MODELS / preset)
    assert model.tiers == ("tier-1", "tier-2", "frontier")
    # `make router-model` retrains them from this file; a changed data file needs retrained models.
    assert model.training["data_sha256"] == file_sha256(CORPUS)
    assert model.training["split"] == "train"


def test_gpu_preset_builds_the_hybrid_router_with_its_own_model() -> None:
    router = build_router(load_settings(None, preset="gpu-3tier"))
    assert router.classifier.name == "hybrid"
    assert router.classifier.version != build_router(load_settings(None, preset="cpu")).classifier.version


def test_cpu_preset_builds_the_hybrid_router() -> None:
    router = build_router(load_settings(None, preset="cpu"))
    assert router.classifier.name == "hybrid"
    assert router.classifier.blocking is True
