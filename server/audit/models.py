"""The audit log: one row per change made by a person or an admin token, chained by hashes.

Each row's ``hash`` is SHA-256 over the previous row's hash and this row's canonical text, and
``seq`` counts rows without gaps: editing a row breaks its hash, deleting one breaks the chain
or the count, and the last row (the head) printed by ``mutuparc audit verify`` anchors the end.
The table is append-only in the database too (triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    # UTC as ISO 8601 text ("2026-11-23T09:30:00.123456Z"): hashed exactly as stored, whatever the
    # database's time zone handling.
    at: str = Field(max_length=32, index=True)
    actor: str = Field(max_length=150)  # a username, "cli:<os user>", or "anonymous"
    via: str = Field(max_length=100)  # "api token 3 (laptop)", "web session", "cli"
    action: str = Field(max_length=200)  # "PATCH /api/v1/assets/{asset_id}", "login failed"...
    member_id: int | None = Field(default=None, index=True)  # the member a change concerns, if one
    details: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON, hashed as stored
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
