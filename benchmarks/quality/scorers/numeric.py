"""GSM8K: the answer's final number against the reference number, exactly (1) or not (0).

Where the final number is: after the first `####` (GSM8K's own answer marker, which few-shot prompts teach; a
base model that runs on into an invented next question writes more of them, and those are not its answer),
else inside the last `\\boxed{...}` (what math-tuned models write), else the first number after an answer
marker or the last "=" (answers.py: "The answer is 627 (486 + 141)" answers 627), else the last number.
Numbers are compared as decimals after removing thousands separators and a currency sign, so "$1,080.00"
equals "1080" and "18.0" equals "18".
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from benchmarks.quality.model import BenchItem, Score
from benchmarks.quality.scorers.answers import after_equals, marked_answer
from benchmarks.quality.scorers.base import invalid

# A minus sign counts only where it cannot be a hyphen or a subtraction ("pages 10-15" ends in 15, not -15).
# Thousands groups must be exact (1,234 but not 1,2345); a trailing "." without digits ends the sentence.
NUMBER = re.compile(
    r"(?P<sign>(?<![\w)\]])[-\u2212])?\s?\$?\s?"
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
    r"(?P<frac>\.\d+)?"
)
ANSWER_MARKER = "####"
BOXED = re.compile(r"\\boxed\s*\{")


def parse_numbers(text: str) -> list[Decimal]:
    numbers = []
    # NFKC: full-width digits (U+FF10-FF19, common in Chinese and Japanese answers) are digits too.
    for match in NUMBER.finditer(unicodedata.normalize("NFKC", text)):
        literal = match["int"].replace(",", "") + (match["frac"] or "")
        try:
            value = Decimal(literal)
        except InvalidOperation:  # the pattern only admits digits; kept for safety against odd input
            continue
        numbers.append(-value if match["sign"] else value)
    return numbers


def _boxed_contents(text: str) -> list[str]:
    """The text inside each `\\boxed{...}`, braces balanced (`\\boxed{\\frac{1}{2}}` keeps its inner braces)."""
    contents = []
    for match in BOXED.finditer(text):
        depth, start = 1, match.end()
        for index in range(start, len(text)):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    contents.append(text[start:index])
                    break
    return contents


def final_number(text: str) -> Decimal | None:
    """The number an answer commits to, or None when it states none."""
    if ANSWER_MARKER in text:
        after = text.split(ANSWER_MARKER, 1)[1]
        numbers = parse_numbers(after)
        if numbers:
            return numbers[0]  # "#### 72. She sold 48 in April..." answers 72
    for content in reversed(_boxed_contents(text)):
        numbers = parse_numbers(content)
        if numbers:
            return numbers[-1]
    for stated in (marked_answer(text), after_equals(text)):
        numbers = parse_numbers(stated) if stated is not None else []
        if numbers:
            return numbers[0]
    numbers = parse_numbers(text)
    return numbers[-1] if numbers else None


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"  # 18.0 -> "18", 1E+2 -> "100"


class NumericMatchScorer:
    """GSM8K-style exact numeric match against the item's reference (the baseline's number if it has none)."""

    name = "gsm8k"

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        source = item.reference if item.reference is not None else baseline
        if source is None:
            return invalid(self.name, "no reference number to compare with")
        expected = final_number(source)
        if expected is None:
            return invalid(self.name, f"the reference states no number: {source[-80:]!r}")
        got = final_number(output)
        if got is None:
            return Score(0.0, self.name, f"no number in the answer; expected {_plain(expected)}")
        if got == expected:
            return Score(1.0, self.name, f"{_plain(got)} as expected")
        return Score(0.0, self.name, f"answered {_plain(got)}, expected {_plain(expected)}")
