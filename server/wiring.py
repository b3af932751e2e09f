"""Builds tier objects from validated settings. Constructs only: nothing starts here."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

from server.routing.costs import TierPricing
from server.routing.marginal import DelayPrice
from server.routing.placement import PlacementPolicy
from server.settings import ConfigError, ManagedLaunch, OpenAITierSettings, Settings, VllmTierSettings
from tiers.base import TierKind
from tiers.breaker import BreakerPolicy
from tiers.hardware import SUNK_PRICING, HardwareProfile, detect_hardware, load_profiles
from tiers.http_upstream import HttpClient, HttpEndpoint, ResponseLimits, Timeouts
from tiers.measured import load_measured
from tiers.models.bundled import default_cache_dir
from tiers.openai_remote import RetryingEndpoint
from tiers.pool import LoadWatch, ReplicaTier
from tiers.replicas import (
    AttachedReplica,
    ManagedVllmReplica,
    RemoteReplica,
    Replica,
    SupervisionPolicy,
    replica_workdir,
)
from tiers.vllm_engine import VllmLaunchSpec, VllmProcess, free_port

log = logging.getLogger("tierd.wiring")
BUNDLED_PREFIX = "bundled:"
_MANIFEST = "tierd-model.json"


def resolve_model_path(model: str, cache_dir: Path | None, where: str) -> str:
    """`bundled:NAME` -> the prepared folder; anything else is passed to vLLM as is."""
    if not model.startswith(BUNDLED_PREFIX):
        return model
    name = model[len(BUNDLED_PREFIX) :]
    folder = (cache_dir or default_cache_dir()) / name
    if not (folder / _MANIFEST).is_file():
        raise ConfigError(
            f"{where}: bundled model {name!r} is not prepared in {folder}; "
            f"run `make setup` or `tierd models prepare {name}`"
        )
    return str(folder)


def _timeouts(tier: VllmTierSettings | OpenAITierSettings) -> Timeouts:
    return Timeouts(**tier.timeouts.model_dump())


def _limits(tier: VllmTierSettings | OpenAITierSettings) -> ResponseLimits:
    return ResponseLimits(**tier.response_limits.model_dump())


def _policy(tier: VllmTierSettings) -> SupervisionPolicy:
    # The settings model mirrors the policy's fields one for one.
    return SupervisionPolicy(**tier.supervision.model_dump())


def launch_spec(tier: VllmTierSettings, launch: ManagedLaunch, settings: Settings) -> VllmLaunchSpec:
    """How to start one replica of a managed tier (the gateway and `tierd bench hardware` both do)."""
    model = resolve_model_path(launch.model, settings.server.model_cache_dir, f"tiers[{tier.name}].managed.model")
    return VllmLaunchSpec(
        model=model,
        served_model_name=tier.served_model_name,
        engine_args=tuple(launch.engine_arg_list()),
        env=dict(launch.env),
        withheld_env=frozenset(t.api_key_env for t in settings.tiers if t.api_key_env),
        launcher=launch.launcher,
    )


def _managed_replicas(
    tier: VllmTierSettings, launch: ManagedLaunch, settings: Settings, client: HttpClient
) -> list[Replica]:
    spec = base_spec = launch_spec(tier, launch, settings)
    state_dir = settings.server.state_dir.expanduser()
    replicas: list[Replica] = []
    for i in range(launch.replicas):
        replica_id = f"{tier.name}-{i}"
        port = launch.ports[i] if launch.ports else free_port()
        if tier.gpus is not None:  # this replica's own GPUs
            spec = replace(base_spec, env={**base_spec.env, "CUDA_VISIBLE_DEVICES": ",".join(tier.replica_gpus(i))})
        process = VllmProcess(
            spec, port, replica_workdir(state_dir, replica_id), state_dir / "logs" / f"{replica_id}.log"
        )
        endpoint = HttpEndpoint(
            client, f"http://{spec.host}:{port}/v1", replica_id=replica_id, timeouts=_timeouts(tier),
            limits=_limits(tier),
        )  # fmt: skip
        replica = ManagedVllmReplica(replica_id, endpoint, process, _policy(tier))
        replica.gpus = tier.replica_gpus(i, os.environ.get("CUDA_VISIBLE_DEVICES"))
        replicas.append(replica)
    return replicas


def _server_root(url: str) -> str:
    root = url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _api_key(tier: VllmTierSettings | OpenAITierSettings, where: str) -> str | None:
    """The key in the tier's `api_key_env` variable (None when it names none; a warning when it is unset)."""
    api_key = os.environ.get(tier.api_key_env) if tier.api_key_env else None
    if tier.api_key_env and not api_key:
        log.warning("tier %s: %s is not set; calling %s without an API key", tier.name, tier.api_key_env, where)
    return api_key


