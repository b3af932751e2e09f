"""Families of this group (see benchmarks/corpus/spec.py for the contract)."""

from benchmarks.corpus.families.group_b.code import CODE
from benchmarks.corpus.families.group_b.data_analysis import DATA_ANALYSIS
from benchmarks.corpus.families.group_b.finance import FINANCE
from benchmarks.corpus.families.group_b.legal import LEGAL
from benchmarks.corpus.families.group_b.marketing import MARKETING
from benchmarks.corpus.families.group_b.math import MATH
from benchmarks.corpus.families.group_b.medical import MEDICAL
from benchmarks.corpus.families.group_b.planning import PLANNING
from benchmarks.corpus.families.group_b.reasoning import REASONING
from benchmarks.corpus.families.group_b.strategy import STRATEGY
from benchmarks.corpus.families.group_b.writing import WRITING
from benchmarks.corpus.spec import Family

FAMILIES: tuple[Family, ...] = (
    WRITING,
    CODE,
    MATH,
    DATA_ANALYSIS,
    PLANNING,
    STRATEGY,
    LEGAL,
    FINANCE,
    MEDICAL,
    MARKETING,
    REASONING,
)
