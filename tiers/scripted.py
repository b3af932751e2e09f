"""An in-process tier whose answers a test scripts: the `Tier` protocol without a process or a socket.

Why: the gateway's service, escalation and accounting depend on tiers only through tiers/base.py, so a
tier that answers from a function exercises all of them in milliseconds (the idea of httpx's
`MockTransport`). It keeps what the gateway can observe of a real tier (tiers/pool.py over
tiers/http_upstream.py): READY replicas whose `in_flight` rises during a call, the body forwarded with the
tier's own model name, `UpstreamError` for an error answer, and an abort when a stream is closed early.

A handler gets `(path, body)` (sync or async) and returns, or raises, one of:
- a `dict`: a 200 JSON answer (`bytes`: a 200 body sent as is, e.g. one that is not JSON);
- a list of SSE chunks: `bytes` sent as they are, a `dict` sent as `data: <json>`, an `UpstreamError`
  raised at that point (the upstream dropping the stream); `data: [DONE]` is appended unless present or the
  stream is one of typed Responses API events (a dict with a `type` first: they end with no [DONE]);
  an iterator of chunks is read lazily, so it may be endless (a generation that loops until it is stopped);
- an `UpstreamError`: what the HTTP tier raises for an answer with status >= 400.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from tiers.base import (
    ReplicaSnapshot,
    ReplicaStatus,
    TierKind,
    TierSnapshot,
    UpstreamError,
    UpstreamResponse,
    UpstreamUnavailable,
)
from tiers.load import ReplicaLoad

Chunk = bytes | dict[str, Any] | UpstreamError
Answer = dict[str, Any] | bytes | Sequence[Chunk] | Iterator[Chunk]
Reply = Answer | UpstreamError
Handler = Callable[[str, dict[str, Any]], Reply | Awaitable[Reply]]
DONE = b"data: [DONE]\n\n"


@dataclass(slots=True)
class _Replica:
    replica_id: str
    in_flight: int = 0


class ScriptedStream:
    """One open stream: its chunks as SSE bytes; `ended` once the last was read (or the scripted error raised)."""

    def __init__(self, replica_id: str, chunks: Sequence[Chunk] | Iterator[Chunk]) -> None:
        self.replica_id = replica_id
        self._chunks: Iterator[Chunk] = iter(chunks) if isinstance(chunks, Iterator) else iter(_ended(chunks))
        self.ended = False

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            await asyncio.sleep(0)  # a real upstream yields to the loop between reads
            if isinstance(chunk, UpstreamError):
                self.ended = True
                raise chunk
            yield chunk if isinstance(chunk, bytes) else _sse(chunk)
        self.ended = True


def _ended(chunks: Sequence[Chunk]) -> list[Chunk]:
    """The chunks, with `data: [DONE]` last (typed Responses API events end without it)."""
    last, first = chunks[-1], chunks[0]
    typed = isinstance(first, dict) and "type" in first
    done = typed or (isinstance(last, bytes) and last.strip() == DONE.strip())
    return list(chunks) if done else [*chunks, DONE]


def _sse(chunk: dict[str, Any]) -> bytes:
    """A dict as an SSE event; a typed one (Responses API) with its `event:` line, as vLLM sends it."""
    line = f"event: {chunk['type']}\n" if isinstance(chunk.get("type"), str) else ""
    return f"{line}data: {json.dumps(chunk)}\n\n".encode()


class ScriptedTier:
    """A tier of `replicas` in-process replicas, all answering through `handler`.

    `requests` holds every (path, body) received, the body as the tier forwarded it; `request_ids` the
    matching request ids; `cancelled` counts calls given up while the handler ran and streams closed
    before their end (a real upstream aborts both). `status` sets every replica's status (UNHEALTHY: a
    tier that is down) and `load` what every replica's vLLM /metrics said (None: unknown, as before the
    first scrape), both as placement sees them. `gpus` names each replica's GPUs, as the config does.
    """

    def __init__(
        self,
        name: str,
        model: str,
        handler: Handler,
        *,
        kind: TierKind = TierKind.VLLM_ATTACHED,
        replicas: int = 1,
        status: ReplicaStatus = ReplicaStatus.READY,
        configured: bool = True,
        gpus: Sequence[tuple[str, ...]] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.model = model
        self.handler = handler
        self.status = status
        self.configured = configured
        self.load: ReplicaLoad | None = None
        self.replicas = [_Replica(f"{name}-{i}") for i in range(replicas)]
        self.gpus = list(gpus) if gpus is not None else [() for _ in range(replicas)]
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.request_ids: list[str] = []
        self.cancelled = 0
        self.started = False

    @property
    def local(self) -> bool:
        return self.kind is not TierKind.OPENAI_REMOTE

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    def snapshot(self) -> TierSnapshot:
        now = time.time()
        replicas = tuple(
            ReplicaSnapshot(
                r.replica_id,
                f"scripted://{r.replica_id}/v1",
                self.status,
                r.in_flight,
                0,
                now,
                load=self.load,
                gpus=gpus,
            )
            for r, gpus in zip(self.replicas, self.gpus, strict=True)
        )
        return TierSnapshot(self.name, self.kind, self.model, self.local, self.configured, replicas)

    def _replica(self, chosen: str | None) -> _Replica:
        if self.status is not ReplicaStatus.READY or not self.replicas:
            raise UpstreamUnavailable(f"tier {self.name!r} has no ready replica")
        named = [r for r in self.replicas if r.replica_id == chosen]
        return named[0] if named else min(self.replicas, key=lambda r: r.in_flight)

    async def _reply(self, path: str, body: dict[str, Any], request_id: str) -> Answer:
        forwarded = {**body, "model": self.model}  # as ReplicaTier does: the upstream's own model name
        self.requests.append((path, forwarded))
        self.request_ids.append(request_id)
        try:
            reply = self.handler(path, forwarded)
            if inspect.isawaitable(reply):
                reply = await reply
        except UpstreamError as exc:
            reply = exc
        except asyncio.CancelledError:  # the caller gave up mid-call: a real upstream aborts the request
            self.cancelled += 1
            raise
        if isinstance(reply, UpstreamError):
            raise reply
        return reply

    async def post_json(
        self, path: str, body: dict[str, Any], request_id: str, replica_id: str | None = None
    ) -> UpstreamResponse:
        replica = self._replica(replica_id)
        replica.in_flight += 1
        try:
            reply = await self._reply(path, body, request_id)
        finally:
            replica.in_flight -= 1
        if not isinstance(reply, dict | bytes):
            raise TypeError(f"scripted tier {self.name}: a JSON request needs a dict or bytes, got {type(reply)}")
        raw = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
        return UpstreamResponse(200, raw, replica.replica_id, {"content-type": "application/json"})

    @asynccontextmanager
    async def open_stream(
        self, path: str, body: dict[str, Any], request_id: str, replica_id: str | None = None
    ) -> AsyncIterator[ScriptedStream]:
        replica = self._replica(replica_id)
        replica.in_flight += 1
        stream: ScriptedStream | None = None
        try:
            reply = await self._reply(path, body, request_id)
            if isinstance(reply, dict | bytes) or not reply:
                raise TypeError(f"scripted tier {self.name}: a stream needs a non-empty list of chunks")
            stream = ScriptedStream(replica.replica_id, reply)
            yield stream
        finally:
            replica.in_flight -= 1
            if stream is not None and not stream.ended:
                self.cancelled += 1  # closed before its end: a real upstream would abort the generation


# --- answers shaped like vLLM's (and OpenAI's) -------------------------------------------------------


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    total = prompt_tokens + completion_tokens
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": total}


def _logprobs(values: Sequence[float] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {"content": [{"token": f"t{i}", "logprob": v, "top_logprobs": []} for i, v in enumerate(values)]}


def chat_response(
    text: str,
    *,
    prompt_tokens: int,
    completion_tokens: int,
    finish_reason: str = "stop",
    model: str = "scripted-model",
    logprobs: Sequence[float] | None = None,
) -> dict[str, Any]:
    """A non-streamed chat completion; `logprobs` are per-token log-probabilities (sent when given)."""
    message = {"role": "assistant", "content": text}
    choice = {"index": 0, "message": message, "logprobs": _logprobs(logprobs), "finish_reason": finish_reason}
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [choice],
        "usage": _usage(prompt_tokens, completion_tokens),
    }


def completion_response(
    text: str,
    *,
    prompt_tokens: int,
    completion_tokens: int,
    finish_reason: str = "stop",
    model: str = "scripted-model",
) -> dict[str, Any]:
    """A non-streamed (legacy) text completion."""
    choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": finish_reason}
    return {
        "id": "cmpl-scripted",
        "object": "text_completion",
        "created": int(time.time()),
        "model": model,
        "choices": [choice],
        "usage": _usage(prompt_tokens, completion_tokens),
    }


def wants_usage(body: dict[str, Any]) -> bool:
    return bool((body.get("stream_options") or {}).get("include_usage"))


def chat_stream(
    text_pieces: Sequence[str],
    body: dict[str, Any],
    *,
    prompt_tokens: int,
    completion_tokens: int,
    finish_reason: str = "stop",
    model: str = "scripted-model",
    logprobs: Sequence[float] | None = None,
) -> list[Chunk]:
    """A streamed chat completion as vLLM sends it: the role, one delta per piece, a finish_reason chunk,
    and a usage chunk (`"choices": []`) when `body` asked for one. `logprobs`: one value per piece."""

    def chunk(choices: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": "chatcmpl-scripted",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": choices,
        }

    def choice(delta: dict[str, Any], finish: str | None = None, values: list[float] | None = None) -> dict[str, Any]:
        return {"index": 0, "delta": delta, "logprobs": _logprobs(values), "finish_reason": finish}

    chunks: list[Chunk] = [chunk([choice({"role": "assistant", "content": ""})])]
    for i, piece in enumerate(text_pieces):
        values = [logprobs[i]] if logprobs is not None else None
        content = chunk([choice({"content": piece}, values=values)])
        if wants_chunk_usage(body):  # vLLM's continuous_usage_stats: the counts so far, in every chunk
            content["usage"] = _usage(prompt_tokens, i + 1)
        chunks.append(content)
    chunks.append(chunk([choice({}, finish_reason)]))
    if wants_usage(body):
        chunks.append({**chunk([]), "usage": _usage(prompt_tokens, completion_tokens)})
    return chunks


def wants_chunk_usage(body: dict[str, Any]) -> bool:
    return wants_usage(body) and bool((body.get("stream_options") or {}).get("continuous_usage_stats"))


def endless_chat_stream(
    piece: str,
    body: dict[str, Any],
    *,
    prompt_tokens: int,
    opening: Sequence[str] = (),
    model: str = "scripted-model",
) -> Iterator[Chunk]:
    """A streamed chat completion that never ends: the `opening` pieces, then `piece` again and again, as
    vLLM streams a model caught in a loop with no length limit (usage in every chunk when `body` asks for
    continuous_usage_stats)."""
    head = {"id": "chatcmpl-loop", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
    yield {**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
    generated = 0
    while True:
        text = opening[generated] if generated < len(opening) else piece
        generated += 1
        chunk: dict[str, Any] = {**head, "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        if wants_chunk_usage(body):
            chunk["usage"] = _usage(prompt_tokens, generated)
        yield chunk
