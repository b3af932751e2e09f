"""GPU state in the decision (server/routing/gpu_state.py): which GPUs are hot, and placement turning away
from the replicas on them. Table-driven over pure snapshots; the NVML side is tests/unit/test_gpu_watch.py."""

from __future__ import annotations

from typing import Any

import pytest

from server.routing.gpu_state import GpuPolicy, GpuState, GpuView, gpu_explanation, hot_gpus, with_gpu_pressure
from server.routing.placement import PlacementPolicy, place
from server.routing.router import Router
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad


def replica(rid: str, waiting: float = 0, gpus: tuple[str, ...] = (), **kw: Any) -> ReplicaSnapshot:
    load = ReplicaLoad(1000.0, 1.0, waiting, 0.2, 0.0, 0.0, 0.0)
    return ReplicaSnapshot(rid, "http://x/v1", ReplicaStatus.READY, 1, 0, 0.0, load=load, in_flight_at_load=1,
                           gpus=gpus, **kw)  # fmt: skip


def tier(name: str, *replicas: ReplicaSnapshot, remote: bool = False) -> TierSnapshot:
    kind = TierKind.OPENAI_REMOTE if remote else TierKind.VLLM_MANAGED
    return TierSnapshot(name, kind, f"{name}-m", not remote, True, replicas or (replica(f"{name}-0"),))


def gpu(key: str, util: float | None = 10.0, watts: float | None = 150.0, throttle: tuple[str, ...] = ()) -> GpuState:
    return GpuState(key, f"GPU-{key}000000-aaaa", "NVIDIA H200", util, 2 << 30, 140 << 30, watts, 700.0, throttle)


def two_gpu_cluster(waiting0: float = 2, waiting1: float = 2) -> list[TierSnapshot]:
    """gpu-3tier's shape on two GPUs: tier-1 has a replica on each, tier-2 shares GPU 0."""
    return [
        tier("tier-1", replica("tier-1-0", waiting0, ("0",)), replica("tier-1-1", waiting1, ("1",))),
        tier("tier-2", replica("tier-2-0", 0, ("0",))),
        tier("frontier", remote=True),
    ]


@pytest.mark.parametrize(
    ("case", "gpus", "waiting", "hot"),
    [
        ("busy and queued", (gpu("0", util=97),), 2, {"0": "utilization 97% >= 90%"}),
        ("busy but keeping up", (gpu("0", util=97),), 0, {}),
        ("queued but not busy", (gpu("0", util=40),), 5, {}),
        ("at its power limit and queued", (gpu("0", util=60, watts=690),), 1, {"0": "power 99% of its limit"}),
        ("thermal throttling alone", (gpu("0", util=5, throttle=("sw_thermal",)),), 0, {"0": "throttled (sw_thermal)"}),
        ("at its power cap is not throttling", (gpu("0", util=5, throttle=("sw_power_cap",)),), 0, {}),
        ("unknown readings", (gpu("0", util=None, watts=None),), 9, {}),
    ],
)
def test_when_a_gpu_is_hot(case: str, gpus: tuple[GpuState, ...], waiting: float, hot: dict[str, str]) -> None:
    tiers = [tier("tier-1", replica("tier-1-0", waiting, ("0",)))]
    found = hot_gpus(GpuView(gpus), tiers)
    assert set(found) == set(hot), case
    for key, words in hot.items():
        assert words in found[key], (case, found[key])


def test_replicas_of_other_tiers_on_the_same_gpu_count_towards_its_queue() -> None:
    # Nothing waits on tier-1's replica, but tier-2's on the same GPU queues: the GPU is contended.
    tiers = [tier("tier-1", replica("tier-1-0", 0, ("0",))), tier("tier-2", replica("tier-2-0", 3, ("0",)))]
    assert "3 waiting" in hot_gpus(GpuView((gpu("0", util=95),)), tiers)["0"]
    assert hot_gpus(GpuView((gpu("0", util=95),)), tiers, GpuPolicy(hot_min_waiting=4)) == {}


