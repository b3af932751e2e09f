"""`tierd router learn` end to end: traffic through the app over real vLLM tiers (the tiny model) is captured,
then labeled with a scripted frontier as the judge, retrained, calibrated, and compared before/after."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from server.app import create_app
from server.cli import main
from server.settings import load_settings
from tests.support import ScriptedServer, VllmServer, attached_tier

pytestmark = pytest.mark.integration
BASE_DATA = Path(__file__).parent.parent / "fixtures" / "learn_base.jsonl"
EASY = ["[[easy]] Say hi.", "[[easy]] Name a colour.", "[[easy]] Say yes.", "[[easy]] Count to two."]
HARD = ["Plan a product launch.", "Compare two databases.", "Design a cache.", "Review this contract."]


def _config(tmp_path: Path, vllm: VllmServer, frontier: ScriptedServer) -> Path:
    small = {"defaults": {"max_tokens": 8}}
    config = {
        "server": {"state_dir": str(tmp_path / "state")},
        "tiers": [
            attached_tier("tier-1", vllm, **small),
            attached_tier("tier-2", vllm, **small),
            {
                "name": "frontier",
                "kind": "openai",
                "base_url": f"{frontier.root}/v1",
                "model": "frontier-sim",
                "price_per_1m_input": 2.5,
                "price_per_1m_output": 10.0,
            },
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        "telemetry": {"source": "off"},
        "capture": {"enabled": True, "path": str(tmp_path / "capture.sqlite")},
    }
    path = tmp_path / "tierd.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


async def _serve_traffic(config: Path) -> list[str]:
    app = create_app(load_settings(config))
    ids = []
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tierd", timeout=120) as http:
            for i, text in enumerate(EASY + HARD):
                body: dict[str, Any] = {"model": "auto", "messages": [{"role": "user", "content": text}]}
                response = await http.post("/v1/chat/completions", json={**body, "stream": i % 3 == 0})
                assert response.status_code == 200, response.text
                ids.append(response.headers["x-tierd-request-id"])
    return ids


def test_learn_labels_captured_traffic_retrains_and_reports_before_and_after(
    ready_upstreams: dict[str, VllmServer], scripted: ScriptedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, ready_upstreams["tier-2"], scripted)
    ids = asyncio.run(_serve_traffic(config))  # learn runs its own event loop, as the CLI does
    out = tmp_path / "learned"
    common = ["router", "learn", "--config", str(config), "--sample", "8", "--out", str(out)]

    assert main([*common, "--dry-run"]) == 0
    dry = capsys.readouterr().out
    # 8 frontier answers and 8 x 2 judge verdicts. The rules send everything to tier-1, so tier-2 must be asked
    # all 8 (tier-1 too, for a request placed elsewhere while tier-1's health was not yet known).
    assert "frontier: 24 calls (8 answers, 16 judge verdicts), estimated $" in dry
    asked = re.search(r"cheap tiers: (\d+) answers to ask", dry)
    assert asked is not None and 8 <= int(asked.group(1)) <= 10, dry
    assert not out.exists()

    before = scripted.stats()["requests"]
    args = [*common, "--target-quality", "0.9", "--base-data", str(BASE_DATA), "--heldout-share", "0.25"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert scripted.stats()["requests"] - before == 24  # what the dry run said
    rows = [json.loads(line) for line in (out / "measured_labels.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in rows) == sorted(ids)
    assert all(r["label_source"] == "measured" for r in rows)
    # The judge's rule: questions marked easy are adequate on the cheapest tier, the rest only on the frontier.
    for row in rows:
        expected = "tier-1" if "[[easy]]" in row["messages"][0]["content"] else "frontier"
        assert row["label"] == expected, row
    assert sum(r["split"] == "heldout" for r in rows) == 2
    assert (out / "model" / "model.json").is_file() or any((out / "model").iterdir())
    report = json.loads((out / "learn_report.json").read_text())
    assert report["heldout_rows"] == 2 and set(report["before"]) == set(report["after"])
    assert "before" in printed and "after" in printed and "held-out slice: 2 captured requests" in printed
