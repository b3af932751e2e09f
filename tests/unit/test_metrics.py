"""The gateway's Prometheus metrics: what requests, escalations and replicas turn into, read back as text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from server.accounting.metrics import Finished, GatewayMetrics
from server.outcome import AttemptRecord
from server.routing.costs import TierPricing
from server.settings import ConfigError
from server.telemetry.settings import TelemetrySettings
from server.telemetry.wiring import telemetry_source
from tests.fixtures.fake_gpu import FakeNvml, FakeNvmlError
from tests.host import host_has_nvml
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad
from tiers.telemetry.base import TelemetrySnapshot
from tiers.telemetry.cpu import CpuSource
from tiers.telemetry.nvml import NvmlSource
from tiers.telemetry.trace import TraceSource

TRACE = Path(__file__).parents[1] / "fixtures" / "h200_probe_trace.jsonl"

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
    checks = (
        {"check": "empty", "passed": False, "detail": ""},
        {"check": "degeneration", "passed": False, "detail": ""},
    )
    cheap = AttemptRecord(0, "tier-1", "m", "tier-1-0", 200, False, False, checks, None, 10, 24, None, 0.1)
    metrics.escalated_records(
        [cheap, AttemptRecord(1, "frontier", "f", None, 200, True, None, None, None, 10, 8, 0.1, 0.2)]
    )
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


def test_gpu_gauges_come_from_the_latest_telemetry_snapshot() -> None:
    # Known readings on any host: a trace recorded by NVML on an H200 (benchmarks/gpu_probe.py) stands in,
    # through the same TelemetrySource interface the gateway's NVML sampler uses.
    clock = [0.0]
    source = TraceSource(TRACE, clock=lambda: clock[0], wall=lambda: 1000.0)
    latest: list[TelemetrySnapshot | None] = [None]
    metrics = GatewayMetrics(_snapshots, FRONTIER, telemetry=lambda: latest[0])
    assert not any(name.startswith("tierd_gpu_") for name, _ in _samples(metrics))  # unknown: no gauges at all

    latest[0] = source.sample()
    s = _samples(metrics)
    gpu = (("gpu", "0"), ("name", "NVIDIA H200"))
    assert s[("tierd_gpu_utilization_percent", gpu)] == 3.0
    assert s[("tierd_gpu_memory_used_bytes", gpu)] == 1704853504
    assert s[("tierd_gpu_memory_total_bytes", gpu)] == 150754820096
    assert s[("tierd_gpu_power_watts", gpu)] == 83.167
    assert s[("tierd_gpu_temperature_celsius", gpu)] == 27.0
    assert s[("tierd_host_cpu_utilization_percent", ())] == 6.6
    clock[0] = 1.5  # the next scrape reads the newer snapshot
    latest[0] = source.sample()
    assert _samples(metrics)[("tierd_gpu_power_watts", gpu)] == 119.497


def test_telemetry_sources_by_config(tmp_path: Path) -> None:
    assert telemetry_source(TelemetrySettings(source="off")) is None
    assert isinstance(telemetry_source(TelemetrySettings(source="cpu")), CpuSource)
    assert telemetry_source(TelemetrySettings(source="trace", trace_path=TRACE)) is not None
    with pytest.raises(ConfigError, match=r"telemetry\.trace_path"):
        telemetry_source(TelemetrySettings(source="trace", trace_path=tmp_path / "missing.jsonl"))
    with pytest.raises(ValueError, match="needs trace_path"):
        TelemetrySettings(source="trace")


def test_auto_and_nvml_sources_follow_what_nvml_sees(monkeypatch: pytest.MonkeyPatch) -> None:
    # NvmlSource imports pynvml when it opens: a fake one stands for each kind of host, whatever this one is.
    monkeypatch.setitem(sys.modules, "pynvml", FakeNvml(init_error=FakeNvmlError(12)))  # no NVIDIA driver
    assert isinstance(telemetry_source(TelemetrySettings()), CpuSource)  # auto falls back to the host
    with pytest.raises(ConfigError, match=r"telemetry\.source is nvml but NVML could not start"):
        telemetry_source(TelemetrySettings(source="nvml"))
    empty = FakeNvml(names=())  # a driver, but no GPU visible (a container given none)
    monkeypatch.setitem(sys.modules, "pynvml", empty)
    assert isinstance(telemetry_source(TelemetrySettings()), CpuSource) and empty.open_count == 0
    node = FakeNvml(names=["NVIDIA H200", "NVIDIA H200"])  # a GPU node: every GPU, the host's CPU alongside
    monkeypatch.setitem(sys.modules, "pynvml", node)
    for name in ("auto", "nvml"):
        source = telemetry_source(TelemetrySettings(source=name))
        assert isinstance(source, NvmlSource) and source.device_names == ("NVIDIA H200", "NVIDIA H200")
        assert source.sample().cpu is not None
        source.close()
    assert node.open_count == 0


def test_auto_telemetry_on_this_host() -> None:
    """The real probe: GPU nodes sample NVML, hosts without a driver (CI) their CPU."""
    source = telemetry_source(TelemetrySettings())
    try:
        if host_has_nvml():
            assert isinstance(source, NvmlSource) and source.device_count >= 1
            assert len(source.sample().gpus) == source.device_count
        else:
            assert isinstance(source, CpuSource) and source.sample().gpus == ()
    finally:
        if isinstance(source, NvmlSource):
            source.close()


def test_an_escalated_request_counts_each_attempt_cost_once_on_its_own_tier() -> None:
    metrics = GatewayMetrics(_snapshots, FRONTIER)
    metrics.spent("tier-1", 10, 24, 0.00001)  # the thrown-away answer, on its tier
    metrics.finished(Finished("frontier", 200, 10, 8, 0.00011, 0.3, wasted_usd=0.00001))  # the total includes it
    s = _samples(metrics)
    assert s[("tierd_cost_usd_total", (("tier", "tier-1"),))] == 0.00001
    assert abs(s[("tierd_cost_usd_total", (("tier", "frontier"),))] - 0.0001) < 1e-15
