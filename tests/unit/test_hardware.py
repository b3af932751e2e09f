from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.fixtures.fake_gpu import FakeNvml, FakeNvmlError
from tests.host import host_has_nvml
from tiers.hardware import (
    HOURS_PER_YEAR,
    HardwareProfile,
    OwnedPricing,
    UnknownHardwareError,
    default_profiles_dir,
    detect_hardware,
    load_profile,
    load_profiles,
    match_profile,
    size_class,
)
from tiers.telemetry.nvml import NvmlSource

SHIPPED = {"h200", "h100-sxm", "a100-80gb", "l40s", "l4", "a10g", "rtx-4090", "cpu"}


@pytest.fixture(scope="module")
def profiles() -> dict[str, HardwareProfile]:
    return load_profiles()


def write_profile(directory: Path, file_stem: str, **changes: object) -> Path:
    """A copy of the shipped l4 profile named `file_stem`, with `a__b` (nested) changes; None deletes."""
    data = yaml.safe_load((default_profiles_dir() / "l4.yaml").read_text())
    data["name"] = file_stem
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        target = data
        for parent in parents:
            target = target[parent]
        if value is None:
            del target[key]
        else:
            target[key] = value
    path = directory / f"{file_stem}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_every_shipped_profile_loads(profiles: dict[str, HardwareProfile]) -> None:
    assert set(profiles) == SHIPPED
    for profile in profiles.values():
        assert profile.cloud.usd_per_hour > 0 and profile.cloud.source
        assert profile.usd_per_hour("owned") > 0
        assert profile.engine_defaults["small"] is not None
        for defaults in profile.engine_defaults.values():
            if defaults is not None and profile.kind == "gpu":
                assert 0 < (defaults.gpu_memory_utilization or 0) <= 1
    assert profiles["cpu"].kind == "cpu" and profiles["cpu"].engine_defaults["large"] is None
    assert "--enforce-eager" in profiles["cpu"].engine_defaults["small"].extra_args  # type: ignore[union-attr]


def test_env_var_points_at_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(tmp_path, "mine")
    monkeypatch.setenv("TIERD_GPU_CONFIGS", str(tmp_path))
    assert default_profiles_dir() == tmp_path
    assert set(load_profiles()) == {"mine"}


def test_owned_cost_amortizes_purchase_and_adds_energy() -> None:
    owned = OwnedPricing(purchase_usd=35040, amortization_years=4, power_draw_watts=500, pue=1.2, usd_per_kwh=0.10)
    # 35040 / (4 * 8760) = 1.00 $/h of capital; 0.5 kW * 1.2 * 0.10 $/kWh = 0.06 $/h of energy.
    assert HOURS_PER_YEAR == 8760
    assert owned.usd_per_hour == pytest.approx(1.06)


def test_usd_per_hour_by_mode(profiles: dict[str, HardwareProfile]) -> None:
    l4 = profiles["l4"]
    assert l4.usd_per_hour("cloud") == l4.cloud.usd_per_hour
    assert l4.usd_per_hour("owned") == pytest.approx(4000 / (4 * 8760) + 0.110 * 1.3 * 0.10)
    assert l4.reserved is None and l4.usd_per_hour("reserved") == l4.cloud.usd_per_hour  # no reserved rate given
    with pytest.raises(ValueError, match="'cloud', 'reserved' or 'owned'"):
        l4.usd_per_hour("spot")  # type: ignore[arg-type]


def test_a_profile_may_carry_a_reserved_rate(tmp_path: Path) -> None:
    text = (default_profiles_dir() / "l4.yaml").read_text()
    text += "reserved:\n  usd_per_hour: 0.45\n  source: a 1-year commitment\n"
    (tmp_path / "l4.yaml").write_text(text)
    l4 = load_profile(tmp_path / "l4.yaml")
    assert l4.reserved is not None and l4.usd_per_hour("reserved") == 0.45
    (tmp_path / "l4.yaml").write_text(text.replace("usd_per_hour: 0.45", "usd_per_hour: cheap"))
    with pytest.raises(ValueError, match=r"reserved\.usd_per_hour"):
        load_profile(tmp_path / "l4.yaml")


@pytest.mark.parametrize(
    ("nvml_name", "expected"),
    [
        ("NVIDIA H200", "h200"),
        ("NVIDIA H200 NVL", "h200"),
        ("NVIDIA H100 80GB HBM3", "h100-sxm"),
        ("NVIDIA A100-SXM4-80GB", "a100-80gb"),
        ("NVIDIA A100 80GB PCIe", "a100-80gb"),
        ("NVIDIA L40S", "l40s"),
        ("NVIDIA L4", "l4"),
        ("NVIDIA A10G", "a10g"),
        ("NVIDIA GeForce RTX 4090", "rtx-4090"),
        ("nvidia geforce rtx 4090", "rtx-4090"),
        # Neighbours that must not borrow another part's costs.
        ("NVIDIA H100 PCIe", None),
        ("NVIDIA GH200 480GB", None),
        ("NVIDIA A100-SXM4-40GB", None),
        ("NVIDIA L40", None),
        ("NVIDIA A10", None),
        ("Tesla T4", None),
    ],
)
def test_match_profile_on_real_nvml_names(
    profiles: dict[str, HardwareProfile], nvml_name: str, expected: str | None
) -> None:
    match = match_profile(nvml_name, profiles)
    assert (match.name if match else None) == expected


