"""Creating and upgrading the ledger's schema (also the key table's: `tierd keys create` may come before the first
`tierd serve`). It never drops or changes data."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, insert, inspect, select, text, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from server.accounting.ledger_schema import SCHEMA_VERSION, ApiKeyRow, Base, SchemaInfo

log = logging.getLogger("tierd.ledger")

# Columns added after version 1, each with the DDL that adds it to an older table (the same on SQLite
# and Postgres). create_all makes missing tables only, never missing columns.
_ADDED_COLUMNS = ((ApiKeyRow.__tablename__, "role", "VARCHAR(16) NOT NULL DEFAULT 'ordinary'"),)


def _add_missing_columns(engine: Engine) -> None:
    """Adds what a database made by an older tierd lacks. Idempotent and safe when several gateways
    start at once: a column another one added between the look and the ALTER is fine."""
    for table, column, ddl in _ADDED_COLUMNS:
        if column in {c["name"] for c in inspect(engine).get_columns(table)}:
            continue
        try:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))
            log.info("ledger: added column %s.%s", table, column)
        except (OperationalError, ProgrammingError):
            if column not in {c["name"] for c in inspect(engine).get_columns(table)}:
                raise


# Any fixed number: the key of the advisory lock that makes gateways create the schema one at a time.
_SCHEMA_LOCK = 7_261_700_001


def create_schema(engine: Engine) -> None:
    """Tables, columns newer tierds added, and the schema version row; never drops or changes data."""
    if engine.dialect.name == "postgresql":
        # Gateways starting together race on CREATE TABLE, and Postgres' catalog refuses the loser (a unique
        # violation on pg_type), which would stop that gateway: they take turns under a transaction lock.
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            Base.metadata.create_all(conn)
            _write_version(conn)
        _add_missing_columns(engine)
        return
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    with engine.begin() as conn:
        _write_version(conn)


def _write_version(conn: Connection) -> None:
    version = conn.execute(select(SchemaInfo.version)).scalar()
    if version is None:
        conn.execute(insert(SchemaInfo), [{"version": SCHEMA_VERSION}])
    elif version < SCHEMA_VERSION:
        conn.execute(update(SchemaInfo).values(version=SCHEMA_VERSION))
