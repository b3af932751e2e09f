"""Request features: a pure function of the request body, cheap and bounded.

Every text scan reads a bounded window (`MAX_SCAN_CHARS` for rules, `CUE_SCAN_CHARS` for
cues), so a megabyte prompt costs the same as a long one; patterns match lower-cased
text. Cues are counts of matches in that window; the rules classifier and (later) the
learned router read them. "Language" is approximated by the dominant Unicode script of
the letters, which needs no model and works for any language.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from server.responses.protocol import as_chat
from server.routing.work_cues import WorkCues, instruction_window, work_cues

# Text beyond this many characters is counted but not scanned by rules.
MAX_SCAN_CHARS = 8_000
# Cues are read from the head of the prompt, where the instruction usually is: Python's
# regex engine costs ~1 ms per 4,000 characters for these patterns, and a pasted document
# further down says little about how hard the task is.
CUE_SCAN_CHARS = 4_000
# Letters sampled to find the dominant script: enough to be stable, cheap on any prompt.
SCRIPT_SAMPLE_CHARS = 400
# The system prompt's head is enough to say what kind of task a conversation is.
SYSTEM_HEAD_CHARS = 500
SYSTEM_ROLES = ("system", "developer")
# A rough, tokenizer-free estimate: English BPE averages ~4 characters per token.
CHARS_PER_TOKEN = 4

_CODE_CUES = re.compile(
    r"```|\b(?:def|class|import|return|function|const|let|var|void|public|private|lambda|async|await|"
    r"select\s+\S+\s+from|#include|console\.log|printf|python|javascript|typescript|java|golang|rust|sql|"
    r"regex|compile[sd]?|stack trace|traceback|exception|bug|refactor|unit tests?)\b|[{};]\s*$|=>|::",
    re.MULTILINE,
)
_MATH_CUES = re.compile(
    r"\d+(?:\.\d+)?\s*[-+*/^\u00d7\u00f7=]\s*\d+|\\frac|\\sum|\\int|\b(?:equations?|integrals?|derivatives?|"
    r"probability|solve|calculate|compute|how many|how much|percent(?:age)?|sum of|product of|average|primes?|"
    r"theorems?|matri(?:x|ces)|algebra|geometry)\b",
)
_MULTI_STEP_CUES = re.compile(
    r"\b(?:step[- ]by[- ]step|prove|proof|plan|analy[sz]e|analysis|reason(?:ing)?|derive|justify|"
    r"explain why|compare|trade-?offs?|design|architect|evaluate|critique|multi-step|first\b.{0,80}\bthen)\b",
    re.DOTALL,
)
_TASK_CUES: dict[str, re.Pattern[str]] = {
    "extract": re.compile(r"\b(?:extract|pull out|find all|list all|which (?:names|dates|emails))\b"),
    "format": re.compile(r"\b(?:format|reformat|convert (?:it |this )?(?:to|into)|as json|as a table|as csv)\b"),
    "classify": re.compile(r"\b(?:classify|categori[sz]e|label|sentiment|is (?:this|it) (?:spam|positive))\b"),
    "translate": re.compile(r"\b(?:translate|translation|in (?:french|spanish|german|english|chinese))\b"),
    "summarize": re.compile(r"\b(?:summari[sz]e|summary|tl;?dr|in one sentence|key points)\b"),
}


@dataclass(frozen=True, slots=True)
class RequestFeatures:
    text: str  # the prompt text to scan (bounded), lower-cased
    prompt_chars: int
    prompt_tokens_estimate: int
    turns: int  # user messages
    has_system_prompt: bool
    has_tools: bool
    has_response_format: bool
    max_tokens: int | None
    has_code_fence: bool = False
    code_cues: int = 0
    math_cues: int = 0
    multi_step_cues: int = 0
    task_types: tuple[str, ...] = ()
    script: str = "none"  # dominant script of the letters: latin, cyrillic, cjk, arabic, ...
    non_ascii_ratio: float = 0.0
    # What the learned router reads: the head of the system prompt, then the instruction of the last user
    # message (work_cues.instruction_window). In a long chat the last turn says what is being asked now; the
    # text above may be an old, unrelated conversation, and a pasted document says little about the work.
    routing_text: str = ""
    work: WorkCues = field(default_factory=WorkCues)  # the work the instruction asks for (server/routing/work_cues.py)

    def to_dict(self) -> dict[str, Any]:
        """Everything but the texts themselves, for explanations and logs."""
        data = asdict(self)  # asdict recurses: `work` becomes a dict of its counts
        del data["text"], data["routing_text"]
        data["task_types"] = list(self.task_types)
        return data


def _content_text(content: Any) -> str:
    """Message content may be a string, a list of typed parts, or absent."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text", "") for part in content if isinstance(part, Mapping) and part.get("type") == "text"]
        return "\n".join(t for t in texts if isinstance(t, str))
    return ""


