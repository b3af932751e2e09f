"""Prefix affinity through the service: the next turn of a conversation goes back to the replica that
served the one before, even when load alone would pick another."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.routing.prefix_affinity import ReplicaChoice
from tests.api.harness import Gateway, answering, gateway_settings, running_gateway, scripted_tiers
from tiers.scripted import ScriptedTier

pytestmark = pytest.mark.api

SYSTEM = "You answer questions about the Q3 billing export. Be exact and quote invoice numbers. " * 6
BLOCKER = "Hold this replica busy. " * 20


def _messages(system: str, *user_turns: str) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system}]
    for i, turn in enumerate(user_turns):
        if i:
            messages.append({"role": "assistant", "content": "answer from tier-1"})
        messages.append({"role": "user", "content": turn})
    return messages


async def _chat(gateway: Gateway, messages: list[dict[str, str]]) -> httpx.Response:
    body = {"model": "tier-1", "messages": messages, "max_tokens": 8}  # pinned: the rules are not the point
    response = await gateway.http.post("/v1/chat/completions", json=body)
    assert response.status_code == 200, response.text
    return response


class _TwoReplicas:
    """tier-1 with two scripted replicas; a request whose system prompt is BLOCKER waits for `release`."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.holding = asyncio.Event()
        self.plain = answering("answer from tier-1")

    async def handler(self, path: str, body: dict[str, Any]) -> Any:
        if body["messages"][0]["content"] == BLOCKER:
            self.holding.set()
            await self.release.wait()
        return self.plain(path, body)


async def _busy_first_replica(
    gateway: Gateway, tier: ScriptedTier, script: _TwoReplicas
) -> asyncio.Task[httpx.Response]:
    """A request in flight on tier-1-0 (both idle: the first replica takes it), so load sends the next elsewhere."""
    task = asyncio.create_task(_chat(gateway, _messages(BLOCKER, "wait")))
    await script.holding.wait()
    assert [r.in_flight for r in tier.replicas] == [1, 0]
    return task


@pytest.mark.parametrize(("choice", "second_turn_on"), [("affinity", "tier-1-1"), ("least_loaded", "tier-1-0")])
async def test_the_second_turn_lands_where_the_first_was_served(
    tmp_path: Path, choice: ReplicaChoice, second_turn_on: str
) -> None:
    settings = gateway_settings(tmp_path, placement={"replica_choice": choice})
    script = _TwoReplicas()
    tiers = scripted_tiers(settings)
    tier = tiers["tier-1"] = ScriptedTier("tier-1", "tier-1-model", script.handler, replicas=2)
    async with running_gateway(settings, tiers) as gateway:
        blocker = await _busy_first_replica(gateway, tier, script)
        first = await _chat(gateway, _messages(SYSTEM, "What does invoice 1042 cover?"))
        assert first.headers["x-tierd-replica"] == "tier-1-1"  # tier-1-0 was busy
        script.release.set()
        assert (await blocker).headers["x-tierd-replica"] == "tier-1-0"

        # Both idle now: load alone picks tier-1-0; the cached conversation is on tier-1-1.
        second = await _chat(gateway, _messages(SYSTEM, "What does invoice 1042 cover?", "And 1043?"))
        assert second.headers["x-tierd-replica"] == second_turn_on
        placement = second.headers["x-tierd-placement"]
        if choice == "affinity":
            assert placement.startswith("requested tier is ready; replica tier-1-1: prefix ")
            cached, total = map(int, placement.split("prefix ")[1].removesuffix(" blocks cached").split("/"))
            assert 0 < cached < total  # all of turn 1's full blocks; turn 2 adds more
        else:
            assert placement == "requested tier is ready"


async def test_a_dry_run_looks_up_but_does_not_remember(tmp_path: Path) -> None:
    settings = gateway_settings(tmp_path)
    script = _TwoReplicas()
    tiers = scripted_tiers(settings)
    tier = tiers["tier-1"] = ScriptedTier("tier-1", "tier-1-model", script.handler, replicas=2)
    async with running_gateway(settings, tiers) as gateway:
        blocker = await _busy_first_replica(gateway, tier, script)
        await _chat(gateway, _messages(SYSTEM, "What does invoice 1042 cover?"))  # served by tier-1-1
        other = "Another team's prompt about payroll exports, with its own long instructions. " * 6
        route = await gateway.http.post("/v1/route", json={"model": "tier-1", "messages": _messages(other, "hi")})
        assert route.json()["replica"] == "tier-1-1"  # by load, as tier-1-0 is busy
        script.release.set()
        await blocker

        turn_2 = _messages(SYSTEM, "What does invoice 1042 cover?", "And 1043?")
        explained = (await gateway.http.post("/v1/route", json={"model": "tier-1", "messages": turn_2})).json()
        assert explained["replica"] == "tier-1-1" and "blocks cached" in explained["placement_reason"]
        # The dry run of `other` was not remembered: its next turn goes by load, to tier-1-0.
        follow_up = await _chat(gateway, _messages(other, "hi", "and then?"))
        assert follow_up.headers["x-tierd-replica"] == "tier-1-0"
        assert follow_up.headers["x-tierd-placement"] == "requested tier is ready"
