"""Collector run reports in, audit lists out."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wire.fields import mac as normalise_mac

# SSH adds host_key (unknown or changed key), parse_error and refused_command: counted as errors.
DeviceStatus = Literal["ok", "unknown_profile", "timeout", "auth_failure", "error", "host_key", "parse_error",
                       "refused_command"]  # fmt: skip


class DeviceStatusIn(BaseModel):
    host: str = Field(max_length=255)
    port: int | None = None
    name: str | None = Field(default=None, max_length=255)
    status: DeviceStatus
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


class SnmpCredentialIn(BaseModel):
    """What a DSIT admin gives; the community and keys are stored encrypted, never shown again."""

    member_id: int
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    version: Literal["1", "2c", "3"] = "2c"
    community: str | None = Field(default=None, max_length=255)
    user: str | None = Field(default=None, max_length=100)
    auth_protocol: Literal["none", "md5", "sha", "sha224", "sha256", "sha384", "sha512"] = "sha"
    auth_key: str | None = Field(default=None, min_length=8, max_length=255)
    priv_protocol: Literal["none", "des", "aes", "aes128", "aes192", "aes256"] = "aes"
    priv_key: str | None = Field(default=None, min_length=8, max_length=255)

    @model_validator(mode="after")
    def _complete(self) -> SnmpCredentialIn:
        if self.version == "3" and not self.user:
            raise ValueError("SNMPv3 needs a user")
        if self.version != "3" and not self.community:
            raise ValueError(f"SNMPv{self.version} needs a community")
        if self.priv_key and not self.auth_key:
            raise ValueError("SNMPv3 privacy (priv_key) needs authentication (auth_key)")
        return self


class SnmpCredentialPublic(BaseModel):
    """A stored credential as listed: which secrets it has, not the secrets."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    name: str
    version: str
    user: str | None
    auth_protocol: str
    priv_protocol: str
    has_community: bool
    has_auth_key: bool
    has_priv_key: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class SnmpCredentialsPublic(BaseModel):
    data: list[SnmpCredentialPublic]
    count: int


class HostKeyIn(BaseModel):
    host: str = Field(min_length=1, max_length=300)  # known_hosts spelling: "10.0.0.2" or "[10.0.0.2]:2222"
    key_type: str = Field(pattern=r"^[a-z0-9@.-]{3,50}$")
    key: str = Field(pattern=r"^[A-Za-z0-9+/]+={0,2}$", max_length=16384)  # base64

    @field_validator("key")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except binascii.Error:
            raise ValueError("not base64") from None
        return value


class HostKeysIn(BaseModel):
    """What a collector pinned (trust on first use) and sends before and after its SSH run."""

    model_config = ConfigDict(extra="ignore")

    action: Literal["collector_host_keys"]
    collector: str = Field(max_length=255)
    keys: list[HostKeyIn] = Field(default_factory=list, max_length=100_000)


class HostKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    member_id: int
    host: str
    key_type: str
    fingerprint: str
    collector: str
    first_seen: dt.datetime
    last_seen: dt.datetime


class HostKeysPublic(BaseModel):
    data: list[HostKeyPublic]
    count: int
