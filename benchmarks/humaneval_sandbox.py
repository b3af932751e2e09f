"""Checks the HumanEval sandbox against the dataset itself: every canonical solution must pass, and an
answer that returns nothing must pass none. Prints how long the 164 programs took.

    python -m benchmarks.humaneval_sandbox [--timeout-s 10] [--memory-mb 512]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence

from benchmarks.quality import datasets
from benchmarks.quality.model import BenchItem
from benchmarks.quality.scorers import SandboxLimits, build_scorers


async def _pass_count(items: Sequence[BenchItem], answer: dict[str, str], limits: SandboxLimits) -> int:
    registry = build_scorers(None, None, limits)
    scores = await asyncio.gather(*(registry.score(item, answer[item.item_id], None) for item in items))
    return sum(1 for s in scores if s.value == 1.0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout-s", type=float, default=10.0)
    parser.add_argument("--memory-mb", type=int, default=512)
    args = parser.parse_args(argv)
    limits = SandboxLimits(timeout_s=args.timeout_s, memory_mb=args.memory_mb)
    items = datasets.load(datasets.parse_specs("humaneval")[0])
    canonical = {item.item_id: item.reference or "" for item in items}  # the prompt + its canonical solution
    started = time.perf_counter()
    passed = asyncio.run(_pass_count(items, canonical, limits))
    elapsed = time.perf_counter() - started
    wrong = asyncio.run(_pass_count(items, {i.item_id: "    return None\n" for i in items}, limits))
    print(f"canonical solutions: {passed}/{len(items)} pass in {elapsed:.1f} s; `return None`: {wrong} pass")
    return 0 if passed == len(items) and wrong == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
