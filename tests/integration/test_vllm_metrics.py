"""The load scraper against a real vLLM process's /metrics."""

from __future__ import annotations

import httpx
import pytest

from tests.support import VllmServer
from tiers.http_upstream import HttpClient
from tiers.load import token_rates
from tiers.telemetry.vllm_metrics import VllmMetricsScraper

pytestmark = pytest.mark.integration


async def test_scraper_reads_load_and_token_rates_from_real_vllm(ready_upstreams: dict) -> None:
    upstream: VllmServer = ready_upstreams["tier-2"]
    client = HttpClient()
    await client.open()
    try:
        scraper = VllmMetricsScraper(client, f"{upstream.root}/metrics")
        before = await scraper.scrape()
        body = {"model": upstream.name, "prompt": "hello", "max_tokens": 16, "ignore_eos": True}
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.post(f"{upstream.root}/v1/completions", json=body)
        assert response.status_code == 200
        after = await scraper.scrape()
    finally:
        await client.close()
    assert after.running == 0 and after.waiting == 0
    assert 0.0 <= after.kv_cache_usage <= 1.0
    assert after.generation_tokens_total - before.generation_tokens_total == 16
    assert after.requests_finished_total - before.requests_finished_total == 1
    rates = token_rates(before, after)
    assert rates is not None and rates.generation_tokens_per_s > 0
