"""HTTP client for one OpenAI-compatible endpoint (a vLLM replica or a remote API).

Every replica of a gateway shares one `HttpClient` (one connection pool), injected at
construction and opened inside the event loop. It is aiohttp rather than httpx because
relaying a token stream is the gateway's hot path: measured on the tiny model, 32
streamed tokens cost the client 1.5 ms of CPU with aiohttp and 3.6 ms with httpx.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from tiers.base import (
    UpstreamConnectError,
    UpstreamError,
    UpstreamMalformed,
    UpstreamResponse,
    UpstreamTimeout,
    UpstreamTooLarge,
    UpstreamUnavailable,
)


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect_s: float = 5.0
    # Longest silence between two reads of a response.
    read_s: float = 600.0
    # The whole call, from sending the request to the last byte of its answer (a stream's too), retries
    # included: an upstream that trickles bytes forever is cut here.
    total_s: float = 900.0
    # Longest time one piece of an answer may take once its first byte is in: a non-streamed body after its
    # headers (the upstream had the answer before it sent them), one SSE event of a stream (vLLM writes each
    # in one go). A slowloris upstream sends a byte now and then, so read_s never fires; this does.
    trickle_s: float = 30.0


@dataclass(frozen=True, slots=True)
class ResponseLimits:
    """The most tierd reads of an upstream's answer: a non-streamed body, and one SSE event of a stream."""

    max_body_bytes: int = 32 * 1024 * 1024
    max_event_bytes: int = 4 * 1024 * 1024


def retry_after_s(headers: Mapping[str, str]) -> float | None:
    """An answer's Retry-After, in seconds from now (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when.tzinfo is not None else None


class HttpClient:
    """The shared connection pool; `open()` and `close()` run inside the event loop."""

    def __init__(self, max_connections: int = 2048, keepalive_s: float = 30.0) -> None:
        self._max_connections = max_connections
        self._keepalive_s = keepalive_s
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._max_connections, keepalive_timeout=self._keepalive_s)
            # No proxies from the environment: upstreams are addressed exactly as configured.
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("HttpClient used before open()")
        return self._session


def _error_from_response(status: int, raw: bytes, where: str, headers: Mapping[str, str]) -> UpstreamError:
    """Keep the upstream's own OpenAI-style error body when it sent one, and its Retry-After."""
    error = _error_of_body(status, raw, where)
    error.retry_after_s = retry_after_s(headers)
    return error


def _error_of_body(status: int, raw: bytes, where: str) -> UpstreamError:
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        message = str(parsed["error"].get("message", ""))
        return UpstreamError(status, message or f"{where} returned {status}", body=parsed)
    if isinstance(parsed, dict) and "message" in parsed:
        # vLLM's older error shape: {"object": "error", "message": ..., "type": ..., "code": ...}
        error = {k: parsed.get(k) for k in ("message", "type", "param", "code")}
        return UpstreamError(status, str(parsed["message"]), body={"error": error})
    text = raw[:500].decode("utf-8", "replace").strip()
    return UpstreamError(status, f"{where} returned {status}: {text}" if text else f"{where} returned {status}")


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


class HttpStream:
    """An open 200 stream's bytes; an event (the bytes between two blank lines) past `max_event_bytes` ends it."""

    def __init__(
        self, response: aiohttp.ClientResponse, replica_id: str, max_event_bytes: int, trickle_s: float = 30.0
    ) -> None:
        self._response = response
        self.replica_id = replica_id
        self._max_event_bytes = max_event_bytes
        self._trickle_s = trickle_s

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        unended = 0  # bytes since the last event's end
        loop = asyncio.get_running_loop()
        begun: float | None = None  # when the unfinished event's first byte came
        chunks = self._response.content.iter_any().__aiter__()
        try:
            while True:
                if begun is None:  # between events: silence is read_s's to judge
                    chunk = await anext(chunks, None)
                else:
                    left = begun + self._trickle_s - loop.time()
                    try:
                        chunk = await asyncio.wait_for(anext(chunks, None), max(0.0, left))
                    except TimeoutError:
                        raise UpstreamTimeout(
                            f"{self.replica_id} trickled one event for over {self._trickle_s:g} s"
                        ) from None
                if chunk is None:
                    return
                end = chunk.rfind(b"\n\n")
                unended = unended + len(chunk) if end < 0 else len(chunk) - end - 2
                if unended > self._max_event_bytes:
                    raise UpstreamTooLarge(f"{self.replica_id} sent an event over {self._max_event_bytes} bytes")
                begun = None if unended == 0 else (begun if end < 0 and begun is not None else loop.time())
                yield chunk
        except TimeoutError as exc:
            raise UpstreamTimeout(f"{self.replica_id} stalled mid-stream or passed its total deadline") from exc
        except aiohttp.ClientError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} dropped the stream: {exc!r}") from exc


