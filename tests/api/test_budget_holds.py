"""Budgets that hold, through the real app over scripted tiers: reservations bound what parallel requests spend,
cut streams and unknown costs are charged from what was seen, caps refuse oversized requests, and per-key
concurrency slots are held until a request ends (a client that leaves included).

Some tests drive the ASGI app directly (`asgi_call`), as a client that stops reading and goes away would:
httpx's ASGITransport reads every response to its end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from server.accounting.keys import CreatedKey, KeyStore
from server.accounting.shared_state.protocol import day_counter, month_counter
from server.reservations import prompt_bound_tokens
from tests.api.harness import (
    Gateway,
    frontier_tier,
    frontier_usd,
    gateway_settings,
    last_user_text,
    running_gateway,
    scripted_tiers,
    vllm_tier,
)
from tiers.scripted import Handler, chat_response, chat_stream

pytestmark = pytest.mark.api
Reply = tuple[int, dict[str, str], bytes]


async def asgi_call(
    gateway: Gateway,
    body: dict[str, Any],
    *,
    key: CreatedKey | None = None,
    leave_when: Callable[[bytes], bool] | None = None,
    path: str = "/v1/chat/completions",
) -> Reply:
    """POST `body` as a client would; with `leave_when`, the client stops reading once the bytes it got satisfy
    it, and disconnects."""
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json")]
    if key is not None:
        headers.append((b"authorization", f"Bearer {key.secret}".encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 5000), "server": ("tierd", 80),
    }  # fmt: skip
    sent, gone = False, asyncio.Event()
    status, got_headers, received = 0, {}, bytearray()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, got_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            got_headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}
            return
        received.extend(message.get("body", b""))
        if not message.get("more_body"):
            gone.set()  # the response is complete: a client closes its connection
        elif leave_when is not None and leave_when(bytes(received)):
            gone.set()
            await asyncio.Event().wait()  # reads nothing more; the app cancels this send when it sees us go

    await gateway.app(scope, receive, send)
    return status, got_headers, bytes(received)


async def settled(gateway: Gateway) -> None:
    await gateway.app.state.gatekeeper.settled()


async def counter(gateway: Gateway, name: str) -> tuple[float, float]:
    """(spent, held) of a shared-state counter."""
    return await gateway.app.state.gatekeeper.state.spent(name, datetime.now(UTC).timestamp())


def new_key(settings: Any, name: str, **limits: Any) -> CreatedKey:
    return KeyStore(create_engine(settings.accounting.url(settings.server.state_dir))).create(name, **limits)


def chat(text: str, **fields: Any) -> dict[str, Any]:
    return {"model": "frontier", "messages": [{"role": "user", "content": text}], **fields}


async def test_a_stream_cut_right_after_its_last_content_chunk_pays(tmp_path: Path) -> None:
    """Without the charge from what was seen, the cut stream (no usage chunk reached tierd) booked $0."""
    settings = gateway_settings(tmp_path, budgets={"monthly_budget_usd": 10.0})

    def frontier(path: str, body: dict[str, Any]) -> Any:
        return chat_stream(["one", " two", " three"], body, prompt_tokens=40, completion_tokens=3)

    async with running_gateway(settings, scripted_tiers(settings, {"frontier": frontier})) as gateway:
        status, headers, got = await asgi_call(
            gateway, chat("x" * 160, stream=True), leave_when=lambda seen: b"three" in seen
        )
        assert status == 200 and b"usage" not in got and b"[DONE]" not in got
        await settled(gateway)
        spent, held = await counter(gateway, month_counter(datetime.now(UTC)))
        ledger = await gateway.stop()
    row = ledger.requests[headers["x-tierd-request-id"]]
    assert (row.status, row.error_code, row.cost_usd) == (499, "client_disconnected", None)  # unknown, said so
    # The prompt estimate (160 chars / 4) and one token per chunk relayed (role and three pieces).
    assert held == 0.0 and spent == pytest.approx(frontier_usd(40, 4))


async def test_a_client_that_leaves_a_json_request_before_its_answer_pays_the_worst_case(tmp_path: Path) -> None:
    """Nothing shows what the frontier generated (and billed) before the client hung up: charging only the prompt
    would let a client dodge any answer by leaving just before it; the attempt's reserved worst case is charged."""
    settings = gateway_settings(tmp_path, budgets={"monthly_budget_usd": 10.0})
    asked = asyncio.Event()

    async def frontier(path: str, body: dict[str, Any]) -> Any:
        asked.set()
        await asyncio.Event().wait()  # still generating when the client leaves

    async with running_gateway(settings, scripted_tiers(settings, {"frontier": frontier})) as gateway:
        raw = json.dumps(chat("x" * 160, max_tokens=100)).encode()
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
            "path": "/v1/chat/completions", "raw_path": b"/v1/chat/completions", "query_string": b"",
            "root_path": "", "headers": [(b"content-type", b"application/json")],
            "client": ("127.0.0.1", 5000), "server": ("tierd", 80),
        }  # fmt: skip
        messages = [{"type": "http.request", "body": raw, "more_body": False}]

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asked.wait()
            return {"type": "http.disconnect"}

        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)  # a 499 nobody reads

        await gateway.app(scope, receive, send)
        assert sent[0]["status"] == 499
        await settled(gateway)
        spent, held = await counter(gateway, month_counter(datetime.now(UTC)))
        ledger = await gateway.stop()
    [row] = ledger.requests.values()
    assert (row.status, row.error_code) == (499, "client_disconnected")
    # The prompt's bound and the 100 tokens it may have generated.
    assert held == 0.0 and spent == pytest.approx(
        frontier_usd(prompt_bound_tokens(chat("x" * 160, max_tokens=100)), 100)
    )


