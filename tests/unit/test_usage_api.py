"""GET /v1/usage, the dashboard's JSON and `tierd report` read the same figures from the same ledger."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import create_engine

from server.accounting.usage import read_usage, usage_document
from server.app import create_app
from server.cli import main
from server.settings import validate_settings
from tests.fixtures.usage_rows import WINDOW, fill
from tiers.telemetry.cpu import CpuSource

WINDOW_QUERY = {"since": "2026-11-20T00:00:00Z", "until": "2026-11-22"}
WINDOW_ARGS = ["--since", "2026-11-20T00:00:00Z", "--until", "2026-11-22"]


def _config(state_dir: Path) -> dict[str, Any]:
    # An attached tier nobody listens on: these routes never call a tier.
    return {
        "server": {"state_dir": str(state_dir)},
        "tiers": [{"name": "tier-1", "kind": "vllm", "served_model_name": "m", "urls": ["http://127.0.0.1:9"]}],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
        # No sampler, on any host (auto would open NVML on a GPU node): the live-load tests wire their own.
        "telemetry": {"source": "off"},
    }


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    fill(create_engine(f"sqlite:///{tmp_path / 'ledger.db'}"))
    return tmp_path


async def _client(state_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(validate_settings(_config(state_dir), "test"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tierd") as client:
        yield client
    app.state.ledger_reader.close()


@pytest.fixture
async def client(state_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for c in _client(state_dir):
        yield c


def _expected(state_dir: Path, group_by: Any = "tier") -> dict[str, Any]:
    return usage_document(read_usage(create_engine(f"sqlite:///{state_dir / 'ledger.db'}"), WINDOW, group_by))


@pytest.mark.parametrize("group_by", ["tier", "key", "day"])
async def test_usage_endpoint_is_the_report(client: httpx.AsyncClient, state_dir: Path, group_by: str) -> None:
    response = await client.get("/v1/usage", params={**WINDOW_QUERY, "group_by": group_by})
    assert response.status_code == 200
    assert response.json() == _expected(state_dir, group_by)


async def test_usage_defaults_to_the_last_24_hours_by_tier(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/usage")).json()
    assert body["group_by"] == "tier" and body["totals"]["requests"] == 0  # the fixture's rows are older


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "7x"}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"since": "1h", "until": "2h"}, "since"),
        ({"group_by": "model"}, "group_by"),
        ({"groupby": "tier"}, "groupby"),
    ],
)
async def test_bad_params_are_openai_style_400s(client: httpx.AsyncClient, params: dict[str, str], param: str) -> None:
    response = await client.get("/v1/usage", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, "invalid_value")
    assert param in error["message"]


async def test_dashboard_overview_carries_the_same_document(client: httpx.AsyncClient, state_dir: Path) -> None:
    body = (await client.get("/dashboard/api/overview", params={**WINDOW_QUERY, "recent": "3"})).json()
    assert body["usage"] == _expected(state_dir, "tier") and body["ledger"]["ready"] is True
    assert [r["request_id"] for r in body["recent"]] == ["r5", "r4", "r3"]
    assert len(body["series"]["buckets"]) == 48
    bad = await client.get("/dashboard/api/overview", params={"recent": "0"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "recent"


async def test_a_window_from_the_first_day_of_the_calendar(client: httpx.AsyncClient) -> None:
    body = (await client.get("/dashboard/api/overview", params={"since": "0001-01-01"})).json()
    assert body["usage"]["totals"]["requests"] == 7  # every row of the fixture, those outside WINDOW too
    assert sum(b["requests"] for b in body["series"]["buckets"]) == 7 and len(body["series"]["buckets"]) <= 121


async def test_dashboard_page_assets_and_live_load(client: httpx.AsyncClient) -> None:
    page = await client.get("/dashboard")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for src in ("/dashboard/static/dashboard.js", "/dashboard/static/dashboard.css"):
        assert src in page.text
        assert (await client.get(src)).status_code == 200
    assert "http" not in page.text.replace("http-equiv", "")  # nothing fetched from elsewhere
    assert (await client.get("/dashboard/static/..%2Froutes.py")).status_code == 404
    live = (await client.get("/dashboard/api/live")).json()
    assert live["telemetry"] is None  # no sampler wired in this app
    assert [(t["name"], t["replicas_total"], t["local"]) for t in live["tiers"]] == [("tier-1", 1, True)]


async def test_live_load_includes_the_wired_telemetry(state_dir: Path) -> None:
    app = create_app(validate_settings(_config(state_dir), "test"))
    app.state.telemetry = CpuSource().sample  # what the integrator wires: a real sampler of this host
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tierd") as client:
        telemetry = (await client.get("/dashboard/api/live")).json()["telemetry"]
    assert telemetry["source"] == "cpu" and telemetry["gpus"] == [] and telemetry["cpu"]["cores"] >= 1


async def test_no_ledger_yet_reads_as_empty_and_creates_nothing(tmp_path: Path) -> None:
    async for client in _client(tmp_path):
        body = (await client.get("/dashboard/api/overview")).json()
        assert body["ledger"]["ready"] is False and body["usage"]["totals"]["requests"] == 0
        assert (await client.get("/v1/usage")).json()["groups"] == []
    assert not (tmp_path / "ledger.db").exists()


def test_report_json_is_the_usage_document(state_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{state_dir / 'ledger.db'}"
    assert main(["report", "--ledger-url", url, *WINDOW_ARGS, "--group-by", "key", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == _expected(state_dir, "key")


def test_report_tables_show_the_same_totals(state_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = state_dir / "tierd.yaml"
    config.write_text(yaml.safe_dump(_config(state_dir)))
    assert main(["report", "--config", str(config), *WINDOW_ARGS]) == 0  # the ledger found through the config
    out = capsys.readouterr().out
    totals = _expected(state_dir)["totals"]
    assert "requests" in out and f"{totals['requests']:,}" in out
    assert f"${totals['cost_usd']:,.6f}" in out and "$0.021500" in out
    assert "66.7%" in out and "25.0%" in out  # coverage, escalation rate
    assert "300 ms / 480 ms / 496 ms" in out
    for tier in ("tier-1", "tier-2", "frontier", "(none)"):
        assert tier in out


def test_report_says_when_there_is_nothing_to_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["report", "--ledger-url", missing]) == 1
    assert "No ledger at" in capsys.readouterr().out and not (tmp_path / "none.db").exists()
    fill(create_engine(f"sqlite:///{tmp_path / 'old.db'}"))
    assert main(["report", "--ledger-url", f"sqlite:///{tmp_path / 'old.db'}", "--since", "1h"]) == 0
    assert "No requests recorded in this window" in capsys.readouterr().out
    assert main(["report", "--ledger-url", missing, "--since", "soon"]) == 2
    assert "--since" in capsys.readouterr().err
