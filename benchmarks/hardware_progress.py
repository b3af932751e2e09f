"""Progress of the hardware sweep: a rich progress bar per step on a terminal when rich is installed (it
is in the pinned CPU environment), plain lines otherwise; a one-line summary after every step either way."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from benchmarks.hardware_sweep import StepSummary


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


def step_line(tier: str, step: StepSummary) -> str:
    cost = step.usd_per_1m_output_tokens.get("cloud")
    return (
        f"{tier} c={step.concurrency}: {step.output_tokens_per_s:.1f} out tok/s, {step.requests_per_s:.2f} req/s, "
        f"TTFT p95 {_ms(step.ttft_p95_s)}, ITL p95 {_ms(step.itl_p95_s)}, "
        f"{'-' if cost is None else f'${cost:.4f}'}/1M out (cloud), errors {step.errors}, "
        f"{'within' if step.within_slo else 'outside'} SLO"
    )


class PlainProgress:
    def note(self, text: str) -> None:
        print(f"[bench] {text}", flush=True)

    def start_step(self, tier: str, concurrency: int, requests: int) -> Callable[[], None]:
        print(f"[bench] {tier} c={concurrency}: {requests} requests", flush=True)
        return lambda: None

    def end_step(self, tier: str, step: StepSummary) -> None:
        print(f"[bench] {step_line(tier, step)}", flush=True)


class RichProgress(PlainProgress):
    def __init__(self, rich_progress: Any, console: Any) -> None:
        self._module, self._console = rich_progress, console
        self._bar: Any = None

    def note(self, text: str) -> None:
        self._console.print(f"[bench] {text}", markup=False, highlight=False, soft_wrap=True)

    def start_step(self, tier: str, concurrency: int, requests: int) -> Callable[[], None]:
        bar = self._module.Progress(
            self._module.TextColumn("{task.description}"),
            self._module.BarColumn(),
            self._module.MofNCompleteColumn(),
            self._module.TimeElapsedColumn(),
            console=self._console,
            transient=True,
        )
        task = bar.add_task(f"{tier} c={concurrency}", total=requests)
        bar.start()
        self._bar = bar
        return lambda: bar.advance(task)

    def end_step(self, tier: str, step: StepSummary) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        self._console.print(f"[bench] {step_line(tier, step)}", markup=False, highlight=False, soft_wrap=True)


def make_progress() -> PlainProgress:
    try:
        import rich.console
        import rich.progress
    except ImportError:
        return PlainProgress()
    console = rich.console.Console(file=sys.stdout)
    # Bars only on a terminal: in logs and CI a redrawn bar is noise, the step lines say it all.
    return RichProgress(rich.progress, console) if console.is_terminal else PlainProgress()
