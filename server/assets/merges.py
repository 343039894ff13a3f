"""Merging two records of one machine, and undoing any merge.

Two kinds of merge exist:
- automatic: an unknown reporter (new deviceid) matched an asset by serial/UUID/MAC/name during
  ingest; undo moves that source and the components it reported to a new asset of its own;
- manual: an admin merges asset B into asset A; A takes B's sources, the component sections
  A lacks, B's documents and the fields A left empty; undo gives everything back.
In both cases the target's fields before the merge are restored from the snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, exists, insert, select, update
from sqlmodel import Session

from server.core.clock import utcnow
from server.core.errors import Conflict, Invalid, NotFound

from .components import COMPONENT_TABLES
from .history import ChangeLog
from .keys import set_identity_keys
from .models import Asset, AssetDocument, AssetMerge, InventorySource, SourceSection
from .vocab import AssetType, default_category

# Fields a manual merge copies from the merged asset when the target has none.
FILLABLE = (
    "name",
    "site_id",
    "location_id",
    "manufacturer",
    "model",
    "serial",
    "uuid",
    "inventory_number",
    "purchase_date",
    "commissioning_date",
    "warranty_end",
    "purchase_price",
    "supplier",
    "notes",
)
SNAPSHOT = (*FILLABLE, "asset_type", "member_id")


def snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an asset (as a mapping) that an undo restores, JSON-ready."""
    return _jsonable({name: values.get(name) for name in SNAPSHOT})


def _restore(asset: Asset, snapshot: dict[str, Any], log: ChangeLog) -> None:
    for name, value in snapshot.items():
        if name in SNAPSHOT and getattr(asset, name) != value:
            log.add(asset.id, name, getattr(asset, name), value)
            setattr(asset, name, value)
    set_identity_keys(asset)


def _move_rows(
    session: Session,
    *,
    from_asset: int,
    to_asset: int,
    source_ids: list[int] | None = None,
    sections: list[str] | None = None,
) -> None:
    for section in sections if sections is not None else list(COMPONENT_TABLES):
        table = COMPONENT_TABLES[section]
        condition = table.c.asset_id == from_asset
        if source_ids is not None:
            condition = condition & table.c.source_id.in_(source_ids)
        session.execute(update(table).where(condition).values(asset_id=to_asset))


def merge_assets(*, session: Session, target: Asset, other: Asset, actor: str, live: bool = False) -> AssetMerge:
    """Merge ``other`` into ``target``. ``live``: ``other`` holds the live reports (a conflict
    resolved: its sources are what reports now), so its sections replace the target's, whose rows
    are kept as their sources' documents (``SourceSection``) and come back on undo."""
    if target.id == other.id:
        raise Invalid("an asset cannot be merged into itself")
    if other.merged_into_id is not None or target.merged_into_id is not None:
        raise Conflict("one of these assets is already merged into another")
    if target.member_id != other.member_id:
        raise Invalid("assets of different members cannot be merged; assign them to one member first")
    before = snapshot(target.model_dump())
    before_hashes = dict(target.section_hashes or {})
    sections, replaced = [], []
    for section, table in COMPONENT_TABLES.items():
        target_has = session.scalar(select(exists().where(table.c.asset_id == target.id)))
        other_has = session.scalar(select(exists().where(table.c.asset_id == other.id)))
        if other_has and not target_has:
            sections.append(section)
        elif other_has and live:
            replaced.append(section)
    for section in replaced:
        _stash(session, target.id, section)
    _move_rows(session, from_asset=other.id, to_asset=target.id, sections=sections + replaced)
    source_ids = list(session.scalars(select(InventorySource.id).where(InventorySource.asset_id == other.id)))
    session.execute(update(InventorySource).where(InventorySource.asset_id == other.id).values(asset_id=target.id))
    document_ids = list(session.scalars(select(AssetDocument.id).where(AssetDocument.asset_id == other.id)))
    session.execute(update(AssetDocument).where(AssetDocument.asset_id == other.id).values(asset_id=target.id))
    now = utcnow()
    log = ChangeLog(source="merge", actor=actor, at=now)
    for name in FILLABLE:
        if getattr(target, name) in (None, "") and getattr(other, name) not in (None, ""):
            log.add(target.id, name, None, getattr(other, name))
            setattr(target, name, getattr(other, name))
    hashes = dict(target.section_hashes or {})
    hashes.update({s: h for s, h in (other.section_hashes or {}).items() if s in sections + replaced})
    target.section_hashes = hashes
    target.first_seen = min(filter(None, [target.first_seen, other.first_seen]), default=None)
    target.last_seen = max(filter(None, [target.last_seen, other.last_seen]), default=None)
    set_identity_keys(target)
    other.merged_into_id = target.id
    merge = AssetMerge(
        target_id=target.id,
        merged_asset_id=other.id,
        reason="manual",
        actor=actor,
        snapshot={
            "fields": before,
            "sections": sections,
            "replaced": replaced,
            "hashes": dict(before_hashes),
            "source_ids": source_ids,
            "document_ids": document_ids,
        },
    )
    session.add(merge)
    log.add(target.id, "merge", None, f"asset {other.id} merged into this one")
    log.add(other.id, "merge", None, f"merged into asset {target.id}")
    log.flush(session)
    session.flush()
    return merge


_ROW_BOOKKEEPING = ("id", "asset_id", "source_id")


