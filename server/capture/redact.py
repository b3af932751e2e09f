"""Redaction hooks for captured rows, and how a configured one is loaded.

A hook is `hook(body, answers) -> (body, answers) | None`: `body` is the request as routed, `answers` maps
each attempt's tier to its answer text; it returns the versions to store, or None to store nothing.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

Answers = dict[str, str]
Redactor = Callable[[dict[str, Any], Answers], "tuple[dict[str, Any], Answers] | None"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Runs of 6+ digits (with spaces or dashes between): phone, card, account and ID numbers. Short numbers stay,
# because "What is 486 + 141?" is what a router has to learn from.
_LONG_NUMBER = re.compile(r"(?<!\w)\+?\d(?:[ -]?\d){5,}(?!\w)")


def scrub(text: str) -> str:
    return _LONG_NUMBER.sub("<number>", _EMAIL.sub("<email>", text))


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v) for k, v in value.items()}
    return value


def emails_and_numbers(body: dict[str, Any], answers: Answers) -> tuple[dict[str, Any], Answers]:
    """The default hook: e-mail addresses and long digit runs in messages, prompts and answers are replaced."""
    redacted = dict(body)
    for key in ("messages", "prompt", "input", "instructions"):
        if key in redacted:
            redacted[key] = _scrub_value(redacted[key])
    return redacted, {tier: scrub(text) for tier, text in answers.items()}


def load_redactor(spec: str | None) -> Redactor | None:
    """`package.module:function` -> the function (a config error names what is missing)."""
    if spec is None:
        return None
    module_name, _, attribute = spec.partition(":")
    try:
        hook = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"capture.redact {spec!r} cannot be loaded: {exc}") from None
    if not callable(hook):
        raise ValueError(f"capture.redact {spec!r} is not a function")
    return hook  # type: ignore[no-any-return]
