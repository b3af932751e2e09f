"""Building the gateway's telemetry sampler from the `telemetry` config section."""

from __future__ import annotations

import logging

from server.settings import ConfigError
from server.telemetry_settings import TelemetrySettings
from tiers.telemetry.base import TelemetrySource
from tiers.telemetry.cpu import CpuSource
from tiers.telemetry.nvml import NvmlSource, NvmlUnavailableError, nvml_available
from tiers.telemetry.sampler import BackgroundSampler
from tiers.telemetry.trace import TraceSource

log = logging.getLogger("tierd.telemetry")


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
    if settings.source == "cpu" or (settings.source == "auto" and not nvml_available()):
        return CpuSource()
    try:
        return NvmlSource(cpu=CpuSource()).open()
    except NvmlUnavailableError as exc:
        if settings.source == "nvml":
            raise ConfigError(f"telemetry.source is nvml but {exc}") from None
        log.warning("NVML is unavailable (%s); reading host CPU and memory instead", exc)
        return CpuSource()


def build_sampler(settings: TelemetrySettings) -> BackgroundSampler | None:
    source = telemetry_source(settings)
    if source is None:
        return None
    return BackgroundSampler(source, interval_s=settings.interval_s, max_age_s=settings.max_age_s)
