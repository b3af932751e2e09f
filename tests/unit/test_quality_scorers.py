"""Scorers on fixed fixtures: GSM8K numbers, openai/evals ideal matching, MT-Bench judging, similarity.

Fixtures come from the real datasets (GSM8K's first test item, samples of real evals sets). The MT-Bench judge
is a scripted async callable returning fixed verdict texts: that is the whole Judge interface. Similarity
runs the real ONNX MiniLM from the model cache (exported once, as `make setup` does).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from benchmarks.quality.model import BenchItem, Message, Score
from benchmarks.quality.scorers import build_scorers, minilm_embedder
from benchmarks.quality.scorers.base import ScorerRegistry
from benchmarks.quality.scorers.evals_match import ideals_of, normalize, token_f1
from benchmarks.quality.scorers.mtbench import combine_orders, load_judge_prompts, parse_rating, parse_verdict
from benchmarks.quality.scorers.numeric import final_number
from benchmarks.quality.scorers.similarity import MiniLmEmbedder
from tiers.models.bundled import default_cache_dir
from tiers.models.minilm import prepare_embedder

JANET = (
    "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends "
    "every day with four. She sells the remainder at the farmers' market daily for $2 per fresh duck egg. How much "
    "in dollars does she make every day at the farmers' market?"
)


def item(scorer: str, reference: str | None, *, question: str = "?", category: str = "x", **meta: object) -> BenchItem:
    return BenchItem("test", "0001", category, ({"role": "user", "content": question},), reference, scorer, dict(meta))


async def score(registry: ScorerRegistry, bench_item: BenchItem, output: str, baseline: str | None = None) -> Score:
    return await registry.score(bench_item, output, baseline)


@pytest.fixture(scope="module")
def plain() -> ScorerRegistry:
    return build_scorers(None, None)


# --- GSM8K ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "output",
    [
        "She sells 16 - 3 - 4 = 9 eggs for $2 each, so she makes 9 * 2 = $18 every day.\n#### 18",
        "She makes $18.",
        "The answer is 18.0",
        "Answer: \\boxed{18}",
        "#### 18. Explanation: 16 - 3 - 4 = 9 eggs, 9 * 2 = 18",
        "9 * 2 = 18\n#### 18\n\nQuestion: Tom has 3 apples and buys 4 more. How many?\nAnswer: 3 + 4 = 7\n#### 7",
    ],
)
async def test_gsm8k_right_answers_score_one(plain: ScorerRegistry, output: str) -> None:
    result = await score(plain, item("gsm8k", "18", question=JANET), output)
    assert (result.value, result.valid) == (1.0, True)


@pytest.mark.parametrize(
    "output", ["She makes $16 every day.", "#### 9", "I am not sure how much she makes.", "", "18 eggs? No: 20"]
)
async def test_gsm8k_wrong_answers_score_zero(plain: ScorerRegistry, output: str) -> None:
    result = await score(plain, item("gsm8k", "18", question=JANET), output)
    assert (result.value, result.valid) == (0.0, True)


async def test_gsm8k_reads_full_solutions_and_thousands(plain: ScorerRegistry) -> None:
    solution = "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18\n#### 18"
    assert (await score(plain, item("gsm8k", solution), "18")).value == 1.0
    assert (await score(plain, item("gsm8k", "1080"), "The total is $1,080.00.")).value == 1.0
    assert (await score(plain, item("gsm8k", "-3"), "The temperature fell to -3 degrees.")).value == 1.0
    assert (await score(plain, item("gsm8k", "15"), "Read pages 10-15")).value == 1.0


async def test_gsm8k_without_a_reference_is_invalid(plain: ScorerRegistry) -> None:
    assert not (await score(plain, item("gsm8k", None), "18")).valid
    assert not (await score(plain, item("gsm8k", "unknown"), "18")).valid
    assert (await score(plain, item("gsm8k", None), "18", baseline="It is 18.")).value == 1.0


def test_final_number_rules() -> None:
    assert final_number("3 apples and 4 pears: 7") == 7
    assert final_number("#### 1,234") == 1234
    assert final_number("\\boxed{\\frac{3}{4}} or \\boxed{0.75}") == final_number("0.75")
    assert final_number("no digits") is None


# --- openai/evals ideal matching (samples of real registry sets) ---------------------------------------


async def test_evals_match_is_a_prefix_match(plain: ScorerRegistry) -> None:
    # aba_mrpc_true_false (Match): "A lawyer with general experience not considered competent..." -> "False"
    law = item("evals-match", "False", match="match")
    for output, expected in [("False", 1), ("False. Rule 1.1 allows it.", 1), ("\nFalse", 1), ("True", 0)]:
        assert (await score(plain, law, output)).value == expected, output
    assert (await score(plain, law, "The answer is False")).value == 0  # Match wants the ideal first


async def test_evals_includes_respects_ignore_case(plain: ScorerRegistry) -> None:
    # 2d_movement (Includes): ideal "(-4, 6)"; bias_detection (Includes, ignore_case: true): ideal "[claim]"
    moves = item("evals-match", "(-4, 6)", match="includes")
    assert (await score(plain, moves, "After the moves you stand at (-4, 6).")).value == 1
    assert (await score(plain, moves, "(4, 6)")).value == 0
    assert (await score(plain, moves, "(-4,6)")).value == 0
    bias = item("evals-match", "[claim]", match="includes", ignore_case=True)
    assert (await score(plain, bias, "This sentence is a [Claim].")).value == 1
    assert (await score(plain, bias, "claim")).value == 0
    case_sensitive = item("evals-match", "[claim]", match="includes")
    assert (await score(plain, case_sensitive, "[Claim]")).value == 0


async def test_evals_fuzzy_match_normalises_both_sides(plain: ScorerRegistry) -> None:
    # ambiguous-sentences (FuzzyMatch): "...refused the demonstrators a permit because they feared violence"
    councilmen = item("evals-match", "city councilmen", match="fuzzy_match")
    assert (await score(plain, councilmen, "The City Councilmen.")).value == 1
    assert (await score(plain, councilmen, "councilmen")).value == 1  # containment works either way
    assert (await score(plain, councilmen, "The demonstrators")).value == 0
    # test_fuzzy_match: "What season did derek die in grey's?" -> ["Season 11", "11"] (a JSON list of ideals)
    derek = item("evals-match", json.dumps(["Season 11", "11"]), match="fuzzy_match")
    result = await score(plain, derek, "Derek Shepherd dies in season 11.")
    assert result.value == 1 and result.parts["f1"] == pytest.approx(0.5)  # the best ideal's F1 ("Season 11")
    assert (await score(plain, derek, "Season 12")).value == 0
    assert (await score(plain, item("evals-match", "Paris", match="fuzzy_match"), "")).value == 0


async def test_evals_match_bad_items_are_invalid(plain: ScorerRegistry) -> None:
    assert not (await score(plain, item("evals-match", None, match="match"), "x")).valid
    assert not (await score(plain, item("evals-match", "x", match="regex"), "x")).valid


def test_evals_normalisation() -> None:
    assert normalize("  The Answer: an Apple, a pear!  ") == "answer apple pear"
    assert ideals_of('["Millie Bobby Brown"]') == ["Millie Bobby Brown"]
    assert ideals_of("[claim]") == ["[claim]"]  # brackets that are not JSON stay part of the ideal
    assert token_f1("world", "some foo world") == pytest.approx(0.5)


# --- MT-Bench with a scripted judge --------------------------------------------------------------------

MODEL_ANSWER = "Paris is the capital of France."
FRONTIER_ANSWER = "The capital of France is Paris, on the Seine."


class ScriptedJudge:
    """Answers each judge prompt with a fixed text chosen by `reply(messages)`; records every call."""

    def __init__(self, reply: Callable[[Sequence[Message]], str]) -> None:
        self.reply = reply
        self.calls: list[list[Message]] = []

    async def __call__(self, messages: Sequence[Message], max_tokens: int = 512) -> str:
        self.calls.append(list(messages))
        return self.reply(messages)


def is_pairwise(messages: Sequence[Message]) -> bool:
    return "Assistant B" in messages[-1]["content"]


def answer_in_a(messages: Sequence[Message]) -> str:
    text = messages[-1]["content"]
    if "### Assistant A:" in text:  # two turns: the second answer is the one judged
        return text.rsplit("### Assistant A:\n", 1)[1].split("\n", 1)[0]
    return text.split("[The Start of Assistant A's Answer]\n", 1)[1].split("\n[The End of Assistant A's Answer]")[0]


def judge_that(prefers: str, rating: str = "The answer is correct and concise. Rating: [[8]]") -> ScriptedJudge:
    """prefers: "model" (picks the model's answer), "frontier", "position-a" (always A), "tie"."""

    def reply(messages: Sequence[Message]) -> str:
        if not is_pairwise(messages):
            return rating
        if prefers == "tie":
            return "Both are equally good. [[C]]"
        if prefers == "position-a":
            return "Assistant A is better. [[A]]"
        model_is_a = answer_in_a(messages) == MODEL_ANSWER
        return "Verdict: [[A]]" if model_is_a == (prefers == "model") else "Verdict: [[B]]"

    return ScriptedJudge(reply)


def mt_item(category: str = "writing", reference: str | None = None) -> BenchItem:
    return item("mtbench", reference, question="What is the capital of France?", category=category)


@pytest.mark.parametrize(
    ("prefers", "pairwise", "orders"),
    [
        ("model", 1.0, (1.0, 1.0)),
        ("frontier", 0.0, (0.0, 0.0)),
        ("tie", 0.5, (0.5, 0.5)),
        ("position-a", 0.5, (1.0, 0.0)),
    ],
)
async def test_mtbench_single_grade_and_swapped_pairwise(
    prefers: str, pairwise: float, orders: tuple[float, float]
) -> None:
    judge = judge_that(prefers)
    result = await score(build_scorers(judge, None), mt_item(), MODEL_ANSWER, baseline=FRONTIER_ANSWER)
    assert result.valid and result.value == pytest.approx(0.8)
    assert result.parts["single"] == pytest.approx(0.8)
    assert result.parts["pairwise"] == pairwise
    assert (result.parts["pairwise_model_first"], result.parts["pairwise_model_second"]) == orders
    pair_calls = [call for call in judge.calls if is_pairwise(call)]
    assert sorted(answer_in_a(call) for call in pair_calls) == sorted([MODEL_ANSWER, FRONTIER_ANSWER])
    assert len(judge.calls) == 3


async def test_mtbench_uses_the_judge_prompts_and_references() -> None:
    prompts = load_judge_prompts()
    judge = judge_that("model")
    registry = build_scorers(judge, None)
    await score(registry, mt_item("writing"), MODEL_ANSWER, baseline=FRONTIER_ANSWER)
    single = next(call for call in judge.calls if not is_pairwise(call))
    assert single[0]["content"] == prompts["single-v1"].system
    assert "[The Start of Reference Answer]" not in single[1]["content"]
    judge.calls.clear()
    await score(registry, mt_item("math", reference="x = 4"), "x = 5", baseline="x = 4")
    assert all("[The Start of Reference Answer]\nx = 4\n" in call[-1]["content"] for call in judge.calls)
    assert {call[0]["content"] for call in judge.calls} == {
        prompts["single-math-v1"].system,
        prompts["pair-math-v1"].system,
    }


async def test_mtbench_two_turn_items_use_the_multi_turn_prompts() -> None:
    judge = judge_that("model")
    messages = (
        {"role": "user", "content": "Name a city."},
        {"role": "assistant", "content": "Paris."},
        {"role": "user", "content": "What is the capital of France?"},
    )
    two_turns = BenchItem("mtbench", "0001", "writing", messages, None, "mtbench")
    result = await score(build_scorers(judge, None), two_turns, MODEL_ANSWER, baseline=FRONTIER_ANSWER)
    assert result.value == pytest.approx(0.8) and result.parts["pairwise"] == 1.0
    single = next(call for call in judge.calls if not is_pairwise(call))
    assert "### Assistant A:\nParis.\n" in single[-1]["content"]
    assert f"### Assistant A:\n{MODEL_ANSWER}\n" in single[-1]["content"]


async def test_mtbench_reference_mode_judges_without_a_baseline() -> None:
    judge = judge_that("model")
    result = await score(build_scorers(judge, None), mt_item("writing"), MODEL_ANSWER)
    assert result.valid and "pairwise" not in result.parts and len(judge.calls) == 1


async def test_mtbench_retries_once_for_a_missing_verdict() -> None:
    replies = iter(["I think it is pretty good.", "[[7]]"])
    judge = ScriptedJudge(lambda messages: next(replies))
    result = await score(build_scorers(judge, None), mt_item(), MODEL_ANSWER)
    assert result.valid and result.value == pytest.approx(0.7)
    assert judge.calls[1][-2] == {"role": "assistant", "content": "I think it is pretty good."}


@pytest.mark.parametrize("reply", ["No verdict at all.", "Rating: [[11]]", "[[A]]"])
async def test_mtbench_unparseable_judges_give_invalid_scores(reply: str) -> None:
    judge = ScriptedJudge(lambda messages: reply)
    result = await score(build_scorers(judge, None), mt_item(), MODEL_ANSWER)
    assert not result.valid and "no verdict" in result.detail
    assert len(judge.calls) == 2  # the first reply and one retry, never more


async def test_mtbench_judge_errors_give_invalid_scores() -> None:
    def broken(messages: Sequence[Message]) -> str:
        raise ConnectionError("frontier unreachable")

    judge = ScriptedJudge(broken)
    result = await score(build_scorers(judge, None), mt_item(), MODEL_ANSWER, baseline=FRONTIER_ANSWER)
    assert not result.valid and "frontier unreachable" in result.detail


async def test_mtbench_pairwise_failure_keeps_the_single_grade() -> None:
    judge = judge_that("model")
    single_only = ScriptedJudge(lambda m: "no idea" if is_pairwise(m) else judge.reply(m))
    result = await score(build_scorers(single_only, None), mt_item(), MODEL_ANSWER, baseline=FRONTIER_ANSWER)
    assert result.valid and result.value == pytest.approx(0.8) and "pairwise" not in result.parts
    assert "no pairwise result" in result.detail


def test_judge_reply_parsing() -> None:
    assert parse_rating("Explanation... Rating: [[9]]") == 9.0
    assert parse_rating('Format "[[rating]]", e.g. [[5]]. Final: [[6.5]]') == 6.5
    assert parse_rating("Rating: 4") == 4.0
    assert parse_rating("[[0]]") is None
    assert parse_verdict('Output "[[A]]" if A is better. My verdict: [[B]]') == "B"
    assert parse_verdict("[[C]]") == "C" and parse_verdict("A is better") is None
    assert combine_orders("A", "B") == 1.0 and combine_orders("B", "A") == 0.0
    assert combine_orders("A", "A") == 0.5 and combine_orders("C", "B") == 0.5 and combine_orders("C", "C") == 0.5


# --- similarity with the real ONNX MiniLM ---------------------------------------------------------------


@pytest.fixture(scope="module")
def embedder() -> MiniLmEmbedder:
    return minilm_embedder(prepare_embedder(default_cache_dir()))


@pytest.fixture(scope="module")
def embedding(embedder: MiniLmEmbedder) -> ScorerRegistry:
    return build_scorers(None, embedder)


async def test_similarity_same_text_scores_one_and_unrelated_text_low(embedding: ScorerRegistry) -> None:
    reference = "The mitochondria is the powerhouse of the cell: it produces most of the cell's ATP."
    similar = item("similarity", reference)
    same = await score(embedding, similar, reference)
    paraphrase = await score(embedding, similar, "Mitochondria make most of a cell's ATP, the energy it runs on.")
    unrelated = await score(embedding, similar, "The stock market closed higher on Friday after the jobs report.")
    assert same.value == pytest.approx(1.0, abs=1e-4)
    assert unrelated.value < 0.2 < paraphrase.value - 0.2
    assert unrelated.value >= 0.0 and same.parts == {"similarity": same.value}
    assert (await score(embedding, similar, "   ")).value == 0.0


async def test_similarity_prefers_the_baseline_over_the_reference(embedding: ScorerRegistry) -> None:
    target = item("similarity", "Completely unrelated reference about tax law.")
    answer = "Water boils at 100 degrees Celsius at sea level."
    with_baseline = await score(embedding, target, answer, baseline=answer)
    assert with_baseline.value == pytest.approx(1.0, abs=1e-4) and "frontier" in with_baseline.detail
    assert (await score(embedding, target, answer)).value < 0.3


async def test_mtbench_without_a_judge_falls_back_to_similarity(embedding: ScorerRegistry) -> None:
    result = await score(embedding, mt_item(reference=FRONTIER_ANSWER), FRONTIER_ANSWER)
    assert result.scorer == "mtbench" and result.value == pytest.approx(1.0, abs=1e-4)
    assert set(result.parts) == {"similarity"}


async def test_without_embedder_or_target_similarity_is_invalid(
    plain: ScorerRegistry, embedding: ScorerRegistry
) -> None:
    assert not (await score(plain, item("similarity", "reference"), "answer")).valid
    assert not (await score(plain, mt_item(reference="ref"), "answer")).valid
    assert not (await score(embedding, item("similarity", None), "answer")).valid


# --- the registry --------------------------------------------------------------------------------------


async def test_registry_names_and_unknown_scorers(plain: ScorerRegistry) -> None:
    assert plain.names() == [
        "choice", "evals-match", "exact", "gsm8k", "humaneval", "includes", "judge", "mtbench", "numeric", "similarity"
    ]  # fmt: skip
    result = await score(plain, item("bleu", "x"), "x")
    assert not result.valid and "no scorer named 'bleu'" in result.detail


async def test_a_failing_scorer_costs_one_item_not_the_run() -> None:
    class Broken:
        name = "broken"

        async def score(self, item: BenchItem, output: str, baseline: str | None) -> Score:
            raise RuntimeError("bug")

    result = await ScorerRegistry([Broken()]).score(item("broken", None), "x", None)
    assert not result.valid and "RuntimeError: bug" in result.detail


def test_minilm_embedder_reports_a_missing_folder(tmp_path: Path) -> None:
    from server.routing.embedding import EmbedderError

    with pytest.raises(EmbedderError):
        minilm_embedder(tmp_path)
