"""Measured router-training labels: each item's cheapest adequate tier, as rows `tierd router train` reads.

The rows have the starter set's schema (benchmarks/router_data.py `RouterRow`) with `label_source:
"measured"`, the same hash-of-id split, and one extra field, `qualities` (each tier's score, for audit; the
trainer ignores unknown fields). Labels are the run's tier names, except REFERENCE_TIER, which stands for the
config's frontier tier: pass its name as `frontier_name` (the default is the presets' "frontier").

    tierd router train --config tierd.yaml --data DIR/router_labels.jsonl --out router-model/
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.quality.matrix import build_matrix
from benchmarks.quality.model import DEFAULT_ADEQUACY_THRESHOLD, REFERENCE_TIER, BenchItem, ScoredOutcome
from benchmarks.router_data import JSONL_DUMPS, RouterRow, assign_split
from server.bench.quality_settings import DEFAULT_SEED

DEFAULT_FRONTIER_NAME = "frontier"
LABELS_FILE = "router_labels.jsonl"


def difficulty_of(index: int, tiers: int) -> str:
    """The starter set's difficulty words by position: the cheapest tier simple, the frontier complex."""
    return "simple" if index == 0 else "complex" if index == tiers - 1 else "medium"


def measured_rows(
    items: Sequence[BenchItem],
    scored: Sequence[ScoredOutcome],
    tiers: Sequence[str],
    threshold: float = DEFAULT_ADEQUACY_THRESHOLD,
    *,
    frontier_name: str = DEFAULT_FRONTIER_NAME,
    seed: int = DEFAULT_SEED,
) -> list[dict[str, Any]]:
    """One row per item scored on every tier, in the items' order."""
    m = build_matrix(items, scored, tiers, threshold)
    names = [frontier_name if t == REFERENCE_TIER else t for t in m.tiers]
    rows: list[dict[str, Any]] = []
    for i, (item, label) in enumerate(zip(m.items, m.cheapest_adequate.tolist(), strict=True)):
        row_id = f"{item.dataset}/{item.item_id}"
        row = RouterRow(
            id=row_id,
            source=item.dataset,
            task=item.category,
            difficulty=difficulty_of(label, len(names)),
            label=names[label],
            label_source="measured",
            split=assign_split(row_id, seed),
            messages=tuple((m_["role"], m_["content"]) for m_ in item.messages),
        )
        body = row.to_dict()
        body["qualities"] = {name: round(float(q), 4) for name, q in zip(names, m.quality[i], strict=True)}
        rows.append(body)
    return rows


def write_rows(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """JSONL as benchmarks/router_data.py writes it (UTF-8 kept readable), replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(json.dumps(r, **JSONL_DUMPS) + "\n" for r in rows))
    tmp.replace(path)
    return path
