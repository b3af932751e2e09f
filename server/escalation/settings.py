"""The `escalation:` section of the config: checks per tier, stream modes, limits and the global budget."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from server.config_base import StrictModel

StreamMode = Literal["buffer", "prefix", "off"]


class VerifierSettings(StrictModel):
    tier: str = Field(description="the tier that grades answers (yes/no), usually a more capable one")
    min_probability: float = Field(0.5, ge=0.0, le=1.0, description="P(yes) below this fails the answer")
    max_answer_chars: int = Field(4000, ge=100, description="longer answers are cut before grading")


class RunawaySettings(StrictModel):
    """The runaway guard (server/escalation/runaway.py): stop a generation that degenerates into a loop."""

    enabled: bool = Field(True, description="watch this tier's generations and stop the degenerate ones")
    min_tokens: int = Field(64, ge=8, description="generated tokens before the first judgement")
    every_tokens: int = Field(32, ge=1, description="then judge again after this many more tokens")
    window_tokens: int = Field(256, ge=16, description="judge the latest this many tokens (the cost stays flat)")
    json_requests: bool = Field(
        True, description="guard JSON requests too, streamed upstream and assembled (costs tierd a stream's CPU)"
    )


class TierEscalationSettings(StrictModel):
    checks: list[str | dict[str, Any]] = Field(
        default_factory=list,
        description="check names, or {name: N, option: value} mappings; an answer failing any goes up a tier",
    )
    stream_mode: StreamMode | None = Field(None, description="this tier's streaming mode; default: escalation's")
    verifier: VerifierSettings | None = Field(None, description="off by default: a tier grades each answer")
    runaway: RunawaySettings | None = Field(None, description="off by default: the runaway guard")

    @field_validator("checks")
    @classmethod
    def _named(cls, checks: list[str | dict[str, Any]]) -> list[str | dict[str, Any]]:
        for spec in checks:
            if isinstance(spec, dict) and not isinstance(spec.get("name"), str):
                raise ValueError(f"a check given as a mapping needs a `name`: {spec}")
        return checks


class EscalationBudgetSettings(StrictModel):
    max_share: float | None = Field(
        0.3, ge=0.0, le=1.0, description="at most this share of requests may escalate (over time); null = no limit"
    )
    burst: float = Field(5.0, ge=1.0, description="escalations allowed at once before the share applies")
    max_usd_per_minute: float | None = Field(None, gt=0, description="escalated attempts' cost per minute")


class EscalationSettings(StrictModel):
    max_escalations: int = Field(2, ge=0, description="per request")
    max_cost_usd: float | None = Field(None, gt=0, description="per request, all attempts together")
    stream_mode: StreamMode = Field(
        "buffer", description="buffer: check the whole answer first; prefix: check the first tokens; off: no checks"
    )
    prefix_tokens: int = Field(16, ge=1, le=4096, description="streamed chunks held back and checked in prefix mode")
    budget: EscalationBudgetSettings = Field(default_factory=EscalationBudgetSettings)
    tiers: dict[str, TierEscalationSettings] = Field(default_factory=dict, description="tier name -> its checks")

    def tier_references(self) -> list[tuple[str, str]]:
        refs = [(f"escalation.tiers.{name}", name) for name in self.tiers]
        refs += [(f"escalation.tiers.{n}.verifier.tier", t.verifier.tier) for n, t in self.tiers.items() if t.verifier]
        return refs
