"""Prometheus metrics of one tierd process, in its own registry (no process-wide default registry).

Request metrics are recorded by the service as requests finish; replica and load gauges are read from
the tiers' snapshots at scrape time, so they are never stale and cost nothing between scrapes.
Savings are counterfactual: what the frontier would have charged at its list prices for the same tokens,
minus what the request cost; a request whose cost is unknown adds no savings.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from server.accounting.ledger import LedgerStats
from server.accounting.shared_state.watch import WatchedState
from server.escalation.policy import GlobalBudget
from server.outcome import AttemptRecord
from server.routing.costs import TierPricing, frontier_cost, savings_usd
from tiers.base import ReplicaStatus, TierSnapshot
from tiers.telemetry.base import TelemetrySnapshot

# Decisions take tens of microseconds (rules) to tens of milliseconds (an embedding).
DECISION_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


@dataclass(frozen=True, slots=True)
class Finished:
    """One request as it ends (streams end when their last byte has gone)."""

    tier: str
    status: int
    prompt_tokens: int | None
    completion_tokens: int | None
    cost_usd: float | None  # every attempt's, thrown-away ones included
    duration_s: float
    ttft_s: float | None = None
    # The part of cost_usd spent on thrown-away attempts: already counted on their own tiers by spent().
    wasted_usd: float = 0.0


class _ReplicaCollector(Collector):
    def __init__(self, snapshots: Callable[[], Sequence[TierSnapshot]]) -> None:
        self._snapshots = snapshots

    def collect(self) -> Iterable[Metric]:
        ready = GaugeMetricFamily("tierd_replica_ready", "1 when the replica takes traffic", labels=["tier", "replica"])
        in_flight = GaugeMetricFamily("tierd_replica_in_flight", "requests tierd has open", labels=["tier", "replica"])
        running = GaugeMetricFamily("tierd_replica_running", "vLLM's running requests", labels=["tier", "replica"])
        waiting = GaugeMetricFamily("tierd_replica_waiting", "vLLM's waiting requests", labels=["tier", "replica"])
        kv = GaugeMetricFamily("tierd_replica_kv_cache_usage", "vLLM's KV-cache use, 0-1", labels=["tier", "replica"])
        # Tier availability (what /ready reported before it came to mean the gateway's own readiness):
        # replicas placement may send a request to now (ready, breaker closed); 0: the tier cannot serve.
        routable = GaugeMetricFamily(
            "tierd_tier_routable_replicas", "replicas of the tier that take a request now", labels=["tier"]
        )
        for tier in self._snapshots():
            routable.add_metric([tier.name], float(sum(1 for r in tier.replicas if r.routable)))
            for r in tier.replicas:
                labels = [tier.name, r.replica_id]
                ready.add_metric(labels, 1.0 if r.status is ReplicaStatus.READY else 0.0)
                in_flight.add_metric(labels, float(r.in_flight))
                if r.load is not None:
                    running.add_metric(labels, r.load.running)
                    waiting.add_metric(labels, r.load.waiting)
                    kv.add_metric(labels, r.load.kv_cache_usage)
        yield from (ready, in_flight, running, waiting, kv, routable)


class _TelemetryCollector(Collector):
    """GPU (NVML) or host gauges from the sampler's latest snapshot; nothing when it is unknown or stale."""

    def __init__(self, snapshot: Callable[[], TelemetrySnapshot | None]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        snapshot = self._snapshot()
        if snapshot is None:
            return
        gauges = {
            field_name: GaugeMetricFamily(name, text, labels=["gpu", "name"])
            for field_name, name, text in (
                ("utilization_pct", "tierd_gpu_utilization_percent", "GPU busy time, 0-100"),
                ("memory_used_bytes", "tierd_gpu_memory_used_bytes", "GPU memory in use"),
                ("memory_total_bytes", "tierd_gpu_memory_total_bytes", "GPU memory"),
                ("power_watts", "tierd_gpu_power_watts", "GPU power draw"),
                ("temperature_c", "tierd_gpu_temperature_celsius", "GPU temperature"),
            )
        }
        for gpu in snapshot.gpus:
            for field_name, family in gauges.items():
                value = getattr(gpu, field_name)
                if value is not None:
                    family.add_metric([str(gpu.index), gpu.name], float(value))
        yield from gauges.values()
        if snapshot.cpu is not None:
            cpu = snapshot.cpu
            yield GaugeMetricFamily("tierd_host_cpu_utilization_percent", "host CPU busy, 0-100", cpu.utilization_pct)
            yield GaugeMetricFamily("tierd_host_memory_used_bytes", "host memory in use", cpu.memory_used_bytes)
            yield GaugeMetricFamily("tierd_host_memory_total_bytes", "host memory", cpu.memory_total_bytes)
        age = snapshot.age_s()
        yield GaugeMetricFamily("tierd_telemetry_age_seconds", f"age of the {snapshot.source} snapshot", age)


class _SharedStateCollector(Collector):
    """The shared-state backend's health and this gateway's escalation-bucket decisions, read at scrape time."""

    def __init__(self, state: WatchedState, budget: GlobalBudget) -> None:
        self.state, self.budget = state, budget

    def collect(self) -> Iterable[Metric]:
        errors = CounterMetricFamily(
            "tierd_shared_state_errors", "shared-state operations that failed (unreachable)", labels=["operation"]
        )
        for operation, count in sorted(self.state.errors.items()):
            errors.add_metric([operation], count)
        yield errors
        yield GaugeMetricFamily("tierd_shared_state_up", "1 while the shared state answers", int(self.state.reachable))
        bucket = CounterMetricFamily(
            "tierd_escalation_budget_decisions", "this gateway's asks to the escalation budget", labels=["result"]
        )
        bucket.add_metric(["granted"], self.budget.escalations)
        bucket.add_metric(["refused"], self.budget.refused)
        bucket.add_metric(["unchecked"], self.budget.unchecked)
        yield bucket


class _LedgerCollector(Collector):
    def __init__(self, stats: Callable[[], LedgerStats]) -> None:
        self._stats = stats

    def collect(self) -> Iterable[Metric]:
        s = self._stats()
        yield GaugeMetricFamily("tierd_ledger_queued_rows", "request rows waiting to be written", value=s.queued)
        yield GaugeMetricFamily(
            "tierd_ledger_overloaded", "1 while new requests get 503 ledger_backlog", value=float(s.overloaded)
        )
        yield CounterMetricFamily("tierd_ledger_written_rows", "request rows written", value=s.written)
        yield CounterMetricFamily("tierd_ledger_write_errors", "failed writes (retried)", value=s.write_errors)
        yield CounterMetricFamily(
            "tierd_ledger_dropped_rows", "rows refused even bare (no attempts, no figures)", value=s.dropped
        )


class GatewayMetrics:
    def __init__(
        self,
        snapshots: Callable[[], Sequence[TierSnapshot]],
        frontier_pricing: TierPricing | None,
        registry: CollectorRegistry | None = None,
        telemetry: Callable[[], TelemetrySnapshot | None] | None = None,
    ) -> None:
        self.registry = registry or CollectorRegistry()
        self.frontier_pricing = frontier_pricing
        r = self.registry
        self.requests = Counter("tierd_requests", "requests answered", ["tier", "status"], registry=r)
        self.tokens = Counter("tierd_tokens", "tokens, by kind (prompt, completion)", ["tier", "kind"], registry=r)
        self.cost = Counter("tierd_cost_usd", "what requests cost (every attempt)", ["tier"], registry=r)
        self.savings = Counter("tierd_savings_usd", "frontier list price for the same tokens, minus cost", registry=r)
        self.escalations = Counter(
            "tierd_escalations", "escalations, by the check that failed", ["from_tier", "to_tier", "check"], registry=r
        )
        self.runaway_stops = Counter(
            "tierd_runaway_stops", "generations the runaway guard stopped early", ["tier"], registry=r
        )
        self.decision = Histogram(
            "tierd_route_decision_seconds", "time to classify and place", buckets=DECISION_BUCKETS, registry=r
        )
        self.duration = Histogram(
            "tierd_request_duration_seconds", "request time in tierd", ["tier"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.ttft = Histogram(
            "tierd_ttft_seconds", "time to the first streamed byte", ["tier"], buckets=LATENCY_BUCKETS, registry=r
        )
        r.register(_ReplicaCollector(snapshots))
        if telemetry is not None:
            r.register(_TelemetryCollector(telemetry))

    def watch_ledger(self, stats: Callable[[], LedgerStats]) -> None:
        """The ledger's queue and write counters, read at scrape time."""
        self.registry.register(_LedgerCollector(stats))

    def watch_shared_state(self, state: WatchedState, budget: GlobalBudget) -> None:
        self.registry.register(_SharedStateCollector(state, budget))

    def finished(self, done: Finished) -> None:
        self.requests.labels(done.tier, str(done.status)).inc()
        self.duration.labels(done.tier).observe(done.duration_s)
        if done.ttft_s is not None:
            self.ttft.labels(done.tier).observe(done.ttft_s)
        if done.prompt_tokens is not None:
            self.tokens.labels(done.tier, "prompt").inc(done.prompt_tokens)
        if done.completion_tokens is not None:
            self.tokens.labels(done.tier, "completion").inc(done.completion_tokens)
        if done.cost_usd is not None:
            self.cost.labels(done.tier).inc(max(0.0, done.cost_usd - done.wasted_usd))
            saved = savings_usd(self.frontier_cost(done.prompt_tokens, done.completion_tokens), done.cost_usd)
            if saved is not None:
                self.savings.inc(saved)

    def frontier_cost(self, prompt_tokens: int | None, completion_tokens: int | None) -> float | None:
        return frontier_cost(self.frontier_pricing, prompt_tokens, completion_tokens)

    def spent(self, tier: str, prompt_tokens: int | None, completion_tokens: int | None, cost: float | None) -> None:
        """Tokens and cost of an attempt whose answer was thrown away (the request is counted once, at its end)."""
        if prompt_tokens is not None:
            self.tokens.labels(tier, "prompt").inc(prompt_tokens)
        if completion_tokens is not None:
            self.tokens.labels(tier, "completion").inc(completion_tokens)
        if cost is not None:
            self.cost.labels(tier).inc(cost)

    def escalated_records(self, attempts: Sequence[AttemptRecord]) -> None:
        """Each escalation of a finished request, by the first check its earlier attempt failed."""
        for earlier, later in itertools.pairwise(attempts):
            failed = [c["check"] for c in earlier.checks or () if not c["passed"]] or ["error"]
            self.escalations.labels(earlier.tier, later.tier, failed[0]).inc()

    def stopped_records(self, attempts: Sequence[AttemptRecord]) -> None:
        """Each attempt of a finished request whose generation the runaway guard stopped."""
        for attempt in attempts:
            if attempt.stopped_after_tokens is not None:
                self.runaway_stops.labels(attempt.tier).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
