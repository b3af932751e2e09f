"""Building one request's record from what the service saw: pure, with injected clocks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.escalation.answer import Answer
from server.escalation.attempts import Attempt, Run
from server.escalation.checks import CheckResult
from server.outcome import RequestRecord
from server.pricing import Pricer
from server.recording import Progress, TierFacts, build_record, record_of
from server.response_cost import StreamEnd
from server.routing.costs import TierPricing

FRONTIER = TierPricing("frontier", usd_per_1m_input=2.5, usd_per_1m_output=10.0)
TIERS = {"tier-1": TierFacts("small", True), "frontier": TierFacts("big", False)}
STARTED = 100.0


def _progress(run: Run) -> Progress:
    progress = Progress("req-1", "/chat/completions", "key-1", STARTED, datetime(2026, 1, 1, tzinfo=UTC), run=run)
    progress.requested_model, progress.stream = "auto", True
    return progress


def _build(progress: Progress, elapsed_s: float = 0.0) -> RequestRecord:
    pricer = Pricer({"frontier": FRONTIER}, {})
    return build_record(progress, TIERS, pricer, datetime(2026, 1, 1, tzinfo=UTC), STARTED + elapsed_s)


def test_an_escalated_stream_is_one_record_with_both_attempts() -> None:
    answer = Answer("\n", "length", prompt_tokens=10, completion_tokens=4)
    cheap = Attempt("tier-1", 200, 0.5, answer=answer, cost_usd=1e-6)
    cheap.results = [CheckResult("empty", False, "all whitespace")]
    final = Attempt("frontier", 200, 0.1)  # a last resort: read up to its first event, not checked
    progress = _progress(Run([cheap, final], "escalated", returned=1))
    own = (10 * 2.5 + 20 * 10.0) / 1e6
    progress.end = StreamEnd(10, 20, own + 1e-6, 0.7, 2.0, attempt_cost_usd=own)
    record = _build(progress, elapsed_s=2.0)
    assert (record.final_tier, record.final_model, record.local, record.stream) == ("frontier", "big", False, True)
    assert (record.status, record.escalations, record.escalation_outcome) == (200, 1, "escalated")
    assert (record.prompt_tokens, record.completion_tokens, record.ttft_s) == (10, 20, 0.7)
    assert record.cost_usd == pytest.approx(own + 1e-6) and record.wasted_usd == 1e-6
    assert record.frontier_cost_usd == pytest.approx(own) and record.savings_usd == 0.0  # dearer than the frontier
    first, last = record.attempts
    assert (first.returned, first.passed, first.checks) == (False, False, ({"check": "empty", "passed": False,
                                                                             "detail": "all whitespace"},))  # fmt: skip
    assert (last.returned, last.passed, last.cost_usd, last.completion_tokens) == (True, None, own, 20)
    assert last.latency_s == pytest.approx(1.5)  # the stream's 2 s minus the cheap attempt's 0.5 s
    assert record.latency_s == 2.0 and record.api_key_id == "key-1"


def test_a_stream_cut_by_the_client_is_499_with_what_it_used() -> None:
    progress = _progress(Run([Attempt("tier-1", 200, 0.0, replica="tier-1-0")], returned=0))
    progress.end = StreamEnd(None, None, None, 0.2, 1.0, completed=False)
    record = _build(progress)
    assert (record.status, record.error_code, record.final_tier, record.local) == (
        499, "client_disconnected", "tier-1", True)  # fmt: skip
    assert record.cost_usd is None and record.savings_usd is None and record.frontier_cost_usd is None


def test_a_local_answer_saves_the_frontier_price_minus_its_cost() -> None:
    answer = Answer("", "stop", prompt_tokens=1000, completion_tokens=200)
    attempt = Attempt("tier-1", 200, 0.3, replica="tier-1-0", answer=answer, cost_usd=0.0001)
    record = _build(_progress(Run([attempt], returned=0)))
    assert record.frontier_cost_usd == pytest.approx(0.0045)
    assert record.savings_usd == pytest.approx(0.0044) and record.wasted_usd == 0.0


@pytest.mark.parametrize(
    ("code", "status"),
    [("upstream_unavailable", 503), ("upstream_timeout", 504), ("upstream_error", 502), ("response_failed", 502)],
)
def test_a_stream_that_ended_in_an_error_event_is_a_failure_with_its_code(code: str, status: int) -> None:
    """Its headers said 200; the row says what happened, so usage reports and metrics count a failure."""
    progress = _progress(Run([Attempt("tier-1", 200, 0.0, replica="tier-1-0")], returned=0))
    progress.end = StreamEnd(3, 2, None, 0.2, 1.0, error_code=code)
    record = _build(progress)
    assert (record.status, record.error_code, record.final_tier) == (status, code, "tier-1")
    assert (record.prompt_tokens, record.completion_tokens) == (3, 2)


def test_a_record_that_cannot_be_built_is_booked_bare(caplog: pytest.LogCaptureFixture) -> None:
    """A bug while building the record (here: an attempt left without its latency) loses nothing: the request is
    booked with what is sure, and the bug is logged."""
    broken = Attempt("tier-1", 200, None)  # type: ignore[arg-type]
    progress = _progress(Run([broken], returned=0))
    progress.status = 200
    with pytest.raises(TypeError):
        _build(progress)
    pricer = Pricer({"frontier": FRONTIER}, {})
    record = record_of(progress, TIERS, pricer, datetime(2026, 1, 1, tzinfo=UTC), STARTED + 1.5)
    assert (record.request_id, record.status, record.error_code, record.cost_usd) == (
        "req-1", 200, "record_incomplete", None
    )  # fmt: skip
    assert record.api_key_id == "key-1" and record.latency_s == 1.5 and record.stream
    assert any("could not be built" in r.message for r in caplog.records)
