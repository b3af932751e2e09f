"""The budget under concurrency: a key with a daily budget of $X, N requests to the frontier at once.

The key is made by `tierd keys create` in its own process, as an operator would; tierd sees it within
`auth.refresh_s`. Spend is read back from the ledger (every request of the key, refused ones at $0).
The bound is tierd's promise: `spent <= limit + one reservation`, the worst case one request holds at
admission (its prompt bound and `max_tokens` at the frontier's prices, server/reservations.py): requests
are admitted while the spend plus what is held stays under the limit, so at most one reservation's worth
lands past it. It holds for an upstream that honours `max_tokens`; the asks here fit the scripted
frontier's short answers, which it sends whatever max_tokens says.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from typing import Any

import httpx

from benchmarks.processes import REPO, TierdServer
from benchmarks.reliability_client import Request, new_session, send, tally
from benchmarks.reliability_stack import FRONTIER_PRICES, BookedRow
from server.reservations import prompt_bound_tokens

MAX_TOKENS = 64  # above the scripted frontier's answers: the upstream stays within what was reserved


def create_key(tierd: TierdServer, name: str, daily_budget_usd: float) -> str:
    command = [sys.executable, "-m", "server.cli", "keys", "create", "--name", name]
    command += ["--daily-budget-usd", repr(daily_budget_usd), "--config", str(tierd.config_path)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    match = re.search(r"^\s+(tierd-\S+)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"tierd keys create failed: {done.stdout}\n{done.stderr}")
    return match.group(1)


def key_id(key: str) -> str:
    return key.split("-")[1]


def _wait_until_known(tierd: TierdServer, key: str, timeout_s: float = 30) -> None:
    """Until tierd has re-read its keys: a request without any key is refused (auth turned on)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if httpx.get(f"{tierd.url}/v1/models", timeout=10).status_code == 401:
            return
        time.sleep(0.25)
    raise TimeoutError("tierd did not pick up the new key")


def _ask(key: str, n: int) -> Request:
    body = {
        "model": "frontier",
        "messages": [{"role": "user", "content": f"What is the capital of France? ({n})"}],
        "max_tokens": MAX_TOKENS,
    }
    return Request("budget", "/v1/chat/completions", body, headers={"authorization": f"Bearer {key}"})


async def spend_race(tierd: TierdServer, *, parallel: int, limit_usd: float, timeout_s: float) -> dict[str, Any]:
    key = create_key(tierd, f"reliability-budget-{int(time.time())}", limit_usd)
    await asyncio.to_thread(_wait_until_known, tierd, key)
    async with new_session(parallel + 4) as session:
        burst = await asyncio.gather(*(send(session, tierd.url, _ask(key, i), timeout_s) for i in range(parallel)))
        after = await send(session, tierd.url, _ask(key, parallel), timeout_s)  # the budget is spent by now
    return {
        "key_id": key_id(key),
        "limit_usd": limit_usd,
        "parallel": parallel,
        **tally(burst),
        "after_burst": {"status": after.status, "error_code": after.error_code},
        "request_ids": [o.request_id for o in [*burst, after] if o.request_id],
    }


def reservation_usd(request: Request) -> float:
    """What one budget request holds at admission: its prompt bound and max_tokens at the frontier's prices."""
    assert request.body is not None
    prompt = prompt_bound_tokens(request.body)
    return float(prompt * FRONTIER_PRICES[0] + request.body["max_tokens"] * FRONTIER_PRICES[1]) / 1e6


def budget_report(race: dict[str, Any], booked: dict[str, BookedRow]) -> dict[str, Any]:
    rows = [booked[i] for i in race["request_ids"] if i in booked]
    costs = [r.cost_usd or 0.0 for r in rows]
    largest = max(costs, default=0.0)
    spent = sum(costs)
    limit = race["limit_usd"]
    reservation = max(reservation_usd(_ask("x", i)) for i in range(race["parallel"] + 1))
    return {
        **{k: v for k, v in race.items() if k != "request_ids"},
        "spent_usd": spent,
        "largest_request_usd": largest,
        "admitted": sum(1 for r in rows if r.status == 200),
        "refused_insufficient_quota": sum(1 for r in rows if r.error_code == "insufficient_quota"),
        "overspend_usd": max(0.0, spent - limit),
        "reservation_usd": reservation,
        "within_one_reservation": spent <= limit + reservation + 1e-12,
        "lost_rows": sum(1 for i in race["request_ids"] if i not in booked),
    }
