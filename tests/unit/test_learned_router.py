"""The learned and hybrid classifiers, trained on a small fixture with the real MiniLM embedder.

The embedder folder is the one `make setup` prepares (prepare_embedder is idempotent). Training on the
36-row fixture takes ~2 s, so the model is trained once per module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from server.routing.classifiers import ClassifierContext, default_registry
from server.routing.classifiers.hybrid import HybridClassifier
from server.routing.classifiers.learned import LearnedClassifier
from server.routing.embedding import MiniLmEncoder
from server.routing.features import extract_features
from server.routing.learned.artifact import ArtifactError, load_model
from server.routing.learned.training import TrainingDataError, file_sha256, read_examples, train
from server.settings import HybridClassifierSettings, LearnedClassifierSettings
from tiers.models.bundled import default_cache_dir
from tiers.models.minilm import EMBEDDER_NAME, prepare_embedder

FIXTURE = Path(__file__).parents[1] / "fixtures" / "router_small.jsonl"
TIERS = ("tier-1", "tier-2", "frontier")


@pytest.fixture(scope="module")
def encoder() -> MiniLmEncoder:
    return MiniLmEncoder.load(prepare_embedder(default_cache_dir()))


@pytest.fixture(scope="module")
def model_dir(encoder: MiniLmEncoder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("router-model")
    examples = read_examples(FIXTURE, TIERS, "train")
    info = {"data_sha256": file_sha256(FIXTURE), "split": "train"}
    train(examples, encoder, TIERS, embedder_name=EMBEDDER_NAME, training_info=info).save(out, {})
    return out


def _context(encoder: MiniLmEncoder, **extra: Any) -> ClassifierContext:
    return ClassifierContext(TIERS, resolve_model=Path, load_encoder=lambda folder: encoder, **extra)


def _learned(model_dir: Path, encoder: MiniLmEncoder, **settings: Any) -> LearnedClassifier:
    section = LearnedClassifierSettings(model=str(model_dir), **settings)
    classifier = default_registry().build("learned", section, _context(encoder))
    assert isinstance(classifier, LearnedClassifier)
    return classifier


def _features(text: str, **extra: Any) -> Any:
    return extract_features({"model": "auto", "messages": [{"role": "user", "content": text}], **extra})


def test_artifact_records_version_data_hash_and_reloads_identically(model_dir: Path, encoder: MiniLmEncoder) -> None:
    meta = json.loads((model_dir / "model.json").read_text())
    assert meta["tiers"] == list(TIERS)
    assert meta["training"]["data_sha256"] == file_sha256(FIXTURE)
    assert meta["training"]["rows"] == 27
    model = load_model(model_dir)
    assert model.version == meta["version"] and len(model.version) == 12
    # Training is deterministic: the same data gives the same weights, hence the same version.
    again = train(read_examples(FIXTURE, TIERS, "train"), encoder, TIERS, embedder_name=EMBEDDER_NAME)
    assert again.semantic.coef.shape == model.semantic.coef.shape
    np.testing.assert_allclose(again.semantic.coef, model.semantic.coef, atol=1e-5)


def test_learned_sends_simple_prompts_low_and_hard_ones_high(model_dir: Path, encoder: MiniLmEncoder) -> None:
    classifier = _learned(model_dir, encoder)
    simple = classifier.classify(_features("What is the capital of Spain?"))
    hard = classifier.classify(_features("Prove by induction that the sum of the first n odd numbers is n^2."))
    assert simple.min_tier == "tier-1"
    assert hard.min_tier == "frontier"
    for result in (simple, hard):
        assert result.classifier == "learned" and result.version == classifier.version
        assert list(result.scores) == list(TIERS)
        assert result.scores["frontier"] == 1.0
        assert result.scores["tier-1"] <= result.scores["tier-2"] <= 1.0
        assert result.matched_rules[0] in ("learned:lexical", "learned:semantic")


def test_fast_path_confidence_picks_the_stage(model_dir: Path, encoder: MiniLmEncoder) -> None:
    always_embed = _learned(model_dir, encoder, fast_path_confidence=1.0)
    never_embed = _learned(model_dir, encoder, fast_path_confidence=0.0)
    features = _features("Classify the sentiment: what a lovely day")
    assert always_embed.classify(features).matched_rules == ("learned:semantic",)
    assert never_embed.classify(features).matched_rules == ("learned:lexical",)


def test_scores_many_matches_one_at_a_time(model_dir: Path, encoder: MiniLmEncoder) -> None:
    classifier = _learned(model_dir, encoder, fast_path_confidence=0.8)
    features = [extract_features(e.body) for e in read_examples(FIXTURE, TIERS, "heldout")]
    batched = classifier.scores_many(features)
    for one, f in zip(batched, features, strict=True):
        single = classifier.scores(f)
        assert single.stage == one.stage
        np.testing.assert_allclose(single.probabilities, one.probabilities, atol=1e-5)


def test_thresholds_move_traffic_and_are_checked(model_dir: Path, encoder: MiniLmEncoder) -> None:
    features = _features("What is the capital of Spain?")
    assert _learned(model_dir, encoder, thresholds={"tier-1": 1.01, "tier-2": 1.01}).classify(features).min_tier == (
        "frontier"
    )
    assert _learned(model_dir, encoder, thresholds={"tier-1": 0.0}).classify(features).min_tier == "tier-1"
    with pytest.raises(ValueError, match="not tiers below the top"):
        _learned(model_dir, encoder, thresholds={"frontier": 0.5})


def test_model_for_other_tiers_is_refused(model_dir: Path, encoder: MiniLmEncoder) -> None:
    section = LearnedClassifierSettings(model=str(model_dir))
    context = ClassifierContext(("small", "big"), resolve_model=Path, load_encoder=lambda folder: encoder)
    with pytest.raises(ValueError, match="trained for tiers"):
        default_registry().build("learned", section, context)


def test_damaged_or_foreign_artifacts_are_refused_clearly(model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="tierd router train"):
        load_model(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(model_dir, copy)
    meta = json.loads((copy / "model.json").read_text())
    (copy / "model.json").write_text(json.dumps({**meta, "version": "000000000000"}))
    with pytest.raises(ArtifactError, match="do not match"):
        load_model(copy)
    (copy / "model.json").write_text(json.dumps({**meta, "format_version": 99}))
    with pytest.raises(ArtifactError, match="retrain"):
        load_model(copy)
    (copy / "model.json").write_text("{not json")
    with pytest.raises(ArtifactError, match="not valid JSON"):
        load_model(copy)
    (copy / "model.json").write_text(json.dumps(meta))
    (copy / "weights.npz").write_bytes(b"garbage")
    with pytest.raises(ArtifactError, match="cannot be read"):
        load_model(copy)


def test_bad_training_data_names_the_line(tmp_path: Path) -> None:
    cases = {
        "not json": "not JSON",
        '["a list"]': "JSON object",
        '{"prompt": "hi", "label": "tier-9"}': "not one of the tiers",
        '{"label": "tier-1"}': "needs `messages`",
        '{"messages": "hi", "label": "tier-1"}': "needs `messages`",
    }
    for line, message in cases.items():
        data = tmp_path / "data.jsonl"
        data.write_text('{"prompt": "ok", "label": "tier-1"}\n\n' + line + "\n")
        with pytest.raises(TrainingDataError, match=message) as caught:
            read_examples(data, TIERS, None)
        assert "data.jsonl:3" in str(caught.value)
    data.write_text('{"prompt": "ok", "label": "tier-1", "split": "train"}\n')
    with pytest.raises(TrainingDataError, match="no examples in split 'heldout'"):
        read_examples(data, TIERS, "heldout")


def test_training_needs_two_tiers(encoder: MiniLmEncoder) -> None:
    examples = [e for e in read_examples(FIXTURE, TIERS, "train") if e.label == 0]
    with pytest.raises(TrainingDataError, match="at least two tiers"):
        train(examples, encoder, TIERS, embedder_name=EMBEDDER_NAME)


def test_a_tier_without_examples_is_never_predicted(encoder: MiniLmEncoder) -> None:
    examples = [e for e in read_examples(FIXTURE, TIERS, None) if e.label != 1]
    model = train(examples, encoder, TIERS, embedder_name=EMBEDDER_NAME)
    numeric = model.scaled_numeric(np.zeros(len(model.feature_mean), dtype=np.float32))
    assert model.lexical_probabilities("write a haiku", numeric)[1] < 1e-6


class _NoEmbeddings:
    def encode(self, texts: Any) -> Any:
        raise AssertionError("the hybrid should not run the model when constraints already decide")


def _hybrid(model_dir: Path, encoder: Any, **settings: Any) -> HybridClassifier:
    context = _context(
        encoder,
        context_windows={"tier-1": 2048, "tier-2": 8192},
        sections={"learned": LearnedClassifierSettings(model=str(model_dir), fast_path_confidence=1.0)},
    )
    classifier = default_registry().build("hybrid", HybridClassifierSettings(**settings), context)
    assert isinstance(classifier, HybridClassifier)
    return classifier


def test_hybrid_hard_constraints_come_first(model_dir: Path) -> None:
    hybrid = _hybrid(model_dir, _NoEmbeddings(), tools_min_tier="frontier")
    tools = hybrid.classify(_features("What is 2+2?", tools=[{"type": "function", "function": {"name": "f"}}]))
    assert (tools.min_tier, tools.matched_rules) == ("frontier", ("tools",))
    huge = hybrid.classify(_features("word " * 40_000))  # ~50k tokens: more than tier-1 and tier-2 hold
    assert huge.min_tier == "frontier"
    assert huge.matched_rules == ("context>tier-1", "context>tier-2")


def test_hybrid_raises_the_learned_choice_to_the_floor(model_dir: Path, encoder: MiniLmEncoder) -> None:
    hybrid = _hybrid(model_dir, encoder, structured_output_min_tier="tier-2")
    plain = hybrid.classify(_features("What is the capital of Spain?"))
    assert plain.min_tier == "tier-1" and plain.classifier == "hybrid"
    schema = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    structured = hybrid.classify(_features("What is the capital of Spain?", response_format=schema))
    assert structured.min_tier == "tier-2"
    assert structured.matched_rules[0] == "structured-output"
    # A long prompt with a large max_tokens no longer fits tier-1's 2,048 tokens.
    long = hybrid.classify(_features("What is the capital of Spain? " + "Please. " * 700, max_tokens=1000))
    assert long.matched_rules[0] == "context>tier-1"
    assert long.min_tier in ("tier-2", "frontier")


def test_hybrid_requires_the_learned_section(encoder: MiniLmEncoder) -> None:
    with pytest.raises(ValueError, match=r"routing\.learned"):
        default_registry().build("hybrid", None, _context(encoder))
