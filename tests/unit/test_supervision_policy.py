"""The supervision loop of a managed replica (tiers/replicas.py) against each of its policy numbers.

The vLLM process is a fake here, on purpose: what is under test is the loop's service logic (when it calls a
replica ready, unhealthy or hung, when it gives up on a start, how long it waits before a restart), and each
case needs a process that misbehaves in one exact way at one exact moment. The loop runs on a virtual clock,
so minutes of supervision take milliseconds and nothing depends on how busy the machine is. That real
processes are started, restarted and stopped is tests/integration/test_supervision.py's part.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tiers.base import ReplicaStatus
from tiers.replicas import ManagedVllmReplica, SupervisionPolicy

# A behaviour says what the process is doing `t` seconds after its `launch`-th start (1-based).
Behaviour = Callable[[int, float], str]
ALIVE, READY, DEAD = "alive", "ready", "dead"  # running but not answering /health; answering; exited

POLICY = SupervisionPolicy(
    health_interval_s=0.25,
    startup_timeout_s=5.0,
    unhealthy_after=3,
    hung_after_s=2.0,
    backoff_initial_s=1.0,
    backoff_max_s=5.0,
    stable_after_s=10.0,
    stop_timeout_s=0.0,
)


class Finished(Exception):
    """Raised by the virtual sleep once the scenario's time is up: it ends `run()`."""


@dataclass
class VirtualTime:
    """A monotonic clock that only moves when the loop sleeps, recording each wait and the replica's status."""

    until: float
    now: float = 0.0
    waits: list[float] = field(default_factory=list)
    seen: list[tuple[float, ReplicaStatus]] = field(default_factory=list)
    replica: ManagedVllmReplica | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert self.replica is not None
        self.seen.append((self.now, self.replica.status))
        if self.now >= self.until:
            raise Finished
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@dataclass(frozen=True)
class FakeSpec:
    host: str = "127.0.0.1"


@dataclass
class FakeProcess:
    """Stands in for tiers.vllm_engine.VllmProcess: the same methods, driven by a behaviour."""

    behaviour: Behaviour
    clock: VirtualTime
    launches: list[float] = field(default_factory=list)  # when each start happened
    stops: list[float] = field(default_factory=list)  # when a stop ended a process that was still running
    start_error: OSError | None = None
    port: int = 8000
    spec: FakeSpec = field(default_factory=FakeSpec)
    _stopped: bool = False

    def _state(self) -> str:
        if not self.launches or self._stopped:
            return DEAD
        return self.behaviour(len(self.launches), self.clock.now - self.launches[-1])

    @property
    def pid(self) -> int | None:
        return 4242 if self.launches else None

    def start(self) -> None:
        if self.start_error is not None:
            raise self.start_error
        self.launches.append(self.clock.now)
        self._stopped = False

    def running(self) -> bool:
        return self._state() != DEAD

    def exit_code(self) -> int | None:
        return 1 if self.launches and self._state() == DEAD else None

    def tail_log(self, lines: int = 5) -> str:
        return "fake engine log"

    def stop_blocking(self, timeout_s: float = 15.0) -> None:
        if self.running():
            self.stops.append(self.clock.now)
        self._stopped = True

    def answers_health(self) -> bool:
        return self._state() == READY


class FakeHealthEndpoint:
    """The replica's HTTP endpoint, reduced to its /health probe, which asks the fake process."""

    api_base = "http://127.0.0.1:8000/v1"

    def __init__(self, process: FakeProcess) -> None:
        self.process = process

    async def get_ok(self, url: str, timeout_s: float = 2.0) -> bool:
        assert url == "http://127.0.0.1:8000/health"
        return self.process.answers_health()


async def supervise(
    behaviour: Behaviour, until: float, policy: SupervisionPolicy = POLICY, start_error: OSError | None = None
) -> tuple[ManagedVllmReplica, FakeProcess, VirtualTime]:
    """Run the loop of one replica over `until` virtual seconds."""
    clock = VirtualTime(until=until)
    process = FakeProcess(behaviour, clock, start_error=start_error)
    replica = ManagedVllmReplica(
        "tier-1-0",
        FakeHealthEndpoint(process),  # type: ignore[arg-type]
        process,  # type: ignore[arg-type]
        policy,
        clock=clock,
        sleep=clock.sleep,
    )
    clock.replica = replica
    with pytest.raises(Finished):
        await replica.run()
    return replica, process, clock


def restart_waits(clock: VirtualTime) -> list[float]:
    """The backoff waits: every wait that is not a health poll (POLICY's polls are all 0.25 s)."""
    return [wait for wait in clock.waits if wait != POLICY.health_interval_s]


def first_seen(clock: VirtualTime, wanted: ReplicaStatus) -> float:
    return next(t for t, status in clock.seen if status is wanted)


def statuses(clock: VirtualTime) -> list[ReplicaStatus]:
    """The replica's statuses in order, repeats folded."""
    folded: list[ReplicaStatus] = []
    for _, status in clock.seen:
        if not folded or folded[-1] is not status:
            folded.append(status)
    return folded


