"""Prefix affinity: prompt block hashing, the bounded index, and replica choice blending prefix with load."""

from __future__ import annotations

from typing import Any

import pytest

from server.routing.placement import PlacementPolicy, best_replica, place
from server.routing.prefix_affinity import (
    PrefixIndex,
    PrefixMatch,
    ReplicaChoice,
    block_hashes,
    prompt_hashes,
    render_prompt,
)
from tiers.base import ReplicaSnapshot, ReplicaStatus, TierKind, TierSnapshot
from tiers.load import ReplicaLoad

SYSTEM = "You are a careful assistant for the billing team. " * 8  # 400 characters: 6 blocks of 64


def _chat(*turns: tuple[str, str], system: str = SYSTEM) -> dict[str, Any]:
    return {
        "model": "auto",
        "messages": [{"role": "system", "content": system}, *({"role": r, "content": c} for r, c in turns)],
    }


TURN_1 = _chat(("user", "What does invoice 1042 cover?"))
TURN_2 = _chat(
    ("user", "What does invoice 1042 cover?"), ("assistant", "Two months of support."), ("user", "And 1043?")
)


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        # The next turn of a conversation starts with every full block of the turn before.
        (TURN_1, TURN_2, len(prompt_hashes(TURN_1))),
        # Another conversation with the same system prompt shares the system prompt's full blocks.
        (TURN_1, _chat(("user", "Is the March invoice paid?")), len(SYSTEM) // 64),
        # A changed first message changes every later hash: the chain carries it forward.
        (TURN_2, _chat(*TURN_2["messages"][1:], system="Z" + SYSTEM[1:]), 0),
        # The same text moved across a role boundary is another prompt.
        (_chat(("user", "ab" * 100)), _chat(("assistant", "ab" * 100)), len(SYSTEM) // 64),
    ],
)
def test_leading_hashes_are_shared_exactly_as_far_as_the_prompts_agree(
    first: dict[str, Any], second: dict[str, Any], shared: int
) -> None:
    a, b = prompt_hashes(first), prompt_hashes(second)
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    assert common == shared
    assert not set(a[shared:]) & set(b[shared:])  # past the divergence nothing matches, anywhere


@pytest.mark.parametrize(
    ("chars", "block", "blocks"), [(0, 64, 0), (63, 64, 0), (64, 64, 1), (200, 64, 3), (200, 16, 12)]
)
def test_only_full_blocks_are_hashed(chars: int, block: int, blocks: int) -> None:
    assert len(block_hashes("x" * chars, block)) == blocks


def test_long_bodies_are_hashed_only_up_to_the_cap() -> None:
    huge = _chat(("user", "z" * 1_000_000))
    assert len(render_prompt(huge, max_chars=8192)) == 8192
    assert len(prompt_hashes(huge, 64, 8192)) == 128
    assert prompt_hashes(huge, 64, 8192) == prompt_hashes(_chat(("user", "z" * 9000)), 64, 8192)


def test_completions_prompts_and_responses_bodies_are_rendered_too() -> None:
    assert render_prompt({"model": "m", "prompt": "Once upon a time"}) == "Once upon a time"
    responses = render_prompt({"model": "m", "instructions": "Be brief.", "input": "Hello"})
    assert "Be brief." in responses and responses.index("Be brief.") < responses.index("Hello")
    parts = {
        "role": "user",
        "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "u"}}],
    }
    assert "look" in render_prompt({"messages": [parts]}) and '"url": "u"' in render_prompt({"messages": [parts]})
    assert render_prompt({"messages": "not a list"}) == ""


