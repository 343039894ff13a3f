"""Printers' and copiers' page counters and supply levels, as time series.

A counter reading belongs to a *series*: the series number goes up when the counter goes down
(a formatter or main board replaced), so that a reset never reads as negative pages. Each reading
keeps what it adds to its series (``delta``, 0 for the first reading of a series) and the member
whose asset it was when it was read: the pages printed by a member in a period are the sum of its
readings' deltas in that period, whatever happened to the asset since.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index
from sqlmodel import Field, SQLModel


class CounterReading(SQLModel, table=True):
    __tablename__ = "printer_counter_reading"
    __table_args__ = (
        Index("ix_printer_counter_reading_asset_counter_at", "asset_id", "counter", "at"),
        Index("ix_printer_counter_reading_member_counter_at", "member_id", "counter", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id")  # the asset's member when read
    at: dt.datetime
    counter: str = Field(max_length=30)  # a pagecounters field: total, black, color, copy_total...
    series: int = 1  # goes up each time the counter went down (board replaced)
    value: int = Field(sa_type=BigInteger)
    delta: int = Field(default=0, sa_type=BigInteger)  # pages since the series' previous reading


class SupplyReading(SQLModel, table=True):
    __tablename__ = "printer_supply_reading"
    __table_args__ = (Index("ix_printer_supply_reading_asset_name_at", "asset_id", "name", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE")
    at: dt.datetime
    name: str = Field(max_length=255)  # as the device or agent names it: tonerblack, "Black Cartridge CF289A"
    kind: str = Field(max_length=20)  # toner, ink, drum, waste, fuser, transfer, maintenance, other
    percent: float | None = None  # the level, when the device gives one
    state: str | None = Field(default=None, max_length=40)  # what it says instead: OK, LOW...
