"""The runaway guard: stop a generation that has degenerated instead of paying for it up to its length limit.

Measured on main: a request without max_tokens ran 11 minutes, tier-1 sampling junk to its 8,192-token
context and tier-2 (a base model that loops) starting the same run. The guard watches a tier's streamed
output as it arrives and judges it with the `degeneration` check's own logic (server/escalation/checks.py):
one character over and over, the same line again and again, repeated word n-grams; and one short string
repeated to the end (`repeating_period`). When it trips, the runner closes the upstream stream (vLLM
aborts the request) and treats the answer as degenerate.

Cost on the hot path: the check is O(text). Judging the whole answer at every chunk would make a long
answer quadratic, so a `Watch` judges only the tail (the last `window_tokens` streamed pieces; vLLM sends one
piece per decode step) every `every_tokens` tokens, once `min_tokens` have come. Each judgement is then
O(window) whatever the answer's length, i.e. O(window / every) per token amortised. The tail is also what
shows a loop that begins after a sound start, which a judgement of the whole answer would dilute.

Pure: the I/O side is in streams.py (reading, relaying) and json_stream.py (JSON answers).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from server.escalation.answer import Answer, data_event
from server.escalation.checks import CheckRequest, DegenerationCheck

_NO_REQUEST = CheckRequest(prompt_text="")  # the degeneration check does not read the request


@dataclass(frozen=True, slots=True)
class GuardConfig:
    min_tokens: int = 64  # nothing is judged before this many generated tokens
    every_tokens: int = 32  # then the tail is judged each time this many more have come
    window_tokens: int = 256  # the tail judged: this many of the latest streamed pieces
    json_requests: bool = True  # also guard non-streamed requests, by streaming them upstream


@dataclass(frozen=True, slots=True)
class Trip:
    """Why and when the guard stopped a generation."""

    tokens: int  # generated tokens when it stopped (from the upstream's usage, else counted pieces)
    detail: str  # what the degeneration check said of the tail

    def describe(self) -> str:
        return f"runaway: stopped after {self.tokens} tokens ({self.detail})"


class RunawayGuard:
    """One tier's guard: its thresholds, and one `Watch` per generation."""

    def __init__(self, config: GuardConfig, check: DegenerationCheck | None = None) -> None:
        self.config = config
        self.check = check or DegenerationCheck()

    def watch(self) -> Watch:
        return Watch(self)

    def guards_json(self, body: dict[str, Any], chat: bool, add_logprobs: bool) -> bool:
        """Whether a non-streamed request is guarded (then streamed upstream and assembled)."""
        return self.config.json_requests and not add_logprobs and guardable_json(body, chat=chat)


class Watch:
    """One generation, fed its streamed chunks in order; `trip` is set once it has degenerated."""

    __slots__ = ("_guard", "_next_at", "_pieces", "counted", "prompt_tokens", "tokens", "trip")

    def __init__(self, guard: RunawayGuard) -> None:
        self._guard = guard
        self._pieces: list[str] = []
        self.tokens = 0
        self.prompt_tokens: int | None = None
        self.counted = False  # some chunk came without usage: tokens are partly counted pieces
        self._next_at = guard.config.min_tokens
        self.trip: Trip | None = None

    def add(self, payload: dict[str, Any]) -> Trip | None:
        """Take one chunk (a parsed SSE payload, chat or completions); the Trip when this one trips it."""
        if self.trip is not None:
            return self.trip
        piece = _piece(payload)
        usage = payload.get("usage")
        reported = usage.get("completion_tokens") if isinstance(usage, dict) else None
        if isinstance(usage, dict) and isinstance(usage.get("prompt_tokens"), int):
            self.prompt_tokens = usage["prompt_tokens"]
        if isinstance(reported, int):
            self.tokens = max(self.tokens, reported)  # vLLM's continuous_usage_stats: the exact count
        elif piece:
            self.tokens += 1
            self.counted = True
        if piece:
            self._pieces.append(piece)
        if self.tokens < self._next_at or not self._pieces or _finishes(payload):
            return None  # (a chunk that ends the generation: nothing is left to save, the checks judge it)
        self._next_at = self.tokens + self._guard.config.every_tokens
        return self._judge()

    def _judge(self) -> Trip | None:
        window = self._guard.config.window_tokens
        if len(self._pieces) > 2 * window:  # only the tail is ever judged: keep memory bounded too
            del self._pieces[:-window]
        tail = "".join(self._pieces[-window:])
        result = self._guard.check.run(Answer(text=tail, finish_reason=None, complete=False), _NO_REQUEST)
        if not result.passed:
            self.trip = Trip(self.tokens, result.detail)
        elif (period := repeating_period(tail)) is not None:
            self.trip = Trip(self.tokens, f"the last {PERIODIC_SPAN} characters repeat {tail[-period:]!r}")
        return self.trip


