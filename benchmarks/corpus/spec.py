"""What a corpus family generates, and what each difficulty means. Shared by every family module and the builder.

A family is one kind of work a client sends (extraction, translation, planning, ...). It generates requests
of several difficulties, in several languages and phrasings, so the router can be scored on families it never
saw in training (benchmarks/router_accuracy.py holds whole families out).

Difficulty is decided by the *work asked for*, never by the prompt's length:
- simple: one short deliverable whose means are in the prompt itself (extract a field, reformat, label,
  translate given text, summarise in one line, a short factual answer, one arithmetic step, fix one sentence).
  A long pasted document does not make a request complex.
- medium: one free-form deliverable of moderate size without multi-constraint reasoning (draft a short email,
  explain a concept in a paragraph, a few bullet points from a document, rewrite for another audience, a small
  function or SQL query with a clear spec).
- complex: several deliverables or constraints, planning, analysis, multi-step reasoning or computation, code
  design or debugging, strategy, regulated-domain judgement, synthesis across documents, trade-offs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Difficulty = Literal["simple", "medium", "complex"]
DIFFICULTIES: tuple[Difficulty, ...] = ("simple", "medium", "complex")
LANGUAGES = ("en", "de", "fr", "es", "zh", "ja")
ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Draft:
    """One generated request, before the builder gives it an id, a split and a label."""

    family: str  # the Family's name
    task: str  # finer kind of work within the family, e.g. "extract-date", "contract-reconciliation"
    difficulty: Difficulty
    language: str  # one of LANGUAGES
    template: str  # id of the phrasing template, unique within the family, e.g. "extract-date/terse"
    messages: tuple[tuple[str, str], ...]  # (role, content); ends with a user message


@dataclass(frozen=True)
class Family:
    name: str
    description: str  # one line for benchmarks/data/README.md
    generate: Callable[[random.Random], Iterable[Draft]]  # deterministic given the Random
