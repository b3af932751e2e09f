"""tierd's configuration: one YAML file, validated before anything starts.

Loading order: the YAML text has `${VAR}` / `${VAR:-default}` references expanded from
the environment, then `TIERD__SECTION__FIELD=value` variables override single fields
(list items by index or by tier name), then the whole document is validated. Any error
names the field it is about.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from server.accounting.auth_settings import AuthSettings, BudgetSettings
from server.accounting.settings import AccountingSettings
from server.accounting.shared_state.settings import SharedStateSettings
from server.bench.settings import BenchSettings
from server.capture.settings import CaptureSettings
from server.config_base import StrictModel as _Strict
from server.escalation.settings import EscalationSettings
from server.generation import GenerationDefaults, GenerationLimits, generation_problem
from server.routing.placement_settings import PlacementSettings
from server.routing.settings import HybridClassifierSettings as HybridClassifierSettings
from server.routing.settings import LearnedClassifierSettings as LearnedClassifierSettings
from server.routing.settings import RoutingSettings
from server.routing.settings import Rule as Rule
from server.routing.settings import RulesClassifierSettings as RulesClassifierSettings
from server.telemetry.settings import TelemetrySettings
from server.tier_settings import LocalCost, ResponseLimits, Supervision, Timeouts

ENV_OVERRIDE_PREFIX = "TIERD__"
PRESETS = ("cpu", "gpu-3tier")


class ConfigError(ValueError):
    """A configuration problem, worded for the person who wrote the file."""


def _default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tierd"


class ServerSettings(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="larger request bodies get 413")
    state_dir: Path = Field(default_factory=_default_state_dir, description="replica logs and private dirs")
    model_cache_dir: Path | None = Field(None, description="where `bundled:NAME` models live")
    on_frontier_missing: Literal["degrade", "error"] = "degrade"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_unknown_fields: bool = True
    # After SIGTERM: requests still running get the grace (then they are cut, 503 server_shutdown); the
    # ledger drains in what is left of the timeout. README, `server` (keep it under the orchestrator's grace).
    shutdown_grace_s: float = Field(20.0, gt=0, le=3600, description="after SIGTERM, the time running requests get")
    shutdown_timeout_s: float = Field(25.0, gt=0, le=3600, description="the whole stop: grace, then ledger drain")

    @model_validator(mode="after")
    def _grace_inside_the_timeout(self) -> ServerSettings:
        if self.shutdown_grace_s >= self.shutdown_timeout_s:
            raise ValueError(
                f"shutdown_grace_s ({self.shutdown_grace_s:g}) must be below shutdown_timeout_s "
                f"({self.shutdown_timeout_s:g}): the ledger's drain needs the time between them"
            )
        return self


class ManagedLaunch(_Strict):
    model: str = Field(description="a model folder, a hub id on GPU hosts, or bundled:NAME")
    replicas: int = Field(1, ge=1, le=64)
    ports: list[int] | None = Field(None, description="one fixed port per replica; free ports when omitted")
    engine_args: list[str] | dict[str, str | int | float | bool | None] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    launcher: Literal["auto", "module", "cli"] = "auto"

    @model_validator(mode="after")
    def _ports_match_replicas(self) -> ManagedLaunch:
        if self.ports is not None and len(self.ports) != self.replicas:
            raise ValueError(f"ports lists {len(self.ports)} port(s) for {self.replicas} replica(s)")
        return self

    def engine_arg_list(self) -> list[str]:
        """`{max-model-len: 2048, enforce-eager: true}` -> `--max-model-len 2048 --enforce-eager`."""
        if isinstance(self.engine_args, list):
            return list(self.engine_args)
        args: list[str] = []
        for key, value in self.engine_args.items():
            flag = key if key.startswith("--") else f"--{key}"
            if value is True:
                args.append(flag)
            elif value is not False and value is not None:
                args += [flag, str(value)]
        return args

    def max_model_len(self) -> int | None:
        """The context window the engine args set, if they set one."""
        args = self.engine_arg_list()
        for i, arg in enumerate(args):
            value = arg.partition("=")[2] if arg.startswith("--max-model-len=") else None
            if arg == "--max-model-len" and i + 1 < len(args):
                value = args[i + 1]
            if value is not None and value.isdigit():
                return int(value)
        return None


class _GeneratingTier(_Strict):
    """What every kind of tier has: generation defaults and limits (server/generation.py)."""

    remote: ClassVar[bool] = False  # a remote API refuses vLLM's own sampling fields
    defaults: GenerationDefaults = Field(
        default_factory=GenerationDefaults, description="sampling and max_tokens for requests that omit them"
    )
    limits: GenerationLimits = Field(default_factory=GenerationLimits, description="caps: max_tokens, n, messages")

    @model_validator(mode="after")
    def _generation_consistent(self) -> _GeneratingTier:
        problem = generation_problem(self.defaults, self.limits, remote=self.remote)
        if problem:
            raise ValueError(problem)
        return self


class VllmTierSettings(_GeneratingTier):
    kind: Literal["vllm"]
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    served_model_name: str = Field(description="the model name the vLLM servers answer to")
    managed: ManagedLaunch | None = None
    urls: list[str] | None = Field(None, description="attached: base URLs of running vLLM servers")
    api_key_env: str | None = Field(
        None,
        description="attached: name of the environment variable holding the key the vLLM servers were "
        "started with (`vllm serve --api-key`); sent as Authorization: Bearer",
    )
    timeouts: Timeouts = Field(default_factory=Timeouts)
    response_limits: ResponseLimits = Field(default_factory=ResponseLimits)
    supervision: Supervision = Field(default_factory=Supervision)
    cost: LocalCost = Field(default_factory=LocalCost)
    max_num_seqs: int | None = Field(
        None, ge=1, description="sequences one replica runs at once; default: managed engine_args' max-num-seqs"
    )
    required: bool = True
    gpus: list[list[int | str]] | None = Field(
        None,
        description="the GPUs (NVML indices or UUIDs) of each replica, one list per URL or managed replica; "
        "managed replicas are started with CUDA_VISIBLE_DEVICES set to theirs. Default: managed, the "
        "CUDA_VISIBLE_DEVICES they inherit; attached, unknown. NVML's process list corrects a managed one",
    )

    @model_validator(mode="after")
    def _managed_xor_attached(self) -> VllmTierSettings:
        if (self.managed is None) == (not self.urls):
            raise ValueError("a vllm tier needs exactly one of `managed` (tierd launches it) or `urls` (attached)")
        count = self.managed.replicas if self.managed is not None else len(self.urls or [])
        if self.gpus is not None and len(self.gpus) != count:
            raise ValueError(f"gpus lists {len(self.gpus)} replica(s) for {count}: one list of GPUs per replica")
        if self.api_key_env is not None and self.managed is not None:
            raise ValueError("api_key_env is for attached tiers (urls): tierd starts managed replicas itself")
        if self.gpus is not None and self.managed is not None and "CUDA_VISIBLE_DEVICES" in self.managed.env:
            raise ValueError("set a managed tier's GPUs with `gpus` or managed.env.CUDA_VISIBLE_DEVICES, not both")
        return self

    def replica_gpus(self, index: int, inherited: str | None = None) -> tuple[str, ...]:
        """Replica `index`'s GPUs as configured ("" entries dropped); () when unknown."""
        if self.gpus is not None:
            return tuple(str(g).strip() for g in self.gpus[index] if str(g).strip())
        if self.managed is None:
            return ()
        visible = self.managed.env.get("CUDA_VISIBLE_DEVICES", inherited)
        return tuple(g.strip() for g in (visible or "").split(",") if g.strip())

    @field_validator("urls")
    @classmethod
    def _urls_are_http(cls, urls: list[str] | None) -> list[str] | None:
        for url in urls or []:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"{url!r} is not an http(s) URL")
        return urls


