"""An attached vLLM tier started with `--api-key` (as deploy/k8s starts them): tierd sends the key named by
the tier's `api_key_env`, and without it the upstream refuses tierd."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import ScriptedServer, running_scripted, running_tierd

pytestmark = pytest.mark.integration


def _config(upstream: ScriptedServer, **tier: Any) -> dict[str, Any]:
    attached = {"name": "tier-1", "kind": "vllm", "served_model_name": upstream.name, "urls": [upstream.root]}
    return {
        "tiers": [{**attached, **tier}],
        "routing": {"classifier": "rules", "rules": {"default_tier": "tier-1"}},
        "telemetry": {"source": "off"},
    }


def _chat(server: Any) -> httpx.Response:
    body = {"model": "auto", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}
    return httpx.post(f"{server.url}/v1/chat/completions", json=body, timeout=30)


def test_the_attached_tiers_key_is_sent_from_its_env_var(tmp_path: Path) -> None:
    with running_scripted("vllm-sim", tmp_path, api_key="sk-vllm-secret") as upstream:
        config = _config(upstream, api_key_env="TIERD_VLLM_API_KEY")
        with running_tierd(config, tmp_path / "keyed", env={"TIERD_VLLM_API_KEY": "sk-vllm-secret"}) as server:
            assert _chat(server).status_code == 200
        assert upstream.stats()["unauthorized"] == 0
        with running_tierd(_config(upstream), tmp_path / "keyless") as server:
            refused = _chat(server)
        assert refused.status_code == 401 and upstream.stats()["unauthorized"] == 1
