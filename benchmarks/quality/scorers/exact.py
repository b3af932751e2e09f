"""Exact-family scorers for a user's short-answer rows: `exact`, `includes`, `numeric`, `choice`. 1 or 0.

- `exact`: the final answer (answers.py: after an answer marker, after the last "=", else the last line)
  equals the reference after normalisation; "4 + 9 = 13" is right for 13, "The answer is **B**." for B.
- `includes`: the normalised reference occurs in the normalised answer, as whole words ("13" not in "130").
- `numeric`: the answer's final number (numeric.py's rules, thousands separators and trailing zeros
  ignored) equals the reference number within the row's `tolerance` (absolute; default 1e-9 relative).
- `choice`: the row's `choices` are the options ("A) Mars" or plain strings, lettered A, B, ... in order);
  the answer picks one by letter ("B", "(B)", "B) Mars", "The answer is B") or by the option's text (a
  letter wins over a text that names another option); the reference is a
  letter or an option's text. An answer naming several options, or none, picks none.
The reference may be a JSON list of acceptable answers (`exact`, `includes`).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from decimal import Decimal

from benchmarks.quality.model import BenchItem, Score
from benchmarks.quality.scorers.answers import contains_answer, final_answer, marked_answer, normalize_answer
from benchmarks.quality.scorers.base import invalid
from benchmarks.quality.scorers.evals_match import ideals_of
from benchmarks.quality.scorers.numeric import _plain, final_number

DEFAULT_RELATIVE_TOLERANCE = Decimal("1e-9")
OPTION_LABEL = re.compile(r"^\s*\(?(?P<letter>[A-Za-z])\s*[).:]\s*(?P<text>.+)$")
LETTER_ONLY = re.compile(r"^\(?(?P<letter>[A-Za-z])\)?[.)]?$")
LETTER_TOKEN = re.compile(r"(?<![A-Za-z])\(?(?P<letter>[A-Z])\)?(?![A-Za-z])")
LETTER_CUE = re.compile(r"(?:option|choice|answer is|answer:|antwort:?|réponse:?|respuesta:?|答案|答え)\s*\(?([A-Z])\b",
                        re.IGNORECASE)  # fmt: skip


def _verdict(scorer: str, right: bool, what: str) -> Score:
    return Score(1.0 if right else 0.0, scorer, what[:300])


class ExactScorer:
    name = "exact"

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        if item.reference is None:
            return invalid(self.name, "no reference answer to match")
        answer = final_answer(output)
        ideals = ideals_of(item.reference)
        right = any(normalize_answer(answer) == normalize_answer(ideal) for ideal in ideals)
        return _verdict(self.name, right, f"final answer {answer[:80]!r} {'=' if right else '!='} {ideals[0]!r}")


class IncludesScorer:
    name = "includes"

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        if item.reference is None:
            return invalid(self.name, "no reference answer to look for")
        ideals = ideals_of(item.reference)
        right = any(contains_answer(output, ideal) for ideal in ideals)
        return _verdict(self.name, right, f"{ideals[0]!r} {'found' if right else 'not found'} in the answer")


class NumericScorer:
    name = "numeric"

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        expected = final_number(item.reference) if item.reference is not None else None
        if expected is None:
            return invalid(self.name, f"the reference states no number: {item.reference!r}")
        raw = item.meta.get("tolerance")
        tolerance = Decimal(str(raw)) if raw is not None else abs(expected) * DEFAULT_RELATIVE_TOLERANCE
        got = final_number(output)
        if got is None:
            return Score(0.0, self.name, f"no number in the answer; expected {_plain(expected)}")
        right = abs(got - expected) <= tolerance
        return _verdict(self.name, right, f"answered {_plain(got)}, expected {_plain(expected)}")


@dataclass(frozen=True, slots=True)
class Option:
    letter: str  # upper case
    text: str  # without its "A)" label


def options_of(choices: list[str]) -> list[Option]:
    """Options as given: "A) Mars" keeps its own letter, a plain string gets the next letter of the alphabet."""
    out = []
    for index, choice in enumerate(choices):
        labelled = OPTION_LABEL.match(choice)
        if labelled:
            out.append(Option(labelled["letter"].upper(), labelled["text"].strip()))
        else:
            out.append(Option(string.ascii_uppercase[index], choice.strip()))
    return out


def _by_letter(text: str, letters: set[str]) -> str | None:
    stripped = text.strip()
    # "C) Plomo" picks C even when "Plomo" is another option's text: the label is what a reader would grade.
    labelled = OPTION_LABEL.match(stripped)
    if labelled and labelled["letter"].upper() in letters and labelled["letter"].isupper():
        return labelled["letter"]
    only = LETTER_ONLY.match(normalize_answer(stripped).upper()) if len(stripped) <= 4 else None
    if only and only["letter"] in letters:
        return only["letter"]
    cued = {letter.upper() for letter in LETTER_CUE.findall(text)} & letters
    return cued.pop() if len(cued) == 1 else None


def chosen_option(output: str, options: list[Option]) -> Option | None:
    """The one option the answer picks (module docstring), or None."""
    letters = {o.letter for o in options}
    by_letter = {o.letter: o for o in options}
    for text in (marked_answer(output), final_answer(output), output):
        if text is None:
            continue
        letter = _by_letter(text, letters)
        if letter is not None:
            return by_letter[letter]
    named = [o for o in options if contains_answer(output, o.text)]
    # "Mars" names one option; when one option's text holds another's ("positive" in "non-positive"), the
    # longer is meant.
    named = [o for o in named if not any(p is not o and contains_answer(p.text, o.text) for p in named)]
    if len(named) == 1:
        return named[0]
    if named:
        return None
    tokens = {m["letter"] for m in LETTER_TOKEN.finditer(output)} & letters
    return by_letter[tokens.pop()] if len(tokens) == 1 else None


def reference_option(reference: str, options: list[Option]) -> Option | None:
    wanted = normalize_answer(reference)
    for option in options:
        if wanted == option.letter.lower() or wanted == normalize_answer(option.text):
            return option
    return None


class ChoiceScorer:
    name = "choice"

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        choices = item.meta.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            return invalid(self.name, "the row gives no `choices` to pick from")
        options = options_of([str(c) for c in choices])
        expected = reference_option(item.reference or "", options)
        if expected is None:
            return invalid(self.name, f"the reference {item.reference!r} is neither an option's letter nor its text")
        picked = chosen_option(output, options)
        if picked is None:
            return Score(0.0, self.name, f"the answer picks no single option; expected {expected.letter}")
        right = picked == expected
        return _verdict(self.name, right, f"picked {picked.letter} ({picked.text[:40]}), expected {expected.letter}")
