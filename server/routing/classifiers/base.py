"""The classifier contract and its name -> class registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from server.routing.features import RequestFeatures


@dataclass(frozen=True, slots=True)
class Classification:
    """The least capable tier expected to answer adequately, and why."""

    min_tier: str
    classifier: str
    version: str
    matched_rules: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


class Classifier(Protocol):
    name: str
    version: str
    # True when classify() may hold the CPU for milliseconds (an embedding): run it off the event loop.
    blocking: bool

    def classify(self, features: RequestFeatures) -> Classification: ...


def _no_loader(what: str) -> Any:
    raise ValueError(f"this classifier needs {what}, which this context does not provide")


@dataclass(frozen=True, slots=True)
class ClassifierContext:
    """What a classifier may need besides its own section; the app fills the loaders (the only I/O)."""

    tier_names: tuple[str, ...]
    # Tokens a tier's model can hold (prompt + completion); absent means unknown or unbounded.
    context_windows: Mapping[str, int] = field(default_factory=dict)
    resolve_model: Callable[[str], Path] = field(default=lambda value: _no_loader(f"a router model ({value})"))
    load_encoder: Callable[[str | None], Any] = field(default=lambda folder: _no_loader("a sentence embedder"))
    # Classifiers that build on another one (hybrid on learned) read its section from here.
    sections: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def for_tiers(cls, tier_names: Sequence[str]) -> ClassifierContext:
        return cls(tuple(tier_names))


# A factory takes the classifier's own config section and the context.
ClassifierFactory = Callable[[Any, ClassifierContext], Classifier]


class UnknownClassifierError(KeyError):
    pass


class ClassifierRegistry:
    """Strategies registered by name; the config names one and passes its section."""

    def __init__(self) -> None:
        self._factories: dict[str, ClassifierFactory] = {}

    def register(self, name: str, factory: ClassifierFactory) -> None:
        if name in self._factories:
            raise ValueError(f"classifier {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def build(self, name: str, section: Any, context: ClassifierContext | Sequence[str]) -> Classifier:
        """`context` may be just the tier names, for classifiers that need nothing else (rules)."""
        try:
            factory = self._factories[name]
        except KeyError:
            raise UnknownClassifierError(f"unknown classifier {name!r}; known: {', '.join(self.names())}") from None
        if not isinstance(context, ClassifierContext):
            context = ClassifierContext.for_tiers(context)
        return factory(section, context)
