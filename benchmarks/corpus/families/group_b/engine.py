"""How a group B family turns phrasing templates into Drafts.

A family lists Phrasings: one kind of request (task, difficulty, style) written natively in every language, with
{slot} fields. Slots are filled from banks (names, companies, amounts, pasted documents), so one phrasing yields
several different requests. Everything is drawn from the caller's random.Random, so a seed fixes the output.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from benchmarks.corpus.families.group_b import banks
from benchmarks.corpus.spec import LANGUAGES, Difficulty, Draft, Family

Filler = Callable[[random.Random, str], str]  # (rng, language) -> the text of one slot

# How many requests one phrasing yields per language: English is ~40% of traffic, each other language ~12%;
# medium is the thinnest band (~15%), simple ~45% and complex ~40%.
VARIANTS: Mapping[str, Mapping[Difficulty, int]] = {
    "en": {"simple": 7, "medium": 4, "complex": 6},
    **{lang: {"simple": 2, "medium": 1, "complex": 2} for lang in LANGUAGES if lang != "en"},
}
SYSTEM_PROMPT_SHARE = 0.2  # most API traffic carries no system prompt
ATTEMPTS = 8  # fillings tried before a phrasing gives up on one more distinct request
_LATIN = ("en", "de", "fr", "es")


@dataclass(frozen=True)
class Phrasing:
    task: str  # e.g. "explain-command", "design-rate-limiter"
    difficulty: Difficulty
    style: str  # imperative, question, polite, terse, json, after-payload, ...
    texts: Mapping[str, str]  # language -> template with {slot} fields; literal braces doubled


class _Slots(dict[str, str]):
    """Fills a slot the first time a template asks for it; `person2` draws from `person` again."""

    def __init__(self, rng: random.Random, lang: str, fillers: Mapping[str, Filler]) -> None:
        super().__init__()
        self._rng, self._lang, self._fillers = rng, lang, fillers

    def __missing__(self, key: str) -> str:
        bank = key.rstrip("0123456789")
        value = self._fillers[bank](self._rng, self._lang)
        self[key] = value
        return value


def _roughen(template: str, rng: random.Random, lang: str) -> str:
    """Real traffic has typos and lowercase starts; only the instruction is touched, never a pasted slot."""
    if lang not in _LATIN:
        return template
    if rng.random() < 0.12 and template[:1].isupper():
        template = template[0].lower() + template[1:]
    if rng.random() < 0.1:
        outside = [
            m
            for m in re.finditer(r"[a-zA-Z]{6,}", template)
            if template[: m.start()].count("{") == template[: m.start()].count("}")
        ]
        if outside:
            word = rng.choice(outside)
            i = word.start() + rng.randrange(1, len(word.group()) - 2)
            template = template[:i] + template[i + 1] + template[i] + template[i + 2 :]
    return template


def generate(
    family: str,
    phrasings: Sequence[Phrasing],
    fillers: Mapping[str, Filler],
    system_prompts: Mapping[str, Sequence[str]],
    rng: random.Random,
) -> Iterator[Draft]:
    """Every phrasing in every language, VARIANTS times each, with no repeated text within the family."""
    all_fillers = {**banks.FILLERS, **fillers}
    seen: set[str] = set()  # user texts, case-folded: a new system prompt or capital letter is not a new request
    for phrasing in phrasings:
        for lang in LANGUAGES:
            for _ in range(VARIANTS[lang][phrasing.difficulty]):
                for _attempt in range(ATTEMPTS):
                    slots = _Slots(rng, lang, all_fillers)
                    user = _roughen(phrasing.texts[lang], rng, lang).format_map(slots).strip()
                    if user.casefold() in seen:
                        continue
                    seen.add(user.casefold())
                    messages: tuple[tuple[str, str], ...] = (("user", user),)
                    if rng.random() < SYSTEM_PROMPT_SHARE:
                        system = rng.choice(system_prompts[lang]).format_map(slots)
                        messages = (("system", system), *messages)
                    yield Draft(
                        family,
                        phrasing.task,
                        phrasing.difficulty,
                        lang,
                        f"{phrasing.task}/{phrasing.style}",
                        messages,
                    )
                    break


def phrase(task: str, difficulty: Difficulty, style: str, **texts: str) -> Phrasing:
    """One phrasing, written in every language (a missing language is a bug in the family, caught here)."""
    if set(texts) != set(LANGUAGES):
        raise ValueError(f"{task}/{style}: languages {sorted(texts)} instead of {LANGUAGES}")
    return Phrasing(task, difficulty, style, texts)


def family(
    name: str,
    description: str,
    phrasings: Sequence[Phrasing],
    fillers: Mapping[str, Filler],
    system_prompts: Mapping[str, Sequence[str]],
) -> Family:
    return Family(name, description, lambda rng: generate(name, phrasings, fillers, system_prompts, rng))


def pick(bank: Sequence[str]) -> Filler:
    """A slot whose values read the same in every language (code, commands, numbers)."""
    return lambda rng, lang: rng.choice(bank)


def pick_lang(bank: Mapping[str, Sequence[str]]) -> Filler:
    """A slot written separately per language."""
    return lambda rng, lang: rng.choice(bank[lang])


def integer(low: int, high: int) -> Filler:
    """A slot holding a whole number in [low, high]."""
    return lambda rng, lang: str(rng.randint(low, high))
