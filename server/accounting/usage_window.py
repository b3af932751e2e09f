"""The time window of a usage report: `7d`, `24h`, `30m` (that long before now) or an ISO-8601 time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_SINCE = "24h"
_RELATIVE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class WindowError(ValueError):
    """A since/until value that cannot be read; `param` names which one, for the HTTP error."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True, slots=True)
class Window:
    """[since, until), both timezone-aware UTC."""

    since: datetime
    until: datetime

    @property
    def seconds(self) -> float:
        return (self.until - self.since).total_seconds()


def as_utc(moment: datetime) -> datetime:
    """Naive times are UTC: SQLite hands back the UTC wall time the ledger wrote, without its zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def parse_instant(value: str, param: str, now: datetime) -> datetime:
    """`7d` / `24h` / `30m` / `45s` / `2w` before `now`, or an ISO-8601 date or date-time (UTC when naive)."""
    relative = _RELATIVE.match(value)
    try:
        if relative:
            return now - timedelta(seconds=int(relative.group(1)) * _UNIT_SECONDS[relative.group(2)])
        return as_utc(datetime.fromisoformat(value.strip()))
    except OverflowError:
        raise WindowError(param, f"{param}: {value!r} reaches beyond the calendar") from None
    except ValueError:
        raise WindowError(
            param,
            f"{param}: {value!r} is neither a duration before now (e.g. 7d, 24h, 30m) "
            "nor an ISO-8601 date or time (e.g. 2026-11-28 or 2026-11-28T09:00:00Z)",
        ) from None


def resolve_window(since: str | None, until: str | None, now: datetime | None = None) -> Window:
    """The window [since, until); since defaults to 24h before now, until to now."""
    now = as_utc(now or datetime.now(UTC))
    start = parse_instant(since or DEFAULT_SINCE, "since", now)
    end = parse_instant(until, "until", now) if until else now
    if start >= end:
        raise WindowError("since", f"since ({iso(start)}) must be earlier than until ({iso(end)})")
    return Window(start, end)
