"""HTTP client for one OpenAI-compatible endpoint (a vLLM replica or a remote API).

Every replica of a gateway shares one `HttpClient` (one connection pool), injected at
construction and opened inside the event loop. It is aiohttp rather than httpx because
relaying a token stream is the gateway's hot path: measured on the tiny model, 32
streamed tokens cost the client 1.5 ms of CPU with aiohttp and 3.6 ms with httpx.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from tiers.base import UpstreamConnectError, UpstreamError, UpstreamResponse, UpstreamTimeout, UpstreamUnavailable


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect_s: float = 5.0
    # Longest silence between two reads of a response; for a non-streamed request this
    # bounds the whole generation, so it must exceed the slowest expected answer.
    read_s: float = 600.0


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


def _error_from_response(status: int, raw: bytes, where: str) -> UpstreamError:
    """Keep the upstream's own OpenAI-style error body when it sent one."""
    try:
        parsed = json.loads(raw)
    except ValueError:
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


class HttpStream:
    def __init__(self, response: aiohttp.ClientResponse, replica_id: str) -> None:
        self._response = response
        self.replica_id = replica_id

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except TimeoutError as exc:
            raise UpstreamTimeout(f"{self.replica_id} stalled mid-stream") from exc
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
    ) -> None:
        self._client = client
        self.api_base = api_base.rstrip("/")
        self.replica_id = replica_id
        t = timeouts or Timeouts()
        self._timeout = aiohttp.ClientTimeout(total=None, connect=t.connect_s, sock_read=t.read_s)
        self._headers = {"authorization": f"Bearer {api_key}"} if api_key else {}

    def _request_headers(self, request_id: str) -> dict[str, str]:
        return {**self._headers, "x-request-id": request_id}

    async def _send(self, path: str, body: dict[str, Any], request_id: str) -> aiohttp.ClientResponse:
        try:
            return await self._client.session.post(
                self.api_base + path, json=body, headers=self._request_headers(request_id), timeout=self._timeout
            )
        except TimeoutError as exc:
            raise UpstreamTimeout(f"{self.replica_id} timed out") from exc
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamConnectError(f"{self.replica_id} unreachable: {exc!r}") from exc
        except aiohttp.ClientError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} failed: {exc!r}") from exc

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        try:
            return await response.read()
        except TimeoutError as exc:
            raise UpstreamTimeout(f"{self.replica_id} timed out") from exc
        except aiohttp.ClientError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} dropped the response: {exc!r}") from exc

    async def post_json(self, path: str, body: dict[str, Any], request_id: str) -> UpstreamResponse:
        response = await self._send(path, body, request_id)
        try:
            raw = await self._read(response)
        finally:
            response.release()
        if response.status >= 400:
            raise _error_from_response(response.status, raw, self.replica_id)
        return UpstreamResponse(
            status=response.status,
            body=raw,
            replica_id=self.replica_id,
            headers={"content-type": response.headers.get("content-type", "application/json")},
        )

    @asynccontextmanager
    async def open_stream(self, path: str, body: dict[str, Any], request_id: str) -> AsyncIterator[HttpStream]:
        response = await self._send(path, body, request_id)
        try:
            if response.status >= 400:
                raise _error_from_response(response.status, await self._read(response), self.replica_id)
            yield HttpStream(response, self.replica_id)
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
