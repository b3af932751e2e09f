"""Families of this group (see benchmarks/corpus/spec.py for the contract)."""

from benchmarks.corpus.spec import Family

FAMILIES: tuple[Family, ...] = ()
