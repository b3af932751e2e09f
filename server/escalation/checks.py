"""Answer checks: one small class each, registered by name, configured per tier in the YAML. Pure.

A check looks at one answer (and the request that asked for it) and says pass or fail, with a detail a
person can read in the log. `prefix_safe` checks can judge the first tokens of a stream (`prefix` mode);
the others need the whole answer (truncation, JSON, tool arguments, confidence).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from server.escalation.answer import Answer
from server.escalation.schemas import schema_error
from server.responses.protocol import as_chat

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What the checks need to know about the request."""

    prompt_text: str
    max_tokens: int | None = None
    response_format: Mapping[str, Any] | None = None
    tools: Sequence[Mapping[str, Any]] = ()

    @classmethod
    def from_body(cls, body: Mapping[str, Any], prompt_text: str) -> CheckRequest:
        body = as_chat(body)  # a Responses API body: its max_output_tokens, text.format and function tools
        max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
        response_format = body.get("response_format")
        tools = body.get("tools")
        return cls(
            prompt_text=prompt_text,
            max_tokens=max_tokens if isinstance(max_tokens, int) else None,
            response_format=response_format if isinstance(response_format, Mapping) else None,
            tools=[t for t in tools if isinstance(t, Mapping)] if isinstance(tools, list) else (),
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: str
    passed: bool
    detail: str = ""

    def short(self) -> str:
        return f"{self.check}:{'pass' if self.passed else 'fail'}"


class Check(Protocol):
    name: str
    prefix_safe: bool
    # The tier must be asked for token log-probabilities (tierd strips them unless the client asked).
    needs_logprobs: bool
    # CPU-bound for milliseconds (an embedding): the runner runs the tier's checks in a worker thread.
    blocking: bool

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult: ...


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


class _Base:
    name = ""
    prefix_safe = True
    needs_logprobs = False
    blocking = False

    def result(self, passed: bool, detail: str = "") -> CheckResult:
        return CheckResult(self.name, passed, detail)


class EmptyCheck(_Base):
    """No text (or only whitespace) and no tool call. The tiny test model's newlines-only output fails here."""

    name = "empty"

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        if answer.text.strip() or answer.tool_calls:
            return self.result(True)
        # A stream prefix of whitespace may still turn into text; judge it only once there is enough of it.
        return self.result(False, f"{len(answer.text)} characters, all whitespace" if answer.text else "no text")


class TruncationCheck(_Base):
    """Stopped by length before the client's own max_tokens: the tier's context window or cap cut it. An
    answer that ended with no finish reason at all was cut too (a stream that broke off, or whose upstream
    sent an error event after some text): it is not an answer the model finished."""

    name = "truncation"
    prefix_safe = False

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        if answer.finish_reason is None:
            return self.result(False, "the answer ended without a finish_reason (cut off)")
        if answer.finish_reason != "length":
            return self.result(True)
        used = answer.completion_tokens
        if request.max_tokens is not None and used is not None and used >= request.max_tokens:
            return self.result(True, "stopped at the client's max_tokens")
        return self.result(False, f"finish_reason length after {used} tokens (client max_tokens {request.max_tokens})")


class DegenerationCheck(_Base):
    """Loops: one character over and over (the tiny model's newlines), the same line repeated, or the same
    word n-grams again and again (the bundled base model repeating the prompt with a stray word)."""

    name = "degeneration"

    def __init__(
        self,
        ngram: int = 4,
        max_repeated_share: float = 0.5,
        max_line_repeats: int = 3,
        min_words: int = 12,
        max_char_share: float = 0.8,
        min_chars: int = 24,
    ):
        self.ngram = ngram
        self.max_repeated_share = max_repeated_share
        self.max_line_repeats = max_line_repeats
        self.min_words = min_words
        self.max_char_share = max_char_share
        self.min_chars = min_chars

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        if answer.runaway is not None:  # the guard judged the generation's tail with this check, and stopped it
            return self.result(False, f"runaway guard: {answer.runaway}")
        if len(answer.text) >= self.min_chars:
            char, count = Counter(answer.text).most_common(1)[0]
            if count / len(answer.text) > self.max_char_share:
                return self.result(False, f"{count / len(answer.text):.0%} of the answer is {char!r}")
        lines = Counter(line.strip() for line in answer.text.splitlines() if len(line.strip()) >= 8)
        if lines:
            line, count = lines.most_common(1)[0]
            if count > self.max_line_repeats:
                return self.result(False, f"line repeated {count} times: {line[:60]!r}")
        words = _words(answer.text)
        if len(words) < self.min_words:
            return self.result(True)
        grams = _ngrams(words, self.ngram)
        repeated = sum(count - 1 for count in Counter(grams).values())
        share = repeated / len(grams)
        if share > self.max_repeated_share:
            return self.result(False, f"{share:.0%} of {self.ngram}-grams are repeats")
        return self.result(True, f"{share:.0%} repeated {self.ngram}-grams")


class EchoCheck(_Base):
    """The answer copies the prompt: most of the answer is prompt text, or the answer reproduces most of a
    longer prompt (a base model repeating the question before looping). A short question restated in a
    real answer passes: the second test needs a prompt of `min_prompt_words`."""

    name = "echo"

    def __init__(
        self,
        ngram: int = 5,
        max_copied_share: float = 0.6,
        min_words: int = 10,
        max_prompt_coverage: float = 0.8,
        min_prompt_words: int = 15,
    ):
        self.ngram = ngram
        self.max_copied_share = max_copied_share
        self.min_words = min_words
        self.max_prompt_coverage = max_prompt_coverage
        self.min_prompt_words = min_prompt_words

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        words = _words(answer.text)
        if len(words) < self.min_words:
            return self.result(True)
        prompt_words = _words(request.prompt_text)
        prompt = set(_ngrams(prompt_words, self.ngram))
        grams = _ngrams(words, self.ngram)
        copied = sum(1 for g in grams if g in prompt) / len(grams)
        if copied > self.max_copied_share:
            return self.result(False, f"{copied:.0%} of the answer's {self.ngram}-grams are in the prompt")
        if len(prompt_words) >= self.min_prompt_words and prompt:
            coverage = len(prompt & set(grams)) / len(prompt)
            if coverage > self.max_prompt_coverage:
                return self.result(False, f"the answer repeats {coverage:.0%} of the prompt's {self.ngram}-grams")
        return self.result(True, f"{copied:.0%} copied")


# What the bundled models actually say when they refuse (tests/fixtures/escalation/corpus.jsonl, SmolLM2):
# "I'm sorry for your pain, but as a chatbot, I don't have the ability to provide medical advice", "as a
# text-based AI, I don't have the capability to access your phone". A refusal denies an ability; an apology
# alone ("I'm sorry for any confusion. Paris is ...", "Sorry to hear that: ibuprofen usually helps") is not
# one, and neither is "As an AI, I don't have feelings" (the answer to "do you have feelings?").
_ABILITY = r"(?:the )?(?:ability|capability|capabilities|means|access|real-time)"
_ACTION = (
    r"(?:help|assist|comply|provide|do that|answer|access|browse|give|share|fulfil+|create|draw|generate|offer|"
    r"perform|support|engage|look up|check)"
)
DEFAULT_REFUSALS = (
    rf"\bi (?:can(?:'|no)t|won't|will not|am unable to|'m unable to|am not able to|'m not able to) {_ACTION}",
    rf"\bi (?:don't|do not) have {_ABILITY}",
    r"\bi(?:'m| am) not (?:equipped|designed|programmed|allowed|permitted) to",
    r"\bi(?:'m| am) not here to (?:help|assist|provide|answer)",
    r"\bas an? (?:ai|chatbot|text-based ai|ai language model|language model)\b[^.]{0,40}, i (?:can(?:'|no)t|won't) ",
    # The other languages of the corpus' prompts; no refusal in them was recorded, so these are unmeasured.
    r"\bje ne (?:peux pas|suis pas en mesure de) (?:vous )?(?:aider|répondre|fournir|accéder)",
    r"\ben tant qu'(?:ia|intelligence artificielle|assistant|chatbot|modèle de langage)\b[^.]{0,40}, je ne",
    r"\bno (?:puedo|soy capaz de) (?:ayudar|responder|proporcionar|acceder)",
    r"\bcomo (?:una |un )?(?:ia|inteligencia artificial|chatbot|modelo de lenguaje)\b[^.]{0,40}, no (?:puedo|tengo)",
    r"\bich kann (?:ihnen |dir )?(?:nicht|keine) (?:helfen|antworten|bereitstellen|zugreifen|auskunft)",
    r"\bals (?:ki|künstliche intelligenz|chatbot|sprachmodell)\b[^.]{0,40}(?:kann|habe) ich (?:nicht|keine)",
)


class RefusalCheck(_Base):
    """A refusal (a denied ability: "as a chatbot, I don't have the ability to ...") near the answer's start."""

    name = "refusal"

    def __init__(self, patterns: Sequence[str] = DEFAULT_REFUSALS, head_chars: int = 300):
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        self.head_chars = head_chars

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        # Models write a typographic apostrophe as often as a straight one.
        match = self.pattern.search(answer.text[: self.head_chars].replace("\u2019", "'"))
        return self.result(match is None, f"refusal: {match.group(0)!r}" if match else "")


def _strip_fence(text: str) -> str:
    """Models often wrap JSON in a ```json fence; the content is what counts."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    return stripped.strip()


class JsonCheck(_Base):
    """When response_format asks for JSON: the answer parses, and conforms to the json_schema if one is given."""

    name = "json"
    prefix_safe = False

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        fmt = request.response_format or {}
        if fmt.get("type") not in ("json_object", "json_schema"):
            return self.result(True, "no JSON requested")
        try:
            value = json.loads(_strip_fence(answer.text))
        except ValueError as exc:
            return self.result(False, f"not JSON: {exc}")
        schema = (fmt.get("json_schema") or {}).get("schema") if fmt.get("type") == "json_schema" else None
        if fmt.get("type") == "json_object" and not isinstance(value, dict):
            return self.result(False, "JSON, but not an object")
        if isinstance(schema, Mapping):
            error = schema_error(value, schema)
            if error:
                return self.result(False, f"does not match the schema: {error}")
        return self.result(True)


class ToolCallsCheck(_Base):
    """Each tool call names a tool the request offered, with arguments valid against its JSON schema."""

    name = "tool_calls"
    prefix_safe = False

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        if not answer.tool_calls:
            return self.result(True, "no tool calls")
        offered = {
            str(t.get("function", {}).get("name")): t.get("function", {}).get("parameters") for t in request.tools
        }
        for call in answer.tool_calls:
            if call.name not in offered:
                return self.result(False, f"calls {call.name!r}, which the request did not offer")
            try:
                arguments = json.loads(call.arguments or "{}")
            except ValueError as exc:
                return self.result(False, f"{call.name}: arguments are not JSON: {exc}")
            schema = offered[call.name]
            if isinstance(schema, Mapping):
                error = schema_error(arguments, schema)
                if error:
                    return self.result(False, f"{call.name}: {error}")
        return self.result(True)


class LowConfidenceCheck(_Base):
    """Mean log-probability of the generated tokens under a threshold."""

    name = "low_confidence"
    prefix_safe = False
    needs_logprobs = True

    def __init__(self, min_mean_logprob: float = -2.5):
        self.min_mean_logprob = min_mean_logprob

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        values = [v for v in answer.token_logprobs or () if math.isfinite(v)]
        if not values:
            return self.result(True, "no log-probabilities")
        mean = sum(values) / len(values)
        return self.result(mean >= self.min_mean_logprob, f"mean logprob {mean:.2f} (min {self.min_mean_logprob})")


CheckFactory = Callable[..., Check]


class UnknownCheckError(KeyError):
    pass


class CheckRegistry:
    def __init__(self) -> None:
        self._factories: dict[str, CheckFactory] = {}

    def register(self, name: str, factory: CheckFactory) -> None:
        if name in self._factories:
            raise ValueError(f"check {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def build(self, name: str, options: Mapping[str, Any]) -> Check:
        try:
            factory = self._factories[name]
        except KeyError:
            raise UnknownCheckError(f"unknown check {name!r}; known: {', '.join(self.names())}") from None
        try:
            return factory(**options)
        except TypeError as exc:
            raise ValueError(f"check {name!r}: {exc}") from None


def default_checks(load_encoder: Callable[[], Any] | None = None) -> CheckRegistry:
    """Every check by name. `load_encoder` gives the sentence embedder the `relevance` check needs; the wiring
    passes one that loads it once per process, so it is only loaded when a tier configures that check."""
    # Imported here: relevance.py builds on this module's base classes.
    from server.escalation.relevance import RelevanceCheck

    registry = CheckRegistry()
    for check in (
        EmptyCheck,
        TruncationCheck,
        DegenerationCheck,
        EchoCheck,
        RefusalCheck,
        JsonCheck,
        ToolCallsCheck,
        LowConfidenceCheck,
    ):
        registry.register(check.name, check)

    def relevance(**options: Any) -> Check:
        if load_encoder is None:
            raise ValueError("the relevance check needs the sentence embedder, and none was given")
        return RelevanceCheck(load_encoder(), **options)

    registry.register(RelevanceCheck.name, relevance)
    return registry


def run_checks(checks: Sequence[Check], answer: Answer, request: CheckRequest) -> list[CheckResult]:
    """Every applicable check (on a prefix, only the prefix-safe ones)."""
    return [c.run(answer, request) for c in checks if answer.complete or c.prefix_safe]
