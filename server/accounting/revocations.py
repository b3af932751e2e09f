"""Key revocations across gateways: a revocation is written to the key table and announced on the shared state;
every gateway reads the announcements every `poll_s` (one small Redis call) and refuses the key at once.

The key table's periodic re-read (keys.py, `auth.refresh_s`) stays the fallback: a revocation announced while
Redis is down, or made by an older `tierd keys revoke` that does not announce, still reaches every gateway then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from server.accounting.keys import KeyVerifier
from server.accounting.shared_state.protocol import SharedState, SharedStateUnavailable

log = logging.getLogger("tierd.auth")


class RevocationFeed:
    def __init__(
        self,
        state: SharedState,
        verifier: KeyVerifier,
        poll_s: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.state = state
        self.verifier = verifier
        self.poll_s = poll_s
        self._sleep = sleep
        self.cursor = 0  # from the start: a revoked key the table's row already refuses costs nothing to drop
        self.seen = 0

    async def announce(self, key_id: str) -> bool:
        """Tell every gateway; False when the backend could not be reached (they see it on their next re-read)."""
        try:
            await self.state.announce_revocation(key_id)
        except SharedStateUnavailable:
            log.warning("could not announce the revocation of key %s: gateways refuse it by their next re-read", key_id)
            return False
        return True

    async def poll_once(self) -> None:
        cursor, revoked = await self.state.revoked_since(self.cursor)
        for key_id in revoked:
            self.verifier.revoke(key_id)
        self.cursor, self.seen = cursor, self.seen + len(revoked)

    async def run(self) -> None:
        """Poll until cancelled; an unreachable backend is skipped (the shared state logs the outage once)."""
        while True:
            with contextlib.suppress(SharedStateUnavailable):
                await self.poll_once()
            await self._sleep(self.poll_s)
