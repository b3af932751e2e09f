"""The execution-side contract: what a tier and its replicas promise the gateway.

`tiers/` never imports `server/`: the gateway builds tiers from its settings and
talks to them only through the types defined here.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from tiers.breaker import BreakerState
from tiers.load import ReplicaLoad, TokenRates


class ReplicaStatus(enum.StrEnum):
    STARTING = "starting"
    READY = "ready"
    UNHEALTHY = "unhealthy"
    RESTARTING = "restarting"
    STOPPED = "stopped"


class TierKind(enum.StrEnum):
    VLLM_MANAGED = "vllm-managed"
    VLLM_ATTACHED = "vllm-attached"
    OPENAI_REMOTE = "openai-remote"


@dataclass(frozen=True, slots=True)
class ReplicaSnapshot:
    """A point-in-time view of one replica; routing reads these, never the replica itself."""

    replica_id: str
    base_url: str
    status: ReplicaStatus
    in_flight: int
    restarts: int
    checked_at: float
    last_error: str | None = None
    pid: int | None = None
    # Scraped from the replica's /metrics; None when never scraped or older than the allowed age,
    # which placement treats as unknown load rather than as idle.
    load: ReplicaLoad | None = None
    rates: TokenRates | None = None
    # tierd's own in-flight count when `load` was taken: requests sent since then are not in it yet.
    in_flight_at_load: int = 0
    breaker: BreakerState = "closed"
    # Sequences the replica runs at once (vLLM's --max-num-seqs) when known; beyond it requests wait.
    slots: int | None = None
    # The GPUs it runs on, as NVML names them (an index as a string, or a UUID): from the config or the
    # managed replica's CUDA_VISIBLE_DEVICES, refined by NVML's process list; () when unknown (a CPU host).
    gpus: tuple[str, ...] = ()
    # Set by the routing step that reads GPU state (server/routing/gpu_state.py), never by the tier: why
    # a GPU this replica runs on is hot. Placement treats it like saturation; None when cool or unknown.
    gpu_pressure: str | None = None

    @property
    def routable(self) -> bool:
        """Ready and not cut off by its circuit breaker (half-open lets a probe through)."""
        return self.status is ReplicaStatus.READY and self.breaker != "open"


@dataclass(frozen=True, slots=True)
class TierSnapshot:
    name: str
    kind: TierKind
    model: str
    local: bool
    configured: bool
    replicas: tuple[ReplicaSnapshot, ...]

    @property
    def ready(self) -> bool:
        return self.configured and any(r.routable for r in self.replicas)


class UpstreamError(Exception):
    """The upstream answered with an error, or could not be reached.

    `status` is the upstream's own HTTP status when it answered, and None when no answer came; `code`
    then says why (`upstream_timeout`, `upstream_unavailable`); the gateway's error table
    (server/errors.py) decides what the client is told. `body` is the upstream's own JSON error when it
    sent one, else None.
    """

    def __init__(
        self, status: int | None, message: str, *, body: dict[str, Any] | None = None, code: str = "upstream_error"
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = body
        self.code = code
        self.retry_after_s: float | None = None  # the answer's Retry-After, when it sent one


class UpstreamTimeout(UpstreamError):
    def __init__(self, message: str) -> None:
        super().__init__(None, message, code="upstream_timeout")


class UpstreamUnavailable(UpstreamError):
    def __init__(self, message: str) -> None:
        super().__init__(None, message, code="upstream_unavailable")


class UpstreamTooLarge(UpstreamError):
    """The answer (a non-streamed body, or one event of a stream) was larger than tierd reads."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message, code="upstream_response_too_large")


class UpstreamMalformed(UpstreamError):
    """A 200 whose body is not an OpenAI answer (not a JSON object): nothing in it can be relayed."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message, code="upstream_malformed")


class UpstreamConnectError(UpstreamUnavailable):
    """The request never reached the upstream, so sending it elsewhere duplicates nothing."""


@dataclass(frozen=True, slots=True)
class UpstreamResponse:
    status: int
    body: bytes
    replica_id: str
    headers: dict[str, str] = field(default_factory=dict)
    # The body as a JSON object when the transport has already parsed it (a 200 over HTTP), so that it is
    # parsed once per answer; None: parse `body` if needed.
    payload: dict[str, Any] | None = field(default=None, repr=False, compare=False)


class UpstreamStream(Protocol):
    """An open streaming response whose status was 200: iterate raw SSE bytes."""

    replica_id: str

    def iter_bytes(self) -> AsyncIterator[bytes]: ...


class Tier(Protocol):
    """One tier: a name, the model it serves and a set of interchangeable replicas."""

    name: str
    kind: TierKind
    model: str

    @property
    def local(self) -> bool: ...  # a vLLM tier (its cost is amortized hardware), not a remote API

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def snapshot(self) -> TierSnapshot: ...

    # `replica_id`: the replica placement chose; the tier falls back to others only when it
    # cannot be connected to.
    async def post_json(
        self, path: str, body: dict[str, Any], request_id: str, replica_id: str | None = None
    ) -> UpstreamResponse: ...

    def open_stream(
        self, path: str, body: dict[str, Any], request_id: str, replica_id: str | None = None
    ) -> AbstractAsyncContextManager[UpstreamStream]: ...
