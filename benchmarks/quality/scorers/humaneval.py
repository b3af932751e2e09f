"""HumanEval pass@1: the answer's function against the problem's unit tests, in a sandboxed process.

Models answer in two shapes, and both are accepted:
- a completion of the prompt (base models, few-shot completion): the program is the prompt followed by the
  completion, cut where indentation returns to column 0 (the function body ended; what follows is usually the
  model inventing more code or a usage demo);
- a whole function, often in a fenced code block (chat models): when the code defines the entry point at top
  level, the program is the prompt (its imports and helper functions) followed by that code, whose definition
  replaces the prompt's stub.
The problem's `test` and `check(entry_point)` follow. The program runs under a module name other than
`__main__`, so an answer's `if __name__ == "__main__":` demo (which may read stdin or print forever) is not
part of the test. Score 1 iff the process exits 0 within the limits (sandbox.py).
"""

from __future__ import annotations

import ast
import asyncio
import os
import re
from pathlib import Path

from benchmarks.quality.model import BenchItem, Score
from benchmarks.quality.scorers.base import SandboxLimits, invalid
from benchmarks.quality.scorers.sandbox import run_python

FENCE = re.compile(r"```[\w+.-]*[ \t]*\n(?P<code>.*?)(?:```|\Z)", re.DOTALL)
CODE_START = re.compile(r"^(?:async\s+def |def |class |import |from \S+ import |@)")
INDENT = "    "


def defines(code: str, entry_point: str) -> bool:
    return re.search(rf"^(?:async\s+)?def\s+{re.escape(entry_point)}\s*\(", code, re.MULTILINE) is not None


def extract_code(output: str, entry_point: str) -> str:
    """The code in an answer: the fenced block that defines the entry point, else the first block, else all
    (without the prose around an unfenced function)."""
    blocks = [match["code"] for match in FENCE.finditer(output)]
    if not blocks:
        return without_prose(output) if defines(output, entry_point) else output
    return next((block for block in blocks if defines(block, entry_point)), blocks[0])


def without_prose(text: str) -> str:
    """An unfenced answer from its first top-level code line to the last line that still parses as Python.

    "Here is the function:\n\ndef f(x): ...\n\nIt works by..." keeps only the function. The cut is tried at
    each line that starts at column 0, longest first; text that never parses is returned from its start.
    """
    lines = text.splitlines()
    start = next((index for index, line in enumerate(lines) if CODE_START.match(line)), 0)
    ends = [index for index in range(start + 1, len(lines)) if lines[index][:1].strip()]
    for end in [len(lines), *reversed(ends)]:
        chunk = "\n".join(lines[start:end])
        try:
            ast.parse(chunk)  # parsing only: nothing of the answer runs in this process
        except (SyntaxError, ValueError):
            continue
        return chunk
    return "\n".join(lines[start:])


def function_body(completion: str) -> str:
    """A completion of the prompt, cut to the function body; a body written flush left is indented."""
    lines = completion.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        return ""
    if not first[0].isspace():
        # Chat models sometimes answer with the bare body at column 0: it can only belong to the function.
        return "\n".join(INDENT + line if line.strip() else line for line in lines)
    kept: list[str] = []
    for line in lines:
        if line.strip() and not line[0].isspace():
            break
        kept.append(line)
    return "\n".join(kept)


def assemble_program(prompt: str, output: str, test: str, entry_point: str) -> str:
    code = extract_code(output, entry_point)
    # A redefinition follows the whole prompt (its imports and helpers stay); a completion continues it.
    solution = prompt + "\n\n" + code if defines(code, entry_point) else prompt + function_body(code)
    return f"{solution}\n\n{test}\n\ncheck({entry_point})\n"


class HumanEvalScorer:
    """pass@1 of one answer; at most `max_parallel` programs run at once (each may use a core and memory_mb)."""

    name = "humaneval"

    def __init__(
        self, limits: SandboxLimits, *, scratch_dir: Path | None = None, max_parallel: int | None = None
    ) -> None:
        self._limits = limits
        self._scratch_dir = scratch_dir
        self._max_parallel = max_parallel or max(1, min(4, os.cpu_count() or 1))
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        """One semaphore per event loop: an asyncio.Semaphore used under contention belongs to its loop, and a
        registry may outlive one `asyncio.run` (a resumed run, tests)."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(self._max_parallel))
        return self._slots[1]

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        missing = [key for key in ("prompt", "test", "entry_point") if not isinstance(item.meta.get(key), str)]
        if missing:
            return invalid(self.name, f"item lacks meta {', '.join(missing)} (HumanEval problem fields)")
        entry_point = item.meta["entry_point"]
        program = assemble_program(item.meta["prompt"], output, item.meta["test"], entry_point)
        async with self._semaphore():
            result = await run_python(program, self._limits, scratch_dir=self._scratch_dir)
        detail = result.describe(self._limits)
        return Score(1.0 if result.passed else 0.0, self.name, detail)
