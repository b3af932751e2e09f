"""POST /v1/chat/completions, /v1/completions and /v1/responses: thin routes over the service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.api.auth import admit, unrecorded
from server.api.http import (
    ClientDisconnected,
    error_response,
    log,
    new_request_id,
    read_json,
    request_options,
    to_response,
    until_disconnect,
)
from server.api.openapi import json_body
from server.errors import ApiError
from server.protocol import ChatCompletionRequest, CompletionRequest
from server.responses.protocol import STATELESS, ResponsesRequest
from server.service import CompletionService
from server.service_values import CHAT, COMPLETIONS, RESPONSES, Endpoint

router = APIRouter()


async def _serve(request: Request, endpoint: Endpoint) -> Response:
    service: CompletionService = request.app.state.service
    request_id = new_request_id()
    options = None
    try:
        options = request_options(request)
        options = await admit(request, options, request_id)  # 429 over a budget, rate or concurrency limit
        body = await read_json(request)
    except ApiError as error:
        service.refused(endpoint, request_id, error, options)  # the service records everything after this
        await unrecorded(request, options, request_id)
        return error_response(error, request_id)
    try:
        result = await until_disconnect(request, service.handle(endpoint, body, request_id, options))
    except ApiError as error:
        await unrecorded(request, options, request_id)
        return error_response(error, request_id)
    except ClientDisconnected:
        log.info(
            "request %s: the client disconnected before the response; its upstream calls were cancelled", request_id
        )
        # Nobody reads this; 499 ("client closed request") is what access logs understand.
        return Response(status_code=499)
    return to_response(result)


@router.post("/v1/chat/completions", openapi_extra=json_body(ChatCompletionRequest))
async def chat_completions(request: Request) -> Response:
    return await _serve(request, CHAT)


@router.post("/v1/completions", openapi_extra=json_body(CompletionRequest))
async def completions(request: Request) -> Response:
    return await _serve(request, COMPLETIONS)


@router.post("/v1/responses", openapi_extra=json_body(ResponsesRequest))
async def responses(request: Request) -> Response:
    return await _serve(request, RESPONSES)


@router.get("/v1/responses/{response_id}")
@router.delete("/v1/responses/{response_id}")
@router.post("/v1/responses/{response_id}/cancel")
@router.get("/v1/responses/{response_id}/input_items")
async def stored_response(response_id: str) -> Response:
    """OpenAI's API for stored responses: tierd stores none, and says so instead of a bare 404."""
    message = f"No response with id {response_id!r}: {STATELESS} and stores no responses (store is ignored)."
    return error_response(ApiError("not_found", message, param="response_id"))
