"""The `shared_state:` section of the config: where the limits every gateway shares are kept."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from server.config_base import StrictModel

WhenUnreachable = Literal["open", "closed"]


class UnreachablePolicy(StrictModel):
    """What each limit does while the backend cannot be reached (only `redis://` can be unreachable)."""

    rate_limits: WhenUnreachable = Field(
        "open", description="per-key rpm and concurrency: open admits (limits unenforced), closed answers 503"
    )
    budgets: WhenUnreachable = Field(
        "closed",
        description="budget reservations: closed keeps requests to local tiers (503 if there are none), "
        "open admits them unchecked",
    )
    escalation: WhenUnreachable = Field(
        "closed", description="the escalation bucket: closed keeps the local answer, open escalates unchecked"
    )


class SharedStateSettings(StrictModel):
    url: str = Field(
        "memory://",
        description="memory:// (this process only: one gateway) or redis://[:password@]host:port/db "
        "(every gateway sharing it enforces one set of limits)",
    )
    timeout_s: float = Field(0.25, gt=0, le=10, description="how long one operation may wait for the backend")
    key_prefix: str = Field(
        "tierd:", min_length=1, max_length=64, description="prefix of every Redis key (deployments sharing one Redis)"
    )
    revocation_poll_s: float = Field(
        0.2, gt=0, le=5, description="how often each gateway reads revoked keys from the backend"
    )
    reseed_s: float = Field(
        60.0,
        gt=0,
        le=3600,
        description="how often each gateway raises the shared budget counters to the ledger's figures (Redis only: "
        "a Redis that restarted empty gets today's and this month's spend back; never lowers or doubles a counter)",
    )
    on_unreachable: UnreachablePolicy = Field(default_factory=UnreachablePolicy)

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, url: str) -> str:
        if not url.startswith(("memory://", "redis://", "rediss://", "unix://")):
            raise ValueError(f"shared_state.url must start with memory://, redis://, rediss:// or unix://, not {url!r}")
        return url
