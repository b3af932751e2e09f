# ruff: noqa: RUF001
"""What the router reads of the work asked for: the instruction, not the pasted material, in six languages."""

from __future__ import annotations

import pytest

from server.routing.features import extract_features
from server.routing.work_cues import INSTRUCTION_HEAD_CHARS, instruction_window, work_cues


def _chat(text: str) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": text}]}


def test_a_short_message_is_all_instruction() -> None:
    assert instruction_window("Extract the date: 3 May 2026") == "Extract the date: 3 May 2026"


def test_a_long_message_keeps_the_ask_before_and_after_the_document() -> None:
    document = "The supplier shall deliver the goods. " * 80
    before = instruction_window(f"Extract the renewal date from this contract:\n\n{document}\n\nThanks, Bob")
    assert before.startswith("Extract the renewal date from this contract:") and before.endswith("Thanks, Bob")
    assert "supplier" not in before  # cut at the paragraph breaks: the contract's text is left out
    after = instruction_window(f"{document}\n\nWhat is the notice period?")
    assert after.endswith("What is the notice period?") and len(after) < INSTRUCTION_HEAD_CHARS + 310


def test_a_megabyte_prompt_reads_a_bounded_window() -> None:
    features = extract_features(_chat("Summarize this in one line:\n\n" + "x" * 1_000_000))
    assert len(features.routing_text) < 800 and features.prompt_chars > 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        "design a pricing strategy for japan with a $2m budget, including risks and a 12-month plan.",
        "entwickle eine strategie für den markteintritt in österreich, inklusive budget und risiken.",
        "élaborez un plan de réduction des coûts sans licenciements, en tenant compte des risques.",
        "diseña un plan de continuidad de negocio, incluyendo riesgos y presupuesto.",
        "请为我们公司设计一个数据治理框架，涵盖合规要求和分阶段实施计划。",
        "新しい人事評価制度を設計してください。導入スケジュールを含めてください。",
    ],
)
def test_planning_with_constraints_reads_as_complex_work(text: str) -> None:
    cues = work_cues(text)
    assert cues.complex_work >= 1 and cues.constraints >= 1, cues


@pytest.mark.parametrize(
    "text",
    [
        "translate into spanish: our office is closed on monday.",
        "extrahiere den firmennamen aus dieser rechnung.",
        "quelle est la date d'échéance dans ce texte ?",
        "extrae el nombre del cliente y el importe total.",
        "把这句话翻译成英文：我们将在24小时内回复。",
        "次の文を英語に翻訳してください：資料は明日共有します。",
    ],
)
def test_one_step_transformations_read_as_simple_work(text: str) -> None:
    cues = work_cues(text)
    assert cues.simple_work >= 1 and cues.complex_work == 0, cues


def test_a_short_question_is_marked_as_one() -> None:
    assert work_cues("what is the capital of canada?").question
    assert work_cues("这是什么？").question
    assert not work_cues("design a plan, and " + "justify it " * 30 + "?").question  # too long for a lookup


def test_the_counts_reach_the_explanation_of_a_route() -> None:
    explained = extract_features(_chat("Compare A and B, and recommend one.")).to_dict()
    assert explained["work"]["complex_work"] == 2 and "routing_text" not in explained
