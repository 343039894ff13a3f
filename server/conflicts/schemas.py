"""Conflicts as the API shows them: both assets side by side, and what the DSIT decides."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from .models import ConflictAction, ConflictKind, ConflictStatus


class ConflictAsset(SQLModel):
    id: int
    name: str | None
    member_id: int | None
    member: str | None  # None: quarantine (sent without a token)
    asset_type: str
    manufacturer: str | None
    model: str | None
    serial: str | None
    last_seen: dt.datetime | None


class ConflictPublic(SQLModel):
    id: int
    kind: ConflictKind
    status: ConflictStatus
    matched_value: str | None
    reporter: str | None
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    reports: int
    resolved_at: dt.datetime | None
    resolved_by: str | None
    note: str | None
    asset: ConflictAsset  # where the reports went (the reporter's member, or the quarantine)
    other_asset: ConflictAsset  # what they resembled and left unchanged


class ConflictsPublic(SQLModel):
    data: list[ConflictPublic]
    count: int


class ResolveIn(SQLModel):
    action: ConflictAction
    note: str | None = Field(default=None, max_length=2000)
