"""Accounting: what each request cost and saved, as Prometheus metrics (the ledger comes later)."""
