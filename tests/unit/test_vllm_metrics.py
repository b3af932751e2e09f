from __future__ import annotations

from pathlib import Path

import pytest

from tiers.load import ReplicaLoad, token_rates
from tiers.telemetry.vllm_metrics import parse_vllm_metrics

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


def _reference_sums(text: str) -> dict[str, float]:
    """What prometheus_client's full parser makes of the same page (counters lose `_total` there)."""
    from prometheus_client.parser import text_string_to_metric_families

    sums: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name.startswith("vllm:") and not sample.name.endswith("_created"):
                sums[sample.name] = sums.get(sample.name, 0.0) + sample.value
    return sums


MULTI_ENGINE = """\
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="/models/my model {v2}"} 3.0
vllm:num_requests_running{engine="1",model_name="/models/my model {v2}"} 2.0
vllm:num_requests_waiting{engine="0",model_name="/models/my model {v2}"} 4.0
vllm:num_requests_waiting{engine="1",model_name="/models/my model {v2}"} 1.0
vllm:kv_cache_usage_perc{engine="0",model_name="/models/my model {v2}"} 0.5
vllm:kv_cache_usage_perc{engine="1",model_name="/models/my model {v2}"} 0.25
vllm:prompt_tokens_total{engine="0",model_name="m"} 100.0
vllm:prompt_tokens_created{engine="0",model_name="m"} 1.7e9
vllm:generation_tokens_total{engine="0",model_name="m"} 40.0 1700000000000
vllm:request_success_total{engine="0",finished_reason="stop",model_name="m"} 2.0
vllm:request_success_total{engine="0",finished_reason="length",model_name="m"} 3.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="0.3",model_name="m"} 1.0
python_gc_objects_collected_total{generation="0"} 123.0
"""


@pytest.mark.parametrize("page", ["fixture", "multi-engine"])
def test_fast_parser_agrees_with_prometheus_client(page: str) -> None:
    text = FIXTURE.read_text() if page == "fixture" else MULTI_ENGINE
    load = parse_vllm_metrics(text, 5.0)
    reference = _reference_sums(text)
    assert load.running == reference["vllm:num_requests_running"]
    assert load.waiting == reference["vllm:num_requests_waiting"]
    assert load.prompt_tokens_total == reference.get("vllm:prompt_tokens_total", 0.0)
    assert load.generation_tokens_total == reference.get("vllm:generation_tokens_total", 0.0)
    assert load.requests_finished_total == reference.get("vllm:request_success_total", 0.0)
    if page == "multi-engine":
        assert (load.running, load.waiting, load.requests_finished_total) == (5.0, 5.0, 5.0)
        assert load.kv_cache_usage == pytest.approx(0.375)  # averaged over the two engines
