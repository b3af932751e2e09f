"""Hardware profiles: what one GPU kind (or a CPU-only box) costs per hour and how to launch vLLM on it.

One YAML file per kind lives in `gpu_configs/`; the cost model turns $/hour and a tier's throughput into
$/token. Throughput measured by `tierd bench hardware` lives in `gpu_configs/measured/*.yaml`
(`tiers/measured.py`); `load_profiles` reads only the folder's own files.
Needs only the stdlib and pyyaml (the GPU probe imports it on a bare CUDA image); pynvml is lazy.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

log = logging.getLogger("tierd.hardware")

HOURS_PER_YEAR = 8760
SIZE_CLASSES = ("small", "medium", "large")
# Upper bounds in billions of parameters; anything above the last is "large".
SMALL_MAX_PARAMS_B = 3.0
MEDIUM_MAX_PARAMS_B = 14.0
ENV_CONFIG_DIR = "TIERD_GPU_CONFIGS"
CPU_PROFILE = "cpu"

# cloud: on-demand by the hour (capacity follows traffic, so each token pays its share); reserved: a committed
# rate (the profile's `reserved` price, else its cloud price), paid whether used or not; owned: purchase
# amortized plus power. For reserved and owned hardware spare capacity is sunk (server/routing/marginal.py).
PricingMode = Literal["cloud", "reserved", "owned"]
SUNK_PRICING: frozenset[str] = frozenset({"reserved", "owned"})


@dataclass(frozen=True, slots=True)
class CloudPricing:
    usd_per_hour: float
    source: str


@dataclass(frozen=True, slots=True)
class OwnedPricing:
    purchase_usd: float
    amortization_years: float
    power_draw_watts: float
    pue: float
    usd_per_kwh: float

    @property
    def usd_per_hour(self) -> float:
        capital = self.purchase_usd / (self.amortization_years * HOURS_PER_YEAR)
        energy = self.power_draw_watts / 1000 * self.pue * self.usd_per_kwh
        return capital + energy


@dataclass(frozen=True, slots=True)
class EngineDefaults:
    """Default vLLM engine arguments for one model size class on one kind of hardware."""

    gpu_memory_utilization: float | None
    max_model_len: int
    tensor_parallel_size: int
    quantization: str | None
    extra_args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class HardwareProfile:
    name: str
    kind: Literal["gpu", "cpu"]
    nvml_names: tuple[str, ...]
    memory_gib: float
    tdp_watts: float
    bf16_dense_tflops: float
    memory_bandwidth_gb_s: float
    cloud: CloudPricing
    owned: OwnedPricing
    # Keyed by SIZE_CLASSES; None means this hardware cannot serve that size class.
    engine_defaults: Mapping[str, EngineDefaults | None]
    path: Path | None = None
    reserved: CloudPricing | None = None  # a committed (1-3 year) rate per GPU-hour, when the profile has one

    def usd_per_hour(self, mode: PricingMode) -> float:
        reserved = self.reserved.usd_per_hour if self.reserved is not None else self.cloud.usd_per_hour
        prices = {"cloud": self.cloud.usd_per_hour, "reserved": reserved, "owned": self.owned.usd_per_hour}
        if mode not in prices:
            raise ValueError(f"pricing mode must be 'cloud', 'reserved' or 'owned', not {mode!r}")
        return prices[mode]

    def engine_defaults_for(self, params_b: float) -> EngineDefaults | None:
        return self.engine_defaults[size_class(params_b)]


class UnknownHardwareError(ValueError):
    """NVML reports a GPU that no profile matches; add its name to a profile or pass an override."""


def size_class(params_b: float) -> str:
    if params_b <= SMALL_MAX_PARAMS_B:
        return "small"
    return "medium" if params_b <= MEDIUM_MAX_PARAMS_B else "large"


def default_profiles_dir() -> Path:
    configured = os.environ.get(ENV_CONFIG_DIR)
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "gpu_configs"


class _Fields:
    """One mapping of a profile file; every error names the file and the dotted field."""

    def __init__(self, path: Path, data: Any, prefix: str = "") -> None:
        self.path, self.prefix = path, prefix
        if not isinstance(data, dict):
            raise ValueError(f"{path}: {prefix.rstrip('.') or 'the file'} must be a mapping")
        self.data: dict[str, Any] = data

    def error(self, key: str, message: str) -> ValueError:
        return ValueError(f"{self.path}: {self.prefix}{key} {message}")

    def check_keys(self, schema: type, exclude: tuple[str, ...] = ()) -> None:
        """The keys must be the dataclass's fields: those without a default are required."""
        known = [f for f in dataclasses.fields(schema) if f.name not in exclude]
        for f in known:
            if f.name not in self.data and f.default is MISSING and f.default_factory is MISSING:
                raise self.error(f.name, "is required")
        for key in set(self.data) - {f.name for f in known}:
            raise self.error(str(key), "is not a known field")

    def sub(self, key: str, schema: type | None = None) -> _Fields:
        fields = _Fields(self.path, self.data.get(key), f"{self.prefix}{key}.")
        if schema is not None:
            fields.check_keys(schema)
        return fields

    def number(self, key: str, minimum: float = 0.0, *, above: bool = False, maximum: float = math.inf) -> float:
        value: Any = self.data.get(key)
        is_number = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if not (is_number and (value > minimum if above else value >= minimum) and value <= maximum):
            top = f" and <= {maximum:g}" if maximum < math.inf else ""
            raise self.error(key, f"must be a number {'>' if above else '>='} {minimum:g}{top}")
        return float(value)

    def integer(self, key: str, minimum: int) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.error(key, f"must be an integer >= {minimum}")
        return value

    def string(self, key: str, *, optional: bool = False) -> Any:
        value = self.data.get(key)
        if (value is not None or not optional) and (not isinstance(value, str) or not value.strip()):
            raise self.error(key, "must be a non-empty string" + (" or null" if optional else ""))
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(key, "must be a list of non-empty strings")
        return tuple(value)


