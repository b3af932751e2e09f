"""Deterministic English-ish text to train the tiny model's tokenizer on, with no data files or downloads.

It only has to give a byte-level BPE a realistic spread of merges (words, spaces, digits, punctuation, code,
JSON, chat markup) so that test prompts tokenize into a plausible number of tokens.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NAMES = ("Alice", "Bob", "Carol", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kofi", "Lena")
_NOUNS = _words(
    "model server request answer question city river teacher student doctor "
    "report table garden window market train letter computer program number "
    "country language capital engine budget meeting problem result water music"
)
_VERBS = _words(
    "reads writes builds finds sends checks answers opens moves counts "
    "explains translates classifies extracts summarizes routes measures repairs"
)
_ADJECTIVES = _words(
    "small large quick slow bright quiet cheap expensive simple difficult "
    "happy sad positive negative local remote new old green blue"
)
_PLACES = ("Paris", "London", "Berlin", "Madrid", "Rome", "Tokyo", "Lagos", "Lima", "Oslo", "Cairo", "Delhi")
_TIMES = ("today", "yesterday", "on Monday", "every morning", "in 2024", "at noon", "last week", "soon")
_ROLES = ("system", "user", "assistant")


def _statement(rng: random.Random) -> str:
    return (
        f"The {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {rng.choice(_VERBS)} "
        f"the {rng.choice(_NOUNS)} in {rng.choice(_PLACES)} {rng.choice(_TIMES)}."
    )


def _question(rng: random.Random) -> str:
    place = rng.choice(_PLACES)
    return rng.choice(
        (
            f"What is the capital of the country where {place} is? Answer in one word.",
            f"Why does {rng.choice(_NAMES)} think the {rng.choice(_NOUNS)} is {rng.choice(_ADJECTIVES)}?",
            f"Can you explain how a {rng.choice(_NOUNS)} works, step by step?",
            f'Is this review positive or negative: "I {rng.choice(("loved", "hated"))} this movie!"',
        )
    )


def _arithmetic(rng: random.Random) -> str:
    a, b = rng.randint(0, 999), rng.randint(0, 999)
    op = rng.choice("+-*")
    value = {"+": a + b, "-": a - b, "*": a * b}[op]
    return f"What is {a} {op} {b}? {a} {op} {b} = {value}."


def _code(rng: random.Random) -> str:
    name, arg = rng.choice(_VERBS).rstrip("s"), rng.choice(_NOUNS)
    return f"def {name}_{arg}({arg}, n=0):\n    if {arg} is None:\n        return []\n    return [{arg}] * (n + 1)"


def _json(rng: random.Random) -> str:
    name = rng.choice(_NAMES)
    return (
        f'{{"name": "{name}", "age": {rng.randint(18, 90)}, "city": "{rng.choice(_PLACES)}", '
        f'"email": "{name.lower()}@example.com", "active": {rng.choice(("true", "false"))}}}'
    )


def _chat(rng: random.Random) -> str:
    role = rng.choice(_ROLES)
    return f"<|im_start|>{role}\n{_statement(rng)}<|im_end|>\n"


def _dialogue(rng: random.Random) -> str:
    speaker, other = rng.sample(_NAMES, 2)
    noun, adjective = rng.choice(_NOUNS), rng.choice(_ADJECTIVES)
    return f"{speaker}: Hello {other}, did you see the {noun}?\n{other}: Yes, it was {adjective}!"


_GENERATORS: tuple[Callable[[random.Random], str], ...] = (
    _statement,
    _statement,
    _question,
    _arithmetic,
    _code,
    _json,
    _chat,
    _dialogue,
)


def generate_corpus(lines: int = 4000, seed: int = 1234) -> Iterator[str]:
    """`lines` pseudo-random snippets; the same arguments always give the same text."""
    rng = random.Random(seed)
    for _ in range(lines):
        yield rng.choice(_GENERATORS)(rng)