def test_nvml_process_discovery_wins_over_configured_gpus_and_uuids_match() -> None:
    r = replica("tier-1-0", 2, ("1",))  # configured on GPU 1, but NVML finds its engine on GPU 0
    view = GpuView((gpu("0", util=95), gpu("1", util=5)), discovered={"tier-1-0": ("0",)})
    marked, hot = with_gpu_pressure([tier("tier-1", r)], view)
    assert marked[0].replicas[0].gpus == ("0",) and marked[0].replicas[0].gpu_pressure == hot["0"]
    by_uuid = replica("tier-1-0", 2, ("GPU-0000000-aaaa",))
    assert GpuView((gpu("0"),)).replica_gpus(by_uuid)[0].key == "0"


def _place(tiers: list[TierSnapshot], wanted: str = "tier-1", **policy: Any) -> Any:
    return place(wanted, tiers, pinned=False, on_frontier_missing="degrade", policy=PlacementPolicy(**policy))


@pytest.mark.parametrize(
    ("case", "util0", "util1", "replica_id", "tier_name", "reason"),
    [
        ("both cool: the less loaded replica", 20, 20, "tier-1-0", "tier-1", "requested tier is ready"),
        ("GPU 0 hot: the replica on GPU 1", 97, 20, "tier-1-1", "tier-1", "avoided tier-1-0: GPU 0 hot"),
        ("both hot: the tier spills", 97, 97, "tier-2-0", "tier-2", "tier-1 saturated (tier-1-0: GPU 0 hot"),
    ],
)
def test_placement_turns_away_from_hot_gpus(
    case: str, util0: float, util1: float, replica_id: str, tier_name: str, reason: str
) -> None:
    tiers = two_gpu_cluster(waiting0=1, waiting1=2)
    if tier_name == "tier-2":  # GPU 0 is hot, so tier-2 (on GPU 0) must be off it for the spill to land
        tiers[1] = tier("tier-2", replica("tier-2-0", 0, ("2",)))
    view = GpuView((gpu("0", util=util0), gpu("1", util=util1), gpu("2", util=10)))
    marked, _ = with_gpu_pressure(tiers, view)
    placed = _place(marked)
    assert (placed.tier, placed.replica) == (tier_name, replica_id), case
    assert reason in placed.reason, (case, placed.reason)


def test_without_gpu_state_the_snapshots_are_unchanged() -> None:
    tiers = two_gpu_cluster()
    assert with_gpu_pressure(tiers, None) == (tiers, {})
    assert gpu_explanation(None, tiers, "tier-1-0", {}) == {}


class _Fixed:
    name, version, blocking = "fixed", "1", False

    def classify(self, features: Any) -> Any:
        from server.routing.classifiers import Classification

        return Classification("tier-1", "fixed", "1", ("always",), {})


def test_the_router_reads_the_gpu_view_and_explains_it() -> None:
    router = Router(_Fixed(), "degrade", PlacementPolicy())  # type: ignore[arg-type]
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}]}
    view = GpuView((gpu("0", util=98), gpu("1", util=15)))
    decision = router.decide(body, None, two_gpu_cluster(waiting0=1, waiting1=2), gpus=view)
    assert decision.placement.replica == "tier-1-1"
    explained = decision.explain()
    assert "GPU 0 hot" in explained["placement_reason"]
    assert explained["gpu"]["hot"]["0"].startswith("GPU 0 hot")
    assert [g["gpu"] for g in explained["gpu"]["replica_gpus"]] == ["1"]
    assert explained["gpu"]["gpu_map"]["tier-2-0"] == ["0"]
    cool = router.decide(body, None, two_gpu_cluster(waiting0=1, waiting1=2), gpus=None)
    assert cool.placement.replica == "tier-1-0" and cool.explain()["gpu"] is None
