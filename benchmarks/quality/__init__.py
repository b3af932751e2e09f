"""The quality harness: each tier's answers on real datasets, scored against the frontier (or references).

Flow (one way): datasets.py (items) -> runner.py (calls tiers, caches outcomes in SQLite) -> scorers/
(quality per outcome) -> replay.py (routers over cached outcomes, AIQ) -> report.py (md, html, PNG, JSON).
The value types every stage shares are in model.py.
"""
