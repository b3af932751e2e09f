# ruff: noqa: RUF001 - native-language text: full-width punctuation is correct in CJK, and a request is one string
"""How group A's families turn tasks into Drafts: a task is an ask (several phrasings per language) plus an
optional pasted payload; a framing places the ask before or after the payload, politely or tersely, with or
without a system prompt. The template id names the task, the phrasing and the framing, so a held-out reader
can tell which wording produced a row.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from benchmarks.corpus.families.group_a.banks import SYSTEM_PROMPTS, Slots, slots_for
from benchmarks.corpus.spec import LANGUAGES, Difficulty, Draft

# Rows per task and language: English is ~40% of the corpus, each other language ~12%.
LANGUAGE_WEIGHT: Mapping[str, int] = {"en": 10, "de": 3, "fr": 3, "es": 3, "zh": 3, "ja": 3}
SYSTEM_PROMPT_SHARE = 0.25  # most API traffic has no system prompt; backends often add one
TERSE_SHARE = 0.15  # people type fragments: lower-case start, no final punctuation

Payload = Callable[[random.Random, str, Slots], str]

_GREETING: Mapping[str, tuple[tuple[str, str], ...]] = {
    "en": (("Hi,", "Thanks!"), ("Hello, quick one.", "Thanks in advance."), ("Hey", "thx")),
    "de": (("Hallo,", "Danke!"), ("Guten Morgen, kurze Bitte:", "Vielen Dank im Voraus."), ("Hi,", "Danke dir")),
    "fr": (("Bonjour,", "Merci !"), ("Salut,", "Merci d'avance."), ("Bonjour, petite demande :", "Merci beaucoup.")),
    "es": (
        ("Hola,", "¡Gracias!"),
        ("Buenos días, una consulta rápida:", "Muchas gracias de antemano."),
        ("Hola", "gracias"),
    ),
    "zh": (("你好，", "谢谢！"), ("您好，麻烦一下：", "辛苦了，谢谢。"), ("在吗，", "谢啦")),
    "ja": (
        ("お疲れ様です。", "よろしくお願いします。"),
        ("こんにちは。", "ありがとうございます。"),
        ("すみません、", "お願いします！"),
    ),
}


@dataclass(frozen=True)
class Task:
    name: str
    difficulty: Difficulty
    asks: Mapping[str, Sequence[str]]  # language -> phrasings with {slot} fields from banks.slots_for
    payload: Payload | None = None  # the pasted document, table or thread the ask is about
    rows: int = 3  # rows per non-English language (English gets LANGUAGE_WEIGHT["en"] / 3 times as many)


PAYLOAD_STYLES = ("before", "after", "fenced", "polite")
BARE_STYLES = ("plain", "polite", "signed")


def _frame(rng: random.Random, lang: str, style: str, ask: str, payload: str | None) -> str:
    hello, thanks = rng.choice(_GREETING[lang])
    if payload is None:
        if style == "signed":
            return f"{ask}\n\n{thanks}"
        # The greeting on its own line: "Hi, Plan the ..." would read as a typo of the template, not of a person.
        return ask if style == "plain" else f"{hello}\n\n{ask}\n\n{thanks}"
    if style == "before":
        return f"{ask}\n\n{payload}"
    if style == "after":
        return f"{payload}\n\n{ask}"
    if style == "fenced":
        return f'{ask}\n\n"""\n{payload}\n"""'
    return f"{hello}\n\n{ask}\n\n---\n{payload}\n---\n\n{thanks}"


def _terse(lang: str, ask: str) -> str:
    """A typed-in-a-hurry version: only for scripts with case, and only the ask."""
    if lang in ("zh", "ja") or not ask:
        return ask
    return (ask[0].lower() + ask[1:]).rstrip(".!?")


def drafts(family: str, tasks: Sequence[Task], rng: random.Random) -> Iterator[Draft]:
    for task in tasks:
        for lang in LANGUAGES:
            phrasings = task.asks[lang]
            styles = PAYLOAD_STYLES if task.payload else BARE_STYLES
            # Every (phrasing, framing) pair is used once before any repeats, in a seeded order.
            combos = [(i, style) for i in range(len(phrasings)) for style in styles]
            rng.shuffle(combos)
            for n in range(task.rows * LANGUAGE_WEIGHT[lang] // 3):
                index, style = combos[n % len(combos)]
                slots = slots_for(rng, lang)
                ask = phrasings[index].format(**slots)
                if rng.random() < TERSE_SHARE:
                    ask = _terse(lang, ask)
                payload = task.payload(rng, lang, slots) if task.payload else None
                text = _frame(rng, lang, style, ask, payload)
                messages: tuple[tuple[str, str], ...] = (("user", text),)
                if rng.random() < SYSTEM_PROMPT_SHARE:
                    system = rng.choice(SYSTEM_PROMPTS[lang]).format(**slots)
                    messages = (("system", system), ("user", text))
                    style += "+system"
                yield Draft(family, task.name, task.difficulty, lang, f"{task.name}/{index}/{style}", messages)
