"""The `verifier` check (off by default): another tier grades an answer, AutoMix-style.

The grading tier is asked one yes/no question with `max_tokens: 1` and the top log-probabilities of that
token; P(yes) = p(yes) / (p(yes) + p(no)) over the top tokens. A tier that returns no log-probabilities is
read from its text (yes -> 1, no -> 0). A grading call that fails, or whose answer cannot be read, passes
the answer: the verifier may only send answers up, never lose them. The call's tokens come back with the
verdict, so that the runner books its cost with the attempt it graded.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from server.escalation.answer import Answer, token_count
from server.escalation.checks import CheckRequest, CheckResult
from tiers.base import Tier, UpstreamError

PROMPT = (
    "You are grading an answer.\n\nQuestion:\n{question}\n\nAnswer:\n{answer}\n\n"
    "Is the answer correct, complete and responsive to the question? Reply with one word: Yes or No."
)


class Verifier:
    name = "verifier"

    def __init__(self, tier: Tier, min_probability: float, max_answer_chars: int) -> None:
        self.tier = tier
        self.min_probability = min_probability
        self.max_answer_chars = max_answer_chars

    def body(self, request: CheckRequest, answer: Answer) -> dict[str, Any]:
        content = PROMPT.format(question=request.prompt_text[-4000:], answer=answer.text[: self.max_answer_chars])
        return {
            "messages": [{"role": "user", "content": content}],
            "max_tokens": 1,
            "temperature": 0,
            "logprobs": True,
            "top_logprobs": 5,
        }

    async def grade(self, request: CheckRequest, answer: Answer, request_id: str) -> Grading:
        try:
            response = await self.tier.post_json("/chat/completions", self.body(request, answer), request_id)
            parsed = (response.payload or json.loads(response.body)) if response.status == 200 else None
        except (UpstreamError, ValueError, RecursionError) as exc:
            return Grading(CheckResult(self.name, True, f"grading failed ({exc}); answer kept"))
        if not isinstance(parsed, dict):
            detail = f"status {response.status}" if response.status != 200 else "not a JSON object"
            return Grading(CheckResult(self.name, True, f"grading failed ({detail}); answer kept"))
        usage = _dict(parsed.get("usage"))
        prompt, completion = token_count(usage.get("prompt_tokens")), token_count(usage.get("completion_tokens"))
        p_yes = p_yes_from(parsed)
        if p_yes is None:
            result = CheckResult(self.name, True, "grader answered neither yes nor no; answer kept")
        else:
            passed = p_yes >= self.min_probability
            result = CheckResult(self.name, passed, f"P(yes) {p_yes:.2f} (min {self.min_probability})")
        return Grading(result, prompt, completion, called=True)


@dataclass(frozen=True, slots=True)
class Grading:
    """The verifier's verdict, and what its call used (None: unknown; `called`: the tier answered)."""

    result: CheckResult
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    called: bool = False


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else None


def p_yes_from(parsed: dict[str, Any]) -> float | None:
    """P(yes) from a grading answer; None when it says neither (read, never trusted: any field may be junk)."""
    choice = _dict(_first(parsed.get("choices")))
    logprobs = _dict(choice.get("logprobs")).get("content")
    first = _dict(_first(logprobs))
    yes = no = 0.0
    tops = first.get("top_logprobs")
    for top in tops if isinstance(tops, list) else []:
        top = _dict(top)
        token, logprob = str(top.get("token", "")).strip().lower(), top.get("logprob")
        if token in ("yes", "no") and isinstance(logprob, int | float) and not isinstance(logprob, bool):
            p = math.exp(min(float(logprob), 0.0))
            yes, no = (yes + p, no) if token == "yes" else (yes, no + p)
    if yes + no > 0:
        return yes / (yes + no)
    content = _dict(choice.get("message")).get("content")
    text = content.strip().lower() if isinstance(content, str) else ""
    if text.startswith("yes"):
        return 1.0
    if text.startswith("no"):
        return 0.0
    return None
