"""Prints group B's corpus figures: rows per family, difficulty and language mix, and the best length cut.

Run: python -m benchmarks.corpus.families.group_b.stats [seed]. The length cut is the best accuracy any single
threshold on the last user message's length gets at telling simple from complex (either direction): near 0.5
means length says nothing about the label; the README quotes this figure.
"""

from __future__ import annotations

import random
import statistics
import sys
from collections import Counter

from benchmarks.corpus.families.group_b import FAMILIES
from benchmarks.corpus.spec import Draft


def best_length_cut(drafts: list[Draft]) -> float:
    labelled = sorted((len(d.messages[-1][1]), d.difficulty == "complex") for d in drafts if d.difficulty != "medium")
    complex_total = sum(is_complex for _, is_complex in labelled)
    best, complex_below = 0.0, 0
    for i, (_, is_complex) in enumerate(labelled, 1):  # cut after row i: rows above it are called complex
        complex_below += is_complex
        right = (i - complex_below) + (complex_total - complex_below)
        best = max(best, right / len(labelled), 1 - right / len(labelled))
    return best


def main(seed: int) -> None:
    everything: list[Draft] = []
    for family in FAMILIES:
        drafts = list(family.generate(random.Random(seed)))
        everything += drafts
        lengths = {
            k: statistics.median(len(d.messages[-1][1]) for d in drafts if d.difficulty == k)
            for k in ("simple", "complex")
        }
        medians = f"median chars simple {lengths['simple']:6.0f}  complex {lengths['complex']:6.0f}"
        print(f"{family.name:14} {len(drafts):4} rows  {medians}  length cut {best_length_cut(drafts):.3f}")
    difficulty, language = Counter(d.difficulty for d in everything), Counter(d.language for d in everything)
    print(
        f"total {len(everything)} rows; " + ", ".join(f"{k} {v / len(everything):.0%}" for k, v in difficulty.items())
    )
    print("languages: " + ", ".join(f"{k} {v / len(everything):.0%}" for k, v in language.items()))
    print(f"best single length cut, simple vs complex, all families: {best_length_cut(everything):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
