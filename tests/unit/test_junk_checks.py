"""The refusal and relevance checks on the recorded corpus: the bundled models' real answers, hand-labelled.

tests/fixtures/escalation/corpus.jsonl is written by `python -m tests.fixtures.escalation.record_corpus`
(SmolLM2-135M-Instruct and Gemma 3 270M on vLLM CPU, 87 first-contact requests); labels.jsonl holds a
person's verdict on each answer. The relevance check runs the real MiniLM embedder (prepared by `make setup`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import check_accuracy
from benchmarks.check_accuracy import Row, Scores, best_threshold, load_rows
from server.escalation.answer import Answer
from server.escalation.checks import CheckRequest, RefusalCheck, default_checks
from server.escalation.relevance import RelevanceCheck
from server.escalation.wiring import build_escalator
from server.routing.embedding import MiniLmEncoder
from server.routing.wiring import SharedEncoders
from server.settings import ConfigError
from tests.api.harness import gateway_settings
from tiers.models.bundled import default_cache_dir
from tiers.models.minilm import prepare_embedder

FIXTURES = Path(__file__).parents[1] / "fixtures" / "escalation"
ROWS = {row.row: row for row in load_rows(FIXTURES)}


def recorded(row: str) -> Row:
    return ROWS[row]


@pytest.fixture(scope="module")
def encoder() -> MiniLmEncoder:
    return MiniLmEncoder.load(prepare_embedder(default_cache_dir()))


def test_every_recorded_answer_has_a_hand_label_with_a_reason() -> None:
    corpus = [json.loads(line)["row"] for line in (FIXTURES / "corpus.jsonl").read_text().splitlines()]
    labels = [json.loads(line) for line in (FIXTURES / "labels.jsonl").read_text().splitlines()]
    assert sorted(corpus) == sorted(label["row"] for label in labels) and len(set(corpus)) == len(corpus)
    assert all(isinstance(label["acceptable"], bool) and label["reason"].strip() for label in labels)


@pytest.mark.parametrize(
    ("row", "phrase"),
    [
        ("smollm2-135m-instruct/default/medical", "I don't have the ability"),
        ("smollm2-135m-instruct/default/extract-phone", "I don't have the capability"),
        ("smollm2-135m-instruct/default/how-are-you", "I'm not here to help"),
    ],
)
def test_the_refusals_smollm2_produced_are_caught(row: str, phrase: str) -> None:
    result = RefusalCheck().run(recorded(row).answer, recorded(row).request)
    assert not result.passed and phrase in result.detail


def test_main_refusal_patterns_missed_every_recorded_refusal() -> None:
    from benchmarks.check_accuracy import MAIN_REFUSALS

    old = RefusalCheck(patterns=MAIN_REFUSALS)
    for row in ("smollm2-135m-instruct/default/medical", "smollm2-135m-instruct/default/extract-phone"):
        assert old.run(recorded(row).answer, recorded(row).request).passed


def test_refusal_flags_no_acceptable_recorded_answer_but_the_honest_no_clock_one() -> None:
    flagged = {r.row for r in ROWS.values() if not r.bad and not RefusalCheck().run(r.answer, r.request).passed}
    # "I don't have real-time capabilities" to "what time is it?" is true, and labelled acceptable.
    assert flagged == {"smollm2-135m-instruct/default/time-now"}


@pytest.mark.parametrize(
    "text",
    [
        "Sorry for the delay: the answer is 42.",
        "I'm sorry for any confusion. The capital of France is Paris.",
        "I'm sorry to hear about your headache. Ibuprofen or paracetamol usually help.",
        "As an AI, I don't have feelings, but I can tell you how people describe them.",
        "I can't wait to help! Here is the function.",
    ],
)
def test_an_apology_or_a_self_description_followed_by_an_answer_passes(text: str) -> None:
    assert RefusalCheck().run(Answer(text, "stop"), CheckRequest("")).passed


@pytest.mark.parametrize(
    "text",
    [
        "I\u2019m sorry, but I can\u2019t help with that request.",  # typographic apostrophes
        "Je ne peux pas vous aider avec cela.",
        "Lo siento, pero no puedo ayudar con eso.",
        "Als KI kann ich nicht auf das Internet zugreifen.",
    ],
)
def test_refusals_in_other_words_and_languages(text: str) -> None:
    assert not RefusalCheck().run(Answer(text, "stop"), CheckRequest("")).passed


def test_relevance_fails_an_off_topic_answer_and_passes_a_sound_one(encoder: MiniLmEncoder) -> None:
    check = RelevanceCheck(encoder, min_similarity=0.62)
    drifted = recorded("gemma3-270m/default/boiling")  # "Water (or water) is commonly found in hot areas..."
    result = check.run(drifted.answer, drifted.request)
    assert not result.passed and "similarity" in result.detail
    for row in ("smollm2-135m-instruct/default/black-hole", "smollm2-135m-instruct/default/sleep-tips"):
        result = check.run(recorded(row).answer, recorded(row).request)
        assert result.passed, (row, result.detail)


def test_relevance_does_not_judge_greetings_or_empty_answers(encoder: MiniLmEncoder) -> None:
    check = RelevanceCheck(encoder, min_similarity=0.99)  # would fail anything it judged
    hello = recorded("smollm2-135m-instruct/default/say-hi")
    assert check.run(hello.answer, hello.request).detail.startswith("not judged")
    question = CheckRequest("what is the largest planet in our solar system?")
    assert check.run(Answer("", "stop"), question).passed
    assert not check.run(Answer("Jupiter is the largest planet.", "stop"), question).passed


def test_relevance_similarity_orders_answers_by_topic(encoder: MiniLmEncoder) -> None:
    check = RelevanceCheck(encoder)
    question = CheckRequest("what is the largest planet in our solar system?")
    on_topic = check.similarity(Answer("Jupiter is the largest planet in the solar system.", "stop"), question)
    off_topic = check.similarity(Answer("Add flour, eggs and milk, then fry the batter.", "stop"), question)
    assert on_topic > 0.62 > off_topic


def test_relevance_is_built_by_name_with_the_given_encoder_and_validates_its_threshold(
    encoder: MiniLmEncoder,
) -> None:
    loads: list[int] = []

    def load() -> Any:
        loads.append(1)
        return encoder

    registry = default_checks(load)
    check = registry.build("relevance", {"min_similarity": 0.5})
    assert isinstance(check, RelevanceCheck) and check.min_similarity == 0.5 and check.encoder is encoder
    assert loads == [1]
    with pytest.raises(ValueError, match="min_similarity must be within"):
        registry.build("relevance", {"min_similarity": 3})
    with pytest.raises(ValueError, match="needs the sentence embedder"):
        default_checks().build("relevance", {})


def test_the_threshold_keeps_false_alarms_on_acceptable_answers_at_or_under_five_percent() -> None:
    # 20 acceptable answers: one false alarm (5%) is allowed, two are not.
    similarities = [0.1, 0.3, 0.35] + [0.4 + 0.02 * i for i in range(19)]
    bad = [True, False, False] + [False] * 19
    threshold = best_threshold(similarities, bad)
    flagged_good = sum(s < threshold for s, b in zip(similarities, bad, strict=True) if not b)
    assert flagged_good == 1 and 0.3 < threshold <= 0.35


def test_scores() -> None:
    scores = Scores.of([True, True, False, False], [True, False, True, False])
    assert (scores.precision, scores.recall, scores.f1) == (0.5, 0.5, 0.5)
    assert Scores.of([False, False], [True, False]).precision is None


def test_the_escalator_loads_the_embedder_once_for_every_tier_that_checks_relevance(
    tmp_path: Path, encoder: MiniLmEncoder
) -> None:
    relevance = {"name": "relevance", "min_similarity": 0.62}
    escalation = {"tiers": {"tier-1": {"checks": ["empty", relevance]}, "tier-2": {"checks": [relevance]}}}
    settings = gateway_settings(tmp_path, escalation=escalation)
    loads: list[str | None] = []

    def load(folder: str | None) -> MiniLmEncoder:
        loads.append(folder)
        return encoder

    escalator = build_escalator(settings, [], lambda tier, prompt, completion: None, encoders=load)
    built = [c for t in ("tier-1", "tier-2") for c in escalator.checks_for(t).checks if isinstance(c, RelevanceCheck)]
    assert len(built) == 2 and all(c.encoder is encoder for c in built)
    assert loads == [None]  # once, from the default cache folder (no learned router configured)
    no_relevance = gateway_settings(tmp_path, escalation={"tiers": {"tier-1": {"checks": ["empty"]}}})
    build_escalator(no_relevance, [], lambda tier, prompt, completion: None, encoders=load)
    assert loads == [None]  # a config without relevance never loads it


def test_shared_encoders_load_each_folder_once() -> None:
    loads: list[str | None] = []
    shared = SharedEncoders(lambda folder: loads.append(folder) or object())
    assert shared(None) is shared(None) and shared("/x") is not shared(None)
    assert loads == [None, "/x"]


def test_a_missing_embedder_is_a_config_error_naming_the_check(tmp_path: Path) -> None:
    relevance = {"name": "relevance", "min_similarity": 0.62}
    settings = gateway_settings(tmp_path, escalation={"tiers": {"tier-1": {"checks": ["empty", relevance]}}})

    def not_prepared(folder: str | None) -> Any:
        raise ConfigError("routing.learned: the sentence embedder is not ready; run `make setup`")

    with pytest.raises(ConfigError, match=r"escalation\.tiers\.tier-1\.checks\[1\]: the relevance check needs"):
        build_escalator(settings, [], lambda tier, prompt, completion: None, encoders=not_prepared)


def test_the_benchmark_reproduces_the_presets_relevance_threshold(tmp_path: Path) -> None:
    """benchmarks/check_accuracy.py on the committed corpus: if the corpus or the labels change, the
    threshold its rule chooses moves, and the cpu preset's must follow."""
    out = tmp_path / "check_accuracy.json"
    assert check_accuracy.main(["--out", str(out)]) == 0
    report = json.loads(out.read_text())
    relevance = report["relevance"]
    assert relevance["preset_threshold"] == relevance["threshold_chosen_on_all_rows"]
    assert report["rows"] == len(ROWS) and report["not_acceptable"] == sum(r.bad for r in ROWS.values())
    new, old = report["by_set"]["tier-1 preset"], report["by_set"]["tier-1 main"]
    assert new["recall"] > old["recall"] and "relevance" in new["checks"]
