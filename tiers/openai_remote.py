"""The frontier: a remote OpenAI-compatible API, with retries before the first byte.

Retries cover what a remote API does under load (429, 5xx, refused or reset
connections) and never happen once an answer has started, so a client never receives
two answers. A request that timed out is not retried: it may still be running upstream
and billing.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from tiers.base import UpstreamError, UpstreamResponse, UpstreamUnavailable
from tiers.http_upstream import HttpEndpoint, HttpStream

log = logging.getLogger("tierd.remote")

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
T = TypeVar("T")


def _retryable(exc: UpstreamError) -> bool:
    return isinstance(exc, UpstreamUnavailable) or exc.status in RETRYABLE_STATUS


class RetryingEndpoint(HttpEndpoint):
    def __init__(self, *args: Any, max_retries: int = 2, backoff_s: float = 0.5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_retries = max_retries
        self.backoff_s = backoff_s

    async def _delay(self, attempt: int, exc: UpstreamError) -> None:
        delay = self.backoff_s * 2**attempt * (0.5 + random.random())
        log.warning("%s: %s; retry %d/%d in %.2fs", self.replica_id, exc.message, attempt + 1, self.max_retries, delay)
        await asyncio.sleep(delay)

    async def _with_retries(self, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(self.max_retries + 1):
            try:
                return await call()
            except UpstreamError as exc:
                if attempt == self.max_retries or not _retryable(exc):
                    raise
                await self._delay(attempt, exc)
        raise AssertionError("unreachable")

    async def post_json(self, path: str, body: dict[str, Any], request_id: str) -> UpstreamResponse:
        parent = super().post_json
        return await self._with_retries(lambda: parent(path, body, request_id))

    @asynccontextmanager
    async def open_stream(self, path: str, body: dict[str, Any], request_id: str) -> AsyncIterator[HttpStream]:
        parent = super().open_stream
        for attempt in range(self.max_retries + 1):
            try:
                context = parent(path, body, request_id)
                stream = await context.__aenter__()
            except UpstreamError as exc:
                if attempt == self.max_retries or not _retryable(exc):
                    raise
                await self._delay(attempt, exc)
                continue
            try:
                yield stream
            except BaseException as exc:
                if not await context.__aexit__(type(exc), exc, exc.__traceback__):
                    raise
            else:
                await context.__aexit__(None, None, None)
            return
