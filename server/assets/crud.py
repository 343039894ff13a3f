"""Assets: scoped queries, manual records, edits with history, status changes, documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session

from server.core import catalogue
from server.core.clock import utcnow
from server.core.errors import Conflict, Invalid, NotFound
from server.core.scope import MemberScope
from server.i18n import field_label as asset_field_label
from server.tenancy.models import Member, Site
from wire.identity import serial_key

from . import history as change_history
from .components import COMPONENT_TABLES
from .filters import AssetFilter
from .history import ChangeLog
from .keys import set_identity_keys
from .models import Asset, AssetChange, AssetDocument, AssetMerge, AssetStatusChange, InventorySource, SourceSection
from .schemas import AssetCreate, AssetUpdate
from .section_labels import field_label, section_label
from .sources import rescope
from .vocab import AssetSource, DocumentKind, LifecycleStatus, default_category

EDITABLE = tuple(AssetUpdate.model_fields)
# Fields inventories also set: once a person sets one, it is theirs (``Asset.manual_fields``).
INVENTORIED_FIELDS = frozenset({"name", "manufacturer", "model", "serial", "uuid", "asset_type"})
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
HISTORY_EVENTS_SHOWN = 20  # inventories and edits the asset page shows, each with all its lines
LANGUAGES = ("fr", "en")
ASSET_RECORD = {"fr": "Fiche de l'équipement", "en": "Asset record"}  # the history group of its own fields
# History rows of the asset's record that are events rather than fields, and ids shown as names.
HISTORY_WORDS = catalogue.per_key("history")


def list_assets(*, scope: MemberScope, filters: AssetFilter, stale_before: dt.datetime) -> Any:
    """Assets in scope matching ``filters``, as a statement the caller pages, orders or streams."""
    statement = select(Asset)
    statement = scope.filter(statement, Asset.member_id)
    return filters.apply(statement, stale_before=stale_before)


def get_asset(*, session: Session, scope: MemberScope, asset_id: int) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None or not scope.can_see(asset.member_id):
        raise NotFound(f"asset {asset_id} not found")
    return asset


def _check_place(session: Session, member_id: int | None, site_id: int | None) -> None:
    if member_id is not None and session.get(Member, member_id) is None:
        raise NotFound(f"member {member_id} not found")
    if site_id is not None:
        site = session.get(Site, site_id)
        if site is None or site.member_id != member_id:
            raise Invalid(f"site {site_id} does not belong to member {member_id}")


def find_by_serial(*, session: Session, member_id: int, serial: str | None) -> Asset | None:
    key = serial_key(serial)
    if key is None:
        return None
    return session.scalars(
        select(Asset).where(Asset.member_id == member_id, Asset.serial_key == key, Asset.merged_into_id.is_(None))
    ).first()


def create_asset(
    *, session: Session, asset_in: AssetCreate, actor: str, source: AssetSource = AssetSource.MANUAL
) -> Asset:
    _check_place(session, asset_in.member_id, asset_in.site_id)
    existing = find_by_serial(session=session, member_id=asset_in.member_id, serial=asset_in.serial)
    if existing is not None:
        raise Conflict(f"asset {existing.id} of this member already has serial {asset_in.serial!r}")
    data = asset_in.model_dump()
    if data.get("category") is None:
        data["category"] = default_category(data["asset_type"])
    asset = Asset(**data, source=source)
    set_identity_keys(asset)
    session.add(asset)
    session.flush()
    log = ChangeLog(source=str(source), actor=actor, at=utcnow())
    log.add(asset.id, "created", None, str(source))
    log.flush(session)
    session.add(AssetStatusChange(asset_id=asset.id, to_status=asset.lifecycle_status, actor=actor))
    return asset


def update_asset(
    *, session: Session, asset: Asset, changes: dict[str, Any], actor: str, source: str = "manual"
) -> Asset:
    """Apply ``changes`` (already validated), recording each changed field in the history."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    if "member_id" in changes and changes["member_id"] is None:
        raise Invalid("an asset cannot be put back in quarantine")
    member_id = changes.get("member_id", asset.member_id)
    if "member_id" in changes or "site_id" in changes:
        site_id = changes.get("site_id", asset.site_id if member_id == asset.member_id else None)
        _check_place(session, member_id, site_id)
        changes = {**changes, "site_id": site_id}
    moved = "member_id" in changes and changes["member_id"] != asset.member_id
    log = ChangeLog(source=source, actor=actor, at=utcnow())
    manual = list(asset.manual_fields or [])
    for name, value in changes.items():
        old = getattr(asset, name)
        if old != value:
            log.add(asset.id, name, old, value)
            setattr(asset, name, value)
            if name in INVENTORIED_FIELDS and name not in manual:
                manual.append(name)  # a person's value: inventories leave it alone
    if log.rows:
        asset.manual_fields = manual
        set_identity_keys(asset)
        asset.updated_at = utcnow()
        log.flush(session)
    if moved:  # the new member's tokens now report it, nobody else's
        session.flush()
        rescope(session.connection(), [asset.id], asset.member_id)  # type: ignore[list-item, arg-type]
    return asset


