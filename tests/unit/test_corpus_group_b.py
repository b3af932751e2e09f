"""Group B's corpus families: deterministic, every language and difficulty, valid messages, and length not the label."""

from __future__ import annotations

import random
import statistics
from collections import Counter

import pytest

from benchmarks.corpus.families.group_b import FAMILIES
from benchmarks.corpus.families.group_b.stats import best_length_cut
from benchmarks.corpus.spec import DIFFICULTIES, LANGUAGES, ROLES, Draft

EXPECTED = {
    "writing",
    "code",
    "math",
    "data-analysis",
    "planning",
    "strategy",
    "legal",
    "finance",
    "medical",
    "marketing",
    "reasoning",
}
DRAFTS = {family.name: list(family.generate(random.Random(16))) for family in FAMILIES}


def _size(draft: Draft) -> int:
    """Characters, with a CJK character counted as a word's worth (about four Latin characters)."""
    text = draft.messages[-1][1]
    return sum(4 if ord(ch) > 0x2E80 else 1 for ch in text)


def test_group_b_lists_its_families_once_each() -> None:
    names = [family.name for family in FAMILIES]
    assert len(names) == len(set(names))
    assert set(names) <= EXPECTED


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_same_seed_same_drafts_other_seed_other_drafts(family) -> None:  # type: ignore[no-untyped-def]
    assert list(family.generate(random.Random(16))) == DRAFTS[family.name]
    assert list(family.generate(random.Random(17))) != DRAFTS[family.name]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_every_language_and_difficulty_with_five_phrasings_each(family) -> None:  # type: ignore[no-untyped-def]
    drafts = DRAFTS[family.name]
    assert 150 <= len(drafts) <= 250
    templates: dict[tuple[str, str], set[str]] = {}
    for d in drafts:
        templates.setdefault((d.difficulty, d.language), set()).add(d.template)
    for language in LANGUAGES:
        for difficulty in DIFFICULTIES:
            assert (difficulty, language) in templates, (difficulty, language)
        assert len(templates["simple", language]) >= 5
        assert len(templates["complex", language]) >= 5
    share = Counter(d.language for d in drafts)
    assert 0.35 <= share["en"] / len(drafts) <= 0.45


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_messages_are_valid_and_texts_unique(family) -> None:  # type: ignore[no-untyped-def]
    drafts = DRAFTS[family.name]
    for d in drafts:
        assert d.family == family.name and d.language in LANGUAGES and d.difficulty in DIFFICULTIES
        assert all(role in ROLES and content.strip() for role, content in d.messages)
        assert d.messages[-1][0] == "user"
        assert "{" not in d.template
    assert len({d.messages for d in drafts}) == len(drafts)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_length_does_not_decide_the_label(family) -> None:  # type: ignore[no-untyped-def]
    """Long pasted payloads on simple rows, one-or-two-sentence complex rows: a length cut must fail."""
    simple = [_size(d) for d in DRAFTS[family.name] if d.difficulty == "simple"]
    complex_ = [_size(d) for d in DRAFTS[family.name] if d.difficulty == "complex"]
    long_simple = [s for s in simple if s >= 700]
    short_complex = [c for c in complex_ if c <= 450]
    assert len(long_simple) >= 0.3 * len(simple), family.name
    assert len(short_complex) >= 0.25 * len(complex_), family.name
    assert statistics.median(long_simple) > statistics.median(short_complex) * 2


def test_no_single_length_cut_separates_simple_from_complex() -> None:
    """Across the group, the best threshold on prompt length stays far from the 85% the router must reach."""
    everything = [d for drafts in DRAFTS.values() for d in drafts]
    assert best_length_cut(everything) < 0.7


def test_best_length_cut_finds_a_perfect_cut_when_one_exists() -> None:
    short = Draft("f", "t", "simple", "en", "t/a", (("user", "x"),))
    long_ = Draft("f", "t", "complex", "en", "t/b", (("user", "x" * 50),))
    assert best_length_cut([short, long_, short, long_]) == 1.0
    assert best_length_cut([long_, short]) == 1.0
