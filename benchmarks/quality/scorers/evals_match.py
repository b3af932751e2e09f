"""openai/evals `ideal` matching, as the registry's basic eval classes decide it.

An eval's YAML names its class; the dataset loader puts the kind in `meta["match"]`:
- "match" (`evals.elsuite.basic.match:Match`): the answer starts with one of the ideals, character for
  character (evals compares the raw completion; leading whitespace is dropped here because chat servers
  differ in whether an answer starts with a space or a newline);
- "includes" (`...includes:Includes`): one of the ideals occurs in the answer, case-sensitive unless the eval's
  `ignore_case` argument (`meta["ignore_case"]`) says otherwise;
- "fuzzy_match" (`...fuzzy_match:FuzzyMatch`): after normalising both (lower case, no ASCII punctuation, no
  articles a/an/the, single spaces), either contains the other; an empty side matches only an empty side.
  `parts["f1"]` is evals' token F1 against the best ideal.
`reference` holds the ideal: a plain string, or a JSON list of acceptable ideals.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter

from benchmarks.quality.model import BenchItem, Score
from benchmarks.quality.scorers.base import invalid

MATCH_KINDS = ("match", "includes", "fuzzy_match")
PUNCTUATION = frozenset(string.punctuation)
ARTICLES = re.compile(r"\b(a|an|the)\b")


def ideals_of(reference: str) -> list[str]:
    """The acceptable answers: a JSON list of strings when the reference is one, else the string itself."""
    text = reference.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [reference]
        if isinstance(parsed, list) and all(isinstance(entry, str) for entry in parsed):
            return parsed
    return [reference]


def normalize(text: str) -> str:
    without_punctuation = "".join(char for char in text.lower() if char not in PUNCTUATION)
    return " ".join(ARTICLES.sub(" ", without_punctuation).split())


def starts_with_ideal(output: str, ideals: list[str]) -> bool:
    answer = output.lstrip()
    return any(answer.startswith(ideal) for ideal in ideals)


def includes_ideal(output: str, ideals: list[str], ignore_case: bool = False) -> bool:
    if ignore_case:
        return any(ideal.lower() in output.lower() for ideal in ideals)
    return any(ideal in output for ideal in ideals)


def fuzzy_matches(output: str, ideal: str) -> bool:
    answer, expected = normalize(output), normalize(ideal)
    if not answer or not expected:
        return answer == expected
    return answer in expected or expected in answer


def token_f1(output: str, ideal: str) -> float:
    """Overlap of normalised words (multiset), as evals' f1_score computes it for one ideal."""
    answer, expected = normalize(output).split(), normalize(ideal).split()
    common = sum((Counter(answer) & Counter(expected)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(answer), common / len(expected)
    return 2 * precision * recall / (precision + recall)


class EvalsMatchScorer:
    """1 when the answer matches an ideal the way the item's eval class matches, else 0."""

    name = "evals-match"

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        if item.reference is None:
            return invalid(self.name, "no ideal answer to match")
        kind = item.meta.get("match", "match")
        if kind not in MATCH_KINDS:
            return invalid(self.name, f"unknown match kind {kind!r} (known: {', '.join(MATCH_KINDS)})")
        ideals = ideals_of(item.reference)
        parts: dict[str, float] = {}
        if kind == "match":
            matched = starts_with_ideal(output, ideals)
        elif kind == "includes":
            matched = includes_ideal(output, ideals, bool(item.meta.get("ignore_case", False)))
        else:
            matched = any(fuzzy_matches(output, ideal) for ideal in ideals)
            parts["f1"] = max(token_f1(output, ideal) for ideal in ideals)
        shown = ideals[0] if len(ideals) == 1 else f"one of {ideals}"
        detail = f"{kind}: {'matched' if matched else 'no match for'} {shown!r}"[:300]
        return Score(1.0 if matched else 0.0, self.name, detail, parts=parts)
