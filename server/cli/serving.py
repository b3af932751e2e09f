"""`tierd serve`'s uvicorn server, with tierd's shutdown: readiness first, then a grace for running requests.

On SIGTERM (or Ctrl-C) the gateway turns to draining at once, so /ready answers 503 on connections
still open; uvicorn stops accepting, lets running requests (streams included) end for up to
`server.shutdown_grace_s`, then cancels what is left. Just before it does, the gateway is marked *cut*,
so that those requests are booked as 503 `server_shutdown`, not as clients that left (499). The
lifespan's end then drains the ledger within what is left of `server.shutdown_timeout_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
from types import FrameType

import uvicorn
from fastapi import FastAPI

from server.lifecycle import Lifecycle


class GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, lifecycle: Lifecycle, grace_s: float) -> None:
        super().__init__(config)
        self.lifecycle = lifecycle
        self.grace_s = grace_s

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.lifecycle.begin_drain()  # a signal handler: only sets a number
        super().handle_exit(sig, frame)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.lifecycle.begin_drain()
        # uvicorn cancels the running tasks `timeout_graceful_shutdown` (rounded up) after this point;
        # the grace counts from the signal, so this mark always comes first.
        timer = asyncio.get_running_loop().call_later(self.lifecycle.left_of(self.grace_s), self.lifecycle.cut_requests)
        try:
            await super().shutdown(sockets)
        finally:
            timer.cancel()


def serve(app: FastAPI, lifecycle: Lifecycle, *, host: str, port: int, log_level: str, grace_s: float) -> None:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=math.ceil(grace_s),
        access_log=False,
    )
    # uvicorn re-raises Ctrl-C once it has shut down cleanly; uvicorn.run hides it, and so does tierd.
    with contextlib.suppress(KeyboardInterrupt):
        GracefulServer(config, lifecycle, grace_s).run()