async def test_parallel_requests_spend_at_most_the_budget_plus_one_reservation(tmp_path: Path) -> None:
    budget, requests, max_tokens = 0.005, 24, 100
    settings = gateway_settings(tmp_path, auth={"mode": "on"}, budgets={"concurrent_requests_per_key": 100})
    key = new_key(settings, "spender", daily_budget_usd=budget)
    entered, refused, go = 0, 0, asyncio.Event()

    def count() -> None:
        if entered + refused == requests:
            go.set()  # every request is in flight or refused: the admitted ones may end now

    async def frontier(path: str, body: dict[str, Any]) -> Any:
        nonlocal entered
        entered += 1
        count()
        await go.wait()
        prompt = (len(last_user_text(body)) + 3) // 4
        return chat_response("y" * max_tokens, prompt_tokens=prompt, completion_tokens=body["max_tokens"])

    async with running_gateway(settings, scripted_tiers(settings, {"frontier": frontier})) as gateway:

        async def one(i: int) -> int:
            nonlocal refused
            status, _, _ = await asgi_call(gateway, chat(f"request {i:04d}", max_tokens=max_tokens), key=key)
            refused += status == 429
            count()
            return status

        statuses = await asyncio.gather(*(one(i) for i in range(requests)))
        await settled(gateway)
        spent, held = await counter(gateway, day_counter(key.key.id, datetime.now(UTC)))
        await gateway.stop()
    reservation = frontier_usd(prompt_bound_tokens(chat("request 0001")), max_tokens)
    assert statuses.count(200) == entered and 0 < entered < requests  # the rest: 429 insufficient_quota
    assert held == pytest.approx(0.0, abs=1e-12) and budget <= spent <= budget + reservation
    assert spent == pytest.approx(entered * frontier_usd(3, max_tokens))  # what each really cost


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (chat("hi", n=128), "n"),
        (chat("hi", n=4, max_tokens=20_000), "max_tokens"),
        (chat("hi", max_completion_tokens=70_000), "max_completion_tokens"),
        ({"model": "auto", "messages": [{"role": "user", "content": "hi"}] * 2_049}, "messages"),
    ],
)
async def test_caps_refuse_oversized_requests_before_any_tier(tmp_path: Path, body: dict[str, Any], param: str) -> None:
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        response = await gateway.http.post("/v1/chat/completions", json=body)
        assert not any(t.requests for t in gateway.tiers.values())
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["param"], error["type"]) == ("invalid_value", param, "invalid_request_error")


async def test_responses_input_items_are_capped_by_config(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, budgets={"max_messages": 3, "max_n": 2})
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        items = [{"role": "user", "content": "hi"}] * 4
        over = await gateway.responses("", input=items)
        within = await gateway.responses("", input=items[:3])
        n_over = await gateway.chat("hi", n=3)
    assert (over.status_code, over.json()["error"]["param"]) == (400, "input")
    assert "budgets.max_messages" in over.json()["error"]["message"]
    assert within.status_code == 200
    assert (n_over.status_code, n_over.json()["error"]["param"]) == (400, "n")