async def test_a_crashing_process_waits_twice_as_long_each_time_up_to_the_cap() -> None:
    replica, process, clock = await supervise(lambda launch, t: DEAD, until=40)
    assert restart_waits(clock)[:7] == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]
    assert replica.restarts == len(restart_waits(clock)) and len(process.launches) == replica.restarts + 1
    assert replica.last_error == "process exited with code 1: fake engine log"
    assert ReplicaStatus.READY not in statuses(clock)


@pytest.mark.parametrize(("ready_for_s", "reset"), [(12.0, True), (8.0, False)])
async def test_backoff_starts_over_after_a_run_that_stayed_ready_stable_after_s(
    ready_for_s: float, reset: bool
) -> None:
    """Three quick crashes, then a run that is ready for `ready_for_s` and dies, then quick crashes again."""

    def behaviour(launch: int, t: float) -> str:
        if launch == 4:
            return READY if t < ready_for_s else DEAD
        return DEAD

    _, _, clock = await supervise(behaviour, until=80)
    after_the_ready_run = [1.0, 1.0, 2.0] if reset else [5.0, 5.0, 5.0]
    assert restart_waits(clock)[:6] == [1.0, 2.0, 4.0, *after_the_ready_run]
    assert ReplicaStatus.READY in statuses(clock)


async def test_a_process_not_ready_within_startup_timeout_s_is_stopped_and_started_again() -> None:
    replica, process, clock = await supervise(lambda launch, t: ALIVE if launch == 1 else READY, until=20)
    assert len(process.launches) == 2
    gave_up = first_seen(clock, ReplicaStatus.RESTARTING)
    # Given up at the first poll past the timeout: no earlier, and not a poll later; stopped before the relaunch.
    assert POLICY.startup_timeout_s < gave_up - process.launches[0] <= POLICY.startup_timeout_s + 0.25
    assert len(process.stops) == 1 and gave_up <= process.stops[0] <= process.launches[1]
    assert statuses(clock) == [
        ReplicaStatus.STARTING,
        ReplicaStatus.RESTARTING,
        ReplicaStatus.STARTING,
        ReplicaStatus.READY,
    ]
    assert replica.restarts == 1 and replica.status is ReplicaStatus.READY and replica.last_error is None
    assert restart_waits(clock) == [1.0]


async def test_a_ready_process_that_stops_answering_is_unhealthy_then_restarted_as_hung() -> None:
    went_quiet_at = 3.0  # seconds after the first start

    def behaviour(launch: int, t: float) -> str:
        return READY if launch > 1 or t < went_quiet_at else ALIVE

    replica, process, clock = await supervise(behaviour, until=20)
    assert statuses(clock) == [
        ReplicaStatus.STARTING,
        ReplicaStatus.READY,
        ReplicaStatus.UNHEALTHY,
        ReplicaStatus.RESTARTING,
        ReplicaStatus.STARTING,
        ReplicaStatus.READY,
    ]
    first_unhealthy = first_seen(clock, ReplicaStatus.UNHEALTHY)
    # unhealthy_after failed probes (one per health interval) after it went quiet, not sooner.
    assert first_unhealthy - went_quiet_at >= (POLICY.unhealthy_after - 1) * POLICY.health_interval_s
    # Restarted (stopped while still running) once unhealthy for longer than hung_after_s, and not before.
    hung = first_seen(clock, ReplicaStatus.RESTARTING)
    assert POLICY.hung_after_s < hung - first_unhealthy <= POLICY.hung_after_s + POLICY.health_interval_s
    assert len(process.stops) == 1 and hung <= process.stops[0] <= process.launches[1]
    assert replica.restarts == 1 and len(process.launches) == 2


@pytest.mark.parametrize(("failed_probes", "unhealthy"), [(2, False), (3, True), (6, True)])
async def test_unhealthy_after_failed_probes_in_a_row_and_ready_again_without_a_restart(
    failed_probes: int, unhealthy: bool
) -> None:
    """After 2 s of readiness, /health fails `failed_probes` times in a row (well short of hung_after_s)."""
    quiet_from, quiet_until = 2.0, 2.0 + failed_probes * POLICY.health_interval_s

    def behaviour(launch: int, t: float) -> str:
        return ALIVE if quiet_from < t <= quiet_until else READY

    replica, process, clock = await supervise(behaviour, until=10)
    expected = [ReplicaStatus.STARTING, ReplicaStatus.READY]
    expected += [ReplicaStatus.UNHEALTHY, ReplicaStatus.READY] if unhealthy else []
    assert statuses(clock) == expected
    assert replica.restarts == 0 and process.stops == [] and replica.last_error is None


async def test_a_process_that_cannot_be_launched_is_retried_with_backoff() -> None:
    replica, _, clock = await supervise(
        lambda launch, t: READY, until=10, start_error=FileNotFoundError(2, "No such file", "/no/python")
    )
    assert restart_waits(clock)[:3] == [1.0, 2.0, 4.0]
    assert replica.status is ReplicaStatus.RESTARTING and replica.restarts >= 3
    assert replica.last_error is not None and replica.last_error.startswith("cannot start the process:")
