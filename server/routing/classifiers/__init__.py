"""Complexity classifiers, built by name from their config section."""

from server.routing.classifiers.base import (
    Classification,
    Classifier,
    ClassifierRegistry,
    UnknownClassifierError,
)
from server.routing.classifiers.rules import RulesClassifier


def default_registry() -> ClassifierRegistry:
    """A fresh registry with the built-in strategies (no module-level mutable state)."""
    registry = ClassifierRegistry()
    registry.register("rules", RulesClassifier.from_config)
    return registry


__all__ = [
    "Classification",
    "Classifier",
    "ClassifierRegistry",
    "RulesClassifier",
    "UnknownClassifierError",
    "default_registry",
]