async def test_concurrency_slots_hold_under_parallel_requests_and_come_back_on_disconnect(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, auth={"mode": "on"}, budgets={"concurrent_requests_per_key": 2})
    key = new_key(settings, "busy")
    go, both_in = asyncio.Event(), asyncio.Event()

    async def tier(path: str, body: dict[str, Any]) -> Any:
        if "[[wait]]" in last_user_text(body):
            if sum(len(t.requests) for t in gateway.tiers.values()) == 2:
                both_in.set()
            await go.wait()
        pieces = ["a", " b", " c"]
        return (
            chat_stream(pieces, body, prompt_tokens=3, completion_tokens=3)
            if body.get("stream")
            else (chat_response("a b c", prompt_tokens=3, completion_tokens=3))
        )

    handlers: dict[str, Handler] = {name: tier for name in ("tier-1", "tier-2", "frontier")}
    async with running_gateway(settings, scripted_tiers(settings, handlers)) as gateway:
        waiting = [asyncio.ensure_future(asgi_call(gateway, chat("[[wait]]"), key=key)) for _ in range(2)]
        await both_in.wait()
        third, headers, body = await asgi_call(gateway, chat("third"), key=key)
        assert third == 429 and json.loads(body)["error"]["code"] == "rate_limit_exceeded"
        assert "concurrent requests: limit 2" in json.loads(body)["error"]["message"] and headers["retry-after"] == "1"
        go.set()
        assert [status for status, _, _ in await asyncio.gather(*waiting)] == [200, 200]
        await settled(gateway)
        # Two streams whose clients leave mid-way: their slots come back when tierd sees them go.
        for _ in range(2):
            status, _, got = await asgi_call(gateway, chat("s", stream=True), key=key, leave_when=lambda b: b" b" in b)
            assert status == 200 and b"[DONE]" not in got
        await settled(gateway)
        again = [await asgi_call(gateway, chat("after"), key=key) for _ in range(3)]
        ledger = await gateway.stop()
    assert [status for status, _, _ in again] == [200, 200, 200]  # one at a time: a slot each, given back
    assert sorted(r.status for r in ledger.requests.values()) == [200] * 5 + [429] + [499] * 2


async def test_rpm_refusals_use_no_budget(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path, auth={"mode": "on"})
    key = new_key(settings, "slow", daily_budget_usd=1.0, requests_per_minute=1)
    async with running_gateway(settings, scripted_tiers(settings)) as gateway:
        statuses = [(await asgi_call(gateway, chat("hi"), key=key))[0] for _ in range(4)]
        await settled(gateway)
        spent, held = await counter(gateway, day_counter(key.key.id, datetime.now(UTC)))
        await gateway.stop()
    assert statuses == [200, 429, 429, 429]
    assert (spent, held) == (pytest.approx(frontier_usd(12, 5)), 0.0)  # the one answered request's cost


async def test_an_escalation_with_an_unknown_local_cost_still_books_the_frontier_part(tmp_path: Path) -> None:
    """tier-1 has no price yet (a freshly attached tier before its first scrape): the request's cost is unknown,
    and without the estimate its frontier attempt was not charged either."""
    tiers = [vllm_tier("tier-1", cost={"hardware": "cpu"}), vllm_tier("tier-2"), frontier_tier()]
    checked = {"checks": ["empty"]}
    escalation = {"tiers": {"tier-1": checked, "tier-2": checked}, "budget": {"max_share": 1.0, "burst": 10}}
    settings = gateway_settings(tmp_path, tiers=tiers, escalation=escalation, budgets={"monthly_budget_usd": 5.0})

    def junk(path: str, body: dict[str, Any]) -> Any:
        return chat_response("", prompt_tokens=12, completion_tokens=5)

    handlers: dict[str, Handler] = {"tier-1": junk, "tier-2": junk}
    async with running_gateway(settings, scripted_tiers(settings, handlers)) as gateway:
        response = await gateway.chat("capital of France?")
        assert (response.headers["x-tierd-tier"], response.headers["x-tierd-cost-usd"]) == ("frontier", "unknown")
        await settled(gateway)
        spent, _ = await counter(gateway, month_counter(datetime.now(UTC)))
        ledger = await gateway.stop()
    row = ledger.requests[response.headers["x-tierd-request-id"]]
    assert [a.tier for a in ledger.attempts[row.request_id]] == ["tier-1", "tier-2", "frontier"]
    assert row.cost_usd is None  # the ledger says unknown ...
    # ... and the budget is charged the known parts (tier-2's and the frontier's) plus tier-1's estimate at the
    # dearest known price (the frontier's).
    tier_2 = ledger.attempts[row.request_id][1].cost_usd
    assert spent == pytest.approx(tier_2 + 2 * frontier_usd(12, 5))
