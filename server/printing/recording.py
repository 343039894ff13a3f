"""Readings taken from inventories as they are stored (``server.ingest.store`` calls this).

Each inventory that carries ``pagecounters`` or ``cartridges`` (GLPI Agent's network inventory,
Mutuparc's SNMP collector reading Printer-MIB) gives a reading of every counter and supply it
reports, for the source the asset shows these sections from (``server.ingest.precedence``): two
sources reading one counter a few minutes apart never make it go backwards.

A reading is written when its value changed since the last one, when it starts a new series,
or once a day otherwise (so that the series shows quiet days without a point per poll).

How counters are read:

- zero and missing values are no reading: a sleeping printer may answer 0 for a counter;
- a counter lower than its last reading starts a new series (board replaced): its first reading
  adds no pages, the pages printed between the last reading of the old series and the reset are
  not known;
- ``total`` missing, it is derived from what the device gives: black + colour, else print +
  copy totals (many copiers count by function only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, insert, select, tuple_

from wire.fields import INT
from wire.sections import PAGE_COUNTERS

from .models import CounterReading, SupplyReading

COUNTERS = tuple(f.key for f in PAGE_COUNTERS.fields if f.kind is INT)  # total, black, color, duplex...
PAGES = "total"  # the counter the "pages printed" key sums
_DERIVED_TOTAL = (("black", "color"), ("print_total", "copy_total"))
READINGS = CounterReading.__table__
SUPPLIES = SupplyReading.__table__
RECENT = dt.timedelta(days=2)  # last readings are looked for here first (one indexed range)

# Supply kinds from the name a device or agent gives (GLPI Agent: tonerblack, drumcyan,
# wastetoner, fuserkit...; Printer-MIB: "Black Cartridge HP CF289A", "Toner Collection Unit").
# First match wins: "wastetoner" is waste, "Imaging Drum" a drum.
_KINDS = (
    ("waste", ("waste", "collect", "récup", "recup", "résidu", "residu", "usagé")),
    ("drum", ("drum", "opc", "tambour", "photoconduct", "imaging unit", "image unit")),
    ("fuser", ("fuser", "fixing", "four", "fixation")),
    ("transfer", ("transfer", "belt", "courroie")),
    ("maintenance", ("maintenance", "kit")),
    ("ink", ("ink", "encre")),
    ("toner", ("toner", "cartridge", "cartouche")),
)
_PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")
SOME_REMAINING = "OK"  # Printer-MIB level -3: the device knows some supply remains


def supply_kind(name: str) -> str:
    folded = name.lower()
    return next((kind for kind, words in _KINDS if any(word in folded for word in words)), "other")


def supply_level(value: Any) -> tuple[float | None, str | None] | None:
    """(percent, state) from a cartridge's value: ``"71"`` is 71 %, ``"OK"`` a state; ``"-3"``
    (Printer-MIB's "some remaining") is OK; other negative values and blanks tell nothing (None)."""
    raw = str(value).strip() if value is not None else ""
    if not raw:
        return None
    number = _PERCENT.match(raw)
    if number is None:
        return None, raw.upper()[:40]
    percent = float(number.group(1).replace(",", "."))
    if percent < 0:
        return (None, SOME_REMAINING) if percent == -3 else None
    return min(percent, 100.0), None


def counter_values(record: Mapping[str, Any]) -> dict[str, int]:
    """The counters of a pagecounters record worth a reading (positive integers), ``total``
    derived when the device gives only its parts."""
    values = {name: v for name in COUNTERS if type(v := record.get(name)) is int and v > 0}
    if PAGES not in values:
        for parts in _DERIVED_TOTAL:
            if any(p in values for p in parts):
                values[PAGES] = sum(values.get(p, 0) for p in parts)
                break
    return values


@dataclass(slots=True)
class _Report:
    member_id: int | None
    counters: dict[str, int] = field(default_factory=dict)
    supplies: dict[str, tuple[float | None, str | None]] = field(default_factory=dict)


class Readings:
    """The readings of a batch of inventories: gathered while planning, written by ``flush``."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.reports: dict[int, _Report] = {}

    def add(self, asset: Mapping[str, Any], source_id: int, shown: Mapping[str, Any],
            sections: Mapping[str, Any]) -> None:  # fmt: skip
        """What an inventory of ``asset`` by source ``source_id`` says of its counters and
        supplies, for the sections the asset shows from that source (``shown``: its section
        hashes, section -> [source id, hash])."""

        def from_source(name: str) -> bool:
            return name in sections and (shown.get(name) or [None])[0] == source_id

        counters = sections.get("pagecounters") if from_source("pagecounters") else None
        cartridges = sections.get("cartridges") if from_source("cartridges") else None
        if not counters and not cartridges:
            return
        report = _Report(asset["member_id"])
        if isinstance(counters, Mapping):
            report.counters = counter_values(counters)
        for cartridge in cartridges if isinstance(cartridges, list) else []:
            level = supply_level(cartridge.get("value"))
            name = str(cartridge.get("name") or "").strip()[:255]
            if name and level is not None:
                report.supplies[name] = level
        if report.counters or report.supplies:
            self.reports[asset["id"]] = report  # an asset twice in a batch: its last report

    def flush(self, connection: Connection) -> None:
        if not self.reports:
            return
        now = self.now.astimezone(dt.UTC)
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        counters = _last(connection, READINGS, READINGS.c.counter, self._wanted("counters"), now - RECENT)
        supplies = _last(connection, SUPPLIES, SUPPLIES.c.name, self._wanted("supplies"), now - RECENT)
        counter_rows, supply_rows = [], []
        for asset_id, report in sorted(self.reports.items()):
            for name, value in report.counters.items():
                last = counters.get((asset_id, name))
                series, delta = 1, 0
                if last is not None and value < last["value"]:  # reset: a new series
                    series = last["series"] + 1
                elif last is not None:
                    series, delta = last["series"], value - last["value"]
                    if delta == 0 and last["at"] >= today:
                        continue  # unchanged today
                counter_rows.append({"asset_id": asset_id, "member_id": report.member_id, "at": self.now,
                                     "counter": name, "series": series, "value": value, "delta": delta})  # fmt: skip
            for name, (percent, state) in report.supplies.items():
                last = supplies.get((asset_id, name))
                if last is not None and (last["percent"], last["state"]) == (percent, state) \
                        and last["at"] >= today:  # fmt: skip
                    continue
                supply_rows.append({"asset_id": asset_id, "at": self.now, "name": name, "kind": supply_kind(name),
                                    "percent": percent, "state": state})  # fmt: skip
        if counter_rows:
            connection.execute(insert(READINGS), counter_rows)
        if supply_rows:
            connection.execute(insert(SUPPLIES), supply_rows)

    def _wanted(self, what: str) -> set[tuple[int, str]]:
        return {(asset_id, name) for asset_id, report in self.reports.items() for name in getattr(report, what)}


def _last(connection: Connection, table: Any, name_column: Any, wanted: set[tuple[int, str]],
          recent: dt.datetime) -> dict[tuple[int, str], dict[str, Any]]:  # fmt: skip
    """The last reading of each (asset, name) wanted: among the recent ones first (one index range
    each: a device read daily has one), then, for those not read lately, by the highest id of each."""
    if not wanted:
        return {}
    pairs = tuple_(table.c.asset_id, name_column)
    found: dict[tuple[int, str], dict[str, Any]] = {}
    statement = select(table).where(pairs.in_(sorted(wanted)), table.c.at >= recent).order_by(table.c.at, table.c.id)
    for row in connection.execute(statement).mappings():
        found[(row["asset_id"], row[name_column.name])] = dict(row)
    missing = wanted - set(found)
    if missing:
        latest = select(func.max(table.c.id)).where(pairs.in_(sorted(missing))).group_by(table.c.asset_id, name_column)
        for row in connection.execute(select(table).where(table.c.id.in_(latest))).mappings():
            found[(row["asset_id"], row[name_column.name])] = dict(row)
    return found
