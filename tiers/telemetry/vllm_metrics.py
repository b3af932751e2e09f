"""Replica load read from vLLM's own Prometheus `/metrics`, as small frozen snapshots.

Placement reads these snapshots, never the replica: `parse_vllm_metrics` is pure, and
`VllmMetricsScraper` only fetches text. Counter rates come from two snapshots, so a
scraper that missed a beat still yields correct tokens per second.
"""

from __future__ import annotations

import re
import time

import aiohttp

from tiers.http_upstream import HttpClient
from tiers.load import ReplicaLoad

# vLLM 0.32 names; `gpu_cache_usage_perc` is gone, `kv_cache_usage_perc` (0-1) replaced it.
RUNNING = "vllm:num_requests_running"
WAITING = "vllm:num_requests_waiting"
KV_CACHE_USAGE = "vllm:kv_cache_usage_perc"
PROMPT_TOKENS = "vllm:prompt_tokens_total"
GENERATION_TOKENS = "vllm:generation_tokens_total"
REQUEST_SUCCESS = "vllm:request_success_total"
_WANTED = frozenset({RUNNING, WAITING, KV_CACHE_USAGE, PROMPT_TOKENS, GENERATION_TOKENS, REQUEST_SUCCESS})
_ENGINE_LABEL = re.compile(r'\bengine="([^"]*)"')


def parse_vllm_metrics(text: str, taken_at: float) -> ReplicaLoad:
    """Sum each series over its labels (one engine per replica here, several under DP).

    Reads only the sample lines it needs, by name, instead of parsing the whole exposition:
    vLLM's page is mostly histograms, and prometheus_client's full parser took ~40 ms of the
    gateway's CPU per scrape (once a second per replica), more than relaying a request.
    """
    sums: dict[str, float] = {}
    engines: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("vllm:"):  # comments, and every other metric family
            continue
        brace, space = line.find("{"), line.find(" ")
        if 0 <= brace < space:
            name, rest = line[:brace], line[line.rfind("}") + 1 :]
        else:
            name, rest = line[:space], line[space:]
        if name not in _WANTED:
            continue
        fields = rest.split()
        try:
            value = float(fields[0])
        except (IndexError, ValueError):
            continue
        sums[name] = sums.get(name, 0.0) + value
        if name == KV_CACHE_USAGE:
            engine = _ENGINE_LABEL.search(line)
            engines.add(engine.group(1) if engine else "")
    missing = sorted(n for n in (RUNNING, WAITING, KV_CACHE_USAGE) if n not in sums)
    if missing:
        raise ValueError(f"not vLLM metrics (missing {', '.join(missing)})")
    return ReplicaLoad(
        taken_at=taken_at,
        running=sums[RUNNING],
        waiting=sums[WAITING],
        # A usage fraction averages over engines rather than adding up.
        kv_cache_usage=sums[KV_CACHE_USAGE] / max(1, len(engines)),
        prompt_tokens_total=sums.get(PROMPT_TOKENS, 0.0),
        generation_tokens_total=sums.get(GENERATION_TOKENS, 0.0),
        requests_finished_total=sums.get(REQUEST_SUCCESS, 0.0),
    )


class VllmMetricsScraper:
    """Fetches one replica's `/metrics` through the gateway's shared connection pool."""

    def __init__(self, client: HttpClient, metrics_url: str, timeout_s: float = 2.0) -> None:
        self._client = client
        self.metrics_url = metrics_url
        self._timeout_s = timeout_s

    async def scrape(self) -> ReplicaLoad:
        timeout = aiohttp.ClientTimeout(total=self._timeout_s)
        async with self._client.session.get(self.metrics_url, timeout=timeout) as response:
            response.raise_for_status()
            text = await response.text()
        return parse_vllm_metrics(text, time.time())
