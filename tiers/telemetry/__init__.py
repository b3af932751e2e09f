"""Device telemetry for placement: NVML on GPU hosts, psutil for the CPU, recorded traces elsewhere.

Importing this package is cheap and needs no GPU: pynvml is imported only when an
`NvmlSource` opens.
"""

from tiers.telemetry.base import CpuSample, GpuSample, TelemetrySnapshot, TelemetrySource
from tiers.telemetry.cpu import CpuSource
from tiers.telemetry.nvml import NvmlSource, NvmlUnavailableError, nvml_available
from tiers.telemetry.sampler import BackgroundSampler
from tiers.telemetry.trace import TraceSource, read_trace, record, write_trace

__all__ = [
    "BackgroundSampler",
    "CpuSample",
    "CpuSource",
    "GpuSample",
    "NvmlSource",
    "NvmlUnavailableError",
    "TelemetrySnapshot",
    "TelemetrySource",
    "TraceSource",
    "nvml_available",
    "read_trace",
    "record",
    "write_trace",
]
