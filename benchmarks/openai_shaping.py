"""What putting answers in OpenAI's shape costs tierd's CPU, on real vLLM 0.32 bodies.

    python -m benchmarks.openai_shaping

Replays the recorded vLLM bodies of tests/fixtures/openai_shape/vllm_bodies.jsonl: a 32-token chat stream
(vLLM's first chunk, 31 content chunks, the finish chunk, the usage chunk, `[DONE]`) through the runner's
per-event `Strip`, and a JSON answer through `shape_json`. Prints the best of 5 timings (this is CPU work
only; the whole request path is benchmarks/gateway_overhead.py).
"""

from __future__ import annotations

import json
import timeit
from pathlib import Path

from server.escalation.streams import Strip, shape_json
from tiers.base import UpstreamResponse

RECORDED = Path(__file__).parents[1] / "tests" / "fixtures" / "openai_shape" / "vllm_bodies.jsonl"


def main() -> None:
    rows = {row["case"]: row for row in map(json.loads, RECORDED.read_text().splitlines())}
    chunks = rows["chat-stream-usage"]["chunks"]
    stream = [chunks[0], *[chunks[1]] * 31, chunks[-2], chunks[-1]]
    events = [b"data: " + json.dumps(c, separators=(",", ":")).encode() + b"\n\n" for c in stream]
    events.append(b"data: [DONE]\n\n")
    raw = json.dumps(rows["chat"]["body"]).encode()

    def one_stream() -> None:
        strip = Strip(logprobs=False)
        for event in events:
            strip.apply(event)

    def one_json() -> None:
        shape_json(UpstreamResponse(200, raw, "r"), json.loads(raw), strip_logprobs=False)

    def parse_only() -> None:  # what reading every event costs, shaped or not: the floor
        for event in events[:-1]:
            json.loads(event[6:])

    for name, work, count in (("32-token stream", one_stream, 500), ("parse only", parse_only, 500)):
        seconds = min(timeit.repeat(work, number=count, repeat=5)) / count
        print(f"{name:>16}: {seconds * 1e3:.3f} ms ({seconds / len(events) * 1e6:.1f} us per event)")
    seconds = min(timeit.repeat(one_json, number=2000, repeat=5)) / 2000
    print(
        f"{'JSON answer':>16}: {seconds * 1e6:.1f} us (json.loads, which the runner does anyway, shape and json.dumps)"
    )


if __name__ == "__main__":
    main()
