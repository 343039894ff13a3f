"""API shapes of an asset's counters and supplies."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class CounterPoint(BaseModel):
    """One reading: the counter's value, its series (up by one at each reset) and the pages it adds."""

    model_config = ConfigDict(from_attributes=True)

    counter: str
    series: int
    at: dt.datetime
    value: int
    delta: int


class MonthPages(BaseModel):
    month: str  # YYYY-MM (UTC)
    pages: int  # pages printed: the total counter's deltas
    counters: dict[str, int]  # every counter's deltas in the month


class SupplyPoint(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: dt.datetime
    percent: float | None
    state: str | None


class SupplyLevel(BaseModel):
    """A supply's last reading: a percentage, or a state (OK, LOW...) where the device gives none."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    kind: str  # toner, ink, drum, waste, fuser, transfer, maintenance, other
    percent: float | None
    state: str | None
    at: dt.datetime
    history: list[SupplyPoint]


class AssetCounters(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    asset_id: int
    since: dt.datetime
    until: dt.datetime
    current: list[CounterPoint]  # each counter's last reading
    monthly: list[MonthPages]
    points: list[CounterPoint]  # readings in the period, oldest first
    truncated: bool  # more readings in the period than ``limit``: the newest are given
    resets: list[CounterPoint]  # counters that went down (board replaced): the first reading of each new series
    supplies: list[SupplyLevel]