def _stash(session: Session, asset_id: int, section: str) -> None:
    """Keep an asset's rows of ``section`` as their sources' documents, and remove them."""
    table = COMPONENT_TABLES[section]
    rows = session.execute(select(table).where(table.c.asset_id == asset_id)).mappings().all()
    by_source: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        by_source.setdefault(row["source_id"], []).append(
            {k: _iso(v) for k, v in row.items() if k not in _ROW_BOOKKEEPING}
        )
    for source_id, records in by_source.items():
        if source_id is None:
            continue
        content: Any = records if table.c.asset_id.unique is not True else records[0]
        session.execute(delete(SourceSection).where(SourceSection.source_id == source_id,
                                                    SourceSection.section == section))  # fmt: skip
        session.add(SourceSection(source_id=source_id, section=section, hash="stashed", content=content))
    session.execute(delete(table).where(table.c.asset_id == asset_id))
    session.flush()


def _unstash(session: Session, asset_id: int, section: str) -> None:
    """Rows of ``section`` back from the documents of the asset's sources (see ``_stash``)."""
    table = COMPONENT_TABLES[section]
    sources = select(InventorySource.id).where(InventorySource.asset_id == asset_id)
    docs = session.scalars(select(SourceSection).where(SourceSection.source_id.in_(sources),
                                                       SourceSection.section == section)).all()  # fmt: skip
    temporal = {c.name: c.type.python_type for c in table.columns if c.name not in _ROW_BOOKKEEPING
                and c.type.python_type in (dt.date, dt.datetime)}  # fmt: skip
    for doc in docs:
        for record in doc.content if isinstance(doc.content, list) else [doc.content]:
            values = {k: (temporal[k].fromisoformat(v) if k in temporal and isinstance(v, str) else v)
                      for k, v in record.items()}  # fmt: skip
            session.execute(insert(table).values(**values, asset_id=asset_id, source_id=doc.source_id))
        session.delete(doc)
    session.flush()


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if v is not None and not isinstance(v, int | str) else v) for k, v in values.items()}


def undo_merge(*, session: Session, merge: AssetMerge, actor: str) -> Asset:
    """Undo ``merge``; returns the asset that was split off (new or restored)."""
    if merge.undone_at is not None:
        raise Conflict(f"merge {merge.id} was already undone on {merge.undone_at:%Y-%m-%d}")
    target = session.get(Asset, merge.target_id)
    if target is None:
        raise NotFound(f"asset {merge.target_id} not found")
    now = utcnow()
    log = ChangeLog(source="merge", actor=actor, at=now)
    if merge.merged_asset_id is not None:
        split = _undo_manual(session, merge, target, log)
    else:
        split = _undo_automatic(session, merge, target, log)
    merge.undone_at, merge.undone_by = now, actor
    log.add(target.id, "merge", f"merge {merge.id}", "undone")
    log.add(split.id, "merge", f"merge {merge.id}", f"undone: split from asset {target.id}")
    log.flush(session)
    session.flush()
    return split


def _restore_fields(target: Asset, saved: dict[str, Any], log: ChangeLog) -> None:
    # Dates, prices come back as strings from JSON: let the model re-validate them.
    restored = Asset.model_validate({**target.model_dump(), **saved})
    _restore(target, {k: getattr(restored, k) for k in saved}, log)


def _undo_manual(session: Session, merge: AssetMerge, target: Asset, log: ChangeLog) -> Asset:
    other = session.get_one(Asset, merge.merged_asset_id)
    saved = merge.snapshot
    source_ids = saved.get("source_ids", [])
    session.execute(update(InventorySource).where(InventorySource.id.in_(source_ids)).values(asset_id=other.id))
    moved_back = saved.get("sections", []) + saved.get("replaced", [])
    _move_rows(session, from_asset=target.id, to_asset=other.id, sections=moved_back)
    session.execute(
        update(AssetDocument).where(AssetDocument.id.in_(saved.get("document_ids", []))).values(asset_id=other.id)
    )
    hashes = dict(target.section_hashes or {})
    for section in moved_back:
        hashes.pop(section, None)
    for section in saved.get("replaced", []):  # the target's own rows, kept while the other's showed
        _unstash(session, target.id, section)
        if section in saved.get("hashes", {}):
            hashes[section] = saved["hashes"][section]
    target.section_hashes = hashes
    _restore_fields(target, saved.get("fields", {}), log)
    other.merged_into_id = None
    return other


def _undo_automatic(session: Session, merge: AssetMerge, target: Asset, log: ChangeLog) -> Asset:
    source = session.get(InventorySource, merge.source_id)
    if source is None:
        raise NotFound("the source of this merge no longer exists")
    if source.asset_id != target.id:
        raise Conflict("the source of this merge has moved since; undo the later merge first")
    identity = source.identity or {}
    asset_type = AssetType(identity.get("asset_type") or target.asset_type)
    split = Asset(
        member_id=target.member_id,
        site_id=target.site_id,
        name=identity.get("name"),
        manufacturer=identity.get("manufacturer"),
        model=identity.get("model"),
        serial=identity.get("serial"),
        uuid=identity.get("uuid"),
        asset_type=asset_type,
        category=default_category(asset_type),
        source=source.kind,
        first_seen=source.first_seen,
        last_seen=source.last_seen,
    )
    set_identity_keys(split)
    session.add(split)
    session.flush()
    source.asset_id = split.id
    _move_rows(session, from_asset=target.id, to_asset=split.id, source_ids=[source.id])
    hashes = dict(target.section_hashes or {})
    split.section_hashes = {s: h for s, h in hashes.items() if h[0] == source.id}
    target.section_hashes = {s: h for s, h in hashes.items() if h[0] != source.id}
    saved = merge.snapshot or {}
    _restore_fields(target, {k: v for k, v in saved.items() if k in SNAPSHOT}, log)
    return split
