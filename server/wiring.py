"""Builds tier objects from validated settings. Constructs only: nothing starts here."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from server.settings import ConfigError, ManagedLaunch, OpenAITierSettings, Settings, VllmTierSettings
from tiers.base import TierKind
from tiers.http_upstream import HttpClient, HttpEndpoint, Timeouts
from tiers.models.bundled import default_cache_dir
from tiers.openai_remote import RetryingEndpoint
from tiers.pool import ReplicaTier
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


def _policy(tier: VllmTierSettings) -> SupervisionPolicy:
    # The settings model mirrors the policy's fields one for one.
    return SupervisionPolicy(**tier.supervision.model_dump())


def _managed_replicas(
    tier: VllmTierSettings, launch: ManagedLaunch, settings: Settings, client: HttpClient
) -> list[Replica]:
    model = resolve_model_path(launch.model, settings.server.model_cache_dir, f"tiers[{tier.name}].managed.model")
    spec = VllmLaunchSpec(
        model=model,
        served_model_name=tier.served_model_name,
        engine_args=tuple(launch.engine_arg_list()),
        env=dict(launch.env),
        launcher=launch.launcher,
    )
    state_dir = settings.server.state_dir.expanduser()
    replicas: list[Replica] = []
    for i in range(launch.replicas):
        replica_id = f"{tier.name}-{i}"
        port = launch.ports[i] if launch.ports else free_port()
        process = VllmProcess(
            spec, port, replica_workdir(state_dir, replica_id), state_dir / "logs" / f"{replica_id}.log"
        )
        endpoint = HttpEndpoint(
            client, f"http://{spec.host}:{port}/v1", replica_id=replica_id, timeouts=_timeouts(tier)
        )
        replicas.append(ManagedVllmReplica(replica_id, endpoint, process, _policy(tier)))
    return replicas


def _server_root(url: str) -> str:
    root = url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _attached_replicas(tier: VllmTierSettings, urls: list[str], client: HttpClient) -> list[Replica]:
    replicas: list[Replica] = []
    for i, url in enumerate(urls):
        root = _server_root(url)
        replica_id = f"{tier.name}-{i}"
        endpoint = HttpEndpoint(client, f"{root}/v1", replica_id=replica_id, timeouts=_timeouts(tier))
        replicas.append(AttachedReplica(replica_id, endpoint, f"{root}/health", _policy(tier)))
    return replicas


def _remote_tier(tier: OpenAITierSettings, client: HttpClient) -> ReplicaTier:
    if not tier.configured or tier.base_url is None or tier.model is None:
        log.warning("tier %s is not configured (missing %s)", tier.name, ", ".join(tier.missing_settings()))
        return ReplicaTier(tier.name, TierKind.OPENAI_REMOTE, tier.model or "", [], configured=False)
    api_key = os.environ.get(tier.api_key_env) if tier.api_key_env else None
    if tier.api_key_env and not api_key:
        log.warning("tier %s: %s is not set; calling %s without an API key", tier.name, tier.api_key_env, tier.base_url)
    endpoint = RetryingEndpoint(
        client,
        tier.base_url,
        replica_id=f"{tier.name}-0",
        api_key=api_key,
        timeouts=_timeouts(tier),
        max_retries=tier.max_retries,
    )
    return ReplicaTier(tier.name, TierKind.OPENAI_REMOTE, tier.model, [RemoteReplica(f"{tier.name}-0", endpoint)])


def build_tiers(settings: Settings, client: HttpClient) -> list[ReplicaTier]:
    tiers: list[ReplicaTier] = []
    for tier in settings.tiers:
        if isinstance(tier, OpenAITierSettings):
            tiers.append(_remote_tier(tier, client))
        elif tier.managed is not None:
            replicas = _managed_replicas(tier, tier.managed, settings, client)
            tiers.append(ReplicaTier(tier.name, TierKind.VLLM_MANAGED, tier.served_model_name, replicas))
        else:
            replicas = _attached_replicas(tier, tier.urls or [], client)
            tiers.append(ReplicaTier(tier.name, TierKind.VLLM_ATTACHED, tier.served_model_name, replicas))
    return tiers
