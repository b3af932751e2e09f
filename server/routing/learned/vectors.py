"""Turning a request's features into the numbers the learned router reads. Pure, numpy only.

Two views of the same request:
- `numeric_vector`: a few request-shape features (length, cues, tools, ...), shared by both stages;
- `hash_text`: word unigrams and bigrams of the routing text, hashed into a fixed number of buckets
  (the "lexical" stage). Hashing needs no vocabulary file, so training and serving cannot disagree
  about one, and it costs ~0.1-0.3 ms on a 4,000-character prompt.

Training (server/routing/learned/training.py) and serving (classifiers/learned.py) call these same
functions; changing what they compute means bumping `VECTORS_VERSION`, which the artifact records.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib

import numpy as np
import numpy.typing as npt

from server.routing.features import CUE_SCAN_CHARS, RequestFeatures

VECTORS_VERSION = 3
TASK_TYPES = ("extract", "format", "classify", "translate", "summarize")
NUMERIC_FEATURES: tuple[str, ...] = (
    "log_prompt_tokens",
    "log_turns",
    "has_system_prompt",
    "has_tools",
    "has_response_format",
    "log_max_tokens",
    "has_code_fence",
    "log_code_cues",
    "log_math_cues",
    "log_multi_step_cues",
    *(f"task_{t}" for t in TASK_TYPES),
    "non_ascii_ratio",
    "latin_script",
    # The work asked for (server/routing/work_cues.py), read from the instruction, not the pasted material.
    "log_instruction_chars",
    "log_complex_work",
    "log_simple_work",
    "log_constraints",
    "log_short_output",
    "log_long_output",
    "log_domain",
    "log_list_items",
    "log_clauses",
    "short_question",
)
_WORD = re.compile(r"\w+|[^\w\s]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

FloatVector = npt.NDArray[np.float32]


def numeric_vector(f: RequestFeatures) -> FloatVector:
    """Request-shape features in `NUMERIC_FEATURES` order (unscaled; the artifact stores the scaling)."""
    w = f.work
    values = [
        math.log1p(f.prompt_tokens_estimate),
        math.log1p(f.turns),
        float(f.has_system_prompt),
        float(f.has_tools),
        float(f.has_response_format),
        math.log1p(f.max_tokens or 0),
        float(f.has_code_fence),
        math.log1p(f.code_cues),
        math.log1p(f.math_cues),
        math.log1p(f.multi_step_cues),
        *(float(t in f.task_types) for t in TASK_TYPES),
        f.non_ascii_ratio,
        float(f.script == "latin"),
        math.log1p(len(f.routing_text)),
        math.log1p(w.complex_work),
        math.log1p(w.simple_work),
        math.log1p(w.constraints),
        math.log1p(w.short_output),
        math.log1p(w.long_output),
        math.log1p(w.domain),
        math.log1p(w.list_items),
        math.log1p(w.clauses),
        float(w.question),
    ]
    return np.asarray(values, dtype=np.float32)


# MiniLM's cost grows with the tokens it reads (~0.17 ms a token on one core of the 2-core box), so the
# semantic stage embeds a budget of them: 256 characters of English (64-90 tokens) keep the decision's p99
# under 20 ms. English runs 3-4 characters a token, Chinese and Japanese ~1: the budget in characters
# shrinks with the CJK share.
EMBED_LATIN_CHARS = 256
EMBED_TAIL_SHARE = 0.3  # of the budget, from the end of the routing text (where "<doc> What is X?" asks)


def embedding_text(routing_text: str) -> str:
    """The part of the routing text the semantic stage embeds: all of a short one, head + tail of a long one."""
    sample = routing_text[:EMBED_LATIN_CHARS]
    cjk_share = len(_CJK.findall(sample)) / max(len(sample), 1)
    budget = int(EMBED_LATIN_CHARS / (1 + 3 * cjk_share))
    if len(routing_text) <= budget:
        return routing_text
    tail = int(budget * EMBED_TAIL_SHARE)
    return f"{routing_text[: budget - tail]} … {routing_text[-tail:]}"


def _cjk_as_bigrams(tokens: list[str]) -> list[str]:
    """Chinese and Japanese do not separate words, so `\\w+` reads a whole clause as one token: split such
    runs into overlapping character pairs, the usual unit for CJK text classification."""
    out: list[str] = []
    for token in tokens:
        if len(token) > 2 and _CJK.search(token):
            out.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            out.append(token)
    return out


def hash_text(text: str, buckets: int) -> tuple[npt.NDArray[np.int64], FloatVector]:
    """Sparse bag of hashed unigrams and bigrams: (sorted bucket ids, 1 + log(count) per bucket).

    crc32 is stable across processes and Python versions (unlike `hash`), and runs in C.
    Only the head of the text is read, as with the cues: the instruction is usually there.
    """
    tokens = _cjk_as_bigrams(_WORD.findall(text[:CUE_SCAN_CHARS].lower()))
    grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    if not grams:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids = np.fromiter((zlib.crc32(g.encode()) % buckets for g in grams), dtype=np.int64, count=len(grams))
    unique, counts = np.unique(ids, return_counts=True)
    return unique, (1.0 + np.log(counts)).astype(np.float32)
