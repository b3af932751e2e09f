"""Families of this group (see benchmarks/corpus/spec.py for the contract)."""

from benchmarks.corpus.families.group_a import classification, extraction, formatting, translation
from benchmarks.corpus.spec import Family

FAMILIES: tuple[Family, ...] = (extraction.FAMILY, formatting.FAMILY, classification.FAMILY, translation.FAMILY)
