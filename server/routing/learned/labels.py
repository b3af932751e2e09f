"""From a corpus row's task-type difficulty to a tier of this deployment: the label the router learns.

The corpus (benchmarks/data/router_corpus.jsonl) says how much work each request asks for (simple, medium,
complex) and of which family it is; which tier should answer that depends on the tiers. A preset's
`routing.learned.labels` maps `difficulty` or `difficulty/family` (the more specific wins) to a tier; rows
measured on a deployment (`label_source: measured`, from `tierd router learn`) keep their own label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DIFFICULTIES = ("simple", "medium", "complex")


def default_label_map(tiers: Sequence[str]) -> dict[str, str]:
    """Cheapest tier for simple work, the most capable for complex, the one between (if any) for medium."""
    middle = tiers[len(tiers) // 2] if len(tiers) > 2 else tiers[-1]
    return {"simple": tiers[0], "medium": middle, "complex": tiers[-1]}


def check_label_map(label_map: Mapping[str, str], tiers: Sequence[str]) -> None:
    for key, tier in label_map.items():
        difficulty, _, _family = key.partition("/")
        if difficulty not in DIFFICULTIES:
            raise ValueError(f"labels: {key!r} must be a difficulty {list(DIFFICULTIES)} or difficulty/family")
        if tier not in tiers:
            raise ValueError(f"labels: {key!r} maps to {tier!r}, which is not one of the tiers {list(tiers)}")


def row_label(row: Mapping[str, Any], label_map: Mapping[str, str] | None) -> Any:
    """The tier a row teaches: measured rows and rows without a difficulty keep `label`."""
    difficulty = row.get("difficulty")
    if label_map is None or row.get("label_source") == "measured" or difficulty not in DIFFICULTIES:
        return row.get("label")
    family = row.get("family")
    return label_map.get(f"{difficulty}/{family}", label_map.get(str(difficulty), row.get("label")))
