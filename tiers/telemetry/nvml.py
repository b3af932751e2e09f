"""NVIDIA GPU telemetry through NVML (the `pynvml` module of nvidia-ml-py).

pynvml is imported when a source opens, not when this module is imported, so GPU-less hosts
and the probe's bare CUDA image import the telemetry package for free.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tiers.telemetry.base import GpuSample, TelemetrySnapshot
from tiers.telemetry.cpu import CpuSource


class NvmlUnavailableError(RuntimeError):
    """nvidia-ml-py is missing, or NVML could not start (no driver, no GPU visible)."""


def _load_nvml(nvml: Any) -> Any:
    if nvml is not None:
        return nvml
    try:
        import pynvml
    except ImportError as exc:
        raise NvmlUnavailableError("nvidia-ml-py is not installed (pip install nvidia-ml-py)") from exc
    return pynvml


def nvml_available(nvml: Any = None) -> bool:
    """Whether NVML starts and sees at least one GPU."""
    try:
        with NvmlSource(nvml=nvml) as source:
            return source.device_count > 0
    except NvmlUnavailableError:
        return False


# NVML's clock event (throttle) reason bits, nvml.h; stable across driver versions.
CLOCK_EVENT_REASONS = (
    (0x1, "gpu_idle"),
    (0x2, "applications_clocks"),
    (0x4, "sw_power_cap"),
    (0x8, "hw_slowdown"),
    (0x10, "sync_boost"),
    (0x20, "sw_thermal"),
    (0x40, "hw_thermal"),
    (0x80, "hw_power_brake"),
    (0x100, "display_clocks"),
)


def clock_event_reasons(mask: int) -> tuple[str, ...]:
    return tuple(name for bit, name in CLOCK_EVENT_REASONS if mask & bit)


def _text(value: str | bytes) -> str:
    # Older nvidia-ml-py releases return bytes for names and UUIDs.
    return value.decode() if isinstance(value, bytes) else str(value)


class NvmlSource:
    """Samples every GPU NVML sees: utilisation, memory, power, power limit, temperature.

    `open()`/`close()` wrap nvmlInit/nvmlShutdown (or use it as a context manager). A reading
    the device does not support, or that this container may not read, is None rather than an
    error; any other NVML error (a GPU that fell off the bus) propagates to the sampler.
    """

    name = "nvml"

    def __init__(self, nvml: Any = None, cpu: CpuSource | None = None, clock: Callable[[], float] = time.time) -> None:
        self._injected = nvml
        self._nvml: Any = None
        self._cpu = cpu
        self._clock = clock
        self._devices: list[tuple[Any, str, str]] = []  # (handle, name, uuid)
        self.driver_version: str | None = None

    @property
    def device_count(self) -> int:
        return len(self._devices)

    @property
    def device_names(self) -> tuple[str, ...]:
        return tuple(name for _, name, _ in self._devices)

    def open(self) -> NvmlSource:
        nvml = _load_nvml(self._injected)
        try:
            nvml.nvmlInit()
        except Exception as exc:  # NVMLError_LibraryNotFound, _DriverNotLoaded, ...; OSError
            raise NvmlUnavailableError(f"NVML could not start: {exc} (is an NVIDIA driver installed?)") from exc
        self._nvml = nvml
        try:
            handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(nvml.nvmlDeviceGetCount())]
            self._devices = [(h, _text(nvml.nvmlDeviceGetName(h)), _text(nvml.nvmlDeviceGetUUID(h))) for h in handles]
            self.driver_version = _text(nvml.nvmlSystemGetDriverVersion())
        except Exception:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._nvml is not None:
            nvml, self._nvml, self._devices = self._nvml, None, []
            nvml.nvmlShutdown()

    def __enter__(self) -> NvmlSource:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _optional(self, read: Callable[[], Any]) -> Any:
        nvml = self._nvml
        unreadable = {getattr(nvml, "NVML_ERROR_NOT_SUPPORTED", 3), getattr(nvml, "NVML_ERROR_NO_PERMISSION", 4)}
        try:
            return read()
        except nvml.NVMLError as exc:
            if getattr(exc, "value", None) in unreadable:
                return None
            raise

    def _gpu(self, index: int, handle: Any, name: str, uuid: str) -> GpuSample:
        nvml = self._nvml
        util = self._optional(lambda: nvml.nvmlDeviceGetUtilizationRates(handle))
        memory = self._optional(lambda: nvml.nvmlDeviceGetMemoryInfo(handle))
        power_mw = self._optional(lambda: nvml.nvmlDeviceGetPowerUsage(handle))
        limit_mw = self._optional(lambda: nvml.nvmlDeviceGetEnforcedPowerLimit(handle))
        temperature = self._optional(lambda: nvml.nvmlDeviceGetTemperature(handle, nvml.NVML_TEMPERATURE_GPU))
        # Renamed in newer NVML (clocks "event" reasons); older bindings only have the throttle name.
        read_reasons = getattr(nvml, "nvmlDeviceGetCurrentClocksEventReasons", None) or getattr(
            nvml, "nvmlDeviceGetCurrentClocksThrottleReasons", None
        )
        reasons = self._optional(lambda: read_reasons(handle)) if read_reasons is not None else None
        processes = self._optional(lambda: nvml.nvmlDeviceGetComputeRunningProcesses(handle))
        return GpuSample(
            index=index,
            name=name,
            uuid=uuid,
            utilization_pct=float(util.gpu) if util is not None else None,
            memory_used_bytes=int(memory.used) if memory is not None else None,
            memory_total_bytes=int(memory.total) if memory is not None else None,
            power_watts=power_mw / 1000 if power_mw is not None else None,
            power_limit_watts=limit_mw / 1000 if limit_mw is not None else None,
            temperature_c=float(temperature) if temperature is not None else None,
            throttle_reasons=clock_event_reasons(int(reasons)) if reasons is not None else None,
            process_pids=tuple(int(p.pid) for p in processes) if processes is not None else None,
        )

    def sample(self) -> TelemetrySnapshot:
        if self._nvml is None:
            raise RuntimeError("NvmlSource is not open: call open() or use it as a context manager")
        gpus = tuple(self._gpu(i, *device) for i, device in enumerate(self._devices))
        cpu = self._cpu.read() if self._cpu is not None else None
        return TelemetrySnapshot(source=self.name, taken_at=self._clock(), gpus=gpus, cpu=cpu)
