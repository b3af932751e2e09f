"""The SQLite outcome cache: outcomes and scores survive a reopen; failed calls do not count as present."""

from __future__ import annotations

from pathlib import Path

from benchmarks.quality.cache import OutcomeCache, basis_hash, outcome_key
from benchmarks.quality.model import Outcome, Score

OK = Outcome("gsm8k", "0001", "tier-1", "m", "h1", "#### 2", 10, 3, 0.5, 1e-6)
FAILED = Outcome("gsm8k", "0002", "tier-1", "m", "h1", None, None, None, 0.1, None, "UpstreamTimeout: slow")


def test_outcomes_persist_and_failures_are_retried(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with OutcomeCache(path) as cache:
        cache.put(OK)
        cache.put(FAILED)
    with OutcomeCache(path) as cache:
        assert cache.get(outcome_key(OK)) == OK
        assert cache.get(outcome_key(FAILED)) is None
        assert cache.get(outcome_key(FAILED), include_failed=True) == FAILED
        assert cache.present([outcome_key(OK), outcome_key(FAILED)]) == {outcome_key(OK): OK}
        assert cache.count() == 1 and cache.count("tier-2") == 0
        other_params = ("gsm8k", "0001", "tier-1", "m", "h2")
        assert cache.get(other_params) is None


def test_scores_keyed_by_basis_and_invalid_ones_not_kept(tmp_path: Path) -> None:
    key = outcome_key(OK)
    basis = basis_hash("frontier says 2", "2", "judge-model")
    with OutcomeCache(tmp_path / "c.sqlite") as cache:
        cache.put_score(key, basis, Score(0.7, "mtbench", "graded", parts={"single": 0.7, "pairwise": 0.5}))
        cache.put_score(key, basis_hash(None, "2", ""), Score(0.0, "mtbench", "judge failed", valid=False))
        assert cache.get_score(key, "mtbench", basis) == Score(
            0.7, "mtbench", "graded", parts={"single": 0.7, "pairwise": 0.5}
        )
        assert cache.get_score(key, "mtbench", basis_hash(None, "2", "")) is None
        assert cache.get_score(key, "similarity", basis) is None
    assert basis_hash(None, "x") != basis_hash("", "x")
