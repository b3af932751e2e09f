"""HTTP client for one OpenAI-compatible endpoint (a vLLM replica or a remote API).

The httpx client is injected so tests and callers can choose the transport, and so
every replica of a gateway shares one connection pool.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from tiers.base import UpstreamError, UpstreamResponse, UpstreamTimeout, UpstreamUnavailable


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect_s: float = 5.0
    # Longest silence between two bytes of a response; for a non-streamed request this
    # bounds the whole generation, so it must exceed the slowest expected answer.
    read_s: float = 600.0


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
    def __init__(self, response: httpx.Response, replica_id: str) -> None:
        self._response = response
        self.replica_id = replica_id

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.aiter_bytes():
                yield chunk
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(f"{self.replica_id} stalled mid-stream: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} dropped the stream: {exc!r}") from exc


class HttpEndpoint:
    """POSTs to `<api_base><path>`; `api_base` ends in `/v1`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
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
        self._timeout = httpx.Timeout(connect=t.connect_s, read=t.read_s, write=t.read_s, pool=t.connect_s)
        self._headers = {"authorization": f"Bearer {api_key}"} if api_key else {}

    def _request_headers(self, request_id: str) -> dict[str, str]:
        return {**self._headers, "x-request-id": request_id}

    async def post_json(self, path: str, body: dict[str, Any], request_id: str) -> UpstreamResponse:
        try:
            response = await self._client.post(
                self.api_base + path,
                json=body,
                headers=self._request_headers(request_id),
                timeout=self._timeout,
            )
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(f"{self.replica_id} timed out: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} unreachable: {exc!r}") from exc
        if response.status_code >= 400:
            raise _error_from_response(response.status_code, response.content, self.replica_id)
        return UpstreamResponse(
            status=response.status_code,
            body=response.content,
            replica_id=self.replica_id,
            headers={"content-type": response.headers.get("content-type", "application/json")},
        )

    @asynccontextmanager
    async def open_stream(self, path: str, body: dict[str, Any], request_id: str) -> AsyncIterator[HttpStream]:
        request = self._client.build_request(
            "POST",
            self.api_base + path,
            json=body,
            headers=self._request_headers(request_id),
            timeout=self._timeout,
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(f"{self.replica_id} timed out: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise UpstreamUnavailable(f"{self.replica_id} unreachable: {exc!r}") from exc
        try:
            if response.status_code >= 400:
                raw = await response.aread()
                raise _error_from_response(response.status_code, raw, self.replica_id)
            yield HttpStream(response, self.replica_id)
        finally:
            # Closing the connection is what tells vLLM to abort a request whose
            # client went away: never leave it to garbage collection.
            await response.aclose()

    async def get_ok(self, url: str, timeout_s: float = 2.0) -> bool:
        try:
            response = await self._client.get(url, timeout=timeout_s)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
