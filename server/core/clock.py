"""Time in one place: timezone-aware UTC datetimes (SQLModel stores them as UTC everywhere)."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def today() -> dt.date:
    return utcnow().date()
