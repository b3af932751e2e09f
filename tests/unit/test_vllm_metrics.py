from __future__ import annotations

from pathlib import Path

import pytest

from tiers.telemetry.vllm_metrics import ReplicaLoad, parse_vllm_metrics, token_rates

FIXTURE = Path(__file__).parent.parent / "fixtures" / "vllm_metrics.txt"


def test_parses_a_real_vllm_metrics_page() -> None:
    load = parse_vllm_metrics(FIXTURE.read_text(), taken_at=100.0)
    assert load.taken_at == 100.0
    assert load.running >= 0 and load.waiting >= 0
    assert 0.0 <= load.kv_cache_usage <= 1.0
    assert load.generation_tokens_total > 0 and load.prompt_tokens_total > 0
    assert load.requests_finished_total > 0


def test_sums_over_engines_and_averages_kv_usage() -> None:
    text = "\n".join(
        [
            "# TYPE vllm:num_requests_running gauge",
            'vllm:num_requests_running{engine="0",model_name="m"} 3.0',
            'vllm:num_requests_running{engine="1",model_name="m"} 2.0',
            "# TYPE vllm:num_requests_waiting gauge",
            'vllm:num_requests_waiting{engine="0",model_name="m"} 4.0',
            "# TYPE vllm:kv_cache_usage_perc gauge",
            'vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.2',
            'vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.6',
            "# TYPE vllm:generation_tokens_total counter",
            'vllm:generation_tokens_total{engine="0",model_name="m"} 10.0',
            'vllm:generation_tokens_created{engine="0",model_name="m"} 1.7e9',
            "",
        ]
    )
    load = parse_vllm_metrics(text, taken_at=1.0)
    assert (load.running, load.waiting, load.generation_tokens_total) == (5.0, 4.0, 10.0)
    assert load.kv_cache_usage == pytest.approx(0.4)


def test_other_metrics_pages_are_refused() -> None:
    with pytest.raises(ValueError, match="not vLLM metrics"):
        parse_vllm_metrics("# TYPE up gauge\nup 1\n", taken_at=0.0)


def _load(t: float, prompt: float, gen: float, done: float) -> ReplicaLoad:
    return ReplicaLoad(t, 0, 0, 0.0, prompt, gen, done)


def test_token_rates_between_snapshots() -> None:
    rates = token_rates(_load(10.0, 100, 1000, 5), _load(12.0, 300, 1600, 9))
    assert rates is not None
    assert (rates.prompt_tokens_per_s, rates.generation_tokens_per_s, rates.requests_per_s) == (100, 300, 2)


def test_token_rates_refuse_restarts_and_same_instant() -> None:
    assert token_rates(_load(10.0, 100, 1000, 5), _load(12.0, 0, 10, 0)) is None
    assert token_rates(_load(10.0, 1, 1, 1), _load(10.0, 2, 2, 2)) is None


def test_staleness() -> None:
    assert _load(10.0, 0, 0, 0).is_stale(5.0, now=16.0)
    assert not _load(10.0, 0, 0, 0).is_stale(5.0, now=14.0)
