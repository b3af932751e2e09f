"""A real HTTP upstream on 127.0.0.1 for transport tests: an aiohttp server answering POST /v1/* with a handler,
and tierd's own HTTP client to call it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

from tiers.http_upstream import HttpClient

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def serving_posts(handle: Handler) -> AsyncIterator[str]:
    """Serve `handle` for POST /v1/*; yields the server's /v1 base URL. Handlers that never end (a trickle) are
    cut at cleanup after 0.1 s."""
    app = web.Application()
    app.router.add_post("/v1/{tail:.*}", handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def http_client() -> AsyncIterator[HttpClient]:
    http = HttpClient()
    await http.open()
    try:
        yield http
    finally:
        await http.close()