def _attached_replicas(tier: VllmTierSettings, urls: list[str], client: HttpClient) -> list[Replica]:
    replicas: list[Replica] = []
    api_key = _api_key(tier, ", ".join(urls))  # vLLM's --api-key guards /v1 only: /health and /metrics stay open
    for i, url in enumerate(urls):
        root = _server_root(url)
        replica_id = f"{tier.name}-{i}"
        endpoint = HttpEndpoint(
            client, f"{root}/v1", replica_id=replica_id, api_key=api_key, timeouts=_timeouts(tier), limits=_limits(tier)
        )
        replica = AttachedReplica(replica_id, endpoint, f"{root}/health", _policy(tier))
        replica.gpus = tier.replica_gpus(i)
        replicas.append(replica)
    return replicas


def _remote_tier(tier: OpenAITierSettings, client: HttpClient, breaker: BreakerPolicy) -> ReplicaTier:
    if not tier.configured or tier.base_url is None or tier.model is None:
        log.warning("tier %s is not configured (missing %s)", tier.name, ", ".join(tier.missing_settings()))
        return ReplicaTier(tier.name, TierKind.OPENAI_REMOTE, tier.model or "", [], configured=False)
    api_key = _api_key(tier, tier.base_url)
    endpoint = RetryingEndpoint(
        client,
        tier.base_url,
        replica_id=f"{tier.name}-0",
        api_key=api_key,
        timeouts=_timeouts(tier),
        limits=_limits(tier),
        max_retries=tier.max_retries,
        retry_after_max_s=tier.retry_after_max_s,
    )
    replicas = [RemoteReplica(f"{tier.name}-0", endpoint)]
    return ReplicaTier(tier.name, TierKind.OPENAI_REMOTE, tier.model, replicas, breaker=breaker)


def build_tiers(settings: Settings, client: HttpClient) -> list[ReplicaTier]:
    placement = settings.placement
    breaker = BreakerPolicy(**placement.breaker.model_dump())
    watch = LoadWatch(client, placement.scrape_interval_s, placement.load_max_age_s)
    tiers: list[ReplicaTier] = []
    for tier in settings.tiers:
        if isinstance(tier, OpenAITierSettings):
            tiers.append(_remote_tier(tier, client, breaker))
            continue
        if tier.managed is not None:
            kind, replicas = TierKind.VLLM_MANAGED, _managed_replicas(tier, tier.managed, settings, client)
        else:
            kind, replicas = TierKind.VLLM_ATTACHED, _attached_replicas(tier, tier.urls or [], client)
        slots = tier.max_num_seqs or _engine_max_num_seqs(tier.managed)
        tiers.append(
            ReplicaTier(
                tier.name, kind, tier.served_model_name, replicas, breaker=breaker, load_watch=watch, slots=slots
            )
        )
    return tiers