class HttpEndpoint:
    """POSTs to `<api_base><path>`; `api_base` ends in `/v1`."""

    def __init__(
        self,
        client: HttpClient,
        api_base: str,
        *,
        replica_id: str,
        api_key: str | None = None,
        timeouts: Timeouts | None = None,
        limits: ResponseLimits | None = None,
    ) -> None:
        self._client = client
        self.api_base = api_base.rstrip("/")
        self.replica_id = replica_id
        self.timeouts = timeouts or Timeouts()
        self.limits = limits or ResponseLimits()
        self._headers = {"authorization": f"Bearer {api_key}"} if api_key else {}

    def _request_headers(self, request_id: str) -> dict[str, str]:
        return {**self._headers, "x-request-id": request_id}

    def deadline(self) -> float:
        """When a call started now must be over (the event loop's clock)."""
        return asyncio.get_running_loop().time() + self.timeouts.total_s

    def _timeout(self, deadline: float | None) -> aiohttp.ClientTimeout:
        t = self.timeouts
        left = t.total_s if deadline is None else deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise UpstreamTimeout(f"{self.replica_id} passed its total deadline of {t.total_s:g} s")
        return aiohttp.ClientTimeout(total=left, connect=t.connect_s, sock_read=t.read_s)

    async def _send(
        self, path: str, body: dict[str, Any], request_id: str, deadline: float | None = None
    ) -> aiohttp.ClientResponse:
        timeout = self._timeout(deadline)
        try:
            return await self._client.session.post(
                self.api_base + path, json=body, headers=self._request_headers(request_id), timeout=timeout
            )
        except TimeoutError as exc:
            raise UpstreamTimeout(f"{self.replica_id} timed out") from exc
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamConnectError(f"{self.replica_id} unreachable: {exc!r}") from exc
        except aiohttp.ClientError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} failed: {exc!r}") from exc

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        """The whole body, up to `max_body_bytes` (a bigger one is an UpstreamTooLarge, read no further)."""
        limit = self.limits.max_body_bytes
        too_large = UpstreamTooLarge(f"{self.replica_id} sent a body over {limit} bytes")
        if response.content_length is not None and response.content_length > limit:
            raise too_large
        parts: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.timeouts.trickle_s):
                async for chunk in response.content.iter_any():
                    size += len(chunk)
                    if size > limit:
                        raise too_large
                    parts.append(chunk)
        except TimeoutError as exc:
            raise UpstreamTimeout(
                f"{self.replica_id} timed out (its body took over {self.timeouts.trickle_s:g} s)"
            ) from exc
        except aiohttp.ClientError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} dropped the response: {exc!r}") from exc
        return b"".join(parts)

    async def _error(self, response: aiohttp.ClientResponse) -> UpstreamError:
        """An answer of status >= 400 as its UpstreamError (its status kept if its body cannot be read)."""
        try:
            raw = await self._read(response)
        except UpstreamError:
            raw = b""
        return _error_from_response(response.status, raw, self.replica_id, response.headers)

    async def post_json(
        self, path: str, body: dict[str, Any], request_id: str, deadline: float | None = None
    ) -> UpstreamResponse:
        response = await self._send(path, body, request_id, deadline)
        try:
            if response.status >= 400:
                raise await self._error(response)
            raw = await self._read(response)
            payload = _json_object(raw)
            if payload is None:
                raise UpstreamMalformed(f"{self.replica_id} answered 200 with a body that is not a JSON object")
        finally:
            if response.content.at_eof():
                response.release()
            else:  # a body left unread (too large, or an error's): the connection cannot be reused
                response.close()
        return UpstreamResponse(
            status=response.status,
            body=raw,
            replica_id=self.replica_id,
            headers={"content-type": response.headers.get("content-type", "application/json")},
            payload=payload,
        )

    @asynccontextmanager
    async def open_stream(
        self, path: str, body: dict[str, Any], request_id: str, deadline: float | None = None
    ) -> AsyncIterator[HttpStream]:
        response = await self._send(path, body, request_id, deadline)
        try:
            if response.status >= 400:
                raise await self._error(response)
            yield HttpStream(response, self.replica_id, self.limits.max_event_bytes, self.timeouts.trickle_s)
        finally:
            # Closing (not releasing) the connection of an unfinished stream is what tells
            # vLLM to abort a request whose client went away.
            if response.content.at_eof():
                response.release()
            else:
                response.close()

    async def get_ok(self, url: str, timeout_s: float = 2.0) -> bool:
        try:
            async with self._client.session.get(url, timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False
