"""The classifier contract and its name -> class registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

    def classify(self, features: RequestFeatures) -> Classification: ...


# A factory takes the classifier's own config section and the tier names in capability order.
ClassifierFactory = Callable[[Any, Sequence[str]], Classifier]


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

    def build(self, name: str, section: Any, tier_names: Sequence[str]) -> Classifier:
        try:
            factory = self._factories[name]
        except KeyError:
            raise UnknownClassifierError(f"unknown classifier {name!r}; known: {', '.join(self.names())}") from None
        return factory(section, tier_names)
