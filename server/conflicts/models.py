"""Conflicts: an inventory that looks like an asset it may not touch, for the DSIT to resolve.

Raised at ingest when a reporter's inventory matches, by device id, serial, UUID or MAC, an
asset of another member (or, without a token, any member's asset): the inventory went to an
asset of the reporter's own member (or the quarantine) and the other asset was left unchanged.
Also raised inside one member for a *suspected duplicate*: a new record with the name of an
existing one and nothing else to confirm it is the same machine.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow
from server.core.types import StrEnumType


class ConflictKind(StrEnum):
    DEVICEID = "deviceid"  # the same agent/collector device id, reported under another member
    SERIAL = "serial"
    UUID = "uuid"
    MAC = "mac"
    NAME = "name"  # same member, same name, nothing corroborating: a suspected duplicate


class ConflictStatus(StrEnum):
    OPEN = "open"
    MOVED = "moved"  # the device changed member: the other asset moved over, the two merged
    MERGED = "merged"  # one machine: the new record merged into the other
    IGNORED = "ignored"  # two machines: kept apart, never raised again for this pair


class ConflictAction(StrEnum):
    MOVE = "move"
    MERGE = "merge"
    IGNORE = "ignore"


class AssetConflict(SQLModel, table=True):
    __tablename__ = "asset_conflict"
    __table_args__ = (UniqueConstraint("asset_id", "other_asset_id", name="uq_asset_conflict_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: ConflictKind = Field(sa_type=StrEnumType(ConflictKind, 20))
    status: ConflictStatus = Field(default=ConflictStatus.OPEN, sa_type=StrEnumType(ConflictStatus, 20), index=True)
    # The record the reports went to (the reporter's member, or the quarantine: member None)...
    asset_id: int = Field(foreign_key="asset.id", index=True, ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    # ...and the one they matched but could not change.
    other_asset_id: int = Field(foreign_key="asset.id", index=True, ondelete="CASCADE")
    other_member_id: int | None = Field(default=None, foreign_key="member.id")
    matched_value: str | None = Field(default=None, max_length=255)
    reporter: str | None = Field(default=None, max_length=255)  # the enrolment token's label
    first_seen_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    reports: int = 1
    resolved_at: dt.datetime | None = None
    resolved_by: str | None = Field(default=None, max_length=255)
    note: str | None = Field(default=None, max_length=2000)