def test_longest_entry_wins(profiles: dict[str, HardwareProfile], tmp_path: Path) -> None:
    write_profile(tmp_path, "generic", nvml_names=["H100"])
    write_profile(tmp_path, "sxm", nvml_names=["H100 80GB HBM3"])
    local = load_profiles(tmp_path)
    assert match_profile("NVIDIA H100 80GB HBM3", local).name == "sxm"  # type: ignore[union-attr]
    assert match_profile("NVIDIA H100 PCIe", local).name == "generic"  # type: ignore[union-attr]


def test_detect_without_nvml_is_the_cpu_profile(profiles: dict[str, HardwareProfile]) -> None:
    broken = FakeNvml(init_error=FakeNvmlError(12))  # no NVIDIA driver: NVML fails to start
    assert detect_hardware(profiles, nvml=broken).name == "cpu"
    assert detect_hardware(profiles, nvml=FakeNvml(names=())).name == "cpu"


def test_detect_on_this_host(profiles: dict[str, HardwareProfile]) -> None:
    """`cost.hardware: auto` with the real pynvml: the cpu profile without a driver (CI), else device 0's."""
    if not host_has_nvml():
        assert detect_hardware(profiles).name == "cpu"
        return
    with NvmlSource() as source:
        device_zero = source.device_names[0]
    expected = match_profile(device_zero, profiles)
    if expected is None:  # a GPU no shipped profile claims is never costed as another one
        with pytest.raises(UnknownHardwareError, match=re.escape(repr(device_zero))):
            detect_hardware(profiles)
    else:
        assert expected.kind == "gpu" and detect_hardware(profiles) == expected


def test_detect_reads_device_zero(profiles: dict[str, HardwareProfile]) -> None:
    nvml = FakeNvml(names=[b"NVIDIA L4", "NVIDIA H200"])  # older nvidia-ml-py returns bytes
    assert detect_hardware(profiles, nvml=nvml).name == "l4"
    assert nvml.open_count == 0
    with pytest.raises(UnknownHardwareError, match="Tesla T4"):
        detect_hardware(profiles, nvml=FakeNvml(names=["Tesla T4"]))


def test_override_by_name(profiles: dict[str, HardwareProfile]) -> None:
    assert detect_hardware(profiles, override="h200", nvml=FakeNvml(names=["NVIDIA L4"])).name == "h200"
    with pytest.raises(ValueError, match=r"unknown hardware profile 'b200'.*h200"):
        detect_hardware(profiles, override="b200")


def test_size_classes_and_engine_defaults(profiles: dict[str, HardwareProfile]) -> None:
    assert [size_class(b) for b in (0.135, 3, 7, 14, 32, 70)] == ["small"] * 2 + ["medium"] * 2 + ["large"] * 2
    assert profiles["h200"].engine_defaults_for(70).quantization == "fp8"  # type: ignore[union-attr]
    assert profiles["cpu"].engine_defaults_for(7) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cloud__usd_per_hour": "cheap"}, "cloud.usd_per_hour must be a number >= 0"),
        ({"cloud__usd_per_hour": -1}, "cloud.usd_per_hour must be a number >= 0"),
        ({"owned__amortization_years": 0}, "owned.amortization_years must be a number > 0"),
        ({"owned__pue": 0.8}, "owned.pue must be a number >= 1"),
        ({"owned__usd_per_kwh": None}, "owned.usd_per_kwh is required"),
        ({"memory_gb": 24}, "memory_gb is not a known field"),
        ({"kind": "tpu"}, "kind must be 'gpu' or 'cpu'"),
        ({"nvml_names": "L4"}, "nvml_names must be a list of non-empty strings"),
        ({"engine_defaults__small__gpu_memory_utilization": 1.5}, "small.gpu_memory_utilization must be a number > 0"),
        ({"engine_defaults__medium__max_model_len": 0}, "medium.max_model_len must be an integer >= 1"),
        ({"engine_defaults__large": None}, "engine_defaults.large is required"),
        ({"engine_defaults__xl": "x"}, "engine_defaults.xl is not small|medium|large"),
        ({"engine_defaults__small__env": {"OMP_NUM_THREADS": 1}}, "small.env must map names to strings"),
        ({"cloud": [1, 2]}, "cloud must be a mapping"),
    ],
)
def test_bad_profiles_name_the_file_and_field(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    path = write_profile(tmp_path, "bad", **changes)
    with pytest.raises(ValueError, match="bad") as info:
        load_profile(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_unreadable_and_misnamed_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    with pytest.raises(ValueError, match=re.escape(f"{broken}: cannot read")):
        load_profile(broken)
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ValueError, match=re.escape(f"{empty}: the file must be a mapping")):
        load_profile(empty)
    renamed = write_profile(tmp_path, "l4-copy", name="l4")
    with pytest.raises(ValueError, match="name must match the file name"):
        load_profile(renamed)
    with pytest.raises(ValueError, match="no hardware profiles"):
        load_profiles(tmp_path / "nowhere")


def test_two_profiles_may_not_claim_one_device_name(tmp_path: Path) -> None:
    write_profile(tmp_path, "one", nvml_names=["L4"])
    write_profile(tmp_path, "two", nvml_names=["l4"])
    with pytest.raises(ValueError, match=re.escape("two.yaml: nvml_names entry 'l4' is also claimed by 'one'")):
        load_profiles(tmp_path)
