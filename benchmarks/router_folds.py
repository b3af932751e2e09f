"""The pieces of benchmarks/router_accuracy.py that score routes: folds by family, metrics and baselines. Pure numpy.

- Folds hold whole families out: a family (extraction, code, legal, ...; or a benchmark source) is never split
  between training and scoring, so the score is what to expect on kinds of work the model never saw.
- simple-vs-complex: rows of simple or complex work (medium rows left out, as in a set of clear cases), scored
  on whether the router sends them to the cheapest tier exactly when their label is the cheapest tier - the
  promise the product makes. 3-class accuracy and the confusion matrix use every row.
- Baselines on the same rows: the best single prompt-length cut (chosen with hindsight on the scored rows
  themselves, so no baseline is flattered less), the preset's keyword rules, and a random router that
  sends the same share to each tier as the model does.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def family_folds(families: Sequence[str], folds: int) -> dict[str, int]:
    """Family -> fold, balancing rows: largest families first, each into the fold with fewest rows so far.

    Ties are broken by a hash of the name, so the assignment is stable and does not follow the alphabet."""
    sizes = Counter(families)
    order = sorted(sizes, key=lambda f: (-sizes[f], hashlib.sha256(f.encode()).hexdigest()))
    load = [0] * folds
    assignment: dict[str, int] = {}
    for family in order:
        fold = min(range(folds), key=lambda i: (load[i], i))
        assignment[family] = fold
        load[fold] += sizes[family]
    return assignment


def simple_vs_complex(chosen: IntArray, labels: IntArray) -> float:
    """Share of rows where "sent to the cheapest tier" agrees with "labelled with the cheapest tier"."""
    if not len(labels):
        return float("nan")
    return float(np.mean((chosen == 0) == (labels == 0)))


def route_scores(
    chosen: IntArray, labels: IntArray, clear: npt.NDArray[np.bool_], tiers: Sequence[str]
) -> dict[str, Any]:
    """`clear`: the rows of simple or complex work, on which simple-vs-complex is scored."""
    top = len(tiers) - 1
    confusion = np.zeros((len(tiers), len(tiers)), dtype=int)
    np.add.at(confusion, (labels, chosen), 1)
    return {
        "rows": len(labels),
        "simple_vs_complex": simple_vs_complex(chosen[clear], labels[clear]),
        "clear_rows": int(clear.sum()),
        "accuracy": float(np.mean(chosen == labels)) if len(labels) else float("nan"),
        "quality": float(np.mean(chosen >= labels)) if len(labels) else float("nan"),  # at or above the label
        "top_share": float(np.mean(chosen == top)) if len(labels) else float("nan"),
        "confusion": {tiers[i]: dict(zip(tiers, map(int, confusion[i]), strict=True)) for i in range(len(tiers))},
    }


def breakdown(
    chosen: IntArray, labels: IntArray, clear: npt.NDArray[np.bool_], groups: Sequence[str]
) -> dict[str, dict[str, float]]:
    """simple-vs-complex and 3-class accuracy per group (language, family)."""
    keys = np.asarray(groups)
    out: dict[str, dict[str, float]] = {}
    for group in sorted(set(groups)):
        mask = keys == group
        out[group] = {
            "rows": int(mask.sum()),
            "simple_vs_complex": round(simple_vs_complex(chosen[mask & clear], labels[mask & clear]), 4),
            "accuracy": round(float(np.mean(chosen[mask] == labels[mask])), 4),
        }
    return out


def best_length_cut(lengths: Sequence[int], labels: IntArray) -> dict[str, Any]:
    """The best "shorter than N characters goes to the cheapest tier" rule, chosen on these very rows."""
    values = np.asarray(lengths)
    simple = labels == 0
    best_accuracy, best_cut = float(np.mean(~simple)), 0  # cut 0: nothing is simple
    for cut in np.unique(values):
        accuracy = float(np.mean((values <= cut) == simple))
        if accuracy > best_accuracy:
            best_accuracy, best_cut = accuracy, int(cut)
    return {"simple_vs_complex": best_accuracy, "max_chars_for_cheapest": best_cut, "chosen_on": "the scored rows"}


def random_router(chosen: IntArray, labels: IntArray, tiers: int) -> dict[str, float]:
    """Expected scores of a router that sends the same share to each tier as `chosen`, at random."""
    routed = np.bincount(chosen, minlength=tiers) / max(len(chosen), 1)
    labelled = np.bincount(labels, minlength=tiers) / max(len(labels), 1)
    cheapest_routed, cheapest_labelled = routed[0], labelled[0]
    return {
        "simple_vs_complex": float(
            cheapest_routed * cheapest_labelled + (1 - cheapest_routed) * (1 - cheapest_labelled)
        ),
        "accuracy": float(np.dot(routed, labelled)),
    }
