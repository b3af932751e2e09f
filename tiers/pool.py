"""A tier: a name, the model it serves, and a pool of interchangeable replicas."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from tiers.base import (
    ReplicaStatus,
    TierKind,
    TierSnapshot,
    UpstreamConnectError,
    UpstreamError,
    UpstreamResponse,
    UpstreamStream,
    UpstreamUnavailable,
)
from tiers.breaker import BreakerPolicy, CircuitBreaker
from tiers.http_upstream import HttpClient
from tiers.replicas import Replica
from tiers.telemetry.vllm_metrics import VllmMetricsScraper

log = logging.getLogger("tierd.tiers")


@dataclass(frozen=True, slots=True)
class LoadWatch:
    """Scrape each replica's vLLM `/metrics` every `interval_s`; older scrapes count as unknown load."""

    client: HttpClient
    interval_s: float = 1.0
    max_age_s: float = 5.0


def metrics_url(api_base: str) -> str:
    root = api_base.rstrip("/")
    return (root[: -len("/v1")] if root.endswith("/v1") else root) + "/metrics"


def is_replica_failure(exc: UpstreamError) -> bool:
    """Server-side failures (and no answer at all) count against a replica's breaker; a client's bad request
    does not."""
    return exc.status is None or exc.status >= 500


class ReplicaTier:
    """Sends each request to the replica placement chose, else the least-busy routable one.

    A replica that cannot be connected to is skipped for the next one: the request never
    reached it, so retrying elsewhere cannot duplicate work. Every outcome feeds the
    replica's circuit breaker.
    """

    def __init__(
        self,
        name: str,
        kind: TierKind,
        model: str,
        replicas: Sequence[Replica],
        *,
        configured: bool = True,
        breaker: BreakerPolicy | None = None,
        load_watch: LoadWatch | None = None,
        slots: int | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.model = model
        self.replicas = list(replicas)
        self.configured = configured
        self.load_watch = load_watch
        for replica in self.replicas:
            replica.breaker = CircuitBreaker(breaker or BreakerPolicy())
            replica.slots = slots
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
            if self.load_watch is not None:
                watch = self._watch_load(replica, self.load_watch)
                self._tasks.append(asyncio.create_task(watch, name=f"load:{replica.replica_id}"))

    async def _watch_load(self, replica: Replica, watch: LoadWatch) -> None:
        scraper = VllmMetricsScraper(watch.client, metrics_url(replica.endpoint.api_base))
        while True:
            if replica.status is ReplicaStatus.READY:
                try:
                    replica.record_load(await scraper.scrape())
                except Exception as exc:  # a missed scrape only ages the last one; placement handles stale
                    log.debug("replica %s: /metrics scrape failed: %s", replica.replica_id, exc)
            await asyncio.sleep(watch.interval_s)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await asyncio.gather(*(r.stop() for r in self.replicas), return_exceptions=True)

    def snapshot(self, now: float | None = None) -> TierSnapshot:
        max_age = self.load_watch.max_age_s if self.load_watch else math.inf
        now = time.time() if now is None else now
        return TierSnapshot(
            name=self.name,
            kind=self.kind,
            model=self.model,
            local=self.local,
            configured=self.configured,
            replicas=tuple(r.snapshot(max_age, now) for r in self.replicas),
        )

    def _candidates(self, chosen: str | None) -> list[Replica]:
        ready = [r for r in self.replicas if r.status is ReplicaStatus.READY and r.breaker.state != "open"]
        if not ready:
            raise UpstreamUnavailable(f"tier {self.name!r} has no ready replica")
        # Least in-flight first; the rotation makes idle replicas take turns (sorted() is stable).
        shift = next(self._tie_breaker) % len(ready)
        ordered = sorted(ready[shift:] + ready[:shift], key=lambda r: r.in_flight)
        # Placement's choice goes first; the others are only a fallback when it cannot be reached.
        return sorted(ordered, key=lambda r: r.replica_id != chosen)

    def _may_resend(self, exc: UpstreamUnavailable) -> bool:
        """Whether a request whose replica gave no answer may go to another one: always when it never got
        there (a refused connection); on a local tier also when the connection broke before an answer (a
        killed or restarting engine): a local engine bills nothing, and the client has seen nothing yet. A
        remote API may have processed (and billed) it, so it is never sent twice there."""
        return isinstance(exc, UpstreamConnectError) or self.local

    def _body_for(self, body: dict[str, Any]) -> dict[str, Any]:
        return {**body, "model": self.model}

    async def post_json(
        self, path: str, body: dict[str, Any], request_id: str, replica_id: str | None = None
    ) -> UpstreamResponse:
        upstream_body = self._body_for(body)
        last_error: UpstreamError | None = None
        for replica in self._candidates(replica_id):
            if not replica.breaker.allow():  # claims the half-open probe slot, so asked lazily
                last_error = last_error or _breaker_open(self.name)
                continue
            replica.in_flight += 1
            try:
                response = await replica.endpoint.post_json(path, upstream_body, request_id)
            except UpstreamUnavailable as exc:
                if not self._may_resend(exc):
                    _record(replica, exc)
                    raise
                replica.breaker.record_failure()
                last_error = exc
                log.warning("tier %s: %s; trying another replica", self.name, exc)
                continue
            except UpstreamError as exc:
                _record(replica, exc)
                raise
            except BaseException:  # cancelled (the client left): no verdict, but free the probe slot
                replica.breaker.release()
                raise
            finally:
                replica.in_flight -= 1
            replica.breaker.record_success()
            return response
        assert last_error is not None
        raise last_error

    @asynccontextmanager
    async def open_stream(
        self, path: str, body: dict[str, Any], request_id: str, replica_id: str | None = None
    ) -> AsyncIterator[UpstreamStream]:
        upstream_body = self._body_for(body)
        last_error: UpstreamError | None = None
        for replica in self._candidates(replica_id):
            if not replica.breaker.allow():  # claims the half-open probe slot, so asked lazily
                last_error = last_error or _breaker_open(self.name)
                continue
            async with contextlib.AsyncExitStack() as stack:
                replica.in_flight += 1
                stack.callback(_release, replica)
                try:
                    stream = await stack.enter_async_context(
                        replica.endpoint.open_stream(path, upstream_body, request_id)
                    )
                except UpstreamUnavailable as exc:
                    if not self._may_resend(exc):
                        _record(replica, exc)
                        raise
                    replica.breaker.record_failure()
                    last_error = exc
                    log.warning("tier %s: %s; trying another replica", self.name, exc)
                    continue
                except UpstreamError as exc:
                    _record(replica, exc)
                    raise
                except BaseException:
                    replica.breaker.release()
                    raise
                # The replica answered 200, but the verdict waits for the stream's end: one that breaks off or
                # sends an error event after its headers failed all the same. Failures after this point happen
                # mid-stream and are not retried.
                watched = _WatchedStream(stream)
                try:
                    yield watched
                finally:
                    _stream_verdict(replica, watched)
                return
        assert last_error is not None
        raise last_error


def _record(replica: Replica, exc: UpstreamError) -> None:
    if is_replica_failure(exc):
        replica.breaker.record_failure()
    else:
        replica.breaker.record_success()


_ERROR_EVENT = b'data: {"error"'  # how vLLM and OpenAI report a failure after a stream's 200


class _WatchedStream:
    """A replica's open stream, watched on its way for a failure after the 200: a read that fails (dropped,
    stalled, too large) or an error event."""

    def __init__(self, stream: UpstreamStream) -> None:
        self._stream = stream
        self.replica_id = stream.replica_id
        self.failed = False
        self.ended = False
        self._tail = b""  # the end of the last chunk: an error event may be split across two reads

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream.iter_bytes():
                if _ERROR_EVENT in self._tail + chunk[: len(_ERROR_EVENT)] or _ERROR_EVENT in chunk:
                    self.failed = True
                self._tail = chunk[-len(_ERROR_EVENT) :]
                yield chunk
        except UpstreamError:
            self.failed = True
            raise
        self.ended = True


def _stream_verdict(replica: Replica, stream: _WatchedStream) -> None:
    if stream.failed:
        replica.breaker.record_failure()
    elif stream.ended:
        replica.breaker.record_success()
    else:  # closed before its end (the client left, the guard stopped it, escalation dropped it): no verdict
        replica.breaker.release()


def _breaker_open(tier: str) -> UpstreamUnavailable:
    return UpstreamUnavailable(f"tier {tier!r}: every ready replica's circuit breaker is open")


def _release(replica: Replica) -> None:
    replica.in_flight -= 1
