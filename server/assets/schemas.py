"""API shapes of assets (the tables are in ``models.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlmodel import Field, SQLModel

from .models import AssetFields
from .vocab import AssetSource, AssetType, Category, DocumentKind, LifecycleStatus


class AssetCreate(AssetFields):
    member_id: int


class AssetUpdate(SQLModel):
    """Every field optional: only those sent are changed."""

    member_id: int | None = None
    name: str | None = Field(default=None, max_length=255)
    site_id: int | None = None
    location_id: int | None = None
    category: Category | None = None
    asset_type: AssetType | None = None
    manufacturer: str | None = Field(default=None, max_length=255)
    model: str | None = Field(default=None, max_length=255)
    serial: str | None = Field(default=None, max_length=255)
    uuid: str | None = Field(default=None, max_length=64)
    inventory_number: str | None = Field(default=None, max_length=100)
    purchase_date: dt.date | None = None
    commissioning_date: dt.date | None = None
    warranty_end: dt.date | None = None
    purchase_price: Decimal | None = Field(default=None, max_digits=12, decimal_places=2, ge=0)
    supplier: str | None = Field(default=None, max_length=255)
    notes: str | None = None


class AssetPublic(AssetFields):
    id: int
    member_id: int | None
    category: Category
    source: AssetSource
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    merged_into_id: int | None
    os: str | None = None
    manual_fields: list[str] = Field(default_factory=list)  # set by a person: inventories leave them alone


class AssetsPublic(SQLModel):
    data: list[AssetPublic]
    count: int


class StatusChangeIn(SQLModel):
    status: LifecycleStatus
    comment: str | None = Field(default=None, max_length=2000)


class StatusChangePublic(SQLModel):
    id: int
    at: dt.datetime
    from_status: LifecycleStatus | None
    to_status: LifecycleStatus
    comment: str | None
    actor: str | None


class ChangePublic(SQLModel):
    id: int
    at: dt.datetime
    source: str
    actor: str | None
    field: str
    old_value: str | None
    new_value: str | None


class HistoryLinePublic(ChangePublic):
    """A history row, with what it changes: ``kind`` added | removed | updated, of ``section``
    (``asset`` for the asset's own fields), ``item`` (a list section's item that was updated) and
    ``key`` (the field)."""

    section: str
    item: str | None
    key: str | None
    kind: str


class HistoryPublic(SQLModel):
    data: list[HistoryLinePublic]
    count: int


class HistorySectionPublic(SQLModel):
    """One section's changes in one inventory or edit: the items added, removed and updated (a
    one-record section's updated fields), and ``count`` rows in ``changes``."""

    section: str
    label: str
    fields: dict[str, str]  # key -> label
    added: int
    removed: int
    updated: int
    count: int
    changes: list[HistoryLinePublic]


class HistoryEventPublic(SQLModel):
    """One inventory or edit: every row written at ``at`` by ``source`` and ``actor``."""

    at: dt.datetime
    source: str
    actor: str | None
    count: int
    sections: list[HistorySectionPublic]


class HistoryGroupsPublic(SQLModel):
    data: list[HistoryEventPublic]
    count: int  # events


class MetricPublic(SQLModel):
    """One reading of a gauge a collector measured (UPS charge, volume used bytes...)."""

    at: dt.datetime
    name: str
    instance: str | None
    value: float
    unit: str | None


class DocumentPublic(SQLModel):
    id: int
    asset_id: int
    kind: DocumentKind
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str | None


class SourcePublic(SQLModel):
    id: int
    kind: AssetSource
    key: str
    scope: str  # whose reports these are: member:<id>, quarantine, token:<id> (see server.assets.sources)
    agent_uuid: str | None
    agent_version: str | None
    first_seen: dt.datetime
    last_seen: dt.datetime
    last_full_at: dt.datetime | None
    inventory_count: int


class SourceReport(SQLModel):
    source: SourcePublic
    shown: list[str]  # sections the asset shows from this source (see its components)
    kept: dict[str, Any]  # section -> this source's own report, where another source is shown


class MergePublic(SQLModel):
    id: int
    target_id: int
    merged_asset_id: int | None
    source_id: int | None
    reason: str
    matched_value: str | None
    at: dt.datetime
    actor: str | None
    undone_at: dt.datetime | None
    undone_by: str | None


class MergesPublic(SQLModel):
    data: list[MergePublic]
    count: int


class AssetDetail(AssetPublic):
    components: dict[str, Any]
    labels: dict[str, Any] = Field(default_factory=dict)  # section -> {"label": ..., "fields": {key: label}}
    sources: list[SourcePublic]
    history: list[ChangePublic]
    status_history: list[StatusChangePublic]
    documents: list[DocumentPublic]
    merges: list[MergePublic]


class MergeIn(SQLModel):
    other_id: int


class AssignIn(SQLModel):
    member_id: int
    site_id: int | None = None


class ImportLine(SQLModel):
    line: int
    action: str  # create | update | error
    asset_id: int | None = None
    errors: list[str] = []


class ImportReport(SQLModel):
    dry_run: bool
    created: int
    updated: int
    errors: int
    lines: list[ImportLine]
