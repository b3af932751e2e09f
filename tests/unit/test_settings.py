from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import ConfigError, OpenAITierSettings, expand_env, load_settings, preset_path

MINIMAL = """
tiers:
  - name: tier-1
    kind: vllm
    served_model_name: small
    urls: [http://127.0.0.1:8100]
  - name: frontier
    kind: openai
    base_url: ${BASE:-}
    model: ${MODEL:-}
routing:
  classifier: rules
  rules:
    default_tier: tier-1
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tierd.yaml"
    path.write_text(text)
    return path


def test_presets_load_and_name_three_tiers() -> None:
    for preset in ("cpu", "gpu-3tier"):
        settings = load_settings(preset=preset, env={})
        assert [t.name for t in settings.tiers] == ["tier-1", "tier-2", "frontier"]


def test_cpu_preset_frontier_comes_from_env() -> None:
    env = {"TIERD_FRONTIER_BASE_URL": "https://api.example.com/v1", "TIERD_FRONTIER_MODEL": "big"}
    frontier = load_settings(preset="cpu", env=env).tier("frontier")
    assert isinstance(frontier, OpenAITierSettings)
    assert frontier.configured and frontier.base_url == "https://api.example.com/v1"
    assert frontier.api_key_env == "TIERD_FRONTIER_API_KEY"
    unconfigured = load_settings(preset="cpu", env={}).tier("frontier")
    assert isinstance(unconfigured, OpenAITierSettings)
    assert not unconfigured.configured and unconfigured.missing_settings() == ["base_url", "model"]


def test_env_overrides_reach_fields_and_list_items_by_name(tmp_path: Path) -> None:
    env = {"TIERD__SERVER__PORT": "9001", "TIERD__TIERS__FRONTIER__PRICE_PER_1M_INPUT": "1.25"}
    settings = load_settings(_write(tmp_path, MINIMAL), env=env)
    assert settings.server.port == 9001
    assert settings.tier("frontier").price_per_1m_input == 1.25  # type: ignore[union-attr]


def test_config_path_from_tierd_config_env(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL)
    assert load_settings(env={"TIERD_CONFIG": str(path)}).tiers[0].name == "tier-1"


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (("served_model_name: small", "served_model_name: small\n    managed: {model: x}"), "exactly one of"),
        (("urls: [http://127.0.0.1:8100]", "urls: [ftp://x]"), "tiers[0] (tier-1).urls"),
        (("default_tier: tier-1", "default_tier: tier-9"), "unknown tier 'tier-9'"),
        (("kind: openai", "kind: anthropic"), "tiers[1] (frontier)"),
        (("routing:", "extra_section: 1\nrouting:"), "extra_section: Extra inputs are not permitted"),
        (("name: frontier", "name: tier-1"), "repeated: ['tier-1']"),
        (("name: frontier", "name: auto"), "`auto` is reserved"),
        (("urls: [http://127.0.0.1:8100]", "managed: {model: x}\n    api_key_env: K"), "api_key_env is for attached"),
        (
            ("tiers:", "server: {shutdown_grace_s: 30}\ntiers:"),
            "shutdown_grace_s (30) must be below shutdown_timeout_s",
        ),
    ],
)
def test_bad_config_names_the_field(tmp_path: Path, mutation: tuple[str, str], expected: str) -> None:
    old, new = mutation
    with pytest.raises(ConfigError) as info:
        load_settings(_write(tmp_path, MINIMAL.replace(old, new, 1)), env={})
    assert expected in str(info.value)


def test_bad_managed_field_is_named(tmp_path: Path) -> None:
    text = MINIMAL.replace("urls: [http://127.0.0.1:8100]", "managed: {model: x, replicas: 0}")
    with pytest.raises(ConfigError, match=r"tiers\[0\] \(tier-1\)\.managed\.replicas"):
        load_settings(_write(tmp_path, text), env={})


def test_unset_variable_without_default_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"\$\{NOPE\}"):
        expand_env("x: ${NOPE}", {})
    assert expand_env("x: ${A:-d} ${B}", {"B": "b"}) == "x: d b"


def test_unreadable_and_non_yaml_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_settings(tmp_path / "missing.yaml", env={})
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(_write(tmp_path, "tiers: [\n"), env={})
    with pytest.raises(ConfigError, match="unknown preset"):
        preset_path("tpu")


def test_engine_args_mapping_becomes_flags(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "urls: [http://127.0.0.1:8100]",
        "managed: {model: m, engine_args: {enforce-eager: true, max-model-len: 2048, quantization: null, x: false}}",
    )
    managed = load_settings(_write(tmp_path, text), env={}).tiers[0].managed  # type: ignore[union-attr]
    assert managed.engine_arg_list() == ["--enforce-eager", "--max-model-len", "2048"]
