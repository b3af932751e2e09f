"""What the runaway guard saves on real recorded outputs, and whether it stops sound answers.

    python -m benchmarks.runaway_guard [--min-tokens 64] [--every-tokens 32] [--window-tokens 256]

Replays, token by token through the guard (server/escalation/runaway.py, the cpu preset's thresholds by
default), every recorded output in tests/fixtures/escalation/:
- runaway.jsonl: 512-token streamed runs of SmolLM2-135M-Instruct, Gemma 3 270M (base) and the tiny model at
  the engine's default sampling (record_runaway.py), with their decode time;
- outputs.jsonl: 96-token greedy answers (record.py), token by token from their log-probabilities;
- corpus.jsonl: 240 answers (max_tokens 256) of the bundled models, hand-labelled acceptable or not in
  labels.jsonl (record_corpus.py): whole texts, cut into 4-character pieces; a stop on an acceptable
  answer is a false stop by a person's judgement.
Each output is labelled by the `degeneration` check run on its whole text, as tierd judges a finished
answer. Per output: total tokens, the token at which the guard stops, tokens saved, and seconds saved at
that model's decode rate (its tokens over the recorded seconds from first to last piece, median per model
for the non-streamed answers). A stop on an output whose whole text passes the check is a false stop.
The guard's own CPU time per token is measured too (the hot path), next to a naive judgement of the whole
text at every token. Writes benchmarks/results/runaway_guard.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.report import write_report
from server.escalation.answer import Answer, event_payload
from server.escalation.checks import CheckRequest, DegenerationCheck
from server.escalation.runaway import GuardConfig, RunawayGuard

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "escalation"
DEFAULT_OUT = Path(__file__).parent / "results" / "runaway_guard.json"


@dataclass(frozen=True, slots=True)
class Recorded:
    source: str  # the fixture file
    model: str
    prompt_id: str
    pieces: tuple[str, ...]  # the streamed text, one piece per chunk
    tokens: tuple[int, ...]  # generated tokens after each piece
    decode_s: float | None  # first piece to last, when recorded streamed
    label: str | None = None  # the hand label (corpus.jsonl), when there is one


@dataclass(frozen=True, slots=True)
class Replayed:
    source: str
    model: str
    prompt_id: str
    degenerate: bool  # the degeneration check fails the whole text
    total_tokens: int
    stopped_at: int | None  # generated tokens when the guard stopped it; None: never
    tokens_saved: int
    decode_tok_s: float | None
    seconds_saved: float | None
    detail: str
    label: str | None = None


def load_recorded() -> list[Recorded]:
    out = []
    for line in (FIXTURES / "runaway.jsonl").read_text().splitlines():
        row = json.loads(line)
        out.append(
            Recorded(
                "runaway.jsonl", row["model"], row["prompt_id"], tuple(row["pieces"]), tuple(row["tokens"]),
                row["decode_s"],
            )
        )  # fmt: skip
    labels = {
        row["row"]: row["acceptable"] for row in map(json.loads, (FIXTURES / "labels.jsonl").read_text().splitlines())
    }
    for line in (FIXTURES / "corpus.jsonl").read_text().splitlines():
        row = json.loads(line)
        text = row["response"]["choices"][0]["message"]["content"] or ""
        # Recorded as whole answers: cut into 4-character pieces (about a token of English), the recorded
        # completion tokens spread evenly over them.
        pieces = tuple(text[i : i + 4] for i in range(0, len(text), 4))
        total = row["response"]["usage"]["completion_tokens"]
        counts = tuple(max(1, round((i + 1) * total / len(pieces))) for i in range(len(pieces)))
        label = "acceptable" if labels[row["row"]] else "not acceptable"
        out.append(Recorded("corpus.jsonl", row["model"], f"{row['prompt_id']}", pieces, counts, None, label))
    for line in (FIXTURES / "outputs.jsonl").read_text().splitlines():
        row = json.loads(line)
        content = row["response"]["choices"][0]["logprobs"]["content"]
        pieces = tuple(t["token"] for t in content if t["token"] not in ("<|im_end|>", "</s>", "<end_of_turn>"))
        out.append(
            Recorded("outputs.jsonl", row["model"], row["prompt_id"], pieces, tuple(range(1, len(pieces) + 1)), None)
        )
    return out


def chunks(recorded: Recorded) -> Iterator[dict[str, Any]]:
    """The output as the chunks vLLM streams with continuous_usage_stats."""
    for piece, tokens in zip(recorded.pieces, recorded.tokens, strict=True):
        yield {"choices": [{"index": 0, "delta": {"content": piece}}], "usage": {"completion_tokens": tokens}}


def rates_by_model(recorded: list[Recorded]) -> dict[str, float]:
    """Each model's decode rate: median over its streamed runs of tokens / seconds."""
    rates: dict[str, list[float]] = {}
    for r in recorded:
        if r.decode_s and len(r.tokens) > 1:
            rates.setdefault(r.model, []).append((r.tokens[-1] - r.tokens[0]) / r.decode_s)
    return {model: statistics.median(values) for model, values in rates.items()}