class OpenAITierSettings(_GeneratingTier):
    remote: ClassVar[bool] = True
    kind: Literal["openai"]
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    base_url: str | None = Field(None, description="e.g. https://api.openai.com/v1; empty = not configured")
    api_key_env: str | None = Field(None, description="name of the environment variable holding the API key")
    model: str | None = None
    price_per_1m_input: float = Field(0.0, ge=0)
    price_per_1m_output: float = Field(0.0, ge=0)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    response_limits: ResponseLimits = Field(default_factory=ResponseLimits)
    max_retries: int = Field(
        2, ge=0, le=10, description="retries of a request the API surely did not process (no connection; 408, 429, 503)"
    )
    retry_after_max_s: float = Field(20.0, ge=0, description="the longest Retry-After honoured before a retry")
    required: bool = False

    @field_validator("base_url", "model", "api_key_env", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)

    def missing_settings(self) -> list[str]:
        return [f for f in ("base_url", "model") if not getattr(self, f)]


TierSettings = Annotated[VllmTierSettings | OpenAITierSettings, Field(discriminator="kind")]


class Settings(_Strict):
    server: ServerSettings = Field(default_factory=ServerSettings)
    placement: PlacementSettings = Field(default_factory=PlacementSettings)
    tiers: list[TierSettings] = Field(min_length=1, description="in order of capability, cheapest first")
    routing: RoutingSettings
    escalation: EscalationSettings = Field(default_factory=EscalationSettings)
    bench: BenchSettings = Field(default_factory=BenchSettings, description="`tierd bench hardware`")
    telemetry: TelemetrySettings = Field(
        default_factory=TelemetrySettings, description="live GPU/CPU load for /metrics and the dashboard"
    )

    accounting: AccountingSettings = Field(default_factory=AccountingSettings, description="the request ledger")
    auth: AuthSettings = Field(default_factory=AuthSettings, description="API keys (`tierd keys`)")
    budgets: BudgetSettings = Field(default_factory=BudgetSettings, description="spend limits and what happens at them")
    shared_state: SharedStateSettings = Field(
        default_factory=SharedStateSettings,
        description="where rate limits, budgets, the escalation bucket and revocations live (one set for N gateways)",
    )
    capture: CaptureSettings = Field(
        default_factory=CaptureSettings, description="opt-in capture of requests and answers for `tierd router learn`"
    )

    @model_validator(mode="after")
    def _names_resolve(self) -> Settings:
        names = [t.name for t in self.tiers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"tier names must be unique; repeated: {duplicates}")
        if "auto" in names:
            raise ValueError("`auto` is reserved for routing and cannot name a tier")
        for where, tier in self.routing.tier_references() + self.escalation.tier_references():
            if tier not in names:
                raise ValueError(f"{where} names unknown tier {tier!r}; tiers are {names}")
        return self

    @model_validator(mode="after")
    def _placement_names_resolve(self) -> Settings:
        names = [t.name for t in self.tiers]
        placement = self.placement
        named = [(f"placement.spill_to.{k}", k) for k in placement.spill_to]
        named += [(f"placement.spill_to.{k}", v) for k, vs in placement.spill_to.items() for v in vs]
        named += [("placement.never_spill", n) for n in placement.never_spill]
        for where, tier in named:
            if tier not in names:
                raise ValueError(f"{where} names unknown tier {tier!r}; tiers are {names}")
        return self

    def tier(self, name: str) -> TierSettings:
        return next(t for t in self.tiers if t.name == name)


