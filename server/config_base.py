"""What every config section shares."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Unknown keys are errors (a typo must not be silently ignored); settings never change once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)
