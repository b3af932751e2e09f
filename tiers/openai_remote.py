"""The frontier: a remote OpenAI-compatible API, with retries only when the request surely was not processed.

A remote API bills what it processes, so a retry must never run a request twice. It retries only:
- a connection that could not be made (the request never left), and
- an answer that says it was not taken on: 429 (rate limited), 503 (overloaded) and 408 (the server gave up
  waiting for the request), before any body, honouring its Retry-After (up to `retry_after_max_s`).
It never retries once the request may have reached processing: a connection dropped after sending, a body
that breaks off mid-read, a timeout (it may still be running upstream), any other status, or a stream that
has started. Every try and wait fits in the call's one total deadline (Timeouts.total_s); past the retries,
or when the wait would pass the deadline, the last error is the answer (an OpenAI-style error to the client).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from tiers.base import UpstreamConnectError, UpstreamError, UpstreamResponse
from tiers.http_upstream import HttpEndpoint, HttpStream

log = logging.getLogger("tierd.remote")

# The answers that say the request was not processed (so a retry bills nothing twice).
NOT_PROCESSED_STATUS = frozenset({408, 429, 503})
T = TypeVar("T")


def surely_unprocessed(exc: UpstreamError) -> bool:
    return isinstance(exc, UpstreamConnectError) or exc.status in NOT_PROCESSED_STATUS


class RetryingEndpoint(HttpEndpoint):
    def __init__(
        self, *args: Any, max_retries: int = 2, backoff_s: float = 0.5, retry_after_max_s: float = 20.0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.retry_after_max_s = retry_after_max_s

    def _wait_s(self, attempt: int, exc: UpstreamError) -> float:
        if exc.retry_after_s is not None:
            return min(exc.retry_after_s, self.retry_after_max_s)
        return float(self.backoff_s * 2**attempt * (0.5 + random.random()))

    async def _with_retries(self, call: Callable[[float], Awaitable[T]]) -> T:
        deadline = self.deadline()
        loop = asyncio.get_running_loop()
        for attempt in range(self.max_retries + 1):
            try:
                return await call(deadline)
            except UpstreamError as exc:
                if attempt == self.max_retries or not surely_unprocessed(exc):
                    raise
                wait = self._wait_s(attempt, exc)
                if loop.time() + wait >= deadline:  # no time left for another try
                    log.warning("%s: %s; no retry: waiting %.2fs would pass the deadline", self.replica_id,
                                exc.message, wait)  # fmt: skip
                    raise
                log.warning(
                    "%s: %s; retry %d/%d in %.2fs", self.replica_id, exc.message, attempt + 1, self.max_retries, wait
                )
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def post_json(
        self, path: str, body: dict[str, Any], request_id: str, deadline: float | None = None
    ) -> UpstreamResponse:
        parent = super().post_json
        return await self._with_retries(lambda until: parent(path, body, request_id, until))

    @asynccontextmanager
    async def open_stream(
        self, path: str, body: dict[str, Any], request_id: str, deadline: float | None = None
    ) -> AsyncIterator[HttpStream]:
        parent = super().open_stream

        async def opened(until: float) -> tuple[Any, HttpStream]:
            context = parent(path, body, request_id, until)
            return context, await context.__aenter__()

        # Only the opening is retried: once the stream's 200 has come, it is the answer.
        context, stream = await self._with_retries(opened)
        try:
            yield stream
        except BaseException as exc:
            if not await context.__aexit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            await context.__aexit__(None, None, None)
