"""Upstreams that fail: after a stream's 200 (a failure all the same, for escalation and for the usage error rate),
without an answer (a clean OpenAI-style 502/503/504 that names the tier, never the upstream's address), and
always booked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from server.accounting.usage import read_usage
from server.accounting.usage_window import Window
from tests.api.harness import answering, gateway_settings, running_gateway, scripted_tiers, sse_payloads
from tiers.base import UpstreamConnectError, UpstreamError, UpstreamTimeout, UpstreamTooLarge, UpstreamUnavailable
from tiers.scripted import Chunk

pytestmark = pytest.mark.api
SOUND = "The capital of France is Paris. It has been the capital since the 10th century."
INTERNAL = "10.3.7.21:8011"  # an upstream address no client may see
CHECKED = {"tiers": {"tier-1": {"checks": ["empty", "truncation"]}}, "budget": {"max_share": 1.0, "burst": 100}}


def _chunk(content: str, finish_reason: str | None = None) -> dict[str, Any]:
    choice = {"index": 0, "delta": {"content": content}, "finish_reason": finish_reason}
    return {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [choice]}


ERROR_EVENT = {"error": {"message": "the engine died", "type": "server_error", "code": 500}}
CUT_STREAMS: dict[str, list[Chunk]] = {
    "an error event after some text": [_chunk("The capital of"), ERROR_EVENT],
    "a stream that ends with no finish_reason": [_chunk("The capital of"), _chunk(" France")],
}  # (a first tier that fails outright is passed on as it is, as without escalation: test_escalation.py)


@pytest.mark.parametrize("name", list(CUT_STREAMS))
async def test_a_buffered_stream_cut_off_escalates(tmp_path: Path, name: str) -> None:
    settings = gateway_settings(tmp_path, escalation=CHECKED)
    tiers = scripted_tiers(settings, {"tier-1": lambda p, b: CUT_STREAMS[name], "tier-2": answering(SOUND)})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat("What is the capital of France?", stream=True)
        ledger = await gateway.stop()
    assert response.status_code == 200 and response.headers["x-tierd-tier"] == "tier-2"
    text = "".join(p["choices"][0]["delta"].get("content") or "" for p in sse_payloads(response) if p.get("choices"))
    assert text == SOUND and response.text.rstrip().endswith("data: [DONE]")
    (request_id,) = ledger.requests
    first, second = ledger.attempts[request_id]
    assert (first.tier, first.returned, second.tier, second.returned) == ("tier-1", False, "tier-2", True)


def _usage(settings: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    window = Window(now - timedelta(hours=1), now + timedelta(minutes=1))
    return read_usage(create_engine(settings.accounting.url(settings.server.state_dir)), window).totals().result()


async def test_a_stream_that_fails_after_its_200_counts_as_an_error(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path)  # unchecked: the stream is relayed as it comes
    failing = [_chunk("The capital of"), UpstreamUnavailable(f"tier-1-0 dropped the stream: reset by {INTERNAL}")]
    ok = answering(SOUND)
    tiers = scripted_tiers(settings, {"tier-1": lambda p, b: failing if b.get("stream") else ok(p, b)})
    async with running_gateway(settings, tiers) as gateway:
        response = await gateway.chat("hi", stream=True)
        assert (await gateway.chat("hi again")).status_code == 200  # and one that succeeds
        ledger = await gateway.stop()
    assert response.status_code == 200
    (error,) = [p["error"] for p in sse_payloads(response) if "error" in p]
    assert INTERNAL not in response.text and "tier-1" in error["message"]
    row = next(r for r in ledger.requests.values() if r.stream)
    assert (row.status, row.error_code) == (503, "upstream_unavailable")  # a failure, though its headers said 200
    usage = _usage(settings)
    assert (usage["requests"], usage["errors"], usage["error_rate"]) == (2, 1, 0.5)


NO_ANSWER: dict[str, tuple[UpstreamError, int, str]] = {
    "unreachable": (
        UpstreamConnectError(f"tier-1-0 unreachable: ClientConnectorError(host={INTERNAL!r}, http://{INTERNAL}/v1)"),
        503,
        "upstream_unavailable",
    ),
    "past its deadline": (UpstreamTimeout(f"tier-1-0 at http://{INTERNAL}/v1 timed out"), 504, "upstream_timeout"),
    "a body past the cap": (
        UpstreamTooLarge(f"tier-1-0 at {INTERNAL} sent a body over 1024 bytes"),
        502,
        "upstream_response_too_large",
    ),
}


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("name", list(NO_ANSWER))
async def test_no_answer_is_an_openai_error_naming_the_tier_not_its_host(
    tmp_path: Path, name: str, stream: bool
) -> None:
    failure, status, code = NO_ANSWER[name]
    settings = gateway_settings(tmp_path)

    def fail(path: str, body: dict[str, Any]) -> Any:
        raise failure

    async with running_gateway(settings, scripted_tiers(settings, {"tier-1": fail})) as gateway:
        response = await gateway.chat("hi", stream=stream)
        ledger = await gateway.stop()
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("server_error", code)
    assert "tier-1" in error["message"] and INTERNAL not in response.text and "http" not in error["message"]
    (request_id,) = ledger.requests
    row = ledger.requests[request_id]
    assert (row.status, row.error_code, row.final_tier) == (status, code, "tier-1")
    (attempt,) = ledger.attempts[request_id]
    assert attempt.status == status and INTERNAL in attempt.error  # the operator keeps the detail
