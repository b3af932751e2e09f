"""`tierd router train|calibrate` and `tierd route`, run in-process through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.cli import main
from tiers.models.bundled import default_cache_dir
from tiers.models.minilm import prepare_embedder

FIXTURE = Path(__file__).parents[1] / "fixtures" / "router_small.jsonl"
CONFIG = """\
# A config a user wrote; calibration must keep this comment.
tiers:
  - name: tier-1
    kind: vllm
    served_model_name: small
    urls: ["http://127.0.0.1:9"]   # nothing listens here: `tierd route` decides offline
  - name: tier-2
    kind: vllm
    served_model_name: medium
    urls: ["http://127.0.0.1:9"]
  - name: frontier
    kind: openai
    base_url: ${{NO_SUCH_FRONTIER_URL:-}}
    model: ""
    api_key_env: NO_SUCH_KEY
    price_per_1m_input: 2.5
    price_per_1m_output: 10
routing:
  classifier: hybrid
  learned:
    model: {model}  # trained by the test
  hybrid:
    tools_min_tier: frontier
"""


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prepare_embedder(default_cache_dir())
    folder = tmp_path_factory.mktemp("cli")
    (folder / "tierd.yaml").write_text(CONFIG.format(model=folder / "model"))
    code = main(
        [
            "router",
            "train",
            "--config",
            str(folder / "tierd.yaml"),
            "--data",
            str(FIXTURE),
            "--out",
            str(folder / "model"),
        ]
    )
    assert code == 0
    return folder


def test_train_prints_what_it_did(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (trained / "model" / "model.json").is_file()
    main(
        [
            "router",
            "train",
            "--config",
            str(trained / "tierd.yaml"),
            "--data",
            str(FIXTURE),
            "--out",
            str(trained / "m2"),
        ]
    )
    out = capsys.readouterr().out
    assert "trained on 27 examples (tier-1 9, tier-2 9, frontier 9)" in out
    version = json.loads((trained / "model" / "model.json").read_text())["version"]
    assert f"model {version}" in out  # same data, same weights, same version


def test_route_prints_the_explained_decision(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "--config", str(trained / "tierd.yaml"), "What is the capital of Spain?"]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["chosen_tier"] == decision["min_tier"] == "tier-1"
    assert decision["classifier"]["name"] == "hybrid"
    assert decision["live_state"] is False
    assert set(decision["scores"]) == {"tier-1", "tier-2", "frontier"}
    assert decision["features"]["prompt_tokens_estimate"] > 0
    assert decision["decision"].startswith("auto hybrid:")


def test_route_to_an_unconfigured_frontier_says_it_degrades(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prompt = "Prove by induction that the sum of the first n odd numbers is n^2, then derive a closed form."
    assert main(["route", "--config", str(trained / "tierd.yaml"), "--system", "You are a mathematician.", prompt]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["min_tier"] == "frontier"
    assert decision["chosen_tier"] == "tier-2"
    assert decision["degraded"] == "frontier-unconfigured"
    assert decision["features"]["has_system_prompt"] is True


def test_calibrate_writes_thresholds_and_keeps_comments(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = trained / "tierd.yaml"
    before = config.read_text()
    args = ["router", "calibrate", "--config", str(config), "--data", str(FIXTURE), "--split", "heldout"]
    assert main([*args, "--target-frontier-share", "0.25", "--dry-run"]) == 0
    assert config.read_text() == before
    assert main([*args, "--target-frontier-share", "0.25", "--tier-cost", "tier-1=0.05"]) == 0
    out = capsys.readouterr().out
    assert "calibrated {'tier-1':" in out and "quality" in out and "per 1k requests" in out
    after = config.read_text()
    assert "# A config a user wrote; calibration must keep this comment." in after
    assert "# nothing listens here" in after and "${NO_SUCH_FRONTIER_URL:-}" in after
    assert "    thresholds:\n      tier-1: " in after
    assert main(["config", "check", "--config", str(config)]) == 0  # still a valid config
    assert main(["route", "--config", str(config), "What is the capital of Spain?"]) == 0


def test_calibrate_a_preset_prints_instead_of_writing(capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(FIXTURE), "--split", "heldout", "--target-quality", "0.8"]
    assert main(["router", "calibrate", "--preset", "cpu", *data]) == 0
    out = capsys.readouterr().out
    assert "a preset cannot be edited" in out
    assert '{"thresholds": {"tier-1":' in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["router", "train", "--data", "/nonexistent.jsonl", "--out", "/tmp/never"], "--data:"),
        (["router", "calibrate", "--data", str(FIXTURE), "--target-quality", "0.9", "--tier-cost", "x"], "--tier-cost"),
        (["router", "calibrate", "--data", str(FIXTURE), "--target-quality", "0.9", "--tier-cost", "gpu=1"], "unknown"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*args[:2], "--preset", "cpu", *args[2:]]) == 2
    assert message in capsys.readouterr().err


def test_shipped_cpu_model_routes_the_readme_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "--preset", "cpu", "What is the capital of France?"]) == 0
    simple = json.loads(capsys.readouterr().out)
    hard_prompt = (
        "Prove step by step that there are infinitely many primes, "
        "then write a Python function that lists the first n primes"
    )
    assert main(["route", "--preset", "cpu", hard_prompt]) == 0
    hard = json.loads(capsys.readouterr().out)
    assert simple["min_tier"] == simple["chosen_tier"] == "tier-1"
    assert hard["min_tier"] == "frontier"
