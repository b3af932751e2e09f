"""A tier: a name, the model it serves, and a pool of interchangeable replicas."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from tiers.base import (
    ReplicaStatus,
    TierKind,
    TierSnapshot,
    UpstreamConnectError,
    UpstreamResponse,
    UpstreamStream,
    UpstreamUnavailable,
)
from tiers.replicas import Replica

log = logging.getLogger("tierd.tiers")


class ReplicaTier:
    """Dispatches each request to the least-busy ready replica.

    A replica that cannot be connected to is skipped for the next one: the request never
    reached it, so retrying elsewhere cannot duplicate work.
    """

    def __init__(
        self,
        name: str,
        kind: TierKind,
        model: str,
        replicas: Sequence[Replica],
        *,
        configured: bool = True,
    ) -> None:
        self.name = name
        self.kind = kind
        self.model = model
        self.replicas = list(replicas)
        self.configured = configured
        self._tasks: list[asyncio.Task[None]] = []
        self._tie_breaker = itertools.count()

    @property
    def local(self) -> bool:
        return self.kind is not TierKind.OPENAI_REMOTE

    async def start(self) -> None:
        if not self.configured:
            return
        for replica in self.replicas:
            self._tasks.append(asyncio.create_task(replica.run(), name=f"replica:{replica.replica_id}"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await asyncio.gather(*(r.stop() for r in self.replicas), return_exceptions=True)

    def snapshot(self) -> TierSnapshot:
        return TierSnapshot(
            name=self.name,
            kind=self.kind,
            model=self.model,
            local=self.local,
            configured=self.configured,
            replicas=tuple(r.snapshot() for r in self.replicas),
        )

    def _candidates(self) -> list[Replica]:
        ready = [r for r in self.replicas if r.status is ReplicaStatus.READY]
        if not ready:
            raise UpstreamUnavailable(f"tier {self.name!r} has no ready replica")
        # Least in-flight first; the rotation makes idle replicas take turns (sorted() is stable).
        shift = next(self._tie_breaker) % len(ready)
        return sorted(ready[shift:] + ready[:shift], key=lambda r: r.in_flight)

    def _body_for(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "model": self.model}

    async def post_json(self, path: str, body: dict[str, Any], request_id: str) -> UpstreamResponse:
        upstream_body = self._body_for(body)
        last_error: UpstreamConnectError | None = None
        for replica in self._candidates():
            replica.in_flight += 1
            try:
                return await replica.endpoint.post_json(path, upstream_body, request_id)
            except UpstreamConnectError as exc:
                last_error = exc
                log.warning("tier %s: %s; trying another replica", self.name, exc)
            finally:
                replica.in_flight -= 1
        assert last_error is not None
        raise last_error

    @asynccontextmanager
    async def open_stream(self, path: str, body: dict[str, Any], request_id: str) -> AsyncIterator[UpstreamStream]:
        upstream_body = self._body_for(body)
        last_error: UpstreamConnectError | None = None
        for replica in self._candidates():
            async with contextlib.AsyncExitStack() as stack:
                replica.in_flight += 1
                stack.callback(_release, replica)
                try:
                    stream = await stack.enter_async_context(
                        replica.endpoint.open_stream(path, upstream_body, request_id)
                    )
                except UpstreamConnectError as exc:
                    last_error = exc
                    log.warning("tier %s: %s; trying another replica", self.name, exc)
                    continue
                # Failures after this point happen mid-stream and are not retried.
                yield stream
                return
        assert last_error is not None
        raise last_error


def _release(replica: Replica) -> None:
    replica.in_flight -= 1
