"""Harness of the api layer: the real FastAPI app (create_app, its lifespan, its ledger) over in-process scripted tiers.

Each test builds Settings for three tiers (two attached vLLM tiers and a list-priced `openai` frontier, at
dummy URLs nothing listens on), gives create_app one ScriptedTier per configured tier, and talks to the app
through httpx's ASGITransport and the official openai client. Stopping the gateway runs the lifespan's
shutdown, which drains the ledger, so rows can be read from the SQLite file right after.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openai
from fastapi import FastAPI
from sqlalchemy import create_engine, select

from server.accounting.ledger_schema import AttemptRow, RequestRow
from server.app import create_app
from server.settings import OpenAITierSettings, Settings, validate_settings
from tests.support import ROUTING_RULES
from tiers.base import TierKind
from tiers.hardware import load_profiles
from tiers.scripted import Handler, ScriptedTier, chat_response, chat_stream, completion_response
from tiers.scripted_responses import responses_response, responses_stream

NOBODY_LISTENS = "http://127.0.0.1:9/v1"  # the tiers are given in-process: nothing may call this
FRONTIER_PRICES = (2.5, 10.0)  # $ per 1M input and output tokens
LOCAL_TOKENS_PER_HOUR = {"tier-1": 1_000_000, "tier-2": 500_000}
PROMPT_TOKENS, COMPLETION_TOKENS = 12, 5  # what `answering` reports as usage


def vllm_tier(name: str, **extra: Any) -> dict[str, Any]:
    """An attached vLLM tier priced by the cpu profile at a fixed throughput, so its cost is known."""
    cost = {"hardware": "cpu", "tokens_per_hour": LOCAL_TOKENS_PER_HOUR.get(name, 1_000_000)}
    tier = {"name": name, "kind": "vllm", "served_model_name": f"{name}-model", "urls": [NOBODY_LISTENS]}
    return {**tier, "cost": cost, **extra}


def frontier_tier(**extra: Any) -> dict[str, Any]:
    prices = {"price_per_1m_input": FRONTIER_PRICES[0], "price_per_1m_output": FRONTIER_PRICES[1]}
    tier = {"name": "frontier", "kind": "openai", "base_url": NOBODY_LISTENS, "model": "frontier-model"}
    return {**tier, **prices, "max_retries": 0, **extra}


def gateway_settings(tmp_path: Path, **sections: Any) -> Settings:
    """tier-1, tier-2, frontier with rules routing; a section given replaces the default one."""
    data: dict[str, Any] = {
        "server": {"state_dir": str(tmp_path / "state")},
        "tiers": [vllm_tier("tier-1"), vllm_tier("tier-2"), frontier_tier()],
        "routing": ROUTING_RULES,
        "telemetry": {"source": "off"},
        "auth": {"mode": "off"},
        "accounting": {"ledger_url": f"sqlite:///{tmp_path / 'ledger.db'}"},
        **sections,
    }
    return validate_settings(data, "tests/api")


def local_usd(tier: str, tokens: int) -> float:
    """What `tokens` cost on a local tier of gateway_settings: the cpu profile's $/hour over its throughput."""
    return tokens * load_profiles()["cpu"].cloud.usd_per_hour / LOCAL_TOKENS_PER_HOUR[tier]


def frontier_usd(prompt_tokens: int, completion_tokens: int) -> float:
    return (prompt_tokens * FRONTIER_PRICES[0] + completion_tokens * FRONTIER_PRICES[1]) / 1e6


