"""How the quality harness reaches each tier: through tierd's own tier clients, or through a running tierd.

- Default: the tier objects the gateway builds (server/wiring.py `build_tiers`). A managed tier's replicas
  are launched for the run and stopped after it, one tier at a time (as `tierd bench hardware` does), so
  tiers never share the device while answering; attached and remote tiers are used where they are.
- `--url http://tierd/v1`: every request goes to a running tierd with `model=<the tier's model>`, which pins
  it to that tier (the gateway's routing and escalation stay out of the way).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.quality.model import Message
from benchmarks.quality.prompts import Request
from benchmarks.quality.runner import Call, parse_answer
from server.routing.costs import TierPricing, tier_cost
from server.settings import OpenAITierSettings, Settings, VllmTierSettings
from server.wiring import build_tiers
from tiers.http_upstream import HttpClient, HttpEndpoint, Timeouts
from tiers.pool import ReplicaTier


def model_of(settings: Settings, tier: str) -> str:
    spec = settings.tier(tier)
    if isinstance(spec, VllmTierSettings):
        return spec.served_model_name
    return spec.model or ""


def frontier_configured(settings: Settings) -> tuple[bool, str]:
    """Whether the last tier can be asked at all, and why not."""
    frontier = settings.tiers[-1]
    if isinstance(frontier, OpenAITierSettings) and not frontier.configured:
        missing = ", ".join(frontier.missing_settings())
        return False, f"the frontier tier {frontier.name!r} is not configured (missing {missing})"
    return True, ""


@dataclass
class TierAccess:
    """One reachable tier for the duration of a `tier_session`."""

    tier: str
    model: str
    call: Call
    pricing: TierPricing
    _tier: ReplicaTier | None = None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        snapshot = self._tier.snapshot() if self._tier is not None else None
        return tier_cost(self.pricing, snapshot).request_usd(prompt_tokens, completion_tokens)


class TierGateway:
    """Builds every tier once (nothing starts); `session(name)` starts one, yields it, and stops it."""

    def __init__(
        self, settings: Settings, client: HttpClient, pricing: dict[str, TierPricing], url: str | None = None
    ) -> None:
        self.settings = settings
        self.pricing = pricing
        self._client = client
        self._tiers = {t.name: t for t in build_tiers(settings, client)} if url is None else {}
        limit = settings.bench.quality.request_timeout_s  # one call's limit, the whole call
        timeouts = Timeouts(connect_s=10.0, read_s=limit, total_s=limit)
        self._tierd = HttpEndpoint(client, url, replica_id="tierd", timeouts=timeouts) if url else None

    @contextlib.asynccontextmanager
    async def session(self, name: str, startup_timeout_s: float | None = None) -> AsyncIterator[TierAccess]:
        model = model_of(self.settings, name)
        if self._tierd is not None:
            endpoint = self._tierd

            async def via_tierd(request: Request, request_id: str) -> dict[str, Any]:
                response = await endpoint.post_json(request.path, {**request.body, "model": model}, request_id)
                return dict(json.loads(response.body))

            yield TierAccess(name, model, via_tierd, self.pricing[name])
            return
        tier = self._tiers[name]
        await tier.start()
        try:
            await _wait_ready(tier, startup_timeout_s or _startup_timeout(self.settings, name))

            async def direct(request: Request, request_id: str) -> dict[str, Any]:
                response = await tier.post_json(request.path, request.body, request_id)
                return dict(json.loads(response.body))

            yield TierAccess(name, model, direct, self.pricing[name], tier)
        finally:
            await tier.stop()


def _startup_timeout(settings: Settings, name: str) -> float:
    spec = settings.tier(name)
    return spec.supervision.startup_timeout_s if isinstance(spec, VllmTierSettings) else 30.0


async def _wait_ready(tier: ReplicaTier, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not tier.snapshot().ready:
        if time.monotonic() > deadline:
            errors = "; ".join(r.last_error or r.status for r in tier.snapshot().replicas) or "no replica"
            raise RuntimeError(f"tier {tier.name} not ready after {timeout_s:.0f}s: {errors}")
        await asyncio.sleep(0.5)


async def probe(access: TierAccess) -> str | None:
    """One tiny call: None when the tier answers, else why not."""
    request = Request("/chat/completions", {"messages": [{"role": "user", "content": "Say OK."}], "max_tokens": 2})
    try:
        await access.call(request, "quality-probe")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class TierJudge:
    """The MT-Bench judge (scorers' `Judge`): the frontier tier at temperature 0."""

    def __init__(self, access: TierAccess) -> None:
        self._access = access

    async def __call__(self, messages: Sequence[Message], max_tokens: int = 512) -> str:
        body = {"messages": [dict(m) for m in messages], "max_tokens": max_tokens, "temperature": 0.0}
        answer = await self._access.call(Request("/chat/completions", body), "quality-judge")
        return parse_answer(answer, "/chat/completions")[0]
