"""How one item is asked of one tier: chat messages for instruction models, few-shot text for base models.

    chat        POST /v1/chat/completions with the item's messages; GSM8K asks for the final number after
                `####`, HumanEval for the completed function in a ```python block.
    completion  POST /v1/completions with a few-shot text prompt and stop sequences (base models such as
                the bundled Gemma 3 270M continue text; they do not follow chat turns). HumanEval's own
                prompt is already a completion prompt (signature + docstring): the model writes the body.

`params_hash` covers everything that shapes an answer besides the item: format, the template version,
the few-shot count, temperature, max_tokens, stop sequences. A change to any of them makes new cache keys.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from benchmarks.quality.model import BenchItem, Message
from server.bench.quality_settings import PromptFormat

# Bumped whenever a template below changes, so cached answers to the old wording are not reused.
TEMPLATE_VERSION = 1

GSM8K_INSTRUCTION = (
    "Solve this math problem. Think step by step, then give the final answer as a plain number "
    "on the last line after '####' (for example: #### 42)."
)
HUMANEVAL_INSTRUCTION = (
    "Write the complete function, including its signature, in one ```python code block. "
    "Do not include tests or example usage."
)

# Worked examples written for this harness (not taken from the test sets), so no test item leaks into a prompt.
GSM8K_SHOTS: tuple[tuple[str, str], ...] = (
    (
        "A baker makes 12 muffins in the morning and 9 in the afternoon. He sells 15. How many muffins are left?",
        "He makes 12 + 9 = 21 muffins. After selling 15, 21 - 15 = 6 are left.\n#### 6",
    ),
    (
        "Tickets cost $4 each. Maria buys 3 tickets and pays with a $20 bill. How much change does she get?",
        "The tickets cost 3 * 4 = 12 dollars. Her change is 20 - 12 = 8 dollars.\n#### 8",
    ),
    (
        "A garden has 5 rows of 7 plants. Half of the plants are tomatoes, rounded down. How many are tomatoes?",
        "There are 5 * 7 = 35 plants. Half of 35 is 17.5, rounded down 17.\n#### 17",
    ),
)
CHAT_SHOTS: tuple[tuple[str, str], ...] = (
    ("What is the capital of Italy?", "The capital of Italy is Rome."),
    ("Is a tomato a fruit or a vegetable? Answer in one word.", "Fruit"),
    (
        "Write one sentence describing the ocean.",
        "The ocean is a vast body of salt water that covers most of the Earth's surface.",
    ),
)
# OpenAI (and vLLM) accept at most 4 stop sequences; the body of the function is indented, so any of
# these at the start of a line means the model has moved on.
HUMANEVAL_STOPS = ["\ndef ", "\nclass ", "\nif ", "\nprint("]


@dataclass(frozen=True, slots=True)
class PromptParams:
    """What shapes a tier's answer besides the item; hashed into the cache key."""

    format: PromptFormat
    max_tokens: int
    temperature: float
    few_shot: int

    def stops(self, item: BenchItem) -> list[str]:
        if self.format == "chat":
            return []
        kind = item.dataset.split(":", 1)[0]
        if kind == "humaneval":
            return HUMANEVAL_STOPS
        if kind == "gsm8k":
            return ["\nQuestion:", "\n\n\n"]
        return ["\nUser:", "\n\n\n"]

    def params_hash(self, item: BenchItem) -> str:
        body = {
            "template": TEMPLATE_VERSION,
            "format": self.format,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "few_shot": self.few_shot if self.format == "completion" else 0,
            "stop": self.stops(item),
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Request:
    path: str  # "/chat/completions" or "/completions", under the tier's /v1
    body: dict[str, Any]  # without "model": the caller pins the tier's model


def render(item: BenchItem, params: PromptParams) -> Request:
    sampling = {"max_tokens": params.max_tokens, "temperature": params.temperature}
    if params.format == "chat":
        return Request("/chat/completions", {"messages": chat_messages(item), **sampling})
    stop = params.stops(item)
    return Request("/completions", {"prompt": completion_prompt(item, params.few_shot), **sampling, "stop": stop})


def chat_messages(item: BenchItem) -> list[Message]:
    messages = [dict(m) for m in item.messages]
    kind = item.dataset.split(":", 1)[0]
    if kind == "gsm8k":
        messages[-1]["content"] = f"{messages[-1]['content']}\n\n{GSM8K_INSTRUCTION}"
    elif kind == "humaneval":
        messages[-1]["content"] = f"{messages[-1]['content']}\n\n{HUMANEVAL_INSTRUCTION}"
    return messages


def completion_prompt(item: BenchItem, few_shot: int) -> str:
    kind = item.dataset.split(":", 1)[0]
    if kind == "humaneval":
        return str(item.meta["prompt"])
    if kind == "gsm8k":
        shots = "".join(f"Question: {q}\nAnswer: {a}\n\n" for q, a in GSM8K_SHOTS[:few_shot])
        return f"{shots}Question: {item.messages[-1]['content']}\nAnswer:"
    return transcript(item.messages, CHAT_SHOTS[:few_shot])


def transcript(messages: tuple[Message, ...], shots: tuple[tuple[str, str], ...]) -> str:
    """A chat as plain text a base model continues: system text first, then `User:` / `Assistant:` turns.
    The generic shots come only when the item brings no worked examples of its own (evals sets often do)."""
    system = [m["content"] for m in messages if m["role"] == "system"]
    turns = [m for m in messages if m["role"] != "system"]
    own_examples = any(m["role"] == "assistant" for m in turns)
    lines = [*(s.strip() for s in system), ""] if system else []
    for question, answer in () if own_examples else shots:
        lines += [f"User: {question}", f"Assistant: {answer}", ""]
    for m in turns:
        lines += [f"{'User' if m['role'] == 'user' else 'Assistant'}: {m['content'].strip()}"]
        lines += [""] if m["role"] == "assistant" else []
    return "\n".join(lines) + "\nAssistant:"
