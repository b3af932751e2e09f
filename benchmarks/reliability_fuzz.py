"""Hostile input: schemathesis cases generated from tierd's own /openapi.json, and a committed corpus of
hand-made bodies (benchmarks/data/hostile_bodies.jsonl). No answer may be a 5xx and none may hang.

Schemathesis draws valid (positive) and invalid (negative) requests for every operation; half of the chat,
completions, responses and route bodies get `model` set to a real tier, so that they pass the model lookup
and reach validation, limits and vLLM instead of stopping at 404.

A corpus line is `{"name", "path", "body"}` (sent as JSON), or `"raw"` (a string, sent UTF-8 encoded) or
`"raw_hex"` (bytes) instead of `body`; `"expand": [{"marker", "text", "times"}]` replaces each marker in the
serialized request by `text * times`, which keeps megabyte bodies out of the repository.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from benchmarks.reliability_client import REQUEST_ID_HEADER

CORPUS = Path(__file__).parent / "data" / "hostile_bodies.jsonl"
MODEL_PATHS = ("/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/route")
REAL_MODELS = ("auto", "tier-1", "frontier")
SKIPPED_PATHS = ("/dashboard",)
# The endpoints whose every request is booked; /v1/route (a dry run) and /v1/feedback give ids that are not.
BOOKED_PATHS = (
    "/v1/chat/completions",
    "/v1/completions",
    "/v1/responses",
)  # HTML and its JSON for the page: not part of the API contract fuzzed here


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    cases = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        if "body" in case:
            raw = json.dumps(case["body"]).encode()
        elif "raw_hex" in case:
            raw = bytes.fromhex(case["raw_hex"])
        else:
            raw = case["raw"].encode("utf-8", "surrogatepass")
        for expand in case.get("expand", []):
            raw = raw.replace(expand["marker"].encode(), expand["text"].encode() * expand["times"])
        headers = {"content-type": "application/json", **case.get("headers", {})}
        cases.append({"name": case["name"], "path": case["path"], "raw": raw, "headers": headers})
    return cases


def schemathesis_cases(base_url: str, total: int, seed: int) -> list[dict[str, Any]]:
    """At least `total` requests drawn by schemathesis from /openapi.json, spread over its operations (request
    bodies get most), as plain dicts for the sender. Hypothesis stops early on small input spaces, so passes
    with new seeds follow until there are enough (at most five)."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.core.result import Ok

    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation the document describes wrongly is a finding in itself
            raise RuntimeError(f"schemathesis cannot read an operation of /openapi.json: {result.err()}")
        if not result.ok().path.startswith(SKIPPED_PATHS):
            operations.append(result.ok())
    with_body = [op for op in operations if op.body]
    plain = [op for op in operations if not op.body]
    per_plain = 8
    per_body = max(10, (total - per_plain * len(plain)) // max(1, 2 * len(with_body)))
    rng = random.Random(seed)
    drawn: list[dict[str, Any]] = []
    skipped: list[str] = []

    def draw(op: Any, mode: Any, examples: int, pass_seed: int) -> None:
        label = f"{op.method.upper()} {op.path} {mode.value}"

        @hypothesis_seed(pass_seed)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=op.as_strategy(generation_mode=mode))
        def collect(case: Any) -> None:
            kwargs = case.as_transport_kwargs(base_url=base_url)
            body = kwargs.get("json")
            if op.path in MODEL_PATHS and isinstance(body, dict) and rng.random() < 0.5:
                body["model"] = rng.choice(REAL_MODELS)
            drawn.append({"label": label, **kwargs})

        try:
            collect()
        except Unsatisfiable:  # e.g. no invalid request exists for an operation without parameters
            skipped.append(label)

    for attempt in range(5):
        for op in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                draw(op, mode, per_body if op.body else per_plain // 2, seed * 1000 + attempt)
        if len(drawn) >= total:
            break
    return drawn


async def _send_drawn(client: httpx.AsyncClient, case: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    started = time.monotonic()
    kwargs = {k: v for k, v in case.items() if k in ("method", "url", "params", "headers", "json", "content")}
    if "data" in case and "content" not in kwargs:
        kwargs["content"] = case["data"] if isinstance(case["data"], bytes | str) else json.dumps(case["data"])
    kwargs["headers"] = {str(k): str(v) for k, v in (kwargs.get("headers") or {}).items()}
    try:
        response = await asyncio.wait_for(client.request(**kwargs), timeout_s)
    except TimeoutError:
        return {"label": case["label"], "status": None, "hung": True, "elapsed_s": time.monotonic() - started}
    except httpx.HTTPError as exc:
        return {"label": case["label"], "status": None, "transport_error": repr(exc)[:300]}
    return {
        "label": case["label"],
        "status": response.status_code,
        "request_id": response.headers.get(REQUEST_ID_HEADER),
        "booked": response.request.url.path in BOOKED_PATHS,
        "elapsed_s": time.monotonic() - started,
        "body": None if response.status_code < 500 else _short(case),
        "answer": None if response.status_code < 500 else response.text[:500],
    }


def _short(case: dict[str, Any]) -> str:
    body = case.get("json", case.get("content", case.get("data")))
    text = body if isinstance(body, str) else json.dumps(body, default=repr)
    return f"{case.get('method')} {case.get('url')} params={case.get('params')} body={text[:1500]}"


async def _send_corpus(
    session: aiohttp.ClientSession, url: str, case: dict[str, Any], timeout_s: float
) -> dict[str, Any]:
    started = time.monotonic()
    try:
        async with (
            asyncio.timeout(timeout_s),
            session.post(url + case["path"], data=case["raw"], headers=case["headers"]) as response,
        ):
            text = await response.text(errors="replace")
            status = response.status
            request_id = response.headers.get(REQUEST_ID_HEADER)
    except TimeoutError:
        return {"label": case["name"], "status": None, "hung": True, "elapsed_s": time.monotonic() - started}
    except aiohttp.ClientError as exc:
        return {"label": case["name"], "status": None, "transport_error": repr(exc)[:300]}
    return {
        "label": case["name"],
        "status": status,
        "request_id": request_id,
        "booked": case["path"] in BOOKED_PATHS,
        "elapsed_s": time.monotonic() - started,
        "answer": text[:300],
    }


async def _bounded(calls: list[Any], concurrency: int) -> list[dict[str, Any]]:
    gate = asyncio.Semaphore(concurrency)

    async def one(call: Any) -> dict[str, Any]:
        async with gate:
            result: dict[str, Any] = await call()
            return result

    return list(await asyncio.gather(*(one(c) for c in calls)))


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for r in results:
        key = str(r["status"]) if r["status"] is not None else ("hung" if r.get("hung") else "transport")
        statuses[key] = statuses.get(key, 0) + 1
    bad = [r for r in results if r["status"] is None or r["status"] >= 500]
    return {
        "cases": len(results),
        "server_errors": sum(1 for r in results if r["status"] is not None and r["status"] >= 500),
        "hung": sum(1 for r in results if r.get("hung")),
        "transport_errors": sum(1 for r in results if r.get("transport_error")),
        "statuses": dict(sorted(statuses.items())),
        "max_elapsed_s": max((r.get("elapsed_s", 0.0) for r in results), default=0.0),
        "failures": bad[:20],
    }


async def fuzz(base_url: str, *, cases: int, timeout_s: float, concurrency: int, seed: int) -> dict[str, Any]:
    drawn = await asyncio.to_thread(schemathesis_cases, base_url, cases, seed)
    limits = httpx.Limits(max_connections=concurrency + 2)
    async with httpx.AsyncClient(timeout=None, limits=limits) as client:
        results = await _bounded([lambda c=c: _send_drawn(client, c, timeout_s) for c in drawn], concurrency)
    corpus = load_corpus()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
        hostile = await _bounded([lambda c=c: _send_corpus(session, base_url, c, timeout_s) for c in corpus], 4)
    both = results + hostile
    return {
        **_summary(both),
        "schemathesis": _summary(results),
        "corpus": _summary(hostile),
        "corpus_statuses": {r["label"]: r["status"] for r in hostile},
        "request_ids": [r["request_id"] for r in both if r.get("request_id") and r["booked"]],
    }
