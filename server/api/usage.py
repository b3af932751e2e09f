"""GET /v1/usage: totals and per-group KPIs of a time window, read from the ledger.

An admin key (or anyone while authentication is off) sees every key's requests; an ordinary key only its
own (the document's `scope` says which). Each call counts against the key's requests per minute.
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from server.accounting.reader import LedgerReader
from server.accounting.usage import GROUP_BYS, GroupBy, UsageReport, read_usage, usage_document
from server.accounting.usage_window import Window, WindowError, resolve_window
from server.api.auth import admit_rate, usage_scope
from server.errors import ApiError

router = APIRouter()


def parse_window(since: str | None, until: str | None) -> Window:
    try:
        return resolve_window(since, until)
    except WindowError as exc:
        raise ApiError("invalid_value", str(exc), param=exc.param) from None


def parse_group_by(value: str | None) -> GroupBy:
    if value is None:
        return "tier"
    if value not in GROUP_BYS:
        message = f"group_by: {value!r} is not one of {', '.join(GROUP_BYS)}"
        raise ApiError("invalid_value", message, param="group_by")
    return cast(GroupBy, value)


def ledger_engine(request: Request) -> Engine | None:
    """The ledger's read engine; None while there is no ledger (accounting off, or nothing written yet)."""
    reader: LedgerReader | None = getattr(request.app.state, "ledger_reader", None)
    return reader.engine() if reader is not None else None


async def read_report(request: Request, window: Window, group_by: GroupBy) -> UsageReport:
    """The window's figures the caller may see, read on the ledger's own threads (SQLAlchemy blocks);
    empty when there is no ledger."""
    key_id = usage_scope(request)
    engine = ledger_engine(request)
    if engine is None:
        return UsageReport(window, group_by, ledger_ready=False, key_id=key_id)
    reader: LedgerReader = request.app.state.ledger_reader
    return await reader.run(read_usage, engine, window, group_by, key_id)


@router.get("/v1/usage")
async def usage(request: Request) -> JSONResponse:
    await admit_rate(request)
    params = request.query_params
    unknown = sorted(set(params) - {"since", "until", "group_by"})
    if unknown:
        raise ApiError("invalid_value", f"unknown query parameter {unknown[0]!r}", param=unknown[0])
    window = parse_window(params.get("since"), params.get("until"))
    group_by = parse_group_by(params.get("group_by"))
    document: dict[str, Any] = usage_document(await read_report(request, window, group_by))
    return JSONResponse(document)