def _engine_defaults(fields: _Fields) -> EngineDefaults:
    fields.check_keys(EngineDefaults)
    gmu = fields.data["gpu_memory_utilization"]
    gmu = None if gmu is None else fields.number("gpu_memory_utilization", 0.0, above=True, maximum=1.0)
    env = fields.data.get("env") or {}
    if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise fields.error("env", "must map names to strings (quote numbers)")
    return EngineDefaults(
        gpu_memory_utilization=gmu,
        max_model_len=fields.integer("max_model_len", 1),
        tensor_parallel_size=fields.integer("tensor_parallel_size", 1),
        quantization=fields.string("quantization", optional=True),
        extra_args=fields.strings("extra_args"),
        env=MappingProxyType(dict(env)),
    )


def parse_profile(data: Any, path: Path) -> HardwareProfile:
    top = _Fields(path, data)
    top.check_keys(HardwareProfile, exclude=("path",))
    name: str = top.string("name")
    if name != path.stem:
        raise top.error("name", f"must match the file name ({path.stem!r}), not {name!r}")
    kind = top.data["kind"]
    if kind not in ("gpu", "cpu"):
        raise top.error("kind", "must be 'gpu' or 'cpu'")
    cloud, owned = top.sub("cloud", CloudPricing), top.sub("owned", OwnedPricing)
    reserved = top.sub("reserved", CloudPricing) if top.data.get("reserved") is not None else None
    engines = top.sub("engine_defaults")
    for size in set(SIZE_CLASSES) ^ set(engines.data):
        problem = "is required (null: cannot serve it)" if size in SIZE_CLASSES else "is not small|medium|large"
        raise engines.error(str(size), problem)
    return HardwareProfile(
        name=name,
        kind=kind,
        nvml_names=top.strings("nvml_names"),
        memory_gib=top.number("memory_gib", above=True),
        tdp_watts=top.number("tdp_watts", above=True),
        bf16_dense_tflops=top.number("bf16_dense_tflops", above=True),
        memory_bandwidth_gb_s=top.number("memory_bandwidth_gb_s", above=True),
        cloud=CloudPricing(cloud.number("usd_per_hour"), cloud.string("source")),
        owned=OwnedPricing(
            purchase_usd=owned.number("purchase_usd"),
            amortization_years=owned.number("amortization_years", above=True),
            power_draw_watts=owned.number("power_draw_watts"),
            pue=owned.number("pue", 1.0),
            usd_per_kwh=owned.number("usd_per_kwh"),
        ),
        engine_defaults=MappingProxyType(
            {c: None if engines.data[c] is None else _engine_defaults(engines.sub(c)) for c in SIZE_CLASSES}
        ),
        path=path,
        reserved=CloudPricing(reserved.number("usd_per_hour"), reserved.string("source")) if reserved else None,
    )


