"""Families of this group (see benchmarks/corpus/spec.py for the contract)."""

from benchmarks.corpus.families.group_a import (
    classification,
    conversation,
    customer_support,
    extraction,
    factual_qa,
    formatting,
    hr,
    rewriting,
    scheduling,
    sql,
    summarization,
    translation,
)
from benchmarks.corpus.spec import Family

FAMILIES: tuple[Family, ...] = (
    extraction.FAMILY,
    formatting.FAMILY,
    classification.FAMILY,
    translation.FAMILY,
    summarization.FAMILY,
    factual_qa.FAMILY,
    rewriting.FAMILY,
    customer_support.FAMILY,
    scheduling.FAMILY,
    hr.FAMILY,
    sql.FAMILY,
    conversation.FAMILY,
)
