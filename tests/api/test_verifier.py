"""The verifier's grading call is the request's cost (in x-tierd-cost-usd, a stream's usage figures, the ledger),
it is never made to a tier the request may not use (a spent budget under local_only), and a grader's junk answer
keeps the answer instead of failing the request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import (
    COMPLETION_TOKENS,
    PROMPT_TOKENS,
    answering,
    frontier_usd,
    gateway_settings,
    last_user_text,
    local_usd,
    running_gateway,
    scripted_tiers,
    sse_payloads,
)
from tiers.scripted import chat_response

pytestmark = pytest.mark.api
GRADING_TOKENS = (120, 1)  # what the frontier's yes/no grading reports as usage
SOUND = "The capital of France is Paris. It has been the capital since the 10th century."
VERIFIED = {
    "tiers": {"tier-1": {"checks": ["empty"], "verifier": {"tier": "frontier", "min_probability": 0.5}}},
    "budget": {"max_share": 1.0, "burst": 100},
}


def _frontier(grading: Any = None) -> Any:
    """The frontier: a grader that says Yes (or `grading`), and an ordinary answer otherwise."""
    ordinary = answering(SOUND)

    def handler(path: str, body: dict[str, Any]) -> Any:
        if last_user_text(body).startswith("You are grading an answer."):
            if grading is not None:
                return grading
            return chat_response("Yes", prompt_tokens=GRADING_TOKENS[0], completion_tokens=GRADING_TOKENS[1])
        return ordinary(path, body)

    return handler


def _gradings(tiers: dict[str, Any]) -> int:
    return sum(last_user_text(body).startswith("You are grading") for _, body in tiers["frontier"].requests)


ANSWER_USD = local_usd("tier-1", PROMPT_TOKENS + COMPLETION_TOKENS)
GRADING_USD = frontier_usd(*GRADING_TOKENS)


async def test_a_graded_json_answer_costs_its_grading(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, escalation=VERIFIED)
    tiers = scripted_tiers(settings, {"frontier": _frontier()})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat("What is the capital of France?")
        ledger = await gateway.stop()
    assert response.status_code == 200 and response.headers["x-tierd-tier"] == "tier-1"
    assert "verifier:pass" in response.headers["x-tierd-checks"] and _gradings(tiers) == 1
    assert float(response.headers["x-tierd-cost-usd"]) == pytest.approx(ANSWER_USD + GRADING_USD, rel=1e-6)
    (row,) = ledger.requests.values()
    assert row.cost_usd == pytest.approx(ANSWER_USD + GRADING_USD)
    (attempt,) = ledger.attempts[row.request_id]
    assert attempt.cost_usd == pytest.approx(ANSWER_USD + GRADING_USD)


async def test_a_graded_buffered_stream_costs_its_grading(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, escalation=VERIFIED)
    tiers = scripted_tiers(settings, {"frontier": _frontier()})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat(
            "What is the capital of France?", stream=True, stream_options={"include_usage": True}
        )
        ledger = await gateway.stop()
    assert response.status_code == 200 and _gradings(tiers) == 1
    (usage_chunk,) = [p for p in sse_payloads(response) if p.get("usage")]
    assert float(usage_chunk["tierd"]["cost_usd"]) == pytest.approx(ANSWER_USD + GRADING_USD, rel=1e-6)
    (row,) = ledger.requests.values()
    assert row.cost_usd == pytest.approx(ANSWER_USD + GRADING_USD)
    (attempt,) = ledger.attempts[row.request_id]
    assert attempt.cost_usd == pytest.approx(ANSWER_USD + GRADING_USD)


async def test_a_local_only_request_is_not_graded_by_a_remote_tier(tmp_path: Path) -> None:
    budgets = {"monthly_budget_usd": 1e-9, "on_exhausted": "local_only"}
    settings = gateway_settings(tmp_path, escalation=VERIFIED, budgets=budgets)
    tiers = scripted_tiers(settings, {"frontier": _frontier()})
    async with running_gateway(settings, tiers) as gateway:
        assert (await gateway.chat("spend the budget", model="frontier")).status_code == 200
        response = await gateway.chat("What is the capital of France?")
        ledger = await gateway.stop()
    assert response.status_code == 200 and response.headers["x-tierd-budget"].startswith("local-only")
    assert _gradings(tiers) == 0  # only the pinned request reached the frontier
    assert float(response.headers["x-tierd-cost-usd"]) == pytest.approx(ANSWER_USD, rel=1e-6)
    row = next(r for r in ledger.requests.values() if r.final_tier == "tier-1")
    (attempt,) = ledger.attempts[row.request_id]
    verdict = next(c for c in attempt.checks if c["check"] == "verifier")
    assert verdict["passed"] and "not graded" in verdict["detail"]


JUNK_TOKEN = {"token": "Yes", "logprob": "high", "top_logprobs": [{"token": "Yes", "logprob": "high"}]}
JUNK_GRADINGS = {
    "choices is a string": {"choices": "Yes"},
    "a logprob is a word": {
        "choices": [{"index": 0, "message": {"content": "?"}, "logprobs": {"content": [JUNK_TOKEN]}}]
    },
    "top_logprobs is a dict": {
        "choices": [{"index": 0, "logprobs": {"content": [{"top_logprobs": {"Yes": -0.1}}]}, "message": None}]
    },
    "the body is a list": b'[{"choices": []}]',
}


@pytest.mark.parametrize("name", list(JUNK_GRADINGS))
async def test_a_junk_grading_keeps_the_answer(tmp_path: Path, name: str) -> None:
    settings = gateway_settings(tmp_path, escalation=VERIFIED)
    tiers = scripted_tiers(settings, {"frontier": _frontier(JUNK_GRADINGS[name])})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat("What is the capital of France?")
        ledger = await gateway.stop()
    assert response.status_code == 200, response.text
    assert response.headers["x-tierd-tier"] == "tier-1" and "verifier:pass" in response.headers["x-tierd-checks"]
    (row,) = ledger.requests.values()
    assert row.status == 200 and len(ledger.attempts[row.request_id]) == 1