def load_profile(path: str | Path) -> HardwareProfile:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from exc
    return parse_profile(data, path)


def load_profiles(directory: str | Path | None = None) -> dict[str, HardwareProfile]:
    """Every `*.yaml` directly in `directory` (default: `default_profiles_dir()`), keyed by name."""
    directory = Path(directory) if directory is not None else default_profiles_dir()
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ValueError(f"{directory}: no hardware profiles (*.yaml) found")
    profiles = {p.name: p for p in map(load_profile, files)}
    owners: dict[str, str] = {}
    for profile in profiles.values():
        for nvml_name in profile.nvml_names:
            other = owners.setdefault(nvml_name.lower(), profile.name)
            if other != profile.name:
                raise ValueError(f"{profile.path}: nvml_names entry {nvml_name!r} is also claimed by {other!r}")
    return profiles


def _matches(pattern: str, device_name: str) -> bool:
    # Word boundaries keep "L4" from matching "L40S" and "H200" from matching "GH200".
    return re.search(rf"(?<![0-9a-z]){re.escape(pattern)}(?![0-9a-z])", device_name, re.IGNORECASE) is not None


def match_profile(nvml_name: str, profiles: Mapping[str, HardwareProfile]) -> HardwareProfile | None:
    """The profile whose longest `nvml_names` entry occurs in the device name, or None."""
    best: tuple[int, HardwareProfile] | None = None
    for profile in profiles.values():
        for pattern in profile.nvml_names:
            if _matches(pattern, nvml_name) and (best is None or len(pattern) > best[0]):
                best = (len(pattern), profile)
    return best[1] if best else None


def _nvml_device_name(nvml: Any) -> str | None:
    """Device 0's name, or None without nvidia-ml-py, when NVML cannot start, or when it sees no GPU."""
    try:
        nvml = nvml if nvml is not None else importlib.import_module("pynvml")
        nvml.nvmlInit()
    except Exception as exc:  # ImportError, NVMLError subclasses, OSError from a broken driver install
        log.info("NVML unavailable (%s): assuming a CPU-only host", exc)
        return None
    try:
        if nvml.nvmlDeviceGetCount() < 1:
            return None
        name = nvml.nvmlDeviceGetName(nvml.nvmlDeviceGetHandleByIndex(0))
        return name.decode() if isinstance(name, bytes) else str(name)
    finally:
        nvml.nvmlShutdown()


def detect_hardware(
    profiles: Mapping[str, HardwareProfile], override: str | None = None, nvml: Any = None
) -> HardwareProfile:
    """The override profile by name, else NVML device 0's (an unknown GPU raises rather than being
    costed as something else), else the `cpu` profile. `nvml`: the pynvml module, injectable for tests."""
    if override is not None:
        if override not in profiles:
            raise ValueError(f"unknown hardware profile {override!r}; known: {', '.join(sorted(profiles))}")
        return profiles[override]
    name = _nvml_device_name(nvml)
    if name is not None:
        profile = match_profile(name, profiles)
        if profile is None:
            raise UnknownHardwareError(
                f"no hardware profile matches GPU {name!r}: add it to a profile's nvml_names "
                f"in {default_profiles_dir()} or choose a profile by name"
            )
        return profile
    if CPU_PROFILE not in profiles:
        raise ValueError(f"no GPU found and no {CPU_PROFILE!r} hardware profile to fall back to")
    return profiles[CPU_PROFILE]
