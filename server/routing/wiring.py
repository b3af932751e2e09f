"""Builds the router from validated settings: the classifier named in the config, with its files loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from server.routing.classifiers import ClassifierContext, UnknownClassifierError, default_registry
from server.routing.classifiers.learned import resolve_model_path
from server.routing.gpu_state import GpuPolicy
from server.routing.learned.artifact import ArtifactError
from server.routing.placement import DEFAULT_POLICY, PlacementPolicy
from server.routing.router import Router
from server.settings import ConfigError, Settings, VllmTierSettings

# Router models shipped with tierd (`bundled:NAME`), trained by `make router-model`.
BUNDLED_ROUTER_MODELS = Path(__file__).parents[1] / "presets" / "router"


def resolve_router_model(value: str) -> Path:
    folder = resolve_model_path(value, BUNDLED_ROUTER_MODELS)
    if not folder.is_dir():
        shipped = sorted(p.name for p in BUNDLED_ROUTER_MODELS.iterdir() if p.is_dir())
        raise ConfigError(
            f"routing.learned.model: {value!r} is not a folder (bundled models: {', '.join(shipped) or 'none'}); "
            "train one with `tierd router train --data FILE.jsonl --out DIR`"
        )
    return folder


def load_encoder(folder: str | None) -> Any:
    from server.routing.embedding import EmbedderError, EmbedderNotPrepared, load_prepared

    try:
        return load_prepared(Path(folder).expanduser() if folder is not None else None)
    except EmbedderNotPrepared as exc:
        raise ConfigError(f"routing.learned: {exc}") from None
    except EmbedderError as exc:
        raise ConfigError(f"routing.learned.embedder_dir: {exc}") from None


class SharedEncoders:
    """Loads each embedder folder once per process: the learned router and the `relevance` check share one
    encoder (an onnxruntime session and a tokenizer; ~0.3 s to load, benchmarks/results/embedding_latency.json)
    instead of loading it twice."""

    def __init__(self, load: Callable[[str | None], Any] = load_encoder) -> None:
        self._load = load
        self._loaded: dict[str | None, Any] = {}

    def __call__(self, folder: str | None) -> Any:
        if folder not in self._loaded:
            self._loaded[folder] = self._load(folder)
        return self._loaded[folder]


def classifier_context(settings: Settings, encoders: Callable[[str | None], Any] = load_encoder) -> ClassifierContext:
    windows = {
        t.name: window
        for t in settings.tiers
        if isinstance(t, VllmTierSettings) and t.managed is not None and (window := t.managed.max_model_len())
    }
    return ClassifierContext(
        tier_names=tuple(t.name for t in settings.tiers),
        context_windows=windows,
        resolve_model=resolve_router_model,
        load_encoder=encoders,
        sections={"learned": settings.routing.learned},
    )


def build_router(
    settings: Settings, policy: PlacementPolicy = DEFAULT_POLICY, encoders: Callable[[str | None], Any] = load_encoder
) -> Router:
    """Everything a classifier needs is loaded here, so a bad model or missing embedder fails at startup."""
    name = settings.routing.classifier
    section = getattr(settings.routing, name, None)
    try:
        classifier = default_registry().build(name, section, classifier_context(settings, encoders))
    except UnknownClassifierError as exc:
        raise ConfigError(f"routing.classifier: {exc.args[0]}") from None
    except ArtifactError as exc:
        raise ConfigError(f"routing.learned.model: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"routing.{name}: {exc}") from None
    g = settings.placement.gpu
    gpu_policy = GpuPolicy(g.hot_utilization_pct, g.hot_power_share, g.hot_min_waiting, frozenset(g.throttle_reasons))
    return Router(classifier, settings.server.on_frontier_missing, policy, gpu_policy)
