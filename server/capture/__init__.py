"""Opt-in capture of routed requests and their tiers' answers, for `tierd router learn` (off by default)."""
