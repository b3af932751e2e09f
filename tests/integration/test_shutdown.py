"""SIGTERM to a real `tierd serve` in the middle of streams: running streams may finish within
`server.shutdown_grace_s`; one still running at its end is cut and booked 503 `server_shutdown`, not 499."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from server.accounting.ledger_schema import AttemptRow, RequestRow
from tests.support import ScriptedServer, TierdServer, remote_tier

pytestmark = pytest.mark.integration


class Stream(threading.Thread):
    """One streamed chat completion read line by line in a thread, until it ends or is cut."""

    def __init__(self, server: TierdServer, text: str) -> None:
        super().__init__(daemon=True)
        self.server, self.text = server, text
        self.lines: list[str] = []
        self.request_id: str | None = None
        self.started = threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        body = {"model": "auto", "stream": True, "messages": [{"role": "user", "content": self.text}]}
        try:
            with httpx.stream("POST", f"{self.server.url}/v1/chat/completions", json=body, timeout=120) as response:
                self.request_id = response.headers["x-tierd-request-id"]
                for line in response.iter_lines():
                    if line:
                        self.lines.append(line)
                        self.started.set()
        except httpx.HTTPError as exc:  # the cut stream's connection ends mid-body
            self.error = exc
        finally:
            self.started.set()

    @property
    def complete(self) -> bool:
        return bool(self.lines) and self.lines[-1] == "data: [DONE]"


def test_sigterm_lets_running_streams_finish_and_books_the_cut_one(scripted: ScriptedServer, tmp_path: Path) -> None:
    config = {
        # 15 words: the short stream takes ~1.5 s, far inside the grace; the long one ~45 s, far past it.
        "server": {"shutdown_grace_s": 8, "shutdown_timeout_s": 15},
        "tiers": [remote_tier("frontier", scripted, required=True)],  # type: ignore[arg-type]
        "routing": {"classifier": "rules", "rules": {"default_tier": "frontier"}},
        "telemetry": {"source": "off"},
    }
    server = TierdServer(config, tmp_path, env={"TEST_FRONTIER_KEY": "x"}).start()
    try:
        server.wait_ready(timeout_s=120)
        long, short = Stream(server, "[[drip:3]] a long answer"), Stream(server, "[[drip:0.1]] a short one")
        for stream in (long, short):
            stream.start()
            assert stream.started.wait(60) and stream.lines, stream.error
        # uvicorn re-raises the signal once it has shut down cleanly: "killed by SIGTERM" is its normal end.
        assert server.stop(signal.SIGTERM, timeout_s=60) in (0, -signal.SIGTERM)
    finally:
        server.stop(signal.SIGKILL)
    for stream in (long, short):
        stream.join(30)
    assert short.complete, short.lines[-3:]
    assert not long.complete

    engine = create_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    with engine.connect() as conn:
        rows = {r.request_id: r for r in conn.execute(select(RequestRow))}
        attempts = {a.request_id: a for a in conn.execute(select(AttemptRow))}
    engine.dispose()
    assert (rows[short.request_id].status, rows[short.request_id].error_code) == (200, None)
    assert (rows[long.request_id].status, rows[long.request_id].error_code) == (503, "server_shutdown")
    assert attempts[long.request_id].status != 499  # its upstream answered; tierd cut the relay
    log = (tmp_path / "tierd.log").read_text()
    assert "writing the ledger's queued rows" in log
