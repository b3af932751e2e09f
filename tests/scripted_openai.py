"""A small scripted OpenAI-compatible server, run as its own process: the stand-in for the frontier.

The frontier cannot be reached from the test machine, so escalation tests put this server above a real
vLLM tier. What it answers is scripted by markers in the last user message:
  [[fail]]  -> HTTP 500 with an OpenAI error body
  [[slow]]  -> waits 30 s before answering (a client that gives up must make tierd cancel the call)
  [[drip:S]] -> streams its words S seconds apart (a long stream, for shutdown tests)
  [[loop]]  -> a degenerate, looping answer
  [[wrong]] -> an answer the grading prompt below calls wrong
  [[drop]]  -> streamed: three chunks of the answer, then the connection is dropped (no end of the chunked
               body, no [DONE]: an engine that died mid-answer)
  [[retry-after]] -> the first request of that exact text gets 429 with `Retry-After: 1`; the next one answers
  [[cut-body]] -> a 200 whose JSON body breaks off mid-way (the request was processed: it must not be resent)
  [[trickle]] -> a 200 stream of SSE comments, one every 50 ms, that never ends (for a total deadline)
  [[huge-body]] -> a 200 answer padded to 200 KB (for a body size cap)
  [[rel-429]], [[rel-500]], [[rel-garbage]], [[rel-slowloris]], [[rel-cut]] -> the frontier faults of the
             reliability suite (benchmarks/reliability_faults.py): a 429 with Retry-After, a 500, a 200 whose body
             is not JSON, a 200 whose body (or stream) arrives one byte per second for up to 120 s, and an answer
             cut mid-way: a stream after two content chunks (no usage, no [DONE]), a JSON body after 40 of its
             400 bytes (the connection is closed)
An MT-Bench judge prompt (benchmarks/quality's, as `tierd router learn` sends it) gets "Rating: [[9]]" when
the graded question contains [[easy]], else "Rating: [[2]]": a rule a test can predict labels from.
otherwise a short, sound answer. A request with a JSON response_format gets a JSON object. A grading
request (tierd's verifier prompt) gets "Yes" or "No" (No when the graded answer contains "wrong"), with
top log-probabilities. GET /stats reports requests seen, completed and cancelled.

    python -m tests.scripted_openai --port 8123 --name frontier-sim [--api-key KEY]

With --api-key it guards /v1/* as `vllm serve --api-key` does (401 without `Authorization: Bearer KEY`;
/health stays open) and counts the refusals in /stats.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
from typing import Any

from aiohttp import web

_DRIP = re.compile(r"\[\[drip:([0-9.]+)\]\]")
SOUND = "The capital of France is Paris. It has been the capital since the 10th century."


def _last_user_text(body: dict[str, Any]) -> str:
    if isinstance(body.get("prompt"), str):
        return str(body["prompt"])
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


def _answer(body: dict[str, Any]) -> tuple[str, list[dict[str, Any]] | None]:
    text = _last_user_text(body)
    if text.startswith("You are grading an answer."):
        verdict = "No" if "wrong" in text.split("Answer:", 1)[-1].lower() else "Yes"
        other = "Yes" if verdict == "No" else "No"
        top = [{"token": verdict, "logprob": -0.05}, {"token": other, "logprob": -3.0}]
        return verdict, [{"token": verdict, "logprob": -0.05, "top_logprobs": top}]
    if text.startswith("[Instruction]\nPlease act as an impartial judge"):
        question = text.split("[Question]", 1)[-1].split("[The Start of", 1)[0]
        return ("Rating: [[9]]" if "[[easy]]" in question else "Rating: [[2]]"), None
    if "[[loop]]" in text:
        return "I think I think I think " * 20, None
    if "[[wrong]]" in text:
        return "This answer is wrong on purpose.", None
    fmt = body.get("response_format") or {}
    if fmt.get("type") in ("json_object", "json_schema"):
        return json.dumps({"answer": "Paris", "ok": True}), None
    return SOUND, None


def _error(status: int, message: str, kind: str) -> web.Response:
    error = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return web.json_response(error, status=status, headers={"retry-after": "1"} if status == 429 else None)


async def _rate_limited(request: web.Request, body: dict[str, Any], name: str) -> web.StreamResponse:
    return _error(429, "scripted rate limit", "rate_limit_exceeded")


async def _server_error(request: web.Request, body: dict[str, Any], name: str) -> web.StreamResponse:
    return _error(500, "scripted server error", "server_error")


async def _garbage(request: web.Request, body: dict[str, Any], name: str) -> web.StreamResponse:
    kind = "text/event-stream" if body.get("stream") else "application/json"
    return web.Response(body=b'{"id": "scripted", "choices": [{"mess\xff\x00 not json', content_type=kind)


async def _slowloris(request: web.Request, body: dict[str, Any], name: str) -> web.StreamResponse:
    """Headers at once, then one byte a second: each read is quick, the whole answer takes minutes."""
    kind = "text/event-stream" if body.get("stream") else "application/json"
    response = web.StreamResponse(headers={"content-type": kind})
    await response.prepare(request)
    answer = b'{"id": "slow",' + b" " * 100 + b'"choices": []}'
    for byte in (b"data: " if body.get("stream") else b"") + answer:
        await response.write(bytes([byte]))
        await asyncio.sleep(1.0)
        if request.transport is None or request.transport.is_closing():
            break
    return response


async def _cut_stream(request: web.Request, body: dict[str, Any], name: str) -> web.StreamResponse:
    """Two content chunks (a JSON answer: its first 40 bytes of a promised 400), then the connection closes."""
    response = web.StreamResponse(headers={"content-type": "text/event-stream"})
    if not body.get("stream"):
        response.content_type, response.content_length = "application/json", 400
        await response.prepare(request)
        await response.write(b'{"id": "cut", "choices": [{"index": 0, "')
        if request.transport is not None:
            request.transport.close()
        return response
    await response.prepare(request)
    for piece in ("The capital", " of France"):
        chunk = {"id": "cut", "object": "chat.completion.chunk", "created": int(time.time()), "model": name,
                 "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}  # fmt: skip
        await response.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    if request.transport is not None:
        request.transport.close()
    return response


RELIABILITY_FAULTS = {
    "[[rel-429]]": _rate_limited,
    "[[rel-500]]": _server_error,
    "[[rel-garbage]]": _garbage,
    "[[rel-slowloris]]": _slowloris,
    "[[rel-cut]]": _cut_stream,
}


class Scripted:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stats = {"requests": 0, "completed": 0, "cancelled": 0, "failed": 0, "dropped": 0, "unauthorized": 0}
        self._refused_once: set[str] = set()  # the [[retry-after]] texts already answered 429

    async def _fault(self, request: web.Request, text: str) -> web.StreamResponse | None:
        """The transport faults the markers script (None: answer normally)."""
        if "[[retry-after]]" in text and text not in self._refused_once:
            self._refused_once.add(text)
            error = {"error": {"message": "scripted rate limit", "type": "requests", "param": None, "code": None}}
            return web.json_response(error, status=429, headers={"Retry-After": "1"})
        if "[[cut-body]]" in text:
            response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": "4000"})
            await response.prepare(request)
            await response.write(b'{"id": "cut", "object": "chat.completion", "choices": [')
            assert request.transport is not None
            request.transport.close()
            return response
        if "[[trickle]]" in text:
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            while True:
                await response.write(b": still here\n\n")
                await asyncio.sleep(0.05)
        return None

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.stats["requests"] += 1
        text = _last_user_text(body)
        try:
            fault = RELIABILITY_FAULTS.get(next((m for m in RELIABILITY_FAULTS if m in text), ""))
            if fault is not None:
                self.stats["failed"] += 1
                return await fault(request, body, self.name)
            if "[[slow]]" in text:
                await asyncio.sleep(30)
            if "[[fail]]" in text:
                self.stats["failed"] += 1
                error = {"error": {"message": "scripted failure", "type": "server_error", "param": None, "code": None}}
                return web.json_response(error, status=500)
            fault = await self._fault(request, text)
            if fault is not None:
                return fault
            answer, logprobs = _answer(body)
            if "[[huge-body]]" in text:
                answer += " " + "x" * 200_000
            chat = request.path.endswith("/chat/completions")
            prompt_tokens, completion_tokens = max(1, len(text) // 4), max(1, len(answer) // 4)
            if body.get("stream"):
                drip = _DRIP.search(text)
                pause = float(drip.group(1)) if drip else 0.005
                return await self._stream(request, body, answer, chat, prompt_tokens, completion_tokens, pause)
            choice: dict[str, Any] = {"index": 0, "finish_reason": "stop"}
            if chat:
                choice["message"] = {"role": "assistant", "content": answer}
                choice["logprobs"] = {"content": logprobs} if logprobs and body.get("logprobs") else None
            else:
                choice["text"] = answer
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}
            usage["total_tokens"] = prompt_tokens + completion_tokens
            self.stats["completed"] += 1
            return web.json_response(
                {
                    "id": f"scripted-{self.stats['requests']}",
                    "object": "chat.completion" if chat else "text_completion",
                    "created": int(time.time()),
                    "model": self.name,
                    "choices": [choice],
                    "usage": usage,
                }
            )
        except asyncio.CancelledError:
            self.stats["cancelled"] += 1
            raise

    async def _stream(
        self,
        request: web.Request,
        body: dict[str, Any],
        answer: str,
        chat: bool,
        prompt: int,
        completion: int,
        pause: float,
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        words = answer.split(" ")
        drop = "[[drop]]" in _last_user_text(body)
        for i, word in enumerate(words):
            if drop and i == 3:
                assert request.transport is not None
                request.transport.abort()  # mid-body: the client sees the connection reset, not an end
                self.stats["dropped"] += 1
                return response
            piece = word if i == 0 else " " + word
            choice: dict[str, Any] = {"index": 0, "finish_reason": "stop" if i == len(words) - 1 else None}
            choice.update({"delta": {"content": piece}} if chat else {"text": piece})
            await response.write(b"data: " + json.dumps(self._chunk(chat, [choice])).encode() + b"\n\n")
            await asyncio.sleep(pause)
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
            await response.write(b"data: " + json.dumps({**self._chunk(chat, []), "usage": usage}).encode() + b"\n\n")
        await response.write(b"data: [DONE]\n\n")
        self.stats["completed"] += 1
        return response

    def _chunk(self, chat: bool, choices: list[dict[str, Any]]) -> dict[str, Any]:
        kind = "chat.completion.chunk" if chat else "text_completion"
        return {"id": "scripted", "object": kind, "created": int(time.time()), "model": self.name, "choices": choices}

    async def models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": self.name, "object": "model"}]})

    async def health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def get_stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats)


def _key_guard(scripted: Scripted, api_key: str) -> Any:
    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/v1") and request.headers.get("authorization") != f"Bearer {api_key}":
            scripted.stats["unauthorized"] += 1
            return web.json_response({"error": "Unauthorized"}, status=401)
        response: web.StreamResponse = await handler(request)
        return response

    return guard


def make_app(name: str, api_key: str | None = None) -> web.Application:
    scripted = Scripted(name)
    app = web.Application(middlewares=[_key_guard(scripted, api_key)] if api_key else [])
    app.router.add_post("/v1/chat/completions", scripted.chat)
    app.router.add_post("/v1/completions", scripted.chat)
    app.router.add_get("/v1/models", scripted.models)
    app.router.add_get("/health", scripted.health)
    app.router.add_get("/stats", scripted.get_stats)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", default="frontier-sim")
    parser.add_argument("--api-key", help="require this key on /v1/*, as vllm serve --api-key does")
    args = parser.parse_args()
    # handler_cancellation: a request whose client went away is cancelled (and counted in /stats).
    web.run_app(
        make_app(args.name, args.api_key), host="127.0.0.1", port=args.port, print=None, handler_cancellation=True
    )


if __name__ == "__main__":
    main()
