"""The gateway's Prometheus metrics: what requests, escalations and replicas turn into, read back as text."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from server.accounting.metrics import Finished, GatewayMetrics
from server.escalation.answer import Answer
from server.escalation.checks import CheckResult
from server.escalation.runner import Attempt
from server.routing.costs import TierPricing
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.telemetry.vllm_metrics import ReplicaLoad

FRONTIER = TierPricing("frontier", usd_per_1m_input=2.5, usd_per_1m_output=10.0)


def _snapshots() -> list[TierSnapshot]:
    load = ReplicaLoad(1.0, running=3, waiting=2, kv_cache_usage=0.4, prompt_tokens_total=0,
                       generation_tokens_total=0, requests_finished_total=0)  # fmt: skip
    ready = ReplicaSnapshot("tier-1-0", "http://a", ReplicaStatus.READY, 4, 0, 1.0, load=load)
    down = ReplicaSnapshot("tier-1-1", "http://b", ReplicaStatus.UNHEALTHY, 0, 2, 1.0)
    return [TierSnapshot("tier-1", TierKind.VLLM_MANAGED, "m", True, True, (ready, down))]


def _samples(metrics: GatewayMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = metrics.exposition().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_finished_requests_count_tokens_cost_and_savings() -> None:
    metrics = GatewayMetrics(_snapshots, FRONTIER)
    metrics.finished(Finished("tier-1", 200, 1000, 200, 0.0001, 0.5, ttft_s=0.1))
    metrics.finished(Finished("tier-1", 502, None, None, None, 0.2))
    metrics.decision.observe(0.0002)
    s = _samples(metrics)
    assert s[("tierd_requests_total", (("status", "200"), ("tier", "tier-1")))] == 1
    assert s[("tierd_requests_total", (("status", "502"), ("tier", "tier-1")))] == 1
    assert s[("tierd_tokens_total", (("kind", "prompt"), ("tier", "tier-1")))] == 1000
    assert s[("tierd_tokens_total", (("kind", "completion"), ("tier", "tier-1")))] == 200
    assert s[("tierd_cost_usd_total", (("tier", "tier-1"),))] == 0.0001
    # The frontier would have charged 1000 x 2.5e-6 + 200 x 10e-6 = 0.0045.
    assert abs(s[("tierd_savings_usd_total", ())] - (0.0045 - 0.0001)) < 1e-12
    assert s[("tierd_ttft_seconds_count", (("tier", "tier-1"),))] == 1
    assert s[("tierd_request_duration_seconds_count", (("tier", "tier-1"),))] == 2
    assert s[("tierd_route_decision_seconds_count", ())] == 1


def test_an_escalation_is_counted_by_the_failed_check_and_saves_nothing_beyond_the_frontier() -> None:
    metrics = GatewayMetrics(_snapshots, FRONTIER)
    cheap = Attempt("tier-1", 200, 0.1, Answer("\n\n", "length", prompt_tokens=10, completion_tokens=24))
    cheap.results = [CheckResult("empty", False), CheckResult("degeneration", False)]
    metrics.escalated([cheap, Attempt("frontier", 200, 0.2)])
    metrics.spent("tier-1", 10, 24, 0.00001)
    metrics.finished(Finished("frontier", 200, 10, 8, 0.1, 0.3))  # cost above the counterfactual
    s = _samples(metrics)
    assert s[("tierd_escalations_total", (("check", "empty"), ("from_tier", "tier-1"), ("to_tier", "frontier")))] == 1
    assert s[("tierd_tokens_total", (("kind", "completion"), ("tier", "tier-1")))] == 24
    assert s[("tierd_savings_usd_total", ())] == 0.0


def test_replica_gauges_are_read_at_scrape_time() -> None:
    metrics = GatewayMetrics(_snapshots, None)
    s = _samples(metrics)
    assert s[("tierd_replica_ready", (("replica", "tier-1-0"), ("tier", "tier-1")))] == 1
    assert s[("tierd_replica_ready", (("replica", "tier-1-1"), ("tier", "tier-1")))] == 0
    assert s[("tierd_replica_in_flight", (("replica", "tier-1-0"), ("tier", "tier-1")))] == 4
    assert s[("tierd_replica_waiting", (("replica", "tier-1-0"), ("tier", "tier-1")))] == 2
    assert s[("tierd_replica_kv_cache_usage", (("replica", "tier-1-0"), ("tier", "tier-1")))] == 0.4
    assert ("tierd_replica_waiting", (("replica", "tier-1-1"), ("tier", "tier-1"))) not in s  # no load scraped
    metrics.finished(Finished("tier-1", 200, 5, 5, 0.001, 0.1))
    assert ("tierd_savings_usd_total", ()) in _samples(metrics)  # present, zero without frontier prices


def test_an_escalated_request_counts_each_attempt_cost_once_on_its_own_tier() -> None:
    metrics = GatewayMetrics(_snapshots, FRONTIER)
    metrics.spent("tier-1", 10, 24, 0.00001)  # the thrown-away answer, on its tier
    metrics.finished(Finished("frontier", 200, 10, 8, 0.00011, 0.3, wasted_usd=0.00001))  # the total includes it
    s = _samples(metrics)
    assert s[("tierd_cost_usd_total", (("tier", "tier-1"),))] == 0.00001
    assert abs(s[("tierd_cost_usd_total", (("tier", "frontier"),))] - 0.0001) < 1e-15
