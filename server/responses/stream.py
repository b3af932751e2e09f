"""A Responses API stream on its way to the client: shaped, metered, and told its cost at its end.

The chat meter (server/response_cost.py) finds usage in a `"choices": []` chunk; a Responses stream has
none: its usage arrives inside the last typed event (`response.completed`, or `.incomplete`/`.failed`),
as `input_tokens`/`output_tokens`. Every event is shaped into OpenAI's schema on the way
(server/responses/shape.py), so each is parsed once here. tierd's figures follow the last event as an SSE
comment, `: tierd {"cost_usd": ..., "cost_basis": ..., "request_id": ...}`: SSE clients (the OpenAI SDK
among them) skip comments, and the schema leaves no field of a response event to put them in.
"""

from __future__ import annotations

import json
from typing import Any

from server.escalation.answer import DONE, RESPONSE_END_EVENTS, event_payload, token_count
from server.escalation.attempts import Run
from server.pricing import Pricer
from server.recording import Progress
from server.response_cost import StreamMeter
from server.responses.shape import client_wants_logprobs, error_event, shape_event, shape_response
from server.routing.costs import format_usd


def encode_event(event: dict[str, Any]) -> bytes:
    """One typed event as OpenAI sends it: its type on an `event:` line, then its JSON."""
    data = json.dumps(event, separators=(",", ":"))
    return f"event: {event.get('type', 'message')}\ndata: {data}\n\n".encode()


class ResponsesStreamMeter(StreamMeter):
    """StreamMeter's contract (usage, cost, error code, `done`) over typed Responses events."""

    def __init__(self, *, logprobs: bool, **meter: Any) -> None:
        super().__init__(client_wants_usage=False, **meter)
        self._logprobs = logprobs  # the client asked for them (else tierd's own are emptied)
        self._sequence = -1

    def feed(self, chunk: bytes) -> bytes:
        out: list[bytes] = []
        for event in self._splitter.feed(chunk):
            payload = event_payload(event)
            if payload is None:
                if DONE not in event:  # OpenAI ends a Responses stream with its last typed event, no [DONE]
                    out.append(event)
                continue
            out.append(self._shaped(payload))
        return b"".join(out)

    def _shaped(self, payload: dict[str, Any]) -> bytes:
        if "type" not in payload and isinstance(payload.get("error"), dict):  # tierd's own mid-stream error
            payload = error_event(payload["error"], self._sequence + 1)
        event = shape_event(payload, logprobs=self._logprobs)
        sequence = event.get("sequence_number")
        self._sequence = sequence if isinstance(sequence, int) else self._sequence
        kind = event.get("type")
        if isinstance(kind, str) and kind.endswith(".delta"):
            self.delivered_chunks += 1
        if kind == "error":
            self.error_code = str(event.get("code") or "upstream_error")
        if kind not in RESPONSE_END_EVENTS or not isinstance(event.get("response"), dict):
            return encode_event(event)
        response = event["response"]
        usage = response.get("usage") if isinstance(response.get("usage"), dict) else {}
        self.usage = {
            "prompt_tokens": token_count(usage.get("input_tokens")),
            "completion_tokens": token_count(usage.get("output_tokens")),
        }
        self.cost_usd = self._cost(self.usage)
        if kind == "response.failed":
            error = response.get("error") if isinstance(response.get("error"), dict) else {}
            self.error_code = str(error.get("code") or "response_failed")
        self.done = True
        figures = {"cost_usd": format_usd(self.cost_usd), "cost_basis": self._basis, "request_id": self._request_id}
        return encode_event(event) + b": tierd " + json.dumps(figures, separators=(",", ":")).encode() + b"\n\n"


def stream_meter(
    responses_api: bool, body: dict[str, Any], run: Run, progress: Progress, pricer: Pricer
) -> StreamMeter:
    """The meter of a run's relayed stream: a Responses one, or the chat/completions one."""
    final = run.tier
    figures: dict[str, Any] = {
        "price": lambda prompt, completion: pricer.attempt_usd(final, prompt, completion),
        "request_id": progress.request_id,
        "cost_basis": progress.cost_basis or "unknown",
        "earlier_usd": run.besides_answer_usd(),  # thrown-away answers, and the verifier's grading
    }
    if responses_api:
        return ResponsesStreamMeter(logprobs=client_wants_logprobs(body), **figures)
    client_wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    return StreamMeter(client_wants_usage=client_wants_usage, **figures)


def shape_json(body: bytes, request: dict[str, Any]) -> bytes:
    """A tier's 200 JSON answer, shaped; a body that is not a response object goes as it came."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    if not isinstance(parsed, dict) or parsed.get("object") != "response":
        return body
    shaped = shape_response(parsed, logprobs=client_wants_logprobs(request))
    return json.dumps(shaped, separators=(",", ":")).encode()
