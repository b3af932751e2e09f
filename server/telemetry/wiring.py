"""Building the gateway's telemetry sampler from the `telemetry` config section."""

from __future__ import annotations

from server.settings import ConfigError
from server.telemetry.settings import TelemetrySettings
from tiers.telemetry.base import TelemetrySource
from tiers.telemetry.cpu import CpuSource
from tiers.telemetry.nvml import NvmlSource, NvmlUnavailableError
from tiers.telemetry.sampler import BackgroundSampler
from tiers.telemetry.trace import TraceSource


def telemetry_source(settings: TelemetrySettings) -> TelemetrySource | None:
    """The configured source, opened; None for `off`. `nvml` fails loudly where NVML cannot start;
    `auto` falls back to the host's CPU and memory, which is what a CPU-only deployment serves on."""
    if settings.source == "off":
        return None
    if settings.source == "trace":
        assert settings.trace_path is not None  # the settings validator guarantees it
        try:
            return TraceSource(settings.trace_path, loop=settings.trace_loop)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"telemetry.trace_path: {exc}") from None
    if settings.source == "cpu":
        return CpuSource()
    try:
        source = NvmlSource(cpu=CpuSource()).open()
    except NvmlUnavailableError as exc:
        if settings.source == "nvml":
            raise ConfigError(f"telemetry.source is nvml but {exc}") from None
        return CpuSource()  # auto on a host without an NVIDIA driver: the usual CPU-only case, not worth a warning
    if settings.source == "auto" and source.device_count == 0:
        source.close()
        return CpuSource()
    return source


def build_sampler(settings: TelemetrySettings) -> BackgroundSampler | None:
    source = telemetry_source(settings)
    if source is None:
        return None
    return BackgroundSampler(source, interval_s=settings.interval_s, max_age_s=settings.max_age_s)
