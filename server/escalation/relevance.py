"""The `relevance` check: is the answer about the question at all? MiniLM cosine similarity between the two.

A small model's junk is often fluent but off-topic ("By . Nadijon Dixon. Joan Data: ..." for an email extraction).
The router's sentence embedder (server/routing/embedding.py: all-MiniLM-L6-v2 on onnxruntime, no torch) embeds
the question and the answer; an answer whose similarity to the question is under `min_similarity` fails.

The encoder is handed in already loaded: the wiring loads it once per process (and shares it with the learned
router), never per check or per request. Encoding is CPU-bound (milliseconds), so the runner runs a tier's
checks in a worker thread when one of them is `blocking`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from server.escalation.answer import Answer
from server.escalation.checks import CheckRequest, CheckResult, _Base

# The question is at the end of a prompt (the last user turn), so its tail is embedded; the head of the answer
# is what the client reads first. ~512 characters (~120 tokens) each keep one check to two short encodings:
# the cost grows with the tokens, and the embedder reads at most 256 anyway.
QUESTION_TAIL_CHARS = 512
ANSWER_HEAD_CHARS = 512


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Any: ...


class RelevanceCheck(_Base):
    """Cosine similarity between the question and the answer under `min_similarity` fails.

    Prompts shorter than `min_question_chars` are not judged: "Say hi" or "Hello!" has no topic for an answer
    to be similar to, and the recorded greetings answered well scored 0.22-0.46. Empty answers are left to
    the `empty` check."""

    name = "relevance"
    # A prefix of a few tokens is too little text to embed meaningfully.
    prefix_safe = False
    blocking = True

    def __init__(self, encoder: TextEncoder, min_similarity: float = 0.2, min_question_chars: int = 30):
        if not -1.0 <= min_similarity <= 1.0:
            raise ValueError(f"min_similarity must be within [-1, 1], not {min_similarity}")
        self.encoder = encoder
        self.min_similarity = min_similarity
        self.min_question_chars = min_question_chars

    def judges(self, answer: Answer, request: CheckRequest) -> bool:
        return len(request.prompt_text.strip()) >= self.min_question_chars and bool(answer.text.strip())

    def similarity(self, answer: Answer, request: CheckRequest) -> float:
        # One call each: a batch of two would pad the (often short) question to the answer's length.
        question = np.asarray(self.encoder.encode([request.prompt_text[-QUESTION_TAIL_CHARS:]]), dtype=np.float32)
        reply = np.asarray(self.encoder.encode([answer.text[:ANSWER_HEAD_CHARS]]), dtype=np.float32)
        # The embedder's vectors are unit length, so the dot product is the cosine.
        return float(question[0] @ reply[0])

    def run(self, answer: Answer, request: CheckRequest) -> CheckResult:
        if not self.judges(answer, request):
            return self.result(True, "not judged: the prompt is too short or the answer empty")
        score = self.similarity(answer, request)
        return self.result(score >= self.min_similarity, f"similarity {score:.2f} (min {self.min_similarity})")
