"""Fixtures of the api layer (tests/api/harness.py has the helpers): in-process, milliseconds per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.api.harness import Gateway, gateway_settings, running_gateway, scripted_tiers


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    """The default three tiers, no escalation; a test scripts a tier by setting its `handler`."""
    settings = gateway_settings(tmp_path)
    async with running_gateway(settings, scripted_tiers(settings)) as running:
        yield running
