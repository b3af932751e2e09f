"""Lazy access to transformers: keeps `import tiers.models` cheap and its output quiet."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import Any


def transformers_api() -> Any:
    """The transformers module, imported on first use (~4 s), typed as Any.

    Its classes are only partly annotated (untyped __init__s, read-only-declared properties that do have
    setters), which mypy rejects call by call; going through Any keeps that noise out of our code.
    """
    import transformers

    return transformers


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers (tqdm bars, warnings) inside the block; replay what it wrote if the block fails.

    A conversion draws several bars and a warning advising float32 (which would double the folder for no
    gain in vLLM); none of it helps a user whose conversion worked.
    """
    hf_logging = transformers_api().utils.logging
    verbosity = hf_logging.get_verbosity()
    # Its log handler holds the real stderr, so redirecting sys.stderr does not catch its warnings.
    hf_logging.set_verbosity_error()
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stderr(buffer):
            yield
    except BaseException:
        sys.stderr.write(buffer.getvalue())
        raise
    finally:
        hf_logging.set_verbosity(verbosity)
