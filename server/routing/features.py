"""Request features: a pure function of the request body, cheap and bounded.

Only what the first rule set needs lives here; the learned router extends it. Work is
bounded by `MAX_SCAN_CHARS` so a megabyte prompt costs the same as a long one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Text beyond this many characters is counted but not scanned by rules.
MAX_SCAN_CHARS = 20_000
# A rough, tokenizer-free estimate: English BPE averages ~4 characters per token.
CHARS_PER_TOKEN = 4


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


def _content_text(content: Any) -> str:
    """Message content may be a string, a list of typed parts, or absent."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text", "") for part in content if isinstance(part, Mapping) and part.get("type") == "text"]
        return "\n".join(t for t in texts if isinstance(t, str))
    return ""


def _prompt_text(body: Mapping[str, Any]) -> tuple[str, int, bool]:
    messages = body.get("messages")
    if isinstance(messages, list):
        parts = [_content_text(m.get("content")) for m in messages if isinstance(m, Mapping)]
        turns = sum(1 for m in messages if isinstance(m, Mapping) and m.get("role") == "user")
        has_system = any(isinstance(m, Mapping) and m.get("role") in ("system", "developer") for m in messages)
        return "\n".join(parts), turns, has_system
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return prompt, 1, False
    if isinstance(prompt, list):
        return "\n".join(p for p in prompt if isinstance(p, str)), 1, False
    return "", 0, False


def extract_features(body: Mapping[str, Any]) -> RequestFeatures:
    text, turns, has_system = _prompt_text(body)
    max_tokens = body.get("max_completion_tokens") or body.get("max_tokens")
    return RequestFeatures(
        text=text[:MAX_SCAN_CHARS].lower(),
        prompt_chars=len(text),
        prompt_tokens_estimate=(len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN,
        turns=turns,
        has_system_prompt=has_system,
        has_tools=bool(body.get("tools")),
        has_response_format=isinstance(body.get("response_format"), Mapping)
        and body["response_format"].get("type") in ("json_object", "json_schema"),
        max_tokens=max_tokens if isinstance(max_tokens, int) else None,
    )