def last_user_text(body: Mapping[str, Any]) -> str:
    if isinstance(body.get("prompt"), str):
        return str(body["prompt"])
    return str(next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user"))


def answering(text: str, *, pieces: list[str] | None = None, logprob: float | None = None) -> Handler:
    """A tier that always answers `text` (streamed as `pieces`, default word by word), like vLLM does; with
    `logprob`, each token's log-probability when the request asks for them."""

    def handler(path: str, body: dict[str, Any]) -> Any:
        usage = {"prompt_tokens": PROMPT_TOKENS, "completion_tokens": COMPLETION_TOKENS, "model": body["model"]}
        if path == "/completions":
            return completion_response(text, **usage)
        parts = pieces if pieces is not None else [w if i == 0 else f" {w}" for i, w in enumerate(text.split(" "))]
        if path == "/responses":
            wanted = logprob is not None and "message.output_text.logprobs" in (body.get("include") or [])
            values = [logprob] * len(parts) if wanted and logprob is not None else None
            if body.get("stream"):
                return responses_stream(parts, logprobs=values, **usage)
            return responses_response(text, logprobs=values, **usage)
        logprobs = [logprob] * len(parts) if logprob is not None and body.get("logprobs") else None
        if body.get("stream"):
            return chat_stream(parts, body, logprobs=logprobs, **usage)
        return chat_response(text, logprobs=logprobs, **usage)

    return handler


def scripted_tiers(settings: Settings, handlers: Mapping[str, Handler] | None = None) -> dict[str, ScriptedTier]:
    """One ScriptedTier per configured tier, of its kind and model; unnamed tiers answer `answer from NAME`."""
    tiers = {}
    for tier in settings.tiers:
        handler = (handlers or {}).get(tier.name) or answering(f"answer from {tier.name}")
        if isinstance(tier, OpenAITierSettings):
            tiers[tier.name] = ScriptedTier(tier.name, tier.model or "", handler, kind=TierKind.OPENAI_REMOTE)
        else:
            tiers[tier.name] = ScriptedTier(tier.name, tier.served_model_name, handler)
    return tiers


@dataclass
class LedgerRows:
    requests: dict[str, Any]  # request id -> its tierd_requests row
    attempts: dict[str, list[Any]]  # request id -> its tierd_attempts rows, in attempt order


def read_ledger(settings: Settings) -> LedgerRows:
    engine = create_engine(settings.accounting.url(settings.server.state_dir))
    with engine.connect() as conn:
        requests = {r.request_id: r for r in conn.execute(select(RequestRow))}
        attempts: dict[str, list[Any]] = {}
        for a in conn.execute(select(AttemptRow).order_by(AttemptRow.attempt_index)):
            attempts.setdefault(a.request_id, []).append(a)
    engine.dispose()
    return LedgerRows(requests, attempts)


@dataclass
class Gateway:
    """A running app: `http` (httpx) and `client` (openai) talk to it; `tiers` are its scripted tiers."""

    settings: Settings
    tiers: dict[str, ScriptedTier]
    http: httpx.AsyncClient
    client: openai.AsyncOpenAI
    _stack: contextlib.AsyncExitStack = field(repr=False)
    app: FastAPI | None = field(default=None, repr=False)  # for a test that looks at its state (ledger, lifecycle)

    async def stop(self) -> LedgerRows:
        """Shut the app down (the lifespan drains the ledger) and read what the ledger holds."""
        await self._stack.aclose()
        return read_ledger(self.settings)

    async def chat(
        self, text: str, *, model: str = "auto", headers: dict[str, str] | None = None, **fields: Any
    ) -> httpx.Response:
        """POST /v1/chat/completions with one user message, through plain httpx."""
        body = {"model": model, "messages": [{"role": "user", "content": text}], **fields}
        return await self.http.post("/v1/chat/completions", json=body, headers=headers)

    async def responses(
        self, prompt: str, *, model: str = "auto", headers: dict[str, str] | None = None, **fields: Any
    ) -> httpx.Response:
        """POST /v1/responses with `prompt` as the input (unless `fields` has one), through plain httpx."""
        body = {"model": model, "input": prompt, **fields}
        return await self.http.post("/v1/responses", json=body, headers=headers)


@contextlib.asynccontextmanager
async def running_gateway(settings: Settings, tiers: dict[str, ScriptedTier] | None) -> AsyncIterator[Gateway]:
    """The app over `tiers`; None: over the real tiers the settings describe (upstreams over HTTP)."""
    app = create_app(settings, tiers=None if tiers is None else list(tiers.values()))
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=app)
        http = await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://tierd"))
        # openai takes a (legacy) httpx client as well as its own httpx2 one; its annotation names only httpx2.
        client = openai.AsyncOpenAI(base_url="http://tierd/v1", api_key="x", http_client=http, max_retries=0)  # type: ignore[arg-type]
        gateway = Gateway(settings, tiers or {}, http, client, stack.pop_all(), app)
    try:
        yield gateway
    finally:
        await gateway._stack.aclose()  # a no-op when the test already stopped it


def sse_lines(response: httpx.Response) -> list[str]:
    return [line for line in response.text.split("\n") if line]


def sse_payloads(response: httpx.Response) -> list[dict[str, Any]]:
    """The JSON objects of a stream's `data:` events."""
    return [json.loads(line[6:]) for line in sse_lines(response) if line.startswith("data: {")]
