"""Final answers out of a model's text, and the normalisation exact-family scorers compare them under. Pure.

Models rarely answer with the bare value: "4 + 9 = 13", "The answer is **B**.", a last line "Answer: Paris",
"答案是 13。". `answer_candidates` lists what the text commits to, most explicit first:
1. the value after an answer marker on the last line that has one ("Answer:", "The answer is", "Antwort:",
   "Réponse :", "Respuesta:", "答案是", "答え\uff1a" (full-width colon), ...);
2. the value after the last "=" of the last line that has one (a worked sum ends in its result);
3. the last non-empty line; 4. the whole text.
`normalize_answer` makes "  The  answer.\n" and "the answer" equal: Unicode NFKC (full-width digits become
ASCII), lower case, markdown emphasis and every Unicode punctuation character dropped, single spaces.
"""

from __future__ import annotations

import re
import unicodedata

# What introduces the committed answer, in the languages the bundled sets use. Case-insensitive; the value
# runs to the end of the line.
ANSWER_MARKER = re.compile(
    r"(?:\bfinal answer\b|\bthe answer is\b|\banswer\b|\bantwort\b(?:\s+ist)?|\bdie antwort ist\b|"
    r"\bla réponse est\b|\bréponse\b|\bla respuesta es\b|\brespuesta\b|答案是|答案|答え(?:は)?|回答)"
    r"\s*(?:[:\uff1a=]|is\b|ist\b|est\b|es\b)?\s*(?P<value>[^\n]+)",
    re.IGNORECASE,
)
EMPHASIS = re.compile(r"[*_`]+")


def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def normalize_answer(text: str) -> str:
    """Case, width, emphasis, punctuation and whitespace removed: what "the same answer" means here."""
    folded = unicodedata.normalize("NFKC", EMPHASIS.sub("", text)).casefold()
    return " ".join("".join(" " if _punctuation(c) else c for c in folded).split())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def marked_answer(text: str) -> str | None:
    """The value after the last answer marker ("The answer is B." -> "B."), or None."""
    for line in reversed(_lines(text)):
        matches = list(ANSWER_MARKER.finditer(EMPHASIS.sub("", line)))
        if matches:
            value = matches[-1]["value"].strip()
            if normalize_answer(value):
                return value
    return None


def after_equals(text: str) -> str | None:
    """What the last line with an "=" states after its last "=" ("4 + 9 = 13." -> "13.")."""
    for line in reversed(_lines(text)):
        if "=" in line:
            value = line.rsplit("=", 1)[1].strip()
            return value if normalize_answer(value) else None
    return None


def answer_candidates(text: str) -> list[str]:
    """What the text may commit to, most explicit first (the module docstring gives the order)."""
    lines = _lines(text)
    found = [marked_answer(text), after_equals(text), lines[-1] if lines else None, text.strip()]
    out: list[str] = []
    for value in found:
        if value is not None and value not in out:
            out.append(value)
    return out


def final_answer(text: str) -> str:
    """The most explicit thing the text commits to ("" for an empty answer)."""
    candidates = answer_candidates(text)
    return candidates[0] if candidates else ""


def contains_answer(text: str, reference: str) -> bool:
    """The normalised reference occurs in the normalised text, as whole words where it starts or ends with a
    letter or digit of a spaced script ("13" is not in "130"; "巴黎" is in "首都是巴黎")."""
    haystack, needle = normalize_answer(text), normalize_answer(reference)
    if not needle:
        return False
    left = r"(?<![a-z0-9\u00c0-\u024f])" if re.match(r"[a-z0-9\u00c0-\u024f]", needle) else ""
    right = r"(?![a-z0-9\u00c0-\u024f])" if re.search(r"[a-z0-9\u00c0-\u024f]$", needle) else ""
    return re.search(left + re.escape(needle) + right, haystack) is not None
