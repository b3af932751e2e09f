"""The frontier tier over real HTTP: the in-process app with the tiers its settings build, its frontier pointed at
the scripted frontier process (tests/scripted_openai.py), where what matters is the transport: Retry-After, a body
that breaks off after the request was processed, a stream that never ends, a body past the cap. Each request is
answered in OpenAI's shape and booked; the scripted server's /stats says how often the frontier was called."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.app import create_app
from tests.api.harness import frontier_tier, gateway_settings, read_ledger, vllm_tier
from tests.support import ScriptedServer

pytestmark = pytest.mark.api


@contextlib.asynccontextmanager
async def _gateway(tmp_path: Path, scripted: ScriptedServer, **frontier: Any) -> AsyncIterator[httpx.AsyncClient]:
    tiers = [vllm_tier("tier-1"), vllm_tier("tier-2"), frontier_tier(base_url=f"{scripted.root}/v1", **frontier)]
    app = create_app(gateway_settings(tmp_path, tiers=tiers))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tierd", timeout=60) as client:
            yield client


async def _ask(client: httpx.AsyncClient, marker: str, **fields: Any) -> httpx.Response:
    text = f"{marker} {uuid.uuid4().hex}"  # the scripted server remembers texts: each test its own
    body = {"model": "frontier", "messages": [{"role": "user", "content": text}], **fields}
    return await client.post("/v1/chat/completions", json=body)


def _only_row(tmp_path: Path) -> tuple[Any, list[Any]]:
    ledger = read_ledger(gateway_settings(tmp_path))
    (request_id,) = ledger.requests
    return ledger.requests[request_id], ledger.attempts[request_id]


async def test_a_429_with_retry_after_is_retried_once_and_billed_once(tmp_path: Path, scripted: ScriptedServer) -> None:
    before = scripted.stats()
    async with _gateway(tmp_path, scripted, max_retries=2) as client:
        response = await _ask(client, "[[retry-after]]")
    after = scripted.stats()
    assert response.status_code == 200, response.text
    assert after["requests"] - before["requests"] == 2 and after["completed"] - before["completed"] == 1
    row, _ = _only_row(tmp_path)
    assert row.status == 200 and row.cost_usd is not None


async def test_a_body_cut_after_processing_is_not_resent(tmp_path: Path, scripted: ScriptedServer) -> None:
    before = scripted.stats()
    async with _gateway(tmp_path, scripted, max_retries=2) as client:
        response = await _ask(client, "[[cut-body]]")
    assert scripted.stats()["requests"] - before["requests"] == 1  # a retry could have billed it twice
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert (error["code"], error["type"]) == ("upstream_unavailable", "server_error")
    assert "tier 'frontier'" in error["message"] and "127.0.0.1" not in error["message"]
    row, (attempt,) = _only_row(tmp_path)
    assert (row.status, row.error_code, attempt.status) == (503, "upstream_unavailable", 503)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
async def test_an_answer_that_never_ends_is_cut_at_the_total_deadline(
    tmp_path: Path, scripted: ScriptedServer, stream: bool
) -> None:
    async with _gateway(tmp_path, scripted, timeouts={"read_s": 30, "total_s": 1}) as client:
        response = await _ask(client, "[[trickle]]", stream=stream)
    if stream:  # the headers had gone: the stream ends with an error event, not [DONE]
        assert response.status_code == 200
        assert '"code": "upstream_timeout"' in response.text and "[DONE]" not in response.text
    else:
        assert response.status_code == 504, response.text
        assert response.json()["error"]["code"] == "upstream_timeout"
    row, _ = _only_row(tmp_path)
    assert row.error_code == "upstream_timeout"


async def test_a_body_past_the_cap_is_a_502(tmp_path: Path, scripted: ScriptedServer) -> None:
    async with _gateway(tmp_path, scripted, response_limits={"max_body_bytes": 100_000}) as client:
        response = await _ask(client, "[[huge-body]]")
        fine = await _ask(client, "a plain question")
    assert response.status_code == 502, response.text
    assert response.json()["error"]["code"] == "upstream_response_too_large"
    assert fine.status_code == 200
