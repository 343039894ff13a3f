"""Time in one place: timezone-aware UTC datetimes (SQLModel stores them as UTC everywhere)."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def today() -> dt.date:
    return utcnow().date()


def as_date(value: object) -> dt.date | None:
    """A day from what data files and inventories hold: a date, a datetime, or ISO text
    (``2025-03-01``, ``2025-03-01T10:00:00``); None for anything else or an invalid day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
