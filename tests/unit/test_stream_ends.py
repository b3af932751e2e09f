"""An upstream stream's end: garbage and a silent cut (no [DONE]) are failures, never relayed as a success."""

from __future__ import annotations

import pytest

from server.escalation.streams import EndWatch
from tiers.base import UpstreamMalformed

CHUNK = b'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'


def test_a_stream_that_ends_with_done_is_whole() -> None:
    watch = EndWatch("/chat/completions")
    watch.check([CHUNK, b": keep-alive\n\n", b"data: [DONE]\n\n"], "r-0")
    watch.finish("r-0")


@pytest.mark.parametrize(
    "error", [b'data: {"error": {"message": "engine died"}}\n\n', b'data: {"object": "error", "message": "x"}\n\n']
)
def test_an_error_event_is_an_end_of_its_own(error: bytes) -> None:
    watch = EndWatch("/chat/completions")
    watch.check([CHUNK, error], "r-0")
    watch.finish("r-0")  # the error event is the failure the client sees; no second one


def test_a_chat_stream_without_done_is_a_cut_answer() -> None:
    watch = EndWatch("/completions")
    watch.check([CHUNK, CHUNK], "r-0")
    with pytest.raises(UpstreamMalformed, match=r"without data: \[DONE\]"):
        watch.finish("r-0")


def test_a_responses_stream_ends_without_done() -> None:
    watch = EndWatch("/responses")
    watch.check([b'event: response.completed\ndata: {"type": "response.completed"}\n\n'], "r-0")
    watch.finish("r-0")


@pytest.mark.parametrize("garbage", [b'{"id": "x", "choices": [{"mess\xff not json', b"<html>502</html>"])
def test_bytes_that_are_not_server_sent_events_are_malformed(garbage: bytes) -> None:
    with pytest.raises(UpstreamMalformed, match="not server-sent events"):
        EndWatch("/chat/completions").check([garbage], "r-0")
