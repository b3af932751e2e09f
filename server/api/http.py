"""Turning service results and errors into HTTP responses: the only place that does."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable
from typing import Any, TypeVar, cast

from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.auth import api_key_id
from server.api.body import parse_body
from server.errors import ApiError, body_too_large, from_validation_error, not_an_object
from server.escalation.settings import StreamMode
from server.service_values import JsonResult, RequestOptions, StreamResult

REQUEST_ID_HEADER = "x-tierd-request-id"
STREAM_MODE_HEADER = "x-tierd-stream-mode"
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger("tierd.requests")


class ClientDisconnected(Exception):
    """The client went away before tierd had a response to send it."""


async def until_disconnect(request: Request, work: Awaitable[T]) -> T:
    """Await `work`, cancelling it if the client disconnects first (the body must already be read).

    Without this, a client that gives up waiting (a timeout during an escalation, say) would leave
    tierd generating on an upstream for nobody; cancelling closes the upstream connection, and vLLM
    aborts the generation.
    """
    task = asyncio.ensure_future(work)

    async def disconnected() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(disconnected())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    raise ClientDisconnected


def request_options(request: Request) -> RequestOptions:
    """The request's own options and its caller's key (authenticated by server/api/auth.py)."""
    mode = request.headers.get(STREAM_MODE_HEADER)
    if mode is not None and mode not in ("buffer", "prefix", "off"):
        raise ApiError(
            "invalid_value",
            f"{STREAM_MODE_HEADER} must be buffer, prefix or off, not {mode!r}",
            param=STREAM_MODE_HEADER,
        )
    return RequestOptions(stream_mode=cast(StreamMode | None, mode), api_key_id=api_key_id(request))


def new_request_id() -> str:
    return f"req-{uuid.uuid4().hex[:24]}"


async def read_json(request: Request) -> Any:
    return parse_body(await request.body())


async def read_model(request: Request, model: type[M]) -> M:
    """The body as `model` (tierd's own endpoints: feedback, keys); raises the 400 of a body that is not one."""
    raw = await read_json(request)
    if not isinstance(raw, dict):
        raise not_an_object()
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


class _AccountedStream(StreamingResponse):
    """An SSE stream whose request is recorded however it ends: the meter records a stream that ran (to its
    end or cut); `abandoned` covers one that never started (the client left between headers and first byte).

    Starlette's own __call__ builds an anyio task group per response to notice a client that leaves; two
    plain tasks do the same here for less, on the gateway's hottest path.
    """

    def __init__(self, result: StreamResult) -> None:
        headers = {**result.headers, "cache-control": "no-cache", "x-accel-buffering": "no"}
        super().__init__(result.chunks, media_type="text/event-stream", headers=headers)
        self._abandoned = result.abandoned

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sending = asyncio.ensure_future(self.stream_response(send))
        watcher = asyncio.ensure_future(_disconnected(receive))
        try:
            await asyncio.wait({sending, watcher}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
            if not sending.done():  # the client left: stop relaying (and so the upstream generation)
                sending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sending
            close = getattr(self.body_iterator, "aclose", None)
            if close is not None:
                await close()  # a generator cut mid-stream runs its end now, not when collected
            if self._abandoned is not None:
                self._abandoned()
        if not sending.cancelled():
            sending.result()  # a failure of the relay itself reaches the server's error handling


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def to_response(result: JsonResult | StreamResult) -> Response:
    if isinstance(result, StreamResult):
        return _AccountedStream(result)
    return Response(result.body, status_code=result.status, media_type="application/json", headers=result.headers)


def error_response(error: ApiError, request_id: str | None = None) -> JSONResponse:
    headers = {REQUEST_ID_HEADER: request_id} if request_id else {}
    if error.retry_after_s is not None:
        headers["retry-after"] = str(error.retry_after_s)
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuses bodies over `limit` bytes with 413, whether or not Content-Length is honest."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await error_response(body_too_large(self.limit))(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        # `send` is not wrapped: it carries every streamed chunk. A body is read before any response starts,
        # so a body that is too large is always found in time for the 413.
        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await error_response(body_too_large(self.limit))(scope, receive, send)