def _prompt_text(body: Mapping[str, Any]) -> tuple[str, int, bool, str]:
    """(whole prompt text, user turns, has a system prompt, routing text)."""
    messages = body.get("messages")
    if isinstance(messages, list):
        valid = [m for m in messages if isinstance(m, Mapping)]
        parts = [_content_text(m.get("content")) for m in valid]
        turns = sum(1 for m in valid if m.get("role") == "user")
        system = next((p for m, p in zip(valid, parts, strict=True) if m.get("role") in SYSTEM_ROLES), None)
        users = [p for m, p in zip(valid, parts, strict=True) if m.get("role") == "user"]
        last_user = users[-1] if users else ""
        head = f"{system[:SYSTEM_HEAD_CHARS]}\n" if system else ""
        return "\n".join(parts), turns, system is not None, head + instruction_window(last_user)
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return prompt, 1, False, instruction_window(prompt)
    if isinstance(prompt, list):
        text = "\n".join(p for p in prompt if isinstance(p, str))
        return text, 1, False, instruction_window(text)
    return "", 0, False, ""


# Unicode blocks by first code point (sorted), for a lookup per character without
# unicodedata (which costs ~1 us per call).
_SCRIPT_BLOCKS: tuple[tuple[int, str], ...] = (
    (0x0000, "latin"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "other"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0780, "other"),
    (0x0900, "devanagari"),
    (0x0980, "other"),
    (0x0E00, "thai"),
    (0x0E80, "other"),
    (0x1E00, "latin"),
    (0x1F00, "greek"),
    (0x2000, "other"),
    (0x2E80, "cjk"),
    (0xA000, "other"),
    (0xAC00, "cjk"),  # Hangul syllables
    (0xD7B0, "other"),
    (0xF900, "cjk"),
    (0xFB00, "other"),
    (0x20000, "cjk"),
    (0x30000, "other"),
)
_BLOCK_STARTS = tuple(start for start, _ in _SCRIPT_BLOCKS)
_ASCII_LETTER = re.compile("[a-z]", re.IGNORECASE)


def _script_of(char: str) -> str:
    return _SCRIPT_BLOCKS[bisect.bisect_right(_BLOCK_STARTS, ord(char)) - 1][1]


def dominant_script(text: str) -> tuple[str, float]:
    """(dominant script among letters, share of non-ASCII characters), both from a bounded sample."""
    sample = text[:SCRIPT_SAMPLE_CHARS]
    if sample.isascii():  # the common case, decided in C
        return ("latin" if _ASCII_LETTER.search(sample) else "none"), 0.0
    non_ascii = sum(1 for c in sample if ord(c) > 127)
    scripts = Counter(_script_of(c) for c in sample if c.isalpha())
    script = scripts.most_common(1)[0][0] if scripts else "none"
    return script, non_ascii / len(sample)


def extract_features(body: Mapping[str, Any]) -> RequestFeatures:
    body = as_chat(body)  # a Responses API body reads as the chat request that asks the same
    text, turns, has_system, routing_text = _prompt_text(body)
    window = text[:MAX_SCAN_CHARS].lower()
    cues = window[:CUE_SCAN_CHARS]
    max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
    response_format = body.get("response_format")
    script, non_ascii_ratio = dominant_script(cues)
    return RequestFeatures(
        text=window,
        prompt_chars=len(text),
        prompt_tokens_estimate=(len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN,
        turns=turns,
        has_system_prompt=has_system,
        has_tools=bool(body.get("tools")),
        has_response_format=isinstance(response_format, Mapping)
        and response_format.get("type") in ("json_object", "json_schema"),
        max_tokens=max_tokens if isinstance(max_tokens, int) else None,
        has_code_fence="```" in window,
        code_cues=len(_CODE_CUES.findall(cues)),
        math_cues=len(_MATH_CUES.findall(cues)),
        multi_step_cues=len(_MULTI_STEP_CUES.findall(cues)),
        task_types=tuple(name for name, pattern in _TASK_CUES.items() if pattern.search(cues)),
        script=script,
        non_ascii_ratio=round(non_ascii_ratio, 4),
        routing_text=routing_text,
        work=work_cues(routing_text.lower()),
    )
