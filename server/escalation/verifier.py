"""The `verifier` check (off by default): another tier grades an answer, AutoMix-style.

The grading tier is asked one yes/no question with `max_tokens: 1` and the top log-probabilities of that
token; P(yes) = p(yes) / (p(yes) + p(no)) over the top tokens. A tier that returns no log-probabilities is
read from its text (yes -> 1, no -> 0). A grading call that fails passes the answer: the verifier may only
send answers up, never lose them.
"""

from __future__ import annotations

import json
import math
from typing import Any

from server.escalation.answer import Answer
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

    async def grade(self, request: CheckRequest, answer: Answer, request_id: str) -> CheckResult:
        try:
            response = await self.tier.post_json("/chat/completions", self.body(request, answer), request_id)
            parsed = json.loads(response.body) if response.status == 200 else None
        except (UpstreamError, ValueError) as exc:
            return CheckResult(self.name, True, f"grading failed ({exc}); answer kept")
        if parsed is None:
            return CheckResult(self.name, True, f"grading failed (status {response.status}); answer kept")
        p_yes = p_yes_from(parsed)
        if p_yes is None:
            return CheckResult(self.name, True, "grader answered neither yes nor no; answer kept")
        return CheckResult(self.name, p_yes >= self.min_probability, f"P(yes) {p_yes:.2f} (min {self.min_probability})")


def p_yes_from(parsed: dict[str, Any]) -> float | None:
    choice = (parsed.get("choices") or [{}])[0]
    logprobs = (choice.get("logprobs") or {}).get("content") or []
    yes = no = 0.0
    if logprobs and isinstance(logprobs[0], dict):
        for top in logprobs[0].get("top_logprobs") or []:
            token = str(top.get("token", "")).strip().lower()
            if token in ("yes", "no"):
                p = math.exp(float(top.get("logprob", -math.inf)))
                yes, no = (yes + p, no) if token == "yes" else (yes, no + p)
    if yes + no > 0:
        return yes / (yes + no)
    text = str((choice.get("message") or {}).get("content") or "").strip().lower()
    if text.startswith("yes"):
        return 1.0
    if text.startswith("no"):
        return 0.0
    return None
