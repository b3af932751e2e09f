"""POST /v1/feedback: a user's score of one answer, stored in the ledger next to the request's row.

Body: `{"request_id": "req-...", "score": 1, "comment": "optional"}`. The score is a number from -1 (bad)
to 1 (good), 0 neutral; a thumbs up/down is 1/-1, a 1-5 rating maps to (stars - 3) / 2. The request id
is the `x-tierd-request-id` header of the answer. With API keys on, a key can only score its own requests.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import SQLAlchemyError

from server.accounting.ledger import Ledger
from server.accounting.reader import LedgerReader
from server.api.auth import admit_rate, api_key_id
from server.api.http import read_model
from server.api.openapi import json_body
from server.errors import ApiError

router = APIRouter()
MAX_COMMENT_CHARS = 4000


class FeedbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(min_length=1, max_length=64)
    score: float = Field(ge=-1.0, le=1.0, allow_inf_nan=False, description="-1 (bad) to 1 (good)")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)


def _not_found(request_id: str) -> ApiError:
    return ApiError("not_found", f"No request {request_id!r} is known to tierd.", param="request_id")


async def _store(ledger: Ledger, threads: LedgerReader, body: FeedbackBody, api_key_id: str | None) -> dict[str, Any]:
    """On the ledger's own threads (`threads.run`), not the default pool routing uses."""
    try:
        known, owner = await threads.run(ledger.request_owner, body.request_id)
        if not known or (api_key_id is not None and owner != api_key_id):
            raise _not_found(body.request_id)
        feedback_id = await threads.run(ledger.add_feedback, body.request_id, body.score, body.comment, api_key_id)
    except SQLAlchemyError as exc:
        raise ApiError(
            "ledger_unavailable", f"The ledger's database cannot be reached: {type(exc).__name__}", retry_after_s=5
        ) from None
    return {"object": "tierd.feedback", "id": feedback_id, "request_id": body.request_id, "score": body.score}


@router.post("/v1/feedback", openapi_extra=json_body(FeedbackBody, errors=(400, 401, 404, 429, 503)))
async def feedback(request: Request) -> Response:
    """An ApiError becomes its error response in the app's handler (server/app.py)."""
    await admit_rate(request)
    ledger: Ledger | None = request.app.state.ledger
    if ledger is None:
        raise ApiError("not_found", "Feedback is stored in the ledger, which is off (accounting.enabled: false).")
    body = await read_model(request, FeedbackBody)
    return JSONResponse(await _store(ledger, request.app.state.ledger_reader, body, api_key_id(request)))
