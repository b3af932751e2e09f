"""The dashboard in a real browser agrees with GET /v1/usage and `tierd report --json` after real traffic.

tierd runs on the session's attached vLLM servers (tier-1 on the tiny model, the frontier through the
`openai` kind) with its ledger on SQLite in the test's folder; traffic goes through the official `openai`
client, and the ledger writer records it (server/accounting/ledger.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright

from tests.conftest import FRONTIER_KEY, H200_TRACE
from tests.support import (
    TierdServer,
    VllmServer,
    attached_tier,
    openai_client,
    remote_tier,
    running_tierd,
    wait_until,
)

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "test-artifacts" / "dashboard.png"
PROMPTS = ["Say hi", "Name a colour", "Prove that 2 is prime", "Say bye", "Prove it step by step"]


def _config(upstreams: dict[str, VllmServer]) -> dict[str, Any]:
    return {
        "tiers": [
            # Priced by the cpu profile at a fixed throughput, so local answers have a known cost.
            attached_tier("tier-1", upstreams["tier-2"], cost={"hardware": "cpu", "tokens_per_hour": 1_000_000}),
            remote_tier("frontier", upstreams["frontier"], required=True),
        ],
        "routing": {
            "classifier": "rules",
            "rules": {
                "default_tier": "tier-1",
                "rules": [{"name": "proof", "keywords": ["prove"], "tier": "frontier"}],
            },
        },
        # The same GPU on every host (CI has none): the hardware panel shows an NVML trace recorded on an H200,
        # replayed through the same sampler interface NVML uses.
        "telemetry": {"source": "trace", "trace_path": str(H200_TRACE), "interval_s": 0.5},
    }


def _send(gateway: TierdServer) -> list[dict[str, Any]]:
    """Real requests; what each answer said about itself (id, tier, decision, cost)."""
    client = openai_client(gateway)
    sent = []
    for prompt in PROMPTS:
        raw = client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": prompt}], max_tokens=6
        )
        assert raw.parse().usage is not None
        cost = raw.headers["x-tierd-cost-usd"]
        sent.append(
            {
                "request_id": raw.headers["x-tierd-request-id"],
                "tier": raw.headers["x-tierd-tier"],
                "decision": raw.headers["x-tierd-decision"],
                "cost_usd": None if cost == "unknown" else float(cost),
            }
        )
    # One streamed answer, whose cost comes in its last chunk (and whose time to first token is recorded).
    raw = client.chat.completions.with_raw_response.create(
        model="auto",
        messages=[{"role": "user", "content": "Say something"}],
        max_tokens=6,
        stream=True,
        stream_options={"include_usage": True},
    )
    last = list(raw.parse())[-1]
    figures = (last.model_extra or {})["tierd"]
    assert last.usage is not None
    sent.append(
        {
            "request_id": raw.headers["x-tierd-request-id"],
            "tier": raw.headers["x-tierd-tier"],
            "decision": raw.headers["x-tierd-decision"],
            "cost_usd": None if figures["cost_usd"] == "unknown" else float(figures["cost_usd"]),
        }
    )
    return sent


def _usage(gateway: TierdServer) -> dict[str, Any]:
    return dict(httpx.get(f"{gateway.url}/v1/usage", params={"since": "24h"}, timeout=30).json())


def _report_json(gateway: TierdServer) -> dict[str, Any]:
    command = [sys.executable, "-m", "server.cli", "report", "--config", str(gateway.config_path), "--since", "24h"]
    done = subprocess.run([*command, "--json"], capture_output=True, text=True, cwd=REPO, timeout=120, check=True)
    return dict(json.loads(done.stdout))


def _kpi(page: Page, name: str) -> str:
    return page.get_attribute(f"p.value[data-kpi='{name}'], span[data-kpi='{name}']", "data-value") or ""


def test_dashboard_agrees_with_the_usage_api_and_the_report(
    ready_upstreams: dict[str, VllmServer], tmp_path: Path
) -> None:
    with running_tierd(_config(ready_upstreams), tmp_path, env={"TEST_FRONTIER_KEY": FRONTIER_KEY}) as gateway:
        sent = _send(gateway)
        assert {s["tier"] for s in sent} == {"tier-1", "frontier"}
        # The writer commits in batches off the request path: wait for its rows.
        wait_until(lambda: _usage(gateway)["totals"]["requests"] >= len(sent), 30, "ledger rows")
        api = _usage(gateway)
        report = _report_json(gateway)
        totals = api["totals"]
        assert totals["requests"] == len(sent) == report["totals"]["requests"]
        assert totals["ttft_ms"]["p50"] is not None  # the streamed request
        assert totals["cost_usd"] == pytest.approx(sum(s["cost_usd"] or 0 for s in sent))
        assert totals["coverage"] == pytest.approx(sum(s["tier"] == "tier-1" for s in sent) / len(sent))
        for key in ("cost_usd", "coverage", "savings_usd", "escalation_rate", "cost_per_request_usd"):
            assert report["totals"][key] == pytest.approx(totals[key])
        assert report["groups"] == api["groups"]

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{gateway.url}/dashboard")
            page.wait_for_selector("body[data-loaded='24h']", timeout=30_000)
            assert int(_kpi(page, "requests")) == totals["requests"]
            assert page.text_content("p.value[data-kpi='requests']") == str(totals["requests"])
            assert float(page.get_attribute("#kpi-cost-total", "data-value") or "nan") == pytest.approx(
                totals["cost_usd"]
            )
            assert float(_kpi(page, "coverage")) == pytest.approx(totals["coverage"])
            assert page.text_content("p.value[data-kpi='coverage']") == f"{totals['coverage'] * 100:.1f}%"
            assert float(_kpi(page, "savings_usd")) == pytest.approx(totals["savings_usd"])
            shown = page.eval_on_selector_all("tr.request", "rows => rows.map(r => r.dataset.requestId)")
            assert set(shown) == {s["request_id"] for s in sent}
            # A decision row shows the decision and opens to its explanation and attempts.
            proof = next(s for s in reversed(sent) if s["tier"] == "frontier")
            row = f"tr.request[data-request-id='{proof['request_id']}']"
            assert page.text_content(f"{row} td.decision") == proof["decision"]
            page.click(row)
            details = page.text_content("tr.details:not(.hidden)") or ""
            assert '"matched_rules": [\n    "proof"\n  ]' in details and "#0 frontier → 200" in details
            # Live load lists both tiers as ready, and the GPU the telemetry sampler reads.
            assert page.text_content("#load-table tr[data-tier='tier-1'] td:nth-child(2)") == "1 / 1"
            page.wait_for_selector("#telemetry .device", timeout=15_000)
            assert "GPU 0 · NVIDIA H200" in (page.text_content("#telemetry") or "")
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            browser.close()
        assert errors == []
