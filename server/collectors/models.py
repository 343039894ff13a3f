"""Collectors besides their inventories: their runs, the addresses their sweeps found, their credentials.

A discovered address matching no asset is "to audit" (seed 004: unaudited equipment is not
tolerated on the network); the match is made when the list is read, so a device disappears
from it as soon as it is inventoried.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow


class CollectorRun(SQLModel, table=True):
    __tablename__ = "collector_run"
    __table_args__ = (Index("ix_collector_run_member_started", "member_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: str | None = Field(default=None, max_length=64, unique=True)  # a resent report is stored once
    member_id: int = Field(foreign_key="member.id")
    site_id: int | None = Field(default=None, foreign_key="site.id")
    enrolment_token_id: int | None = Field(default=None, foreign_key="enrolment_token.id")
    collector: str = Field(max_length=255)  # the collector's host name
    version: str | None = Field(default=None, max_length=50)
    started_at: dt.datetime
    finished_at: dt.datetime
    received_at: dt.datetime = Field(default_factory=utcnow)
    devices: int = 0
    ok: int = 0
    unknown_profile: int = 0
    timeout: int = 0
    auth_failure: int = 0
    error: int = 0
    # Devices that did not answer well: [{host, name, status, message, profile}]
    problems: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    swept_addresses: int | None = None
    discovered: int | None = None


class DiscoveredDevice(SQLModel, table=True):
    __tablename__ = "discovered_device"
    __table_args__ = (UniqueConstraint("member_id", "address", name="uq_discovered_device_member_address"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    site_id: int | None = Field(default=None, foreign_key="site.id")
    address: str = Field(max_length=45)
    mac: str | None = Field(default=None, max_length=17)
    sys_name: str | None = Field(default=None, max_length=255)
    sys_descr: str | None = Field(default=None, sa_type=Text)
    sys_object_id: str | None = Field(default=None, max_length=255)
    profile: str | None = Field(default=None, max_length=100)  # None: no profile knows it
    asset_type: str | None = Field(default=None, max_length=20)
    via: str = Field(max_length=20)  # "icmp", "snmp" or "icmp,snmp"
    first_seen: dt.datetime = Field(default_factory=utcnow)
    last_seen: dt.datetime = Field(default_factory=utcnow)
    last_run_id: int | None = Field(default=None, foreign_key="collector_run.id", ondelete="SET NULL")


class SnmpCredential(SQLModel, table=True):
    """SNMP credentials a member's collectors fetch at each run; the secrets are stored encrypted."""

    __tablename__ = "snmp_credential"
    __table_args__ = (UniqueConstraint("member_id", "name", name="uq_snmp_credential_member_name"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    name: str = Field(max_length=100)  # what targets call it in collector.yml
    version: str = Field(max_length=2)  # 1, 2c, 3
    community_sealed: str | None = Field(default=None, sa_type=Text)
    user: str | None = Field(default=None, max_length=100)
    auth_protocol: str = Field(default="sha", max_length=10)
    auth_key_sealed: str | None = Field(default=None, sa_type=Text)
    priv_protocol: str = Field(default="aes", max_length=10)
    priv_key_sealed: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class SshHostKey(SQLModel, table=True):
    """A device's SSH host key, trusted on first use by a collector of the member and pinned here:
    every collector of the member then refuses another key for that device, even a reinstalled one
    with an empty known_hosts. Deleting the row (a device replaced) lets the next key be trusted."""

    __tablename__ = "ssh_host_key"
    __table_args__ = (UniqueConstraint("member_id", "host", "key_type", name="uq_ssh_host_key"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    host: str = Field(max_length=300)  # as known_hosts names it: "10.0.0.2" or "[10.0.0.2]:2222"
    key_type: str = Field(max_length=50)  # ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa
    key: str = Field(sa_type=Text)  # base64, as in known_hosts
    fingerprint: str = Field(max_length=100)  # SHA256:..., as ssh-keygen -l shows it
    collector: str = Field(max_length=255)  # the collector that saw it first
    first_seen: dt.datetime = Field(default_factory=utcnow)
    last_seen: dt.datetime = Field(default_factory=utcnow)
