"""`tierd bench quality` rejects bad arguments and config before any tier is started."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from server.cli import main
from server.settings import ConfigError, validate_settings


def _config(tmp_path: Path, **quality: object) -> Path:
    config = {
        "tiers": [
            {"name": "tier-1", "kind": "vllm", "served_model_name": "m1", "urls": ["http://127.0.0.1:9"]},
            {"name": "frontier", "kind": "openai"},
        ],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1", "rules": []}},
        "bench": {"quality": quality},
    }
    path = tmp_path / "tierd.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.parametrize(
    ("extra", "quality", "message"),
    [
        (["--tiers", "tier-9"], {}, "--tiers: unknown tier(s) ['tier-9']"),
        ([], {"formats": {"tier-9": {"*": "completion"}}}, "bench.quality.formats names unknown tier 'tier-9'"),
        ([], {"judge_tier": "judge"}, "bench.quality.judge_tier names unknown tier 'judge'"),
        (["--tiers", "frontier"], {}, "no tier to evaluate below the frontier"),
        (["--datasets", "mmlu"], {}, "unknown dataset 'mmlu'"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], quality: dict, message: str
) -> None:
    args = ["bench", "quality", "--config", str(_config(tmp_path, **quality)), "--out", str(tmp_path / "out")]
    args += extra if "--datasets" in extra else ["--datasets", "gsm8k@1", *extra]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_quality_config_errors_name_the_field() -> None:
    data = {
        "tiers": [{"name": "t", "kind": "openai"}],
        "routing": {"classifier": "rules", "rules": {"default_tier": "t", "rules": []}},
        "bench": {"quality": {"formats": {"t": {"*": "prose"}}, "concurrency": 0}},
    }
    with pytest.raises(ConfigError) as info:
        validate_settings(data, "x.yaml")
    assert "bench.quality.concurrency" in str(info.value) and "bench.quality.formats.t.*" in str(info.value)


def test_the_reported_command_carries_the_config_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from server.cli.quality import _command_line

    for name in [k for k in os.environ if k.startswith("TIERD__")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TIERD__BENCH__QUALITY__MAX_TOKENS__JSONL", "48")
    monkeypatch.setenv("UNRELATED", "x")
    assert _command_line(["bench", "quality", "--out", "o"]) == (
        "TIERD__BENCH__QUALITY__MAX_TOKENS__JSONL=48 tierd bench quality --out o"
    )
