"""The reliability suite's client side: one request sent and judged, and many clients sending for a while.

Every request ends as an `Outcome`: what came back (status, error code, request id, whether a stream ended
with `[DONE]` or an error event) or what went wrong on the wire (the client's own timeout counts as hung).
`judge()` sorts outcomes into answered, documented refusals (README's error table: an OpenAI-shaped error
with a status that table names) and unexpected (everything else: other 5xx, bodies not in OpenAI's shape,
streams that stop without `[DONE]` or an error event, dropped connections, hangs).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

REQUEST_ID_HEADER = "x-tierd-request-id"
# README "Errors": what tierd answers on purpose. 5xx are documented only where the table names them.
DOCUMENTED_CLIENT_ERRORS = frozenset({400, 401, 404, 413, 429})
DOCUMENTED_5XX_CODES = frozenset({"ledger_backlog", "tier_unavailable", "frontier_unconfigured", "upstream_timeout"})


@dataclass(frozen=True)
class Request:
    """One request of a workload: where it goes and what it carries."""

    kind: str  # a short label for the report
    path: str
    body: dict[str, Any] | None = None
    raw: bytes | None = None  # sent as is instead of `body`
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def stream(self) -> bool:
        return bool(self.body and self.body.get("stream"))


@dataclass
class Outcome:
    kind: str
    started: float  # time.monotonic()
    elapsed_s: float = 0.0
    status: int | None = None
    error_code: str | None = None
    message: str | None = None  # the error's message, cut short
    openai_error: bool = False  # the error (body or final stream event) has OpenAI's shape
    retry_after: str | None = None
    request_id: str | None = None
    stream: bool = False
    stream_done: bool = False  # saw `data: [DONE]`
    stream_error: bool = False  # saw a final `data: {"error": ...}` event
    transport_error: str | None = None
    hung: bool = False  # the client's own timeout fired

    def verdict(self) -> str:
        """ "ok", "refused" (a documented refusal) or "unexpected"."""
        if self.hung or self.transport_error is not None or self.status is None:
            return "unexpected"
        if self.status == 200:
            if not self.stream or self.stream_done:
                return "ok"
            return "refused" if self.stream_error else "unexpected"  # README: a failure after streaming began
        if not self.openai_error:
            return "unexpected"
        if self.status in DOCUMENTED_CLIENT_ERRORS:
            return "refused"
        if self.status in (503, 504) and self.error_code in DOCUMENTED_5XX_CODES:
            # Backpressure is documented with a Retry-After; without one a client cannot know when to come back.
            backpressure_without_hint = self.error_code == "ledger_backlog" and not self.retry_after
            return "unexpected" if backpressure_without_hint else "refused"
        return "unexpected"

    def describe(self) -> dict[str, Any]:
        keys = ("kind", "status", "error_code", "message", "request_id", "transport_error", "hung", "stream_done")
        return {k: getattr(self, k) for k in keys} | {"elapsed_s": round(self.elapsed_s, 3)}


def _read_error(outcome: Outcome, raw: bytes) -> None:
    """The OpenAI-style error in `raw`, if it is one, onto `outcome`."""
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = None
    error = payload.get("error") if isinstance(payload, dict) else None
    outcome.openai_error = isinstance(error, dict) and {"message", "type", "param", "code"} <= set(error)
    if isinstance(error, dict):
        outcome.error_code, outcome.message = error.get("code"), str(error.get("message"))[:200]
    else:
        outcome.message = raw[:200].decode("utf-8", "replace")


async def send(session: aiohttp.ClientSession, base_url: str, request: Request, timeout_s: float) -> Outcome:
    outcome = Outcome(request.kind, time.monotonic(), stream=request.stream)
    data = request.raw if request.raw is not None else json.dumps(request.body).encode()
    headers = {"content-type": "application/json", **request.headers}
    try:
        async with asyncio.timeout(timeout_s):
            async with session.post(base_url + request.path, data=data, headers=headers) as response:
                outcome.status = response.status
                outcome.request_id = response.headers.get(REQUEST_ID_HEADER)
                outcome.retry_after = response.headers.get("retry-after")
                if response.status == 200 and request.stream:
                    await _read_stream(response, outcome)
                else:
                    raw = await response.read()
                    if response.status != 200:
                        _read_error(outcome, raw)
    except TimeoutError:
        outcome.hung = True
    except (aiohttp.ClientError, OSError) as exc:
        outcome.transport_error = f"{type(exc).__name__}: {exc}"[:300]
    outcome.elapsed_s = time.monotonic() - outcome.started
    return outcome


async def _read_stream(response: aiohttp.ClientResponse, outcome: Outcome) -> None:
    async for line in response.content:
        text = line.strip()
        if text == b"data: [DONE]":
            outcome.stream_done = True
        elif text.startswith(b'data: {"error"'):
            _read_error(outcome, text[6:])
            outcome.stream_error = outcome.openai_error


def new_session(connections: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None))


async def run_clients(
    base_url: str,
    pick: Callable[[random.Random, int], Request],
    *,
    clients: int,
    duration_s: float,
    timeout_s: float,
    seed: int = 0,
    session: aiohttp.ClientSession | None = None,
) -> list[Outcome]:
    """`clients` loops, each sending `pick(rng, n)` back to back until `duration_s` has passed; a client told
    Retry-After waits that long first, as the openai SDK does."""
    own = session is None
    session = session or new_session(clients + 8)
    outcomes: list[Outcome] = []
    deadline = time.monotonic() + duration_s

    async def client(index: int) -> None:
        rng = random.Random(seed * 100_003 + index)
        n = 0
        while time.monotonic() < deadline:
            outcome = await send(session, base_url, pick(rng, n), timeout_s)
            outcomes.append(outcome)
            n += 1
            if outcome.retry_after and outcome.retry_after.isdigit():  # as the openai SDK does
                await asyncio.sleep(min(float(outcome.retry_after), max(0.0, deadline - time.monotonic())))

    try:
        await asyncio.gather(*(client(i) for i in range(clients)))
    finally:
        if own:
            await session.close()
    return outcomes


def tally(outcomes: list[Outcome]) -> dict[str, Any]:
    """Counts by verdict and status, and the first few unexpected outcomes in full."""
    verdicts = [o.verdict() for o in outcomes]
    statuses: dict[str, int] = {}
    for o in outcomes:
        key = str(o.status) if o.status is not None else ("hung" if o.hung else "transport")
        statuses[key] = statuses.get(key, 0) + 1
    unexpected = [o for o, v in zip(outcomes, verdicts, strict=True) if v == "unexpected"]
    return {
        "requests": len(outcomes),
        "ok": verdicts.count("ok"),
        "refused": verdicts.count("refused"),
        "unexpected_errors": len(unexpected),
        "hung": sum(o.hung for o in outcomes),
        "statuses": dict(sorted(statuses.items())),
        "unexpected_examples": [o.describe() for o in unexpected[:10]],
    }
