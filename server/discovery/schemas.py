"""Collector run reports in, audit lists out."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from wire.fields import mac as normalise_mac

STATUSES = ("ok", "unknown_profile", "timeout", "auth_failure", "error")


class DeviceStatusIn(BaseModel):
    host: str = Field(max_length=255)
    port: int | None = None
    name: str | None = Field(default=None, max_length=255)
    status: Literal["ok", "unknown_profile", "timeout", "auth_failure", "error"]
    message: str | None = Field(default=None, max_length=2000)
    profile: str | None = Field(default=None, max_length=100)
    sys_object_id: str | None = Field(default=None, max_length=255)
    seconds: float | None = None


class DiscoveredIn(BaseModel):
    address: str
    via: list[Literal["icmp", "snmp"]] = Field(min_length=1)
    mac: str | None = None
    sys_name: str | None = Field(default=None, max_length=255)
    sys_descr: str | None = Field(default=None, max_length=4000)
    sys_object_id: str | None = Field(default=None, max_length=255)
    profile: str | None = Field(default=None, max_length=100)
    asset_type: str | None = Field(default=None, max_length=20)

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        return str(ipaddress.ip_address(value.strip()))

    @field_validator("mac")
    @classmethod
    def _mac(cls, value: str | None) -> str | None:
        return normalise_mac(value) if value else None


class SweepIn(BaseModel):
    addresses: int = Field(ge=0)
    icmp: bool = False


class CollectorReportIn(BaseModel):
    """``mutuparc collect`` sends one after each run (collector/report.py)."""

    model_config = ConfigDict(extra="ignore")

    action: Literal["collector_report"]
    collector: str = Field(max_length=255)
    version: str | None = Field(default=None, max_length=50)
    started_at: dt.datetime
    finished_at: dt.datetime
    devices: list[DeviceStatusIn] = Field(default_factory=list, max_length=100_000)
    sweep: SweepIn | None = None
    discovered: list[DiscoveredIn] = Field(default_factory=list, max_length=100_000)


class CollectorRunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    site_id: int | None
    collector: str
    version: str | None
    started_at: dt.datetime
    finished_at: dt.datetime
    devices: int
    ok: int
    unknown_profile: int
    timeout: int
    auth_failure: int
    error: int
    problems: list[dict[str, Any]]
    swept_addresses: int | None
    discovered: int | None


class CollectorRunsPublic(BaseModel):
    data: list[CollectorRunPublic]
    count: int


class UnauditedDevice(BaseModel):
    """An address that answered a sweep and matches no asset of the inventory."""

    id: int
    member_id: int
    site_id: int | None
    address: str
    mac: str | None
    sys_name: str | None
    sys_descr: str | None
    sys_object_id: str | None
    profile: str | None
    asset_type: str | None
    via: str
    first_seen: dt.datetime
    last_seen: dt.datetime


class UnauditedDevices(BaseModel):
    data: list[UnauditedDevice]
    count: int


class UnknownMac(BaseModel):
    """A MAC address a switch learned on one of its ports that belongs to no known asset."""

    mac: str
    member_id: int | None
    switch_id: int
    switch_name: str | None
    port: str | None


class UnknownMacs(BaseModel):
    data: list[UnknownMac]
    count: int
