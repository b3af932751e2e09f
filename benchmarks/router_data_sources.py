"""Which evaluation sets the router's starter set draws from, and the difficulty each one stands for.

A table, kept apart from the builder (benchmarks/router_data.py) so the choices can be read and
argued with on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

Difficulty = Literal["simple", "medium", "complex"]


@dataclass(frozen=True)
class EvalsSet:
    difficulty: Difficulty
    name: str
    member: str  # under evals/registry/data/ in the wheel
    task: str
    why: str


_s, _m, _c = (partial(EvalsSet, d) for d in ("simple", "medium", "complex"))


# Chosen by reading samples: simple = one short answer, no multi-step work; medium = free text
# (summaries, translation, rewriting), easy word problems, SQL, knowledge multiple choice;
# complex = multi-step deduction or computation. Sets under a non-commercial or special
# licence in the wheel's LICENSE.md (theory_of_mind, steganography, ...) are left out.
EVALS_SETS: tuple[EvalsSet, ...] = (
    _s("sarcasm", "sarcasm/samples.jsonl", "sentiment", "headline sarcasm, 1/0: the registry's tone/sentiment set"),
    _s("portuguese-sarcasm", "portuguese-sarcasm/samples.jsonl", "sentiment", "sarcasm Y/N in Portuguese"),
    _s("irony", "irony/samples.jsonl", "sentiment", "irony type, one word"),
    _s("event-categories", "event_categories/samples.jsonl", "classification", "log line -> Info/Warning/Error"),
    _s("food", "food/samples.jsonl", "classification", "is this a food item, Yes/No"),
    _s("product-matching", "product-matching/zeroshot/samples.jsonl", "classification", "same product, Yes/No"),
    _s("bias-detection", "bias_detection/samples.jsonl", "classification", "news sentence type, one label"),
    _s("banking77", "banking77/samples.jsonl", "classification", "intent label from a fixed list"),
    _s("find-letter", "find-letter/samples.jsonl", "classification", "letter in word, yes/no"),
    _s("which-is-heavier", "which_is_heavier/which_is_heavier.jsonl", "short-qa", "compare two weights, Yes/No"),
    _s("born-first", "born_first/born_first.jsonl", "short-qa", "who was born first, Y/N"),
    _s("quartz", "quartz/samples.jsonl", "short-qa", "two-option qualitative question"),
    _s("product-ie", "product-ie/zeroshot/product_ie_zero_shot_samples.jsonl", "extraction", "one attribute"),
    _s("invoices", "invoices/match.jsonl", "extraction", "two fields from a payment email"),
    _s("european-date", "european_date_format_challenge/samples.jsonl", "extraction", "a month from a blurb"),
    _s("categorize", "categorize_with_distractors/samples.jsonl", "extraction", "pick list items, JSON list"),
    _s("last-word-nth", "last_word_nth/samples.jsonl", "extraction", "the n-th word of a sentence"),
    _s("first-letters", "first-letters/samples.jsonl", "formatting", "concatenate initials"),
    _s("sort-numeric", "sort_numeric/samples.jsonl", "formatting", "sort a short list of numbers"),
    _s("swap-words", "swap-words/samples.jsonl", "formatting", "swap two words, quoted"),
    _s("crontab", "crontab/samples.jsonl", "formatting", "description -> cron expression"),
    _s("number-reading", "number_reading/number_reading.jsonl", "formatting", "Chinese numeral -> digits"),
    _m("proofreader", "proofreader/samples.jsonl", "rewriting", "fix spelling and grammar in a sentence"),
    _m("abstract2title", "abstract2title/samples.jsonl", "summarisation", "title for an abstract"),
    _m("consensus-summary", "consensus_summary/samples.jsonl", "summarisation", "brief answer from claims"),
    _m("population-span", "population_span_extraction/samples.jsonl", "extraction", "free-text spans, long input"),
    _m("ner-finance", "ner_finance/samples.jsonl", "extraction", "all entities, typed, with reasoning"),
    _m("manga-translation", "manga-translation/bubbles.jsonl", "translation", "Japanese speech -> English"),
    _m("chinese-translation", "chinese_hard_translations/samples.jsonl", "translation", "Chinese -> English"),
    _m("spider-sql", "sql/spider_sql.jsonl", "text-to-sql", "one SQLite query from a schema"),
    _m("probability", "probability_questions/probability_questions.jsonl", "easy-math", "textbook probability"),
    _m("word-problems", "multistep-word-problems/samples.jsonl", "easy-math", "short word problems"),
    _m("math-5th-grade", "math_for_5th-grader/samples.jsonl", "easy-math", "school math facts"),
    _m("simple-math", "simple_math/simple_math.jsonl", "easy-math", "one-step trick questions"),
    _m("math-equations", "math_equations/math_equations.jsonl", "easy-math", "arithmetic written in words"),
    _m("linear-equations", "linear_equations/samples.jsonl", "easy-math", "small Ax=b systems"),
    _m("date-calculator", "date-calculator/samples.jsonl", "easy-math", "add weeks/months to a date"),
    _m("rectangles", "rectangles/samples.jsonl", "easy-math", "do two rectangles overlap"),
    _m("next-val-series", "next-val-series/next-val-series.jsonl", "easy-math", "next number of a series"),
    _m("medmcqa", "medmcqa/samples.jsonl", "knowledge-mcq", "medical multiple choice"),
    _m("comp-sci", "test_comp_sci/questions.jsonl", "knowledge-mcq", "CS multiple choice"),
    _m("fcc-amateur-extra", "fcc_amateur_extra/samples.jsonl", "knowledge-mcq", "radio licence multiple choice"),
    _c("logiqa", "logiqa/logiqa.jsonl", "logical-reasoning", "passage-based logic, 4 options"),
    _c(
        "pararule-plus",
        "pararule-plus-multi-step-deductive-reasoning/pararule-plus-multi-step-deductive-reasoning.jsonl",
        "logical-reasoning",
        "multi-step deduction over rules",
    ),
    _c("corr2cause", "corr2cause/corr2cause.jsonl", "logical-reasoning", "causal inference from correlations"),
    _c("logic-grid", "logic-grid/logic-grid.jsonl", "logical-reasoning", "logic grid puzzles"),
    _c("tracking-objects", "tracking-shuffled-objects/samples.jsonl", "logical-reasoning", "state tracking"),
    _c("graph-reasoning", "comprehensive-graph-reasoning/samples.jsonl", "logical-reasoning", "graph questions"),
    _c("jee-math", "jee-math/samples.jsonl", "competition-math", "JEE advanced math"),
    _c("euler", "euler_problems/euler_problems.jsonl", "competition-math", "Project Euler problems"),
    _c("chinese-remainder", "chinese-remainder-theorem/samples.jsonl", "competition-math", "CRT puzzles"),
    _c("recurrence", "recurrence-relation/samples.jsonl", "multi-step-computation", "evaluate a recurrence"),
    _c("finance-calc", "finance_calc/samples.jsonl", "multi-step-computation", "year-by-year compounding"),
    _c("bitwise", "bitwise/samples.jsonl", "multi-step-computation", "chained bitwise operations"),
    _c("forth-stack", "forth_stack_sim/basic_samples.jsonl", "multi-step-computation", "simulate a Forth stack"),
    _c("balance-equation", "balance_chemical_equation/samples.jsonl", "multi-step-computation", "balance chemistry"),
    _c(
        "arithmetical-puzzles",
        "arithmetical_puzzles/arithmetical_puzzles.jsonl",
        "multi-step-computation",
        "multi-step arithmetic puzzles",
    ),
)

# MT-Bench category -> (difficulty, task). Open writing and knowledge answers need fluency a
# 135M model lacks but not a frontier model; reasoning, math and coding need the frontier.
MTBENCH_CATEGORIES: dict[str, tuple[Difficulty, str]] = {
    "writing": ("medium", "writing"),
    "roleplay": ("medium", "roleplay"),
    "extraction": ("medium", "structured-extraction"),
    "stem": ("medium", "stem-explanation"),
    "humanities": ("medium", "humanities-essay"),
    "reasoning": ("complex", "reasoning"),
    "math": ("complex", "math"),
    "coding": ("complex", "coding"),
}
