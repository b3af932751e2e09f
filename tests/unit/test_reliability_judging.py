"""The reliability suite's judgement of outcomes (benchmarks/reliability_client.py, reliability_faults.py) and
its hostile corpus (benchmarks/data/hostile_bodies.jsonl), without any process."""

from __future__ import annotations

import json

import pytest

from benchmarks.reliability_client import Outcome
from benchmarks.reliability_faults import recovery_s
from benchmarks.reliability_fuzz import BOOKED_PATHS, MODEL_PATHS, load_corpus


def _outcome(started: float = 0.0, **fields: object) -> Outcome:
    return Outcome("x", started, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fields, verdict",
    [
        ({"status": 200}, "ok"),
        ({"status": 200, "stream": True, "stream_done": True}, "ok"),
        ({"status": 200, "stream": True, "stream_error": True}, "refused"),  # README: a final error event
        ({"status": 200, "stream": True}, "unexpected"),  # a stream that just stops
        ({"status": 404, "openai_error": True, "error_code": "model_not_found"}, "refused"),
        ({"status": 400}, "unexpected"),  # not in OpenAI's shape
        ({"status": 503, "openai_error": True, "error_code": "ledger_backlog", "retry_after": "2"}, "refused"),
        ({"status": 503, "openai_error": True, "error_code": "ledger_backlog"}, "unexpected"),  # no Retry-After
        ({"status": 504, "openai_error": True, "error_code": "upstream_timeout"}, "refused"),
        ({"status": 500, "openai_error": True, "error_code": "internal_error"}, "unexpected"),
        ({"status": 503, "openai_error": True, "error_code": "upstream_unavailable"}, "unexpected"),
        ({"hung": True}, "unexpected"),
        ({"transport_error": "ServerDisconnectedError"}, "unexpected"),
    ],
)
def test_an_outcome_is_answered_refused_as_documented_or_unexpected(fields: dict, verdict: str) -> None:
    assert _outcome(**fields).verdict() == verdict


def test_recovery_is_the_start_of_the_last_failure_after_the_fault() -> None:
    ok, failed = {"status": 200}, {"status": 500, "openai_error": True}
    outcomes = [_outcome(9.0, **failed), _outcome(10.5, **failed), _outcome(11.2, **failed), _outcome(11.5, **ok)]
    assert recovery_s(outcomes, fault_at=10.0) == pytest.approx(1.2)  # the one before the fault is not counted
    assert recovery_s([_outcome(10.1, **ok)], fault_at=10.0) == 0.0
    assert recovery_s([_outcome(10.1, **ok), _outcome(10.2, **failed)], fault_at=10.0) is None  # never recovered


def test_the_hostile_corpus_expands_to_the_bodies_it_names() -> None:
    cases = {c["name"]: c for c in load_corpus()}
    assert len(cases) >= 70
    assert all(c["path"] in MODEL_PATHS + BOOKED_PATHS + ("/v1/feedback",) for c in cases.values())
    assert len(cases["5 MB string content (over max_body_bytes)"]["raw"]) > 5_000_000
    assert cases["100,000 nested arrays"]["raw"] == b"[" * 100_000 + b"]" * 100_000
    messages = json.loads(cases["10,000 messages"]["raw"])["messages"]
    assert len(messages) == 10_001
    assert b"\xc3\x28" in cases["invalid UTF-8 bytes"]["raw"]
    assert cases["gzip content-encoding of a body that is not gzip"]["headers"]["content-encoding"] == "gzip"
