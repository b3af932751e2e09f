"""Per-tier generation defaults and limits: what a tier is asked when a request leaves a setting out, and the
caps it is never asked beyond. Pure.

Why: a small model sampled at the engine's default (temperature 1.0, no max_tokens) can run to its context
window — minutes of junk on a CPU tier for a "Say hi". The operator states, per tier, what a request that
omits a field gets (`defaults`) and what no request may exceed (`limits`). Per field, a request over a limit is:
- `max_tokens`: clamped to the cap (the answer is cut there, as the client allowed at least that much);
- `n`, `max_messages`: refused with a 400 naming the cap — clamping would silently drop choices or context.
Both are told in response headers (`x-tierd-defaults`, `x-tierd-limited`).

Field names differ by endpoint: chat takes `max_tokens` or `max_completion_tokens`, completions `max_tokens`,
the Responses API `max_output_tokens`; defaults and caps apply to whichever the endpoint uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from server.config_base import StrictModel

# Sampling fields a default may set, beside the output-token count (vLLM's own extensions included).
SAMPLING_FIELDS = ("temperature", "top_p", "top_k", "min_p", "repetition_penalty", "frequency_penalty",
                   "presence_penalty")  # fmt: skip
# vLLM accepts these; OpenAI's API refuses unknown parameters, so a remote tier may not default them.
ENGINE_ONLY_FIELDS = frozenset({"top_k", "min_p", "repetition_penalty"})


class GenerationDefaults(StrictModel):
    """Applied when the request omits the field."""

    max_tokens: int | None = Field(None, ge=1, description="output tokens (chat, completions, responses)")
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    top_k: int | None = Field(None, ge=-1, description="vLLM tiers only")
    min_p: float | None = Field(None, ge=0, le=1, description="vLLM tiers only")
    repetition_penalty: float | None = Field(None, gt=0, le=2, description="vLLM tiers only")
    frequency_penalty: float | None = Field(None, ge=-2, le=2)
    presence_penalty: float | None = Field(None, ge=-2, le=2)


class GenerationLimits(StrictModel):
    """Caps no request exceeds on this tier."""

    max_tokens: int | None = Field(None, ge=1, description="output tokens; a request over it is clamped")
    n: int | None = Field(None, ge=1, description="choices per request; over it: 400")
    max_messages: int | None = Field(None, ge=1, description="chat messages / Responses input items; over it: 400")


def generation_problem(defaults: GenerationDefaults, limits: GenerationLimits, *, remote: bool) -> str | None:
    """What is wrong with a tier's `defaults` and `limits` together (None: nothing), for its settings."""
    cap, default = limits.max_tokens, defaults.max_tokens
    if cap is not None and default is not None and default > cap:
        return f"defaults.max_tokens ({default}) is over limits.max_tokens ({cap})"
    engine_only = sorted(f for f in ENGINE_ONLY_FIELDS if getattr(defaults, f) is not None)
    if remote and engine_only:
        return f"defaults {engine_only} are vLLM extensions; an OpenAI-compatible API refuses them"
    return None


@dataclass(frozen=True, slots=True)
class TierGeneration:
    """A tier's `defaults` and `limits` sections."""

    defaults: GenerationDefaults
    limits: GenerationLimits


def _token_fields(path: str) -> tuple[str, ...]:
    """The request fields that bound output tokens at this endpoint; the first is the one a default sets."""
    if path.endswith("/responses"):
        return ("max_output_tokens",)
    if path.endswith("/chat/completions"):
        return ("max_tokens", "max_completion_tokens")
    return ("max_tokens",)


def _count_field(path: str) -> str:
    return "input" if path.endswith("/responses") else "messages"


def requested_max_tokens(path: str, body: Mapping[str, Any]) -> int | None:
    """The request's own bound on output tokens (the smallest given), None when it sets none."""
    given = [body[f] for f in _token_fields(path) if isinstance(body.get(f), int) and not isinstance(body.get(f), bool)]
    return min(given) if given else None


def items_field(path: str) -> str:
    """The field that carries the conversation: `messages`, or the Responses API's `input`."""
    return _count_field(path)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A body as one tier receives it, and what tierd changed in it (for the response headers)."""

    body: dict[str, Any]
    defaulted: tuple[str, ...] = ()  # "temperature=0.2"
    limited: tuple[str, ...] = ()  # "max_tokens=512"


@dataclass(frozen=True, slots=True)
class OverLimit:
    """A request over a cap that is refused rather than clamped."""

    tier: str
    param: str
    value: int
    cap: int

    def message(self) -> str:
        return f"{self.param} is {self.value}; tier {self.tier!r} takes at most {self.cap}"


@dataclass(frozen=True, slots=True)
class GenerationRules:
    """Every tier's defaults and limits, by tier name (a tier not named has neither)."""

    tiers: Mapping[str, TierGeneration]

    def prepare(self, tier: str, path: str, body: dict[str, Any]) -> Prepared:
        """`body` with the tier's defaults filled in and its output-token cap applied (a copy when changed)."""
        rules = self.tiers.get(tier)
        if rules is None:
            return Prepared(body)
        out: dict[str, Any] | None = None
        defaulted: list[str] = []
        limited: list[str] = []
        token_fields = _token_fields(path)
        given = [f for f in token_fields if isinstance(body.get(f), int) and not isinstance(body.get(f), bool)]
        cap = rules.limits.max_tokens
        if not given and rules.defaults.max_tokens is not None:
            out = dict(body)
            out[token_fields[0]] = rules.defaults.max_tokens
            defaulted.append(f"{token_fields[0]}={rules.defaults.max_tokens}")
        for name in given:
            if cap is not None and body[name] > cap:
                out = out if out is not None else dict(body)
                out[name] = cap
                limited.append(f"{name}={cap}")
        for name in SAMPLING_FIELDS:
            value = getattr(rules.defaults, name)
            if value is not None and body.get(name) is None:
                out = out if out is not None else dict(body)
                out[name] = value
                defaulted.append(f"{name}={value}")
        if out is None:
            return Prepared(body)
        return Prepared(out, tuple(defaulted), tuple(limited))

    def output_tokens(self, tier: str, path: str, body: Mapping[str, Any]) -> int | None:
        """The most output tokens per choice `tier` will be asked for: the request's (clamped to the tier's cap),
        else the tier's default, else its cap; None when nothing bounds them."""
        rules = self.tiers.get(tier)
        asked = requested_max_tokens(path, body)
        cap = rules.limits.max_tokens if rules is not None else None
        if asked is None and rules is not None:
            asked = rules.defaults.max_tokens
        if asked is None:
            return cap
        return min(asked, cap) if cap is not None else asked

    def over_limit(self, tier: str, path: str, body: Mapping[str, Any]) -> OverLimit | None:
        """The first refused cap the request exceeds on `tier` (None: it fits)."""
        rules = self.tiers.get(tier)
        if rules is None:
            return None
        n = body.get("n")
        if rules.limits.n is not None and isinstance(n, int) and n > rules.limits.n:
            return OverLimit(tier, "n", n, rules.limits.n)
        items = body.get(_count_field(path))
        cap = rules.limits.max_messages
        if cap is not None and isinstance(items, list) and len(items) > cap:
            return OverLimit(tier, _count_field(path), len(items), cap)
        return None


NO_RULES = GenerationRules({})