def test_the_index_reports_leading_blocks_per_replica_and_lookup_changes_nothing() -> None:
    index = PrefixIndex(max_entries=100)
    t1, t2 = prompt_hashes(TURN_1), prompt_hashes(TURN_2)
    index.remember("tier-1", t1, "tier-1-0")
    index.remember("tier-1", t2[: len(SYSTEM) // 64], "tier-1-1")  # r1 saw only the system prompt
    match = index.lookup(["tier-1", "tier-2"], t2)
    assert match.total_blocks == len(t2)
    assert match.cached == {"tier-1": {"tier-1-0": len(t1), "tier-1-1": len(SYSTEM) // 64}}
    assert match.blocks("tier-2", "tier-1-0") == 0  # another tier's cache is another cache
    before = len(index)
    index.lookup(["tier-1"], prompt_hashes(_chat(("user", "new"), system="other " * 40)))
    assert len(index) == before


def test_the_index_is_bounded_and_evicts_closing_blocks_before_opening_ones() -> None:
    index = PrefixIndex(max_entries=4)
    first, second = block_hashes("a" * 192, 64), block_hashes("b" * 192, 64)  # 3 blocks each
    index.remember("tier-1", first, "r0")
    index.remember("tier-1", second, "r1")
    assert len(index) == 4
    # Of `first`, only its opening block is left: still a (shorter) match, where the chain starts.
    assert index.lookup(["tier-1"], first).cached == {"tier-1": {"r0": 1}}
    assert index.lookup(["tier-1"], second).cached == {"tier-1": {"r1": 3}}
    index.remember("tier-1", first, "r0")  # used again: the most recent now
    assert index.lookup(["tier-1"], first).cached == {"tier-1": {"r0": 3}}
    assert len(index) == 4


# --- replica choice ----------------------------------------------------------------------------------


def _replica(rid: str, *, in_flight: int = 0, waiting: float | None = None) -> ReplicaSnapshot:
    load = None if waiting is None else ReplicaLoad(1000.0, 0.0, waiting, 0.1, 0.0, 0.0, 0.0)
    return ReplicaSnapshot(
        rid, "http://x/v1", ReplicaStatus.READY, in_flight, 0, 0.0, load=load, in_flight_at_load=in_flight
    )


def _tier(*replicas: ReplicaSnapshot) -> TierSnapshot:
    return TierSnapshot("tier-1", TierKind.VLLM_ATTACHED, "m", True, True, replicas)


def _match(total: int = 8, tie_break: int = 0, **blocks: int) -> PrefixMatch:
    return PrefixMatch(total, {"tier-1": blocks}, tie_break)


def _choose(tier: TierSnapshot, match: PrefixMatch | None, choice: ReplicaChoice = "affinity", **policy: Any) -> str:
    return best_replica(tier, PlacementPolicy(replica_choice=choice, **policy), prefix=match)[0].replica_id


@pytest.mark.parametrize(
    ("replicas", "match", "chosen"),
    [
        # The longest cached prefix wins at equal load.
        ((_replica("r0"), _replica("r1")), _match(r0=2, r1=6), "r1"),
        # ... but never on a saturated replica (4 waiting >= max_waiting 4).
        ((_replica("r0"), _replica("r1", waiting=4)), _match(r0=2, r1=8), "r0"),
        # Equal prefixes: load breaks the tie.
        ((_replica("r0", in_flight=2), _replica("r1", in_flight=1)), _match(r0=6, r1=6), "r1"),
        # One extra request weighs 1/max_waiting: a 6/8 prefix is worth it...
        ((_replica("r0"), _replica("r1", in_flight=1)), _match(r1=6), "r1"),
        # ... five extra requests are not, even for the whole prompt (the blend ties; the idler one wins).
        ((_replica("r0"), _replica("r1", in_flight=5)), _match(r1=8), "r0"),
        # Nothing cached anywhere: the least-loaded, as without affinity.
        ((_replica("r0", in_flight=1), _replica("r1")), _match(), "r1"),
        # A cached prefix on another tier's replica with the same id means nothing here.
        ((_replica("r0", in_flight=1), _replica("r1")), PrefixMatch(8, {"tier-2": {"r0": 8}}), "r1"),
    ],
)
def test_affinity_blends_the_cached_prefix_with_load(
    replicas: tuple[ReplicaSnapshot, ...], match: PrefixMatch, chosen: str
) -> None:
    assert _choose(_tier(*replicas), match) == chosen


def test_weights_shift_the_balance() -> None:
    tier = _tier(_replica("r0"), _replica("r1", in_flight=3))
    assert _choose(tier, _match(r1=6)) == "r0"  # 0.75 prefix - 0.75 load: a tie goes to the idler
    assert _choose(tier, _match(r1=6), prefix_weight=2.0) == "r1"
    assert _choose(tier, _match(r1=6), load_weight=0.0) == "r1"


def test_least_loaded_mode_ignores_the_prefix() -> None:
    tier = _tier(_replica("r0"), _replica("r1", in_flight=1))
    assert _choose(tier, _match(r1=8), "least_loaded") == "r0"
    assert _choose(tier, _match(r1=8), "affinity") == "r1"
    assert _choose(tier, None, "affinity") == "r0"  # no match given: least-loaded


def test_random_mode_draws_among_healthy_replicas_by_the_tie_break() -> None:
    tier = _tier(_replica("r0", in_flight=3), _replica("r1"), _replica("r2", waiting=9))
    drawn = {_choose(tier, _match(tie_break=n, r2=8), "random") for n in range(10)}
    assert drawn == {"r0", "r1"}  # the saturated one is never drawn; the draw ignores load and prefix
    assert _choose(tier, None, "random") == "r1"


def test_the_placement_reason_says_when_the_replica_holds_the_prefix() -> None:
    tiers = [_tier(_replica("tier-1-0"), _replica("tier-1-1", in_flight=1))]
    match = PrefixMatch(14, {"tier-1": {"tier-1-1": 12}})
    placed = place("tier-1", tiers, pinned=False, on_frontier_missing="degrade", prefix=match)
    assert (placed.replica, placed.reason) == (
        "tier-1-1",
        "requested tier is ready; replica tier-1-1: prefix 12/14 blocks cached",
    )
    plain = place("tier-1", tiers, pinned=False, on_frontier_missing="degrade", prefix=PrefixMatch(14))
    assert (plain.replica, plain.reason) == ("tier-1-0", "requested tier is ready")
    least = PlacementPolicy(replica_choice="least_loaded")
    other = place("tier-1", tiers, pinned=False, on_frontier_missing="degrade", policy=least, prefix=match)
    assert (other.replica, other.reason) == ("tier-1-0", "requested tier is ready")
