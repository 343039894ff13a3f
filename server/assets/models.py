"""Assets, where they come from, and everything that happens to them.

An asset belongs to one member, or to none while in quarantine (an inventory that arrived
without an enrolment token, waiting for an admin to assign it). An asset merged into another
keeps its row with ``merged_into_id`` set, so that the merge can be undone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow
from server.core.types import StrEnumType

from .vocab import AssetSource, AssetType, Category, DocumentKind, LifecycleStatus


class AssetFields(SQLModel):
    """What a person may set on an asset (manual record, CSV import, edit)."""

    name: str | None = Field(default=None, max_length=255)
    site_id: int | None = Field(default=None, foreign_key="site.id")
    location_id: int | None = Field(default=None, foreign_key="location.id")
    category: Category | None = Field(default=None, sa_type=StrEnumType(Category, 20))
    asset_type: AssetType = Field(default=AssetType.OTHER, sa_type=StrEnumType(AssetType, 20))
    manufacturer: str | None = Field(default=None, max_length=255)
    model: str | None = Field(default=None, max_length=255)
    serial: str | None = Field(default=None, max_length=255)
    uuid: str | None = Field(default=None, max_length=64)
    inventory_number: str | None = Field(default=None, max_length=100)
    lifecycle_status: LifecycleStatus = Field(
        default=LifecycleStatus.IN_SERVICE, sa_type=StrEnumType(LifecycleStatus, 20)
    )
    purchase_date: dt.date | None = None
    commissioning_date: dt.date | None = None
    warranty_end: dt.date | None = None
    purchase_price: Decimal | None = Field(default=None, max_digits=12, decimal_places=2, ge=0)
    supplier: str | None = Field(default=None, max_length=255)
    notes: str | None = Field(default=None, sa_type=Text)


class Asset(AssetFields, table=True):
    __tablename__ = "asset"
    __table_args__ = (
        Index("ix_asset_serial_key", "serial_key"),
        Index("ix_asset_uuid_key", "uuid_key"),
        Index("ix_asset_member_name_key", "member_id", "name_key"),
        Index("ix_asset_name_key", "name_key"),  # reconciliation looks names up across members
        Index("ix_asset_member_type", "member_id", "asset_type"),
        Index("ix_asset_last_seen", "last_seen"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    category: Category = Field(default=Category.NORMAL, sa_type=StrEnumType(Category, 20))
    source: AssetSource = Field(default=AssetSource.MANUAL, sa_type=StrEnumType(AssetSource, 20))
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    merged_into_id: int | None = Field(default=None, foreign_key="asset.id")
    # "Windows 11 Pro 23H2 build 22631.4460": kept with the asset for lists, exports and filters.
    os_label: str | None = Field(default=None, max_length=255, index=True)
    # Normalised identifiers used by reconciliation (see wire.identity); None when junk.
    serial_key: str | None = Field(default=None, max_length=255)
    uuid_key: str | None = Field(default=None, max_length=32)
    name_key: str | None = Field(default=None, max_length=255)
    manufacturer_key: str | None = Field(default=None, max_length=100)
    # section -> [source id, sha1 of the section's JSON]: which source's report of each section the
    # component tables show (the effective one, see server.ingest.precedence) and its hash.
    section_hashes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # Fields a person set (edit, CSV import): inventories do not overwrite them until released.
    manual_fields: list[str] = Field(default_factory=list, sa_type=JSON)


class InventorySource(SQLModel, table=True):
    """One reporter of an asset: an agent (by deviceid), a collector device, an import.

    A reinstalled PC has two sources (old and new deviceid) on one asset; undoing that merge
    moves the new source and its components to an asset of their own.

    A device id is not a secret, so a source is found by its id *within the scope of whoever
    reports it* (``scope``, see ``server.ingest.auth.Reporter.scope_for``): a member's tokens
    (``member:3``), inventories without a token (``quarantine``), or for a collected device known
    only by its address, the collector's own token (``token:12``: every commune has a 192.168.1.1).
    """

    __tablename__ = "inventory_source"
    __table_args__ = (UniqueConstraint("kind", "key", "scope", name="uq_inventory_source_kind_key_scope"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True)
    kind: AssetSource = Field(sa_type=StrEnumType(AssetSource, 20))
    key: str = Field(max_length=255, index=True)
    scope: str = Field(max_length=40)
    # section -> sha1 of this source's last report of it (what it said, effective or not).
    section_hashes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The sections of its last full inventory (None: before this was recorded). A section only
    # partial inventories carry is not removed by a full one that lacks it.
    full_sections: list[str] | None = Field(default=None, sa_type=JSON)
    agent_uuid: str | None = Field(default=None, max_length=64)
    agent_version: str | None = Field(default=None, max_length=100)
    enrolment_token_id: int | None = Field(default=None, foreign_key="enrolment_token.id")
    first_seen: dt.datetime = Field(default_factory=utcnow)
    last_seen: dt.datetime = Field(default_factory=utcnow)
    last_full_at: dt.datetime | None = None
    inventory_count: int = 0
    # The id of the last inventory stored (agents send X-Mutuparc-Inventory-Id): a resend of it,
    # after an answer lost on the way, is acknowledged without being applied twice.
    last_inventory_id: str | None = Field(default=None, max_length=64)
    # What this source said the machine is, at its last inventory (used to undo a merge).
    identity: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The last full inventory as received (zlib-compressed JSON or XML), for support and replays.
    raw_inventory: bytes | None = Field(default=None, sa_type=LargeBinary)
    raw_format: str | None = Field(default=None, max_length=10)


class SourceSection(SQLModel, table=True):
    """A source's last report of a section that the component tables do not show, because a
    source of higher precedence reports it too (see ``server.ingest.precedence``). Kept so that
    nothing a source said is lost, and so that its report takes over when the other source stops."""

    __tablename__ = "source_section"

    source_id: int = Field(foreign_key="inventory_source.id", primary_key=True, ondelete="CASCADE")
    section: str = Field(max_length=50, primary_key=True)
    hash: str = Field(max_length=40)
    content: Any = Field(default=None, sa_type=JSON)
    received_at: dt.datetime = Field(default_factory=utcnow)


class AssetChange(SQLModel, table=True):
    """Change history: one row per changed field or component list."""

    __tablename__ = "asset_change"
    __table_args__ = (Index("ix_asset_change_asset_at", "asset_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", ondelete="CASCADE")
    at: dt.datetime = Field(default_factory=utcnow)
    source: str = Field(max_length=20)
    actor: str | None = Field(default=None, max_length=255)
    field: str = Field(max_length=100)
    old_value: str | None = Field(default=None, sa_type=Text)
    new_value: str | None = Field(default=None, sa_type=Text)


class AssetStatusChange(SQLModel, table=True):
    __tablename__ = "asset_status_change"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True, ondelete="CASCADE")
    at: dt.datetime = Field(default_factory=utcnow)
    from_status: LifecycleStatus | None = Field(default=None, sa_type=StrEnumType(LifecycleStatus, 20))
    to_status: LifecycleStatus = Field(sa_type=StrEnumType(LifecycleStatus, 20))
    comment: str | None = Field(default=None, sa_type=Text)
    actor: str | None = Field(default=None, max_length=255)


class AssetDocument(SQLModel, table=True):
    """A file attached to an asset; recycling certificates must be kept (seed 004, REEN law)."""

    __tablename__ = "asset_document"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True, ondelete="CASCADE")
    kind: DocumentKind = Field(default=DocumentKind.OTHER, sa_type=StrEnumType(DocumentKind, 30))
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    uploaded_at: dt.datetime = Field(default_factory=utcnow)
    uploaded_by: str | None = Field(default=None, max_length=255)


class AssetMerge(SQLModel, table=True):
    """One reconciliation: a source (or a whole asset) attached to ``target_id``; undoable.

    ``snapshot`` holds the target's fields before the merge, restored by an undo.
    """

    __tablename__ = "asset_merge"

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="asset.id", index=True)
    merged_asset_id: int | None = Field(default=None, foreign_key="asset.id")
    source_id: int | None = Field(default=None, foreign_key="inventory_source.id")
    reason: str = Field(max_length=20)  # serial | uuid | mac | name | manual
    matched_value: str | None = Field(default=None, max_length=255)
    at: dt.datetime = Field(default_factory=utcnow)
    actor: str | None = Field(default=None, max_length=255)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    undone_at: dt.datetime | None = None
    undone_by: str | None = Field(default=None, max_length=255)
