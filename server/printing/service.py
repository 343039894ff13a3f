"""Reading the series: an asset's counters and supplies, pages per month, pages per member.

Periods are in UTC, like the readings' timestamps. Pages in a period are the deltas of the
readings taken in it: what a device printed between two readings counts when the second one is
taken, a counter reset adds nothing (see ``server.printing.recording``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session

from server.assets.models import Asset
from server.core.clock import utcnow

from .models import CounterReading, SupplyReading
from .recording import COUNTERS, PAGES

DEFAULT_MONTHS = 12


def utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def month_start(at: dt.datetime | dt.date, months_back: int = 0) -> dt.datetime:
    """The first instant (UTC) of the month of ``at``, ``months_back`` months earlier."""
    index = at.year * 12 + at.month - 1 - months_back
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def year_period(year: int, day: dt.date | None = None, now: dt.datetime | None = None) -> tuple[dt.datetime, ...]:
    """January 1st of ``year`` to the end of ``day`` (default: the end of the year), never after now."""
    now = utc(now or utcnow())
    end = dt.datetime.combine((day or dt.date(year, 12, 31)) + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), min(end, now + dt.timedelta(seconds=1))


def months(since: dt.datetime, until: dt.datetime) -> list[str]:
    """Every month from ``since`` to ``until`` as YYYY-MM."""
    found, current = [], month_start(since)
    while current < until:
        found.append(f"{current.year:04d}-{current.month:02d}")
        current = month_start(current, -1)
    return found


def _month_of(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")  # not the session's time zone
    return func.strftime("%Y-%m", column)


def _asset_filter(asset_types: Iterable[str], categories: Iterable[str]) -> Any:
    conditions = []
    if asset_types := list(asset_types):
        conditions.append(Asset.asset_type.in_(asset_types))
    if categories := list(categories):
        conditions.append(Asset.category.in_(categories))
    return and_(True, *conditions)


# -- the allocation key ----------------------------------------------------------------------


def pages_by_member(session: Session, since: dt.datetime, until: dt.datetime, *, asset_types: Iterable[str] = (),
                    categories: Iterable[str] = ()) -> dict[int, Decimal]:  # fmt: skip
    """Pages printed in [since, until) per member: the member whose asset each reading was of."""
    statement = (
        select(CounterReading.member_id, func.sum(CounterReading.delta))
        .join(Asset, Asset.id == CounterReading.asset_id)
        .where(CounterReading.counter == PAGES, CounterReading.member_id.is_not(None))  # type: ignore[union-attr]
        .where(CounterReading.at >= utc(since), CounterReading.at < utc(until))
        .where(_asset_filter(asset_types, categories))
        .group_by(CounterReading.member_id)
    )
    return {member: Decimal(int(pages or 0)) for member, pages in session.execute(statement)}


def printed_assets(session: Session, member_id: int, since: dt.datetime, until: dt.datetime, *,
                   asset_types: Iterable[str] = (), categories: Iterable[str] = ()) -> list[Asset]:  # fmt: skip
    """The assets behind a member's pages: those it read counters of in the period."""
    ids = (
        select(CounterReading.asset_id)
        .where(CounterReading.counter == PAGES, CounterReading.member_id == member_id)
        .where(CounterReading.at >= utc(since), CounterReading.at < utc(until))
        .distinct()
    )
    statement = select(Asset).where(Asset.id.in_(ids), _asset_filter(asset_types, categories))  # type: ignore[union-attr]
    return list(session.scalars(statement.order_by(Asset.asset_type, Asset.name)))


# -- one asset ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Month:
    month: str  # YYYY-MM
    pages: int  # the total counter's deltas
    counters: dict[str, int] = field(default_factory=dict)  # every counter's deltas


@dataclass(slots=True)
class Supply:
    name: str
    kind: str
    percent: float | None
    state: str | None
    at: dt.datetime
    history: list[SupplyReading] = field(default_factory=list)  # in the period, oldest first


@dataclass(slots=True)
class Counters:
    asset_id: int
    since: dt.datetime
    until: dt.datetime
    current: list[CounterReading]  # the last reading of each counter, in COUNTERS order
    monthly: list[Month]
    points: list[CounterReading]  # in the period, oldest first (the last ``limit`` ones)
    resets: list[CounterReading]  # first readings of a new series, in the period
    supplies: list[Supply]
    truncated: bool = False  # more points in the period than ``limit``


