"""The reliability suite (benchmarks/reliability.py) in its small configuration (`--ci`): a real tierd over two
real vLLM replicas, the scripted frontier and a private Postgres, under a soak, frontier faults, a killed
replica, the database stopped and restarted, schemathesis cases and the hostile corpus, and a budget race.
One run for the module; each test asserts one group of the suite's bounds on its report."""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchmarks import reliability

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("reliability") / "reliability.json"
    reliability.main(["--ci", "--out", str(out)])  # its exit status is the bounds below, asserted one by one
    return dict(json.loads(out.read_text()))


def _broken(report: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    return [b for b in report["bounds"] if b["bound"].startswith(prefix) and not b["ok"]]


def test_the_soak_answers_everything_and_books_every_request(report: dict[str, Any]) -> None:
    soak = report["soak"]
    assert soak["requests"] > 0 and soak["ok"] > 0 and soak["escalated_to_frontier"] > 0
    assert not _broken(report, "soak."), soak["unexpected_examples"]


SELF_REFERRING_SCHEMA = "json_schema that refers to itself"  # vLLM would answer 500: tierd refuses it first


@pytest.mark.parametrize("fault", ["429", "500", "garbage", "slowloris", "cut"])
def test_a_failing_frontier_ends_in_one_bounded_openai_error(report: dict[str, Any], fault: str) -> None:
    assert not _broken(report, f"faults.frontier_{fault}"), report["faults"][f"frontier_{fault}"]


def test_a_killed_replica_is_routed_around(report: dict[str, Any]) -> None:
    assert not _broken(report, "faults.replica_kill"), report["faults"]["replica_kill"]


def test_the_ledger_database_down_loses_nothing(report: dict[str, Any]) -> None:
    down = report["faults"]["ledger_down"]
    assert down["max_recover_s"] is not None, down  # the queue drained once the database was back
    assert not _broken(report, "faults.ledger_down"), down


def test_hostile_input_gets_no_5xx_and_no_hang(report: dict[str, Any]) -> None:
    fuzz = report["fuzz"]
    assert fuzz["corpus"]["cases"] >= 70
    assert not _broken(report, "fuzz."), fuzz
    assert not fuzz["failures"]


def test_a_self_referring_schema_is_not_a_5xx(report: dict[str, Any]) -> None:
    assert report["fuzz"]["corpus_statuses"][SELF_REFERRING_SCHEMA] < 500


def test_every_budget_request_is_booked(report: dict[str, Any]) -> None:
    assert not _broken(report, "budget.lost_rows"), report["budget"]


def test_parallel_requests_spend_at_most_one_request_past_the_budget(report: dict[str, Any]) -> None:
    assert not _broken(report, "budget.spent_usd"), report["budget"]
