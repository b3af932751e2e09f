"""Recorded junk escalates through HTTP: SmolLM2's real refusal and Gemma's real off-topic answer fail tier-1's
`refusal` and `relevance` checks (the cpu preset's, with the real MiniLM embedder) and go up to tier-2.

tier-1 answers a recorded answer from tests/fixtures/escalation/corpus.jsonl; tier-2 answers SOUND.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.harness import answering, gateway_settings, running_gateway, scripted_tiers

pytestmark = pytest.mark.api
CORPUS = Path(__file__).parents[1] / "fixtures" / "escalation" / "corpus.jsonl"
ROWS = {r["row"]: r for r in map(json.loads, CORPUS.read_text().splitlines())}
SOUND = "Water boils at 100 degrees Celsius at sea level."
CHECKS = ["empty", "degeneration", "refusal", {"name": "relevance", "min_similarity": 0.62}]


def recorded(row: str) -> tuple[str, str]:
    """(the request's last user message, the recorded answer)."""
    record = ROWS[row]
    return record["request"]["messages"][-1]["content"], record["response"]["choices"][0]["message"]["content"]


@pytest.fixture
def gateway_with(tmp_path: Path) -> Callable[[str], Any]:
    def start(tier1_answer: str) -> Any:
        escalation = {"tiers": {"tier-1": {"checks": CHECKS}}, "budget": {"max_share": 1.0, "burst": 100}}
        settings = gateway_settings(tmp_path, escalation=escalation)
        handlers = {"tier-1": answering(tier1_answer), "tier-2": answering(SOUND)}
        return running_gateway(settings, scripted_tiers(settings, handlers))

    return start


@pytest.mark.parametrize(
    ("row", "check"),
    [
        ("smollm2-135m-instruct/default/medical", "refusal"),  # "as a chatbot, I don't have the ability"
        ("gemma3-270m/default/boiling", "relevance"),  # "Water (or water) is commonly found in hot areas..."
    ],
)
async def test_recorded_junk_escalates_by_the_check_that_caught_it(
    gateway_with: Callable[[str], Any], row: str, check: str
) -> None:
    question, answer = recorded(row)
    async with gateway_with(answer) as gateway:
        raw = await gateway.client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": question}]
        )
        metrics = (await gateway.http.get("/metrics")).text
    assert raw.parse().choices[0].message.content == SOUND
    assert (raw.headers["x-tierd-tier"], raw.headers["x-tierd-escalation"]) == ("tier-2", "escalated")
    assert raw.headers["x-tierd-escalated-from"] == "tier-1"
    assert f'tierd_escalations_total{{check="{check}",from_tier="tier-1",to_tier="tier-2"}} 1.0' in metrics


async def test_a_recorded_sound_answer_is_accepted_with_both_checks_passing(
    gateway_with: Callable[[str], Any],
) -> None:
    question, answer = recorded("smollm2-135m-instruct/default/black-hole")
    async with gateway_with(answer) as gateway:
        response = await gateway.chat(question)
    assert response.json()["choices"][0]["message"]["content"] == answer
    assert (response.headers["x-tierd-tier"], response.headers["x-tierd-escalation"]) == ("tier-1", "accepted")
    assert {"refusal:pass", "relevance:pass"} <= set(response.headers["x-tierd-checks"].split(","))


async def test_a_buffered_stream_of_recorded_junk_escalates_too(gateway_with: Callable[[str], Any]) -> None:
    question, answer = recorded("gemma3-270m/default/boiling")
    async with (
        gateway_with(answer) as gateway,
        gateway.client.chat.completions.with_streaming_response.create(
            model="auto", messages=[{"role": "user", "content": question}], stream=True
        ) as response,
    ):
        chunks = [chunk async for chunk in await response.parse()]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == SOUND
    assert (response.headers["x-tierd-tier"], response.headers["x-tierd-escalation"]) == ("tier-2", "escalated")
