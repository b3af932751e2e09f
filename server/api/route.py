"""POST /v1/route: the routing decision for a chat-completions (or Responses API) body, explained, without
generating anything."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.api.auth import admit_rate
from server.api.http import error_response, new_request_id, read_json, to_response
from server.api.openapi import json_body
from server.errors import ApiError
from server.protocol import ChatCompletionRequest
from server.service import CompletionService

router = APIRouter()


@router.post("/v1/route", openapi_extra=json_body(ChatCompletionRequest))
async def route(request: Request) -> Response:
    service: CompletionService = request.app.state.service
    request_id = new_request_id()
    try:
        await admit_rate(request)  # a dry run spends nothing, but it costs a classification: the key's rpm applies
        result = await service.route(await read_json(request), request_id)
    except ApiError as error:
        return error_response(error, request_id)
    return to_response(result)
