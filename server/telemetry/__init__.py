"""The gateway side of device telemetry: its config section and the sampler it builds (tiers/telemetry)."""