def _order(counter: str) -> int:
    return COUNTERS.index(counter) if counter in COUNTERS else len(COUNTERS)


def current_counters(session: Session, asset_id: int) -> list[CounterReading]:
    latest = (
        select(func.max(CounterReading.id)).where(CounterReading.asset_id == asset_id).group_by(CounterReading.counter)
    )
    rows = session.scalars(select(CounterReading).where(CounterReading.id.in_(latest)))  # type: ignore[union-attr]
    return sorted(rows, key=lambda r: _order(r.counter))


def monthly_pages(session: Session, asset_id: int, since: dt.datetime, until: dt.datetime) -> list[Month]:
    month = _month_of(session, CounterReading.at)
    statement = (
        select(month, CounterReading.counter, func.sum(CounterReading.delta))
        .where(CounterReading.asset_id == asset_id, CounterReading.at >= utc(since), CounterReading.at < utc(until))
        .group_by(month, CounterReading.counter)
    )
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for name, counter, pages in session.execute(statement):
        by_month[name][counter] = int(pages or 0)
    return [Month(m, by_month[m].get(PAGES, 0), dict(sorted(by_month[m].items(), key=lambda i: _order(i[0]))))
            for m in months(since, until)]  # fmt: skip


def supplies(session: Session, asset_id: int, since: dt.datetime, until: dt.datetime) -> list[Supply]:
    """Each supply's last reading, with its readings in the period; those the device stopped
    reporting (a cartridge model changed) come after the others."""
    latest = select(func.max(SupplyReading.id)).where(SupplyReading.asset_id == asset_id).group_by(SupplyReading.name)
    found = {r.name: Supply(r.name, r.kind, r.percent, r.state, r.at)
             for r in session.scalars(select(SupplyReading).where(SupplyReading.id.in_(latest)))}  # type: ignore[union-attr]  # fmt: skip
    statement = select(SupplyReading).where(SupplyReading.asset_id == asset_id, SupplyReading.at >= utc(since),
                                            SupplyReading.at < utc(until))  # fmt: skip
    for reading in session.scalars(statement.order_by(SupplyReading.at, SupplyReading.id)):
        if reading.name in found:
            found[reading.name].history.append(reading)
    newest = max((s.at for s in found.values()), default=None)
    return sorted(found.values(), key=lambda s: (s.at != newest, s.kind != "toner", s.kind, s.name))


def asset_counters(session: Session, asset_id: int, since: dt.datetime | None = None,
                   until: dt.datetime | None = None, *, counter: str | None = None,
                   limit: int = 2000) -> Counters:  # fmt: skip
    """Everything about one asset's counters: by default over the last twelve months."""
    until = utc(until) if until else utcnow() + dt.timedelta(seconds=1)
    since = utc(since) if since else month_start(until, DEFAULT_MONTHS - 1)
    in_period = and_(CounterReading.asset_id == asset_id, CounterReading.at >= since, CounterReading.at < until)
    statement = select(CounterReading).where(in_period)
    if counter:
        statement = statement.where(CounterReading.counter == counter)
    newest = list(session.scalars(statement.order_by(CounterReading.at.desc(), CounterReading.id.desc())  # type: ignore[attr-defined]
                                  .limit(limit + 1)))  # fmt: skip
    return Counters(
        asset_id=asset_id,
        since=since,
        until=until,
        current=current_counters(session, asset_id),
        monthly=monthly_pages(session, asset_id, since, until),
        points=list(reversed(newest[:limit])),
        resets=series_starts(session, asset_id, since, until),
        supplies=supplies(session, asset_id, since, until),
        truncated=len(newest) > limit,
    )


def series_starts(session: Session, asset_id: int, since: dt.datetime, until: dt.datetime) -> list[CounterReading]:
    """The first reading of each new series (a counter that went down) in the period."""
    firsts = (
        select(func.min(CounterReading.id))
        .where(CounterReading.asset_id == asset_id, CounterReading.series > 1)
        .group_by(CounterReading.counter, CounterReading.series)
    )
    statement = select(CounterReading).where(CounterReading.id.in_(firsts), CounterReading.at >= utc(since),  # type: ignore[union-attr]
                                             CounterReading.at < utc(until))  # fmt: skip
    return list(session.scalars(statement.order_by(CounterReading.at, CounterReading.id)))
