"""Complexity classifiers, built by name from their config section."""

from server.routing.classifiers.base import (
    Classification,
    Classifier,
    ClassifierContext,
    ClassifierRegistry,
    UnknownClassifierError,
)
from server.routing.classifiers.hybrid import HybridClassifier
from server.routing.classifiers.learned import LearnedClassifier
from server.routing.classifiers.rules import RulesClassifier


def default_registry() -> ClassifierRegistry:
    """A fresh registry with the built-in strategies (no module-level mutable state)."""
    registry = ClassifierRegistry()
    registry.register("rules", RulesClassifier.from_config)
    registry.register("learned", LearnedClassifier.from_config)
    registry.register("hybrid", HybridClassifier.from_config)
    return registry


__all__ = [
    "Classification",
    "Classifier",
    "ClassifierContext",
    "ClassifierRegistry",
    "HybridClassifier",
    "LearnedClassifier",
    "RulesClassifier",
    "UnknownClassifierError",
    "default_registry",
]
