"""The arithmetic of budgets that hold: the worst case a request reserves, the caps, and what a request whose
cost is unknown is charged. Pure: prices are TierPricing values, no tier runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from server.accounting.auth_settings import BudgetSettings
from server.accounting.budgets import ADMIT, KeyLimits, Verdict
from server.escalation.answer import Answer
from server.escalation.attempts import Attempt, Run
from server.generation import GenerationDefaults, GenerationLimits, GenerationRules, TierGeneration
from server.outcome import CLIENT_DISCONNECTED, AttemptRecord
from server.pricing import Pricer
from server.recording import Progress, charged_usd
from server.reservations import AttemptBound, Reserver, over_cap, prompt_bound_tokens, worst_case_usd
from server.response_cost import StreamEnd
from server.routing.costs import TierPricing

ORDER = ["tier-1", "tier-2", "mid", "frontier"]
PRICING = {
    "tier-1": TierPricing("tier-1", usd_per_replica_hour=1.0, tokens_per_replica_hour=1e6),  # $1 per 1M
    "tier-2": TierPricing("tier-2"),  # no price yet
    "mid": TierPricing("mid", usd_per_1m_input=1.0, usd_per_1m_output=4.0),
    "frontier": TierPricing("frontier", usd_per_1m_input=2.5, usd_per_1m_output=10.0),
}
PRICER = Pricer(PRICING, {})
PATH = "/chat/completions"


class NoHolder:
    async def reserve(self, key: KeyLimits | None, request_id: str, amount_usd: float, *, local_only: bool) -> Verdict:
        return ADMIT


def _reserver(generation: dict[str, TierGeneration] | None = None, max_escalations: int = 2) -> Reserver:
    rules = GenerationRules(generation or {})
    return Reserver(NoHolder(), PRICER, rules, ORDER, max_escalations=max_escalations, assumed_max_tokens=1000)


def _usd(prompt: int, output: int, per_1m_in: float, per_1m_out: float) -> float:
    return (prompt * per_1m_in + output * per_1m_out) / 1e6


def test_the_worst_case_adds_the_dearest_reachable_attempts() -> None:
    cheap, dear, dearer = (AttemptBound(10, 100, p, p) for p in (1e-6, 5e-6, 9e-6))
    assert worst_case_usd(cheap, [dear, dearer], 1) == pytest.approx(cheap.usd + dearer.usd)
    assert worst_case_usd(cheap, [dear, dearer], 5) == pytest.approx(cheap.usd + dear.usd + dearer.usd)
    assert worst_case_usd(cheap, [dear, dearer], 0) == cheap.usd


def test_estimate_of_an_unchecked_request_is_its_one_attempt() -> None:
    body = {"messages": [], "max_tokens": 200, "n": 3}
    usd = _reserver().estimate(PATH, body, "frontier", 40, may_escalate=False, allowed=None)
    assert usd == pytest.approx(_usd(40, 600, 2.5, 10.0))  # the prompt once, n x max_tokens generated


def test_estimate_of_a_checked_request_climbs_within_its_limits() -> None:
    body: dict[str, Any] = {"messages": [], "max_tokens": 100}
    reserver = _reserver()
    first = _usd(40, 100, 1.0, 1.0)
    # tier-2 has no price: priced as the dearest priced tier (the frontier's input and output prices).
    unknown = _usd(40, 100, 2.5, 10.0)
    frontier = _usd(40, 100, 2.5, 10.0)
    assert reserver.estimate(PATH, body, "tier-1", 40, may_escalate=True, allowed=None) == pytest.approx(
        first + unknown + frontier  # max_escalations 2: the two dearest of tier-2, mid, frontier
    )
    local = frozenset({"tier-1", "tier-2"})
    assert reserver.estimate(PATH, body, "tier-1", 40, may_escalate=True, allowed=local) == pytest.approx(
        first + unknown
    )
    one = _reserver(max_escalations=1)
    assert one.estimate(PATH, body, "mid", 40, may_escalate=True, allowed=None) == pytest.approx(
        _usd(40, 100, 1.0, 4.0) + frontier
    )


def test_max_tokens_come_from_the_request_the_tier_or_the_assumption() -> None:
    limits = TierGeneration(GenerationDefaults(max_tokens=64), GenerationLimits(max_tokens=128))
    capped = TierGeneration(GenerationDefaults(), GenerationLimits(max_tokens=256, n=2))
    reserver = _reserver({"tier-1": limits, "frontier": capped})
    rules = reserver.generation
    assert rules.output_tokens("tier-1", PATH, {}) == 64  # the tier's default
    assert rules.output_tokens("tier-1", PATH, {"max_tokens": 1000}) == 128  # clamped to its cap
    assert rules.output_tokens("frontier", PATH, {}) == 256  # no default: the cap bounds it
    assert rules.output_tokens("mid", PATH, {"max_completion_tokens": 50, "max_tokens": 70}) == 50
    assert rules.output_tokens("mid", "/responses", {"max_output_tokens": 9}) == 9
    assert rules.output_tokens("mid", PATH, {}) is None
    # No bound at all: the assumed 1000 per choice.
    assert reserver.estimate(PATH, {}, "mid", 0, may_escalate=False, allowed=None) == pytest.approx(
        _usd(0, 1000, 1.0, 4.0)
    )
    # A tier whose limits refuse the request (n over its cap) is not one escalation can reach.
    body = {"n": 3, "max_tokens": 10}
    assert reserver.estimate(PATH, body, "mid", 0, may_escalate=True, allowed=None) == pytest.approx(
        _usd(0, 30, 1.0, 4.0)
    )


def test_caps_name_the_field_over_them() -> None:
    caps = BudgetSettings()
    assert over_cap(caps, PATH, {"n": 8, "max_tokens": 8192, "messages": []}) is None
    assert over_cap(caps, PATH, {"n": 128}).param == "n"  # type: ignore[union-attr]
    assert over_cap(caps, PATH, {"n": 2, "max_tokens": 40_000}).param == "max_tokens"  # type: ignore[union-attr]
    assert over_cap(caps, "/responses", {"max_output_tokens": 70_000}).param == "max_output_tokens"  # type: ignore[union-attr]
    many = over_cap(BudgetSettings(max_messages=2), "/responses", {"input": [{}, {}, {}]})
    assert many is not None and (many.status, many.code, many.param) == (400, "invalid_value", "input")
    assert over_cap(caps, "/responses", {"input": "a string prompt"}) is None


def _progress(run: Run, end: StreamEnd | None = None) -> Progress:
    progress = Progress("req-1", PATH, None, 0.0, datetime(2026, 1, 1, tzinfo=UTC), run=run)
    progress.end = end
    return progress


def _records(run: Run, costs: list[float | None], tokens: list[tuple[int | None, int | None]]) -> tuple[Any, ...]:
    return tuple(
        AttemptRecord(i, a.tier, None, None, a.status, i == run.returned, None, None, None, p, c, cost, 0.0)
        for i, (a, cost, (p, c)) in enumerate(zip(run.attempts, costs, tokens, strict=True))
    )


def test_a_known_cost_is_charged_as_it_is() -> None:
    run = Run([Attempt("frontier", 200, 0.1, answer=Answer("hi", "stop", 3, 1), cost_usd=0.5)], returned=0)
    assert charged_usd(_progress(run), _records(run, [0.5], [(3, 1)]), 0.5, PRICER) == 0.5
    assert charged_usd(_progress(Run()), (), None, PRICER) is None  # nothing ran


def test_unknown_attempts_are_estimated_and_the_known_part_kept() -> None:
    local = Attempt("tier-2", 200, 0.1, answer=Answer("x" * 40, "stop", 12, None))  # no price, no completion count
    failed = Attempt("mid", 503, 0.1, error="upstream down")  # no answer: not billed
    frontier = Attempt("frontier", 200, 0.1, answer=Answer("ok", "stop", 12, 5), cost_usd=_usd(12, 5, 2.5, 10.0))
    run = Run([local, failed, frontier], "escalated", returned=2)
    records = _records(run, [None, None, frontier.cost_usd], [(12, None), (None, None), (12, 5)])
    charged = charged_usd(_progress(run), records, None, PRICER)
    # tier-2: its 12 prompt tokens and 40 chars / 4 of answer, at the dearest known prices.
    assert charged == pytest.approx(_usd(12, 10, 2.5, 10.0) + _usd(12, 5, 2.5, 10.0))


def test_a_stream_cut_before_its_usage_is_charged_for_what_was_delivered() -> None:
    run = Run([Attempt("frontier", 200, 0.1)], returned=0)
    end = StreamEnd(None, None, None, 0.1, 1.0, completed=False, delivered_chunks=7)
    progress = _progress(run, end)
    charged = charged_usd(progress, _records(run, [None], [(None, None)]), None, PRICER)
    assert charged == pytest.approx(_usd(0, 7, 2.5, 10.0))  # no decision here: a prompt estimate of 0
    # A client that left a JSON request before its answer: nothing shows what the upstream billed, so the
    # attempt's worst case (its reservation's bound) is charged; without a reservation, its prompt estimate.
    left = Attempt("frontier", 499, 0.1, error=CLIENT_DISCONNECTED)
    gone = Run([left])
    assert charged_usd(_progress(gone), _records(gone, [None], [(None, None)]), None, PRICER) == 0.0
    held = _progress(gone)
    held.attempt_bound_usd = {"frontier": 0.25}.__getitem__
    assert charged_usd(held, _records(gone, [None], [(None, None)]), None, PRICER) == 0.25


def test_the_prompt_bound_is_above_any_tokenizer_count() -> None:
    """A token is at least one byte: the UTF-8 size of the prompt's JSON bounds it, CJK included (about a token a
    character, where characters / 4 would reserve a quarter of it), and tools count, as templates put them in."""
    cjk = "请总结这份合同的要点" * 20  # 200 characters, 600 bytes
    body = {"model": "m", "messages": [{"role": "user", "content": cjk}]}
    assert prompt_bound_tokens(body) >= 600
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    assert prompt_bound_tokens({**body, "tools": tools}) > prompt_bound_tokens(body)
    assert prompt_bound_tokens({**body, "max_tokens": 10, "temperature": 0}) == prompt_bound_tokens(body)
