"""Replicas: one upstream endpoint each, plus the loop that keeps its status current.

Every replica exposes the same small surface — an `HttpEndpoint`, a mutable status and
an in-flight counter, a `run()` coroutine that watches it, and `snapshot()` — so a tier
treats managed processes, attached servers and a remote API alike.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from tiers.base import ReplicaSnapshot, ReplicaStatus
from tiers.breaker import BreakerPolicy, CircuitBreaker
from tiers.http_upstream import HttpEndpoint
from tiers.load import ReplicaLoad, TokenRates, token_rates
from tiers.vllm_engine import VllmProcess

log = logging.getLogger("tierd.replicas")


@dataclass(frozen=True, slots=True)
class SupervisionPolicy:
    health_interval_s: float = 1.0
    startup_timeout_s: float = 600.0
    # Consecutive failed probes of a live process before it gets no traffic.
    unhealthy_after: int = 3
    # A process that stays unhealthy this long is considered hung and restarted.
    hung_after_s: float = 60.0
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0
    # A replica that stayed ready this long has its backoff reset.
    stable_after_s: float = 120.0
    stop_timeout_s: float = 15.0


class Replica(abc.ABC):
    """State shared by every kind of replica; subclasses implement `run()`."""

    def __init__(self, replica_id: str, endpoint: HttpEndpoint, health_url: str | None) -> None:
        self.replica_id = replica_id
        self.endpoint = endpoint
        self.health_url = health_url
        self.status = ReplicaStatus.STARTING
        self.in_flight = 0
        self.restarts = 0
        self.last_error: str | None = None
        self.checked_at = 0.0
        self.breaker = CircuitBreaker(BreakerPolicy())
        self.load: ReplicaLoad | None = None
        self.rates: TokenRates | None = None
        self.in_flight_at_load = 0
        self.slots: int | None = None
        self.gpus: tuple[str, ...] = ()  # set by the gateway's wiring (config, CUDA_VISIBLE_DEVICES)

    @property
    def pid(self) -> int | None:
        return None

    def record_load(self, load: ReplicaLoad) -> None:
        """Keep the newest scrape; rates come from it and the one before (None across a restart)."""
        self.rates = token_rates(self.load, load) if self.load is not None else None
        self.load = load
        self.in_flight_at_load = self.in_flight

    def snapshot(self, load_max_age_s: float = math.inf, now: float | None = None) -> ReplicaSnapshot:
        fresh = self.load is not None and not self.load.is_stale(load_max_age_s, now)
        return ReplicaSnapshot(
            replica_id=self.replica_id,
            base_url=self.endpoint.api_base,
            status=self.status,
            in_flight=self.in_flight,
            restarts=self.restarts,
            checked_at=self.checked_at,
            last_error=self.last_error,
            pid=self.pid,
            load=self.load if fresh else None,
            rates=self.rates if fresh else None,
            in_flight_at_load=self.in_flight_at_load,
            breaker=self.breaker.state,
            slots=self.slots,
            gpus=self.gpus,
        )

    async def probe(self) -> bool:
        ok = True if self.health_url is None else await self.endpoint.get_ok(self.health_url)
        self.checked_at = time.time()
        return ok

    @abc.abstractmethod
    async def run(self) -> None:
        """Watch the replica until cancelled, keeping `status` current."""

    async def stop(self) -> None:
        self.status = ReplicaStatus.STOPPED


class AttachedReplica(Replica):
    """A vLLM server someone else runs: tierd only probes it."""

    def __init__(self, replica_id: str, endpoint: HttpEndpoint, health_url: str, policy: SupervisionPolicy):
        super().__init__(replica_id, endpoint, health_url)
        self.policy = policy

    async def run(self) -> None:
        failures = 0
        while True:
            if await self.probe():
                failures = 0
                if self.status is not ReplicaStatus.READY:
                    log.info("replica %s is ready", self.replica_id)
                self.status = ReplicaStatus.READY
                self.last_error = None
            else:
                failures += 1
                self.last_error = f"/health failed {failures} time(s)"
                if self.status is ReplicaStatus.READY and failures >= self.policy.unhealthy_after:
                    log.warning("replica %s is unhealthy: %s", self.replica_id, self.last_error)
                    self.status = ReplicaStatus.UNHEALTHY
            await asyncio.sleep(self.policy.health_interval_s)


class RemoteReplica(Replica):
    """A remote API: no health endpoint to probe; it is ready once configured.

    (Per-replica circuit breaking on observed failures belongs to placement.)
    """

    def __init__(self, replica_id: str, endpoint: HttpEndpoint) -> None:
        super().__init__(replica_id, endpoint, None)
        self.status = ReplicaStatus.READY

    async def run(self) -> None:
        return None


class ManagedVllmReplica(Replica):
    """A vLLM process tierd launches, watches and restarts with exponential backoff.

    `clock` and `sleep` are the loop's sense of time (monotonic seconds, and waiting): tests pass a virtual
    clock so minutes of supervision run in milliseconds.
    """

    def __init__(
        self,
        replica_id: str,
        endpoint: HttpEndpoint,
        process: VllmProcess,
        policy: SupervisionPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(replica_id, endpoint, f"http://{process.spec.host}:{process.port}/health")
        self.process = process
        self.policy = policy
        self._clock = clock
        self._sleep = sleep

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process.running() else None

    async def run(self) -> None:
        failures_in_a_row = 0
        while True:
            try:
                became_ready_at = await self._launch_and_watch()
            except OSError as exc:  # it could not even be launched (a missing interpreter or folder): retried too
                self.last_error = f"cannot start the process: {exc}"
                became_ready_at = None
            stable = became_ready_at is not None and self._clock() - became_ready_at >= self.policy.stable_after_s
            failures_in_a_row = 0 if stable else failures_in_a_row + 1
            delay = min(self.policy.backoff_max_s, self.policy.backoff_initial_s * 2 ** max(0, failures_in_a_row - 1))
            self.status = ReplicaStatus.RESTARTING
            self.restarts += 1
            log.warning(
                "replica %s: %s; restarting in %.1fs (restart #%d)",
                self.replica_id,
                self.last_error,
                delay,
                self.restarts,
            )
            await self._sleep(delay)

    async def _launch_and_watch(self) -> float | None:
        """Run the process until it dies or hangs; return when it became ready (monotonic), if it did."""
        self.status = ReplicaStatus.STARTING
        await asyncio.to_thread(self.process.stop_blocking, self.policy.stop_timeout_s)
        self.process.start()
        started = self._clock()
        ready_at: float | None = None
        unhealthy_since: float | None = None
        failures = 0
        while True:
            await self._sleep(self.policy.health_interval_s if ready_at else min(0.5, self.policy.health_interval_s))
            code = self.process.exit_code()
            if code is not None:
                self.last_error = f"process exited with code {code}: {self.process.tail_log(3)}"
                return ready_at
            if await self.probe():
                failures, unhealthy_since = 0, None
                if ready_at is None:
                    ready_at = self._clock()
                    log.info(
                        "replica %s ready in %.1fs (pid %s)", self.replica_id, ready_at - started, self.process.pid
                    )
                self.status = ReplicaStatus.READY
                self.last_error = None
                continue
            if ready_at is None:
                if self._clock() - started > self.policy.startup_timeout_s:
                    self.last_error = f"not ready after {self.policy.startup_timeout_s:.0f}s"
                    return None
                continue
            failures += 1
            if failures >= self.policy.unhealthy_after:
                self.status = ReplicaStatus.UNHEALTHY
                unhealthy_since = unhealthy_since or self._clock()
                self.last_error = f"/health failed {failures} times in a row"
                if self._clock() - unhealthy_since > self.policy.hung_after_s:
                    self.last_error += "; considered hung"
                    return ready_at

    async def stop(self) -> None:
        self.status = ReplicaStatus.STOPPED
        await asyncio.to_thread(self.process.stop_blocking, self.policy.stop_timeout_s)


def replica_workdir(state_dir: Path, replica_id: str) -> Path:
    return state_dir / "replicas" / replica_id
