"""Families of this group (see benchmarks/corpus/spec.py for the contract)."""

from benchmarks.corpus.families.group_b.code import CODE
from benchmarks.corpus.families.group_b.data_analysis import DATA_ANALYSIS
from benchmarks.corpus.families.group_b.finance import FINANCE
from benchmarks.corpus.families.group_b.math import MATH
from benchmarks.corpus.spec import Family

FAMILIES: tuple[Family, ...] = (CODE, MATH, DATA_ANALYSIS, FINANCE)
