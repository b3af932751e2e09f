"""Per tier x dataset prompt formatting of the quality harness."""

from __future__ import annotations

from benchmarks.quality.model import BenchItem
from benchmarks.quality.prompts import GSM8K_INSTRUCTION, HUMANEVAL_STOPS, PromptParams, render, transcript
from server.bench.quality_settings import QualityBenchSettings
from server.settings import load_settings

GSM = BenchItem("gsm8k", "0001", "math", ({"role": "user", "content": "Tom has 3 apples and eats 1. How many?"},), "2")
HE = BenchItem(
    "humaneval",
    "0002",
    "code",
    ({"role": "user", "content": "Complete this Python function: ..."},),
    "def f():\n    return 1\n",
    "humaneval",
    {"prompt": "def f():\n    '''Return one.'''\n", "test": "", "entry_point": "f"},
)
EVALS = BenchItem(
    "evals:born-first",
    "0003",
    "born-first",
    (
        {"role": "system", "content": "Answer Y or N."},
        {"role": "user", "content": "Was A born before B?"},
        {"role": "assistant", "content": "Y"},
        {"role": "user", "content": "Was C born before D?"},
    ),
    "N",
    "evals-match",
)


def test_chat_format_adds_the_dataset_instruction_and_no_stops() -> None:
    params = PromptParams("chat", 64, 0.0, 3)
    request = render(GSM, params)
    assert request.path == "/chat/completions"
    assert request.body["messages"][-1]["content"].endswith(GSM8K_INSTRUCTION)
    assert request.body["max_tokens"] == 64 and request.body["temperature"] == 0.0 and "stop" not in request.body
    assert "```python" in render(HE, params).body["messages"][-1]["content"]
    assert render(EVALS, params).body["messages"] == [dict(m) for m in EVALS.messages]  # sent as the client would


def test_completion_format_is_few_shot_text_with_stops() -> None:
    request = render(GSM, PromptParams("completion", 64, 0.0, 2))
    prompt = request.body["prompt"]
    assert request.path == "/completions"
    assert prompt.count("Question:") == 3 and prompt.count("####") == 2
    assert prompt.endswith("Question: Tom has 3 apples and eats 1. How many?\nAnswer:")
    assert "\nQuestion:" in request.body["stop"]


def test_humaneval_completion_continues_the_function_itself() -> None:
    request = render(HE, PromptParams("completion", 300, 0.0, 3))
    assert request.body["prompt"] == HE.meta["prompt"]
    assert request.body["stop"] == HUMANEVAL_STOPS and len(HUMANEVAL_STOPS) <= 4  # OpenAI's limit


def test_transcript_uses_the_items_own_examples_instead_of_generic_shots() -> None:
    text = transcript(EVALS.messages, (("generic?", "generic!"),))
    assert (
        text == "Answer Y or N.\n\nUser: Was A born before B?\nAssistant: Y\n\nUser: Was C born before D?\nAssistant:"
    )
    plain = transcript(GSM.messages, (("Q?", "A!"),))
    assert plain.startswith("User: Q?\nAssistant: A!\n\nUser: Tom")


def test_params_hash_covers_format_sampling_and_budget() -> None:
    base = PromptParams("chat", 64, 0.0, 3)
    hashes = {
        p.params_hash(GSM)
        for p in (base, PromptParams("completion", 64, 0.0, 3), PromptParams("chat", 65, 0.0, 3),
                  PromptParams("chat", 64, 0.5, 3), PromptParams("completion", 64, 0.0, 2))
    }  # fmt: skip
    assert len(hashes) == 5
    assert base.params_hash(GSM) == PromptParams("chat", 64, 0.0, 3).params_hash(GSM)
    assert base.params_hash(GSM) == PromptParams("chat", 64, 0.0, 1).params_hash(GSM)  # shots only matter in text


def test_formats_and_budgets_resolve_from_the_most_specific_key() -> None:
    q = QualityBenchSettings.model_validate(
        {"formats": {"tier-2": {"*": "completion", "evals:food": "chat"}}, "max_tokens": {"evals": 32, "gsm8k": 99}}
    )
    assert q.format_for("tier-2", "gsm8k") == "completion"
    assert q.format_for("tier-2", "evals:food") == "chat"
    assert q.format_for("tier-1", "gsm8k") == "chat"
    assert q.max_tokens_for("evals:food") == 32 and q.max_tokens_for("gsm8k") == 99 and q.max_tokens_for("x") == 256


def test_cpu_preset_asks_the_base_model_for_completions() -> None:
    q = load_settings(preset="cpu", env={}).bench.quality
    assert q.format_for("tier-2", "mtbench") == "completion" and q.format_for("tier-1", "mtbench") == "chat"
