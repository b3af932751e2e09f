"""A user's own traffic as BenchItems: one JSON object per line, each row naming how it is scored.

    {"messages": [...], "reference"?: "13", "id"?, "category"?,
     "scorer"?: "exact" | "includes" | "numeric" | "choice" | "similarity" | "judge",
     "choices"?: ["A) Mars", "B) Venus"] (for `choice`), "tolerance"?: 0.01 (for `numeric`)}

Without `scorer`, a row whose reference is a number is scored `numeric`, one whose reference is a short text
(at most SHORT_REFERENCE_WORDS words) `exact`, and the rest (a long reference, or none) `similarity`:
embedding similarity cannot tell "627" from "672", so it is kept for answers that are prose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from benchmarks.quality.model import BenchItem

ROW_SCORERS = ("exact", "includes", "numeric", "choice", "similarity", "judge")
EXACT_FAMILY = frozenset({"exact", "includes", "numeric", "choice"})
SHORT_REFERENCE_WORDS = 5
# One number as numeric.py reads them (its module sits in the scorers package, which loads heavy parts, so
# the loader keeps its own copy of the shape): a sign, a currency sign, thousands groups, decimals.
WHOLE_NUMBER = re.compile(r"[-\u2212]?\$?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


class DatasetError(ValueError):
    """A dataset spec or file that cannot be read; the message names the spec, or the file and line."""


def is_number(text: str) -> bool:
    """The whole text is one number ("1,000", "-3.5", "$12"), as numeric.py reads numbers."""
    return WHOLE_NUMBER.fullmatch(text.strip().rstrip(".")) is not None


def default_scorer(reference: str | None) -> str:
    if reference is None or not reference.strip():
        return "similarity"
    if is_number(reference):
        return "numeric"
    return "exact" if len(reference.split()) <= SHORT_REFERENCE_WORDS else "similarity"


def load_jsonl(path: Path, dataset: str) -> list[BenchItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text ({exc.reason})") from None
    items: list[BenchItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = _jsonl_item(line, dataset, number, f"{path}:{number}")
        if item.item_id in seen:
            raise DatasetError(f"{path}:{number}: id {item.item_id!r} repeats an earlier row")
        seen.add(item.item_id)
        items.append(item)
    if not items:
        raise DatasetError(f"{path}: no rows")
    return items


def _messages(row: dict[str, Any], where: str) -> tuple[dict[str, str], ...]:
    messages = row.get("messages")
    if not isinstance(messages, list) or not messages:
        raise DatasetError(f"{where}: `messages` must be a non-empty list")
    clean: list[dict[str, str]] = []
    for k, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant"):
            raise DatasetError(f"{where}: messages[{k}] needs a role of system, user or assistant")
        if not isinstance(m.get("content"), str) or not m["content"].strip():
            raise DatasetError(f"{where}: messages[{k}].content must be non-empty text")
        clean.append({"role": m["role"], "content": m["content"]})
    if clean[-1]["role"] != "user":
        raise DatasetError(f"{where}: the last message must be the user's")
    return tuple(clean)


def _scoring(row: dict[str, Any], reference: str | None, where: str) -> tuple[str, dict[str, Any]]:
    """The row's scorer name and the scorer inputs it carries, checked here so a bad row fails at load."""
    scorer = row.get("scorer", default_scorer(reference))
    if scorer not in ROW_SCORERS:
        raise DatasetError(f"{where}: unknown scorer {scorer!r}; use one of {', '.join(ROW_SCORERS)}")
    if scorer in EXACT_FAMILY and reference is None:
        raise DatasetError(f"{where}: scorer {scorer!r} needs a `reference`")
    meta: dict[str, Any] = {}
    if scorer == "choice":
        choices = row.get("choices")
        if (
            not isinstance(choices, list)
            or len(choices) < 2
            or not all(isinstance(c, str) and c.strip() for c in choices)
        ):
            raise DatasetError(f"{where}: scorer 'choice' needs `choices`, a list of at least two option texts")
        meta["choices"] = choices
    if "tolerance" in row:
        tolerance = row["tolerance"]
        if (
            scorer != "numeric"
            or isinstance(tolerance, bool)
            or not isinstance(tolerance, int | float)
            or tolerance < 0
        ):
            raise DatasetError(f"{where}: `tolerance` must be a number >= 0, on a row scored 'numeric'")
        meta["tolerance"] = tolerance
    if scorer == "numeric" and reference is not None and not is_number(reference):
        raise DatasetError(f"{where}: scorer 'numeric' needs a reference that is a number, got {reference!r}")
    return scorer, meta


def _jsonl_item(line: str, dataset: str, number: int, where: str) -> BenchItem:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise DatasetError(f"{where}: not JSON: {exc}") from None
    if not isinstance(row, dict):
        raise DatasetError(f"{where}: expected an object with `messages`")
    messages = _messages(row, where)
    reference, item_id, category = row.get("reference"), row.get("id", f"{number:05d}"), row.get("category", "jsonl")
    if reference is not None and not isinstance(reference, str):
        raise DatasetError(f"{where}: `reference` must be text when given")
    if not isinstance(item_id, str | int) or not isinstance(category, str):
        raise DatasetError(f"{where}: `id` must be text or a number and `category` text")
    scorer, meta = _scoring(row, reference, where)
    return BenchItem(dataset, str(item_id), category, messages, reference, scorer, {"line": number, **meta})
