"""deploy/grafana/tierd-dashboard.json queries only series tierd exports, and is a well-formed dashboard."""

from __future__ import annotations

import json
import re
from pathlib import Path

from server.accounting.metrics import Finished, GatewayMetrics
from server.outcome import AttemptRecord
from server.routing.costs import TierPricing
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad
from tiers.telemetry.trace import TraceSource

DASHBOARD = Path(__file__).parents[2] / "deploy" / "grafana" / "tierd-dashboard.json"


def _exported_names() -> set[str]:
    load = ReplicaLoad(1.0, 1, 1, 0.5, 0, 0, 0)
    replica = ReplicaSnapshot("t-0", "http://x", ReplicaStatus.READY, 0, 0, 1.0, load=load)
    snapshots = [TierSnapshot("t", TierKind.VLLM_MANAGED, "m", True, True, (replica,))]
    gpu = TraceSource(Path(__file__).parents[1] / "fixtures" / "h200_probe_trace.jsonl").sample()
    pricing = TierPricing("f", usd_per_1m_input=1.0, usd_per_1m_output=2.0)
    metrics = GatewayMetrics(lambda: snapshots, pricing, telemetry=lambda: gpu)
    metrics.finished(Finished("t", 200, 1, 1, 0.0, 0.1, ttft_s=0.05))
    failed = AttemptRecord(
        0, "t", "m", None, 200, False, False, ({"check": "empty", "passed": False},), None, 1, 1, None, 0.1
    )
    metrics.escalated_records([failed, AttemptRecord(1, "f", "f", None, 200, True, None, None, None, 1, 1, None, 0.1)])
    metrics.decision.observe(0.001)
    text = metrics.exposition().decode()
    return {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}


def test_every_query_uses_exported_series() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    exported = _exported_names()
    queried = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            queried |= set(re.findall(r"\btierd_[a-z_]+\b", target["expr"]))
    assert queried, "the dashboard queries nothing"
    assert queried <= exported, f"not exported by tierd: {sorted(queried - exported)}"


def test_dashboard_structure() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"] == "tierd"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])
        assert panel["datasource"]["uid"] == "${datasource}"
        assert [t["refId"] for t in panel["targets"]] == [chr(65 + i) for i in range(len(panel["targets"]))]
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "frontier"} <= variables
