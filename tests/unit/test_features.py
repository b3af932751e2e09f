from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from server.routing.classifiers import default_registry
from server.routing.features import CUE_SCAN_CHARS, MAX_SCAN_CHARS, dominant_script, extract_features
from server.settings import RulesClassifierSettings


def _chat(content: Any, **extra: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": content}], **extra}


def test_simple_prompt_has_no_cues() -> None:
    f = extract_features(_chat("What is the capital of France?"))
    assert (f.code_cues, f.math_cues, f.multi_step_cues, f.task_types, f.has_code_fence) == (0, 0, 0, (), False)
    assert f.script == "latin" and f.non_ascii_ratio == 0.0


def test_hard_prompt_has_cues() -> None:
    f = extract_features(
        _chat(
            "Prove step by step that there are infinitely many primes, then write a Python function "
            "that lists the first n primes:\n```python\ndef primes(n):\n    return []\n```"
        )
    )
    assert f.has_code_fence and f.code_cues >= 3
    assert f.multi_step_cues >= 2 and f.math_cues >= 1


@pytest.mark.parametrize(
    ("prompt", "task"),
    [
        ("Extract all email addresses from this text: bob@example.com", "extract"),
        ("Convert this into JSON: name Bob, age 3", "format"),
        ("Classify the sentiment of: I loved this movie", "classify"),
        ("Translate to French: good morning", "translate"),
        ("Summarize the following paragraph in one sentence.", "summarize"),
    ],
)
def test_task_types(prompt: str, task: str) -> None:
    assert task in extract_features(_chat(prompt)).task_types


def test_math_cues() -> None:
    assert extract_features(_chat("What is 17 + 25?")).math_cues == 1
    assert extract_features(_chat("Solve the equation 3 \u00d7 4 = x")).math_cues >= 2


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Bonjour, comment ça va ?", "latin"),
        ("Привет, как дела?", "cyrillic"),
        ("今日はいい天気ですね", "cjk"),
        ("مرحبا كيف حالك", "arabic"),
        ("नमस्ते आप कैसे हैं", "devanagari"),
        ("12345 !!!", "none"),
        ("", "none"),
    ],
)
def test_dominant_script_for_any_language(text: str, script: str) -> None:
    assert dominant_script(text)[0] == script
    assert extract_features(_chat(text)).script == script


@pytest.mark.parametrize(
    "content",
    [None, "", [], [{"type": "image_url", "image_url": {"url": "data:,"}}], [{"type": "text"}], 42, {"a": 1}],
)
def test_odd_content_never_crashes(content: Any) -> None:
    f = extract_features(_chat(content))
    assert f.prompt_chars == 0 and f.script == "none"


def test_odd_bodies_never_crash() -> None:
    for body in ({}, {"messages": None}, {"messages": [None, 3, "x"]}, {"prompt": [1, 2]}, {"prompt": None}):
        assert extract_features(body).prompt_chars == 0


def test_huge_prompt_costs_bounded_work() -> None:
    small = "def f(x): return x + 1  # prove it step by step\n" * (MAX_SCAN_CHARS // 48)
    huge = small * 50
    f_huge = extract_features(_chat(huge))
    assert f_huge.prompt_chars == len(huge) and len(f_huge.text) == MAX_SCAN_CHARS
    window = extract_features(_chat(huge[:CUE_SCAN_CHARS]))
    assert (f_huge.code_cues, f_huge.multi_step_cues) == (window.code_cues, window.multi_step_cues)
    # Bounded work: apart from its length, a prompt 25 times longer with the same head and tail reads the same
    # (every scan reads a window; only joining the text grows with it).
    f_double = extract_features(_chat(small * 2))
    length = {"prompt_chars": 0, "prompt_tokens_estimate": 0}
    assert dataclasses.replace(f_huge, **length) == dataclasses.replace(f_double, **length)


def test_feature_conditions_in_rules() -> None:
    rules = RulesClassifierSettings.model_validate(
        {
            "default_tier": "t1",
            "rules": [
                {"name": "code", "min_code_cues": 2, "tier": "t3"},
                {"name": "reasoning", "min_multi_step_cues": 1, "min_math_cues": 1, "tier": "t3"},
                {"name": "light", "task_types": ["translate", "summarize"], "tier": "t2"},
            ],
        }
    )
    classifier = default_registry().build("rules", rules, ["t1", "t2", "t3"])

    def route(prompt: str) -> tuple[str, tuple[str, ...]]:
        result = classifier.classify(extract_features(_chat(prompt)))
        return result.min_tier, result.matched_rules

    assert route("Write a Python function, then refactor it") == ("t3", ("code",))
    assert route("Prove that the sum of two even numbers is even") == ("t3", ("reasoning",))
    assert route("Translate to German: thank you") == ("t2", ("light",))
    assert route("Hello there") == ("t1", ())


def test_features_explain_without_the_text() -> None:
    data = extract_features(_chat("Summarize: a b c")).to_dict()
    assert "text" not in data and data["task_types"] == ["summarize"]
