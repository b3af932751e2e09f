"""Every family of the generated corpus. group_a and group_b are written separately; each lists its own."""

from benchmarks.corpus.families import group_a, group_b
from benchmarks.corpus.spec import Family

FAMILIES: tuple[Family, ...] = (*group_a.FAMILIES, *group_b.FAMILIES)