# A short string repeated with no space or newline ("hihihi...", the tiny model's greedy completion) is one
# long "word" to the degeneration check, and no character is most of it: the guard also looks for a period.
PERIODIC_SPAN = 96  # the tail's last characters that must repeat...
MAX_PERIOD = 16  # ...a string of at most this many characters (at least 6 times)


def repeating_period(text: str) -> int | None:
    """The shortest period (<= MAX_PERIOD) of the text's last PERIODIC_SPAN characters, if they have one."""
    if len(text) < PERIODIC_SPAN:
        return None
    span = text[-PERIODIC_SPAN:]
    for period in range(1, MAX_PERIOD + 1):
        if span[period:] == span[:-period]:  # equal to itself shifted by the period: periodic
            return period
    return None


def _finishes(payload: dict[str, Any]) -> bool:
    return any(isinstance(c, dict) and c.get("finish_reason") for c in payload.get("choices") or ())


def _piece(payload: dict[str, Any]) -> str:
    """Choice 0's new text: a chat delta's content or a completion's text."""
    for choice in payload.get("choices") or ():
        if isinstance(choice, dict) and choice.get("index", 0) == 0:
            delta = choice.get("delta")
            piece = (delta.get("content") if isinstance(delta, dict) else None) or choice.get("text")
            return piece if isinstance(piece, str) else ""
    return ""


def ending_events(template: dict[str, Any] | None, watch: Watch, *, chat: bool) -> list[bytes]:
    """How a stream the guard stopped ends, so that no client waits or reads forever: a last chunk with
    finish_reason `length` (the generation was cut, as by a length limit), the usage chunk (tierd asks every
    tier for usage; the stream meter passes it on only to a client that asked) and `data: [DONE]`. Without
    a prompt-token count there is no honest usage chunk: the cost is then unknown, never a guess."""
    template = template or {}
    head = {
        "id": template.get("id", "tierd-runaway"),
        "object": "chat.completion.chunk" if chat else "text_completion",
        "created": template.get("created", int(time.time())),
        "model": template.get("model", ""),
    }
    choice: dict[str, Any] = {"index": 0, "delta": {}} if chat else {"index": 0, "text": ""}
    choice.update(logprobs=None, finish_reason="length")
    events = [data_event({**head, "choices": [choice]})]
    if watch.prompt_tokens is not None:
        tokens = watch.trip.tokens if watch.trip is not None else watch.tokens
        usage = {"prompt_tokens": watch.prompt_tokens, "completion_tokens": tokens}
        usage["total_tokens"] = watch.prompt_tokens + tokens
        events.append(data_event({**head, "choices": [], "usage": usage}))
    events.append(b"data: [DONE]\n\n")
    return events


def guardable_json(body: dict[str, Any], *, chat: bool) -> bool:
    """Whether a non-streamed request can be guarded, i.e. served from an internal stream and assembled
    into one JSON body. Only one plain choice: several choices (`n`, `best_of`, a list of prompts),
    log-probabilities, tool calls and echoed prompts have JSON shapes an assembler would have to rebuild
    field by field, so those requests stay unguarded (a non-streamed upstream call cannot be stopped
    with its tokens kept)."""
    if body.get("n") not in (None, 1) or body.get("best_of") not in (None, 1):
        return False
    if body.get("logprobs") or body.get("top_logprobs") or body.get("prompt_logprobs") or body.get("echo"):
        return False
    if chat:
        return not body.get("tools") and not body.get("functions")
    return isinstance(body.get("prompt"), str)
