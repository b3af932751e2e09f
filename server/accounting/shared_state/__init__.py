"""State that every gateway of one deployment must share: rate windows, concurrency leases, budget counters and
holds, the escalation bucket and key revocations. `memory://` keeps it in this process (one gateway);
`redis://` keeps it in Redis, so N gateways enforce one set of limits (see protocol.py for the contract)."""
