"""Gauges collectors read at each poll (UPS charge and runtime, battery age, NAS volume used bytes),
kept as time series: reports plot them and allocation keys can use their history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow


class AssetMetric(SQLModel, table=True):
    __tablename__ = "asset_metric"
    __table_args__ = (Index("ix_asset_metric_asset_name_at", "asset_id", "name", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE")
    at: dt.datetime = Field(default_factory=utcnow)
    name: str = Field(max_length=100)  # e.g. ups.battery.charge_percent, volume.used_bytes
    instance: str | None = Field(default=None, max_length=255)  # e.g. the volume name
    value: float
    unit: str | None = Field(default=None, max_length=20)