def replay(recorded: Recorded, guard: RunawayGuard, rate: float | None) -> Replayed:
    watch = guard.watch()
    for chunk in chunks(recorded):
        if watch.add(chunk) is not None:
            break
    text = "".join(recorded.pieces)
    whole = DegenerationCheck().run(Answer(text=text, finish_reason=None), CheckRequest(prompt_text=""))
    total = recorded.tokens[-1] if recorded.tokens else 0
    stopped = watch.trip.tokens if watch.trip else None
    saved = total - stopped if stopped is not None else 0
    own_rate = (total - recorded.tokens[0]) / recorded.decode_s if recorded.decode_s and total > 1 else rate
    return Replayed(
        recorded.source,
        recorded.model,
        recorded.prompt_id,
        degenerate=not whole.passed,
        total_tokens=total,
        stopped_at=stopped,
        tokens_saved=saved,
        decode_tok_s=round(own_rate, 1) if own_rate else None,
        seconds_saved=round(saved / own_rate, 2) if own_rate else None,
        detail=watch.trip.detail if watch.trip else whole.detail,
        label=recorded.label,
    )


def sse_events(recorded: Recorded) -> list[bytes]:
    """The output as vLLM's SSE bytes (the fields vLLM 0.32 sends with continuous_usage_stats)."""
    out = []
    for i, chunk in enumerate(chunks(recorded)):
        payload = {"id": "chatcmpl-0", "object": "chat.completion.chunk", "created": 1, "model": recorded.model}
        payload["choices"] = [{**chunk["choices"][0], "logprobs": None, "finish_reason": None, "token_ids": None}]
        payload["usage"] = {"prompt_tokens": 40, "total_tokens": 40 + recorded.tokens[i], **chunk["usage"]}
        out.append(b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n")
    return out


def cpu_per_token_us(recorded: list[Recorded], guard: RunawayGuard, repeat: int) -> dict[str, float]:
    """The guard's CPU per token as the relay pays it (parse each SSE event, feed the watch), over every
    output, and a naive judgement of the whole text at every token, in microseconds."""
    events = [sse_events(r) for r in recorded]
    tokens = sum(len(e) for e in events)
    started = time.process_time()
    for _ in range(repeat):
        for output in events:
            watch = guard.watch()
            for event in output:
                payload = event_payload(event)
                if payload is not None:
                    watch.add(payload)
    guarded = (time.process_time() - started) / (tokens * repeat) * 1e6
    check, request = DegenerationCheck(), CheckRequest(prompt_text="")
    longest = max(recorded, key=lambda r: len(r.pieces))
    started = time.process_time()
    text = ""
    for piece in longest.pieces:
        text += piece
        check.run(Answer(text=text, finish_reason=None), request)
    naive = (time.process_time() - started) / len(longest.pieces) * 1e6
    return {"guard_us_per_token": round(guarded, 2), "naive_us_per_token_on_longest": round(naive, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-tokens", type=int, default=64)
    parser.add_argument("--every-tokens", type=int, default=32)
    parser.add_argument("--window-tokens", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the outputs for the CPU figure")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    guard = RunawayGuard(GuardConfig(args.min_tokens, args.every_tokens, args.window_tokens))
    recorded = load_recorded()
    rates = rates_by_model(recorded)
    results = [replay(r, guard, rates.get(r.model)) for r in recorded]
    header = ("source", "model", "prompt", "degen", "tokens", "stop", "saved", "s saved")
    print("{:14s} {:22s} {:10s} {:>5s} {:>6s} {:>5s} {:>5s} {:>8s}".format(*header))
    for r in results:
        if r.label is not None and r.stopped_at is None:
            continue  # the hand-labelled corpus: only its stops are listed
        seconds = f"{r.seconds_saved:8.1f}" if r.seconds_saved is not None else f"{'-':>8s}"
        stop = str(r.stopped_at) if r.stopped_at is not None else "-"
        print(
            f"{r.source:14s} {r.model:22s} {r.prompt_id:10s} {'yes' if r.degenerate else 'no':>5s} "
            f"{r.total_tokens:6d} {stop:>5s} {r.tokens_saved:5d} {seconds}  {r.detail[:50]}"
        )
    streamed = [r for r in results if r.label is None]  # runaway.jsonl and outputs.jsonl
    degenerate = [r for r in streamed if r.degenerate]
    sound = [r for r in streamed if not r.degenerate]
    totals: dict[str, Any] = {
        "outputs": len(streamed),
        "degenerate": len(degenerate),
        "degenerate_stopped": sum(1 for r in degenerate if r.stopped_at is not None),
        "sound": len(sound),
        "false_stops": sum(1 for r in sound if r.stopped_at is not None),
        "tokens_generated_degenerate": sum(r.total_tokens for r in degenerate),
        "tokens_saved": sum(r.tokens_saved for r in degenerate),
        "seconds_saved": round(sum(r.seconds_saved or 0.0 for r in degenerate), 1),
    }
    labelled = [r for r in results if r.label is not None]
    totals["hand_labelled"] = {
        label: {
            "answers": sum(1 for r in labelled if r.label == label),
            "stopped": sum(1 for r in labelled if r.label == label and r.stopped_at is not None),
            "tokens": sum(r.total_tokens for r in labelled if r.label == label),
            "tokens_saved": sum(r.tokens_saved for r in labelled if r.label == label),
        }
        for label in ("acceptable", "not acceptable")
    }
    cpu = cpu_per_token_us([r for r in recorded if r.label is None], guard, args.repeat)
    print(
        f"degenerate outputs stopped: {totals['degenerate_stopped']}/{totals['degenerate']}, "
        f"tokens saved {totals['tokens_saved']}/{totals['tokens_generated_degenerate']}, "
        f"{totals['seconds_saved']} s saved; false stops on sound outputs: {totals['false_stops']}/{totals['sound']}"
    )
    for label, figures in totals["hand_labelled"].items():
        print(
            f"corpus.jsonl, hand-labelled {label}: {figures['stopped']}/{figures['answers']} stopped, "
            f"{figures['tokens_saved']} of {figures['tokens']} tokens saved"
        )
    print(
        f"guard CPU: {cpu['guard_us_per_token']} us per token "
        f"(the whole text judged at every token: {cpu['naive_us_per_token_on_longest']} us per token)"
    )
    command = " ".join(["python -m benchmarks.runaway_guard", *(argv if argv is not None else sys.argv[1:])])
    report = {
        "benchmark": "runaway_guard",
        "command": command,
        "guard": asdict(guard.config),
        "decode_tok_s_by_model": {m: round(v, 1) for m, v in rates.items()},
        "totals": totals,
        "cpu": cpu,
        "outputs": [asdict(r) for r in results],
    }
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