# --- loading -------------------------------------------------------------------------

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_env(text: str, env: Mapping[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise ConfigError(f"the config refers to ${{{name}}}, which is not set (write ${{{name}:-}} to allow empty)")

    return _ENV_REF.sub(substitute, text)


def _apply_override(data: Any, path: list[str], raw_value: str, var: str) -> None:
    node = data
    for i, segment in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, list):
            index = _list_index(node, segment, var)
            if last:
                node[index] = yaml.safe_load(raw_value)
                return
            node = node[index]
            continue
        if not isinstance(node, dict):
            raise ConfigError(f"{var}: cannot descend into {'.'.join(path[:i])}, which is not a section")
        key = segment.lower()
        if last:
            node[key] = yaml.safe_load(raw_value)
            return
        node = node.setdefault(key, {})


def _list_index(items: list[Any], segment: str, var: str) -> int:
    if segment.isdigit() and int(segment) < len(items):
        return int(segment)
    wanted = segment.lower().replace("_", "-")
    for index, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("name", "")).lower().replace("_", "-") == wanted:
            return index
    raise ConfigError(f"{var}: no list item {segment!r} (use an index or a tier name)")


def apply_env_overrides(data: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    for var in sorted(v for v in env if v.startswith(ENV_OVERRIDE_PREFIX)):
        path = [p for p in var[len(ENV_OVERRIDE_PREFIX) :].split("__") if p]
        if path:
            _apply_override(data, path, env[var], var)
    return data


def _format_location(loc: tuple[int | str, ...], data: Any) -> str:
    """`('tiers', 1, 'vllm', 'managed', 'replicas')` -> `tiers[1] (tier-2).managed.replicas`."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(node, list) and isinstance(item, int):
            node = node[item] if item < len(node) else None
            name = node.get("name") if isinstance(node, dict) else None
            parts.append(f"[{item}]" + (f" ({name})" if name else ""))
            continue
        if isinstance(node, dict) and item not in node and node.get("kind") == item:
            continue  # the discriminator value pydantic inserts into the path
        node = node.get(item) if isinstance(node, dict) else None
        parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def validate_settings(data: Any, source: str) -> Settings:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        lines = [f"{source}: invalid configuration"]
        for error in exc.errors():
            lines.append(f"  {_format_location(error['loc'], data)}: {error['msg']}")
        raise ConfigError("\n".join(lines)) from None


def preset_path(name: str) -> Path:
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; presets are {', '.join(PRESETS)}")
    return Path(str(resources.files("server").joinpath("presets", f"{name}.yaml")))


def load_settings(
    path: Path | None = None, *, preset: str | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    env = os.environ if env is None else env
    if path is None:
        path = Path(env["TIERD_CONFIG"]) if env.get("TIERD_CONFIG") else preset_path(preset or "cpu")
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(expand_env(text, env))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if isinstance(data, dict):
        data = apply_env_overrides(data, env)
    return validate_settings(data, str(path))