def release_field(*, session: Session, asset: Asset, field: str, actor: str) -> Asset:
    """Let inventories set ``field`` again (a person had set it)."""
    if field not in (asset.manual_fields or []):
        raise NotFound(f"{field} was not set by hand on asset {asset.id}")
    asset.manual_fields = [f for f in asset.manual_fields if f != field]
    log = ChangeLog(source="manual", actor=actor, at=utcnow())
    log.add(asset.id, "manual_fields", field, None)
    log.flush(session)
    return asset


def change_status(
    *, session: Session, asset: Asset, status: LifecycleStatus, comment: str | None, actor: str
) -> AssetStatusChange:
    change = AssetStatusChange(
        asset_id=asset.id, from_status=asset.lifecycle_status, to_status=status, comment=comment, actor=actor
    )
    session.add(change)
    log = ChangeLog(source="manual", actor=actor, at=change.at)
    log.add(asset.id, "lifecycle_status", asset.lifecycle_status, status)
    log.flush(session)
    asset.lifecycle_status = status
    asset.updated_at = change.at
    session.flush()
    return change


def add_document(
    *,
    session: Session,
    asset: Asset,
    kind: DocumentKind,
    filename: str,
    content_type: str,
    content: bytes,
    actor: str,
) -> AssetDocument:
    if not content:
        raise Invalid("the document is empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise Invalid(f"documents are limited to {MAX_DOCUMENT_BYTES // 2**20} MB")
    document = AssetDocument(
        asset_id=asset.id,
        kind=kind,
        filename=filename[:255] or "document",
        content_type=content_type[:100] or "application/octet-stream",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor,
    )
    session.add(document)
    log = ChangeLog(source="manual", actor=actor, at=document.uploaded_at)
    log.add(asset.id, "document", None, f"{kind}: {document.filename}")
    log.flush(session)
    session.flush()
    return document


def get_document(*, session: Session, asset: Asset, document_id: int) -> AssetDocument:
    document = session.get(AssetDocument, document_id)
    if document is None or document.asset_id != asset.id:
        raise NotFound(f"document {document_id} not found")
    return document


def components(*, session: Session, asset_id: int) -> dict[str, Any]:
    """Every component section of an asset: lists for list sections, one record for the others."""
    out: dict[str, Any] = {}
    for section, table in COMPONENT_TABLES.items():
        rows = session.execute(select(table).where(table.c.asset_id == asset_id).order_by(table.c.id)).all()
        records = [{k: v for k, v in r._mapping.items() if k not in ("asset_id",)} for r in rows]
        if table.c.asset_id.unique:
            out[section] = records[0] if records else None
        else:
            out[section] = records
    return out


def detail(*, session: Session, asset: Asset, history_limit: int = 500) -> dict[str, Any]:
    return {
        **asset.model_dump(),
        "os": asset.os_label,
        "components": components(session=session, asset_id=asset.id),
        "sources": session.scalars(
            select(InventorySource).where(InventorySource.asset_id == asset.id).order_by(InventorySource.id)
        ).all(),
        "history": session.scalars(
            select(AssetChange)
            .where(AssetChange.asset_id == asset.id)
            .order_by(AssetChange.at.desc(), AssetChange.id.desc())
            .limit(history_limit)
        ).all(),
        # The latest events grouped (what the asset page shows), and how many there are in all.
        "history_groups": (grouped := history_groups(session=session, asset_id=asset.id))[0],
        "history_events": grouped[1],
        "status_history": session.scalars(
            select(AssetStatusChange).where(AssetStatusChange.asset_id == asset.id).order_by(AssetStatusChange.id)
        ).all(),
        "documents": session.scalars(
            select(AssetDocument).where(AssetDocument.asset_id == asset.id).order_by(AssetDocument.id)
        ).all(),
        "merges": session.scalars(
            select(AssetMerge)
            .where((AssetMerge.target_id == asset.id) | (AssetMerge.merged_asset_id == asset.id))
            .order_by(AssetMerge.id)
        ).all(),
    }


# -- history ----------------------------------------------------------------------------------


def _history_filter(asset_id: int, field: str | None) -> list[Any]:
    """The asset's rows; with ``field``, those of that field, or of that section (``softwares``:
    its items added, removed and updated; ``hardware``: its fields)."""
    where: list[Any] = [AssetChange.asset_id == asset_id]
    if field:
        escaped = field.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(or_(AssetChange.field == field, AssetChange.field.like(f"{escaped}[%", escape="\\"),
                         AssetChange.field.like(f"{escaped}.%", escape="\\")))  # fmt: skip
    return where


def history(*, session: Session, asset_id: int, offset: int = 0, limit: int = 50,
            field: str | None = None) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """The asset's history rows, newest first, and how many there are."""
    statement = select(AssetChange).where(*_history_filter(asset_id, field))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.scalars(
        statement.order_by(AssetChange.at.desc(), AssetChange.id.desc()).offset(offset).limit(limit)
    ).all()
    return [change_history.line(row) for row in rows], total


def _labelled(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each section group's label and its fields' labels, in every language (``{"fr": ..., "en": ...}``)."""
    for event in events:
        for group in event["sections"]:
            section = group["section"]
            keys = {change["key"] or change["field"] for change in group["changes"]}
            if section == change_history.ASSET:
                group["labels"] = dict(ASSET_RECORD)
                group["fields"] = {k: HISTORY_WORDS.get(k) or {lang: asset_field_label(k, lang) for lang in LANGUAGES}
                                   for k in keys}  # fmt: skip
            else:
                group["labels"] = {lang: section_label(section, lang) for lang in LANGUAGES}
                group["fields"] = {k: {lang: field_label(section, k, lang) for lang in LANGUAGES} for k in keys}
    return events


def history_groups(*, session: Session, asset_id: int, offset: int = 0, limit: int = HISTORY_EVENTS_SHOWN,
                   field: str | None = None) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """The asset's history per event (an inventory, an edit: one ``at``, source and actor), newest
    first, each with its rows grouped per section and counted (added, removed, updated); and how
    many events there are. Paged by event: a page holds every row of its events."""
    where = _history_filter(asset_id, field)
    last = func.max(AssetChange.id).label("last")
    events = (
        select(AssetChange.at, AssetChange.source, AssetChange.actor, last)
        .where(*where)
        .group_by(AssetChange.at, AssetChange.source, AssetChange.actor)
    )
    total = session.scalar(select(func.count()).select_from(events.subquery())) or 0
    keys = [tuple(row)[:3] for row in session.execute(events.order_by(AssetChange.at.desc(), last.desc())
                                                       .offset(offset).limit(limit))]  # fmt: skip
    if not keys:
        return [], total
    rows = session.scalars(
        select(AssetChange).where(*where, AssetChange.at.in_(sorted({key[0] for key in keys}))).order_by(AssetChange.id)
    ).all()
    return _labelled(change_history.group(keys, rows)), total  # type: ignore[arg-type]


def source_report(*, session: Session, asset: Asset, source_id: int) -> dict[str, Any]:
    source = session.get(InventorySource, source_id)
    if source is None or source.asset_id != asset.id:
        raise NotFound(f"source {source_id} not found on asset {asset.id}")
    shown = sorted(name for name, (shown_by, *_rest) in (asset.section_hashes or {}).items() if shown_by == source.id)
    kept = session.scalars(select(SourceSection).where(SourceSection.source_id == source.id)).all()
    return {"source": source, "shown": shown, "kept": {doc.section: doc.content for doc in kept}}