def _engine_max_num_seqs(launch: ManagedLaunch | None) -> int | None:
    """--max-num-seqs from a managed tier's engine args; None when not given (vLLM's default
    depends on the version and device, so it is not guessed)."""
    args = launch.engine_arg_list() if launch is not None else []
    for i, arg in enumerate(args):
        if arg.startswith("--max-num-seqs="):
            return int(arg.split("=", 1)[1])
        if arg == "--max-num-seqs" and i + 1 < len(args):
            return int(args[i + 1])
    return None


def _profile(name: str, where: str, profiles: dict[str, HardwareProfile]) -> HardwareProfile | None:
    if name != "auto":
        if name not in profiles:
            raise ConfigError(f"{where}: unknown hardware profile {name!r}; known: {', '.join(sorted(profiles))}")
        return profiles[name]
    try:
        return detect_hardware(profiles)
    except ValueError as exc:  # an unknown GPU: its cost is unknown rather than guessed
        log.warning("%s: %s; this tier's cost is unknown", where, exc)
        return None


def build_pricing(settings: Settings, profiles: dict[str, HardwareProfile] | None = None) -> dict[str, TierPricing]:
    """Each tier's prices: list prices for remote tiers; profile $/hour x GPUs for local ones."""
    pricing: dict[str, TierPricing] = {}
    for tier in settings.tiers:
        if isinstance(tier, OpenAITierSettings):
            pricing[tier.name] = TierPricing(tier.name, tier.price_per_1m_input, tier.price_per_1m_output)
            continue
        cost = tier.cost
        if profiles is None:
            try:
                profiles = load_profiles()
            except ValueError as exc:
                raise ConfigError(f"hardware profiles: {exc}") from None
        profile = _profile(cost.hardware, f"tiers[{tier.name}].cost.hardware", profiles)
        if profile is None:
            pricing[tier.name] = TierPricing(tier.name)
            continue
        tokens_per_hour, source = cost.tokens_per_hour, ""
        if tokens_per_hour is None:
            tokens_per_hour, source = _measured_tokens_per_hour(profile, tier)
        owned = cost.pricing == "owned"
        pricing[tier.name] = TierPricing(
            tier.name,
            usd_per_replica_hour=profile.usd_per_hour(cost.pricing) * cost.gpus_per_replica,
            tokens_per_replica_hour=tokens_per_hour,
            hardware=f"{profile.name} ({cost.pricing}) x{cost.gpus_per_replica:g}{source}",
            sunk=cost.pricing in SUNK_PRICING,
            usd_per_kwh_at_the_meter=profile.owned.usd_per_kwh * profile.owned.pue if owned else None,
            profile_watts_per_replica=profile.owned.power_draw_watts * cost.gpus_per_replica,
            gpus_per_replica=cost.gpus_per_replica,
        )
    return pricing


def _measured_tokens_per_hour(profile: HardwareProfile, tier: VllmTierSettings) -> tuple[float | None, str]:
    """The knee throughput `tierd bench hardware` wrote for this hardware and served model, if any."""
    if profile.path is None:
        return None, ""
    try:
        measured = load_measured(profile.path.parent, profile.name, tier.served_model_name)
    except ValueError as exc:  # a broken file is the user's to fix, not a silent fallback
        raise ConfigError(f"tiers[{tier.name}].cost: {exc}") from None
    if measured is None:
        return None, ""
    return measured.tokens_per_hour, f", measured {measured.measured_at[:10]}"


def placement_policy(settings: Settings, pricing: dict[str, TierPricing]) -> PlacementPolicy:
    p = settings.placement
    return PlacementPolicy(
        max_waiting=p.max_waiting,
        max_kv_cache_usage=p.max_kv_cache_usage,
        max_queue_wait_s=p.max_queue_wait_s,
        spill_to={k: tuple(v) for k, v in p.spill_to.items()},
        never_spill=frozenset(p.never_spill),
        pricing=pricing,
        output_share=p.output_share,
        delay=DelayPrice(p.delay_usd_per_s, p.assumed_request_s),
        replica_choice=p.replica_choice,
        prefix_weight=p.prefix_weight,
        load_weight=p.load_weight,
    )
