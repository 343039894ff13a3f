from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import func, select
from sqlmodel import Session

from server.api.deps import PrincipalDep, ScopeDep, SessionDep, SettingsDep
from server.api.pagination import PageDep, count, order
from server.conflicts.service import follow_merge
from server.core.clock import utcnow
from server.core.errors import NotFound

from . import crud, csv_io, merges
from .filters import AssetFilter, AssetFilterDep
from .metrics import AssetMetric
from .models import Asset, AssetChange, AssetMerge
from .schemas import (
    AssetCreate,
    AssetDetail,
    AssetPublic,
    AssetsPublic,
    AssetUpdate,
    AssignIn,
    ChangePublic,
    DocumentPublic,
    HistoryEventPublic,
    HistoryGroupsPublic,
    HistoryLinePublic,
    HistoryPublic,
    ImportReport,
    MergeIn,
    MergePublic,
    MergesPublic,
    MetricPublic,
    SourceReport,
    StatusChangeIn,
    StatusChangePublic,
)
from .section_labels import labels_for
from .vocab import DocumentKind

router = APIRouter(tags=["assets"])

# Text is ordered case-insensitively, as people expect ("glpixps" before "Standard").
ORDERING = {
    "id": Asset.id,
    "name": func.lower(Asset.name),
    "asset_type": Asset.asset_type,
    "member_id": Asset.member_id,
    "manufacturer": func.lower(Asset.manufacturer),
    "model": func.lower(Asset.model),
    "serial": Asset.serial,
    "last_seen": Asset.last_seen,
    "first_seen": Asset.first_seen,
    "purchase_date": Asset.purchase_date,
}
Lang = Annotated[Literal["fr", "en"] | None, Query(description="language of headers and labels")]


def _public(asset: Asset) -> AssetPublic:
    return AssetPublic.model_validate({**asset.model_dump(), "os": asset.os_label})


def _stale_before(settings, days: int | None = None) -> dt.datetime:  # type: ignore[no-untyped-def]
    return utcnow() - dt.timedelta(days=days or settings.stale_days)


def _page(session: Session, statement, page, ordering: str | None) -> AssetsPublic:  # type: ignore[no-untyped-def]
    ordered = order(statement, ordering, ORDERING, [Asset.id])
    rows = session.scalars(ordered.offset(page.offset).limit(page.limit)).all()
    return AssetsPublic(data=[_public(a) for a in rows], count=count(session, statement))


@router.get("/assets", response_model=AssetsPublic)
def list_assets(
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    filters: AssetFilterDep,
    page: PageDep,
    ordering: str | None = None,
) -> AssetsPublic:
    statement = crud.list_assets(scope=scope, filters=filters, stale_before=_stale_before(settings))
    return _page(session, statement, page, ordering)


@router.get("/assets/stale", response_model=AssetsPublic)
def list_stale_assets(
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    page: PageDep,
    days: Annotated[int | None, Query(ge=1, description="defaults to MUTUPARC_STALE_DAYS")] = None,
    member_id: int | None = None,
) -> AssetsPublic:
    filters = AssetFilter(member_id=member_id, stale=True)
    statement = crud.list_assets(scope=scope, filters=filters, stale_before=_stale_before(settings, days))
    return _page(session, statement, page, "last_seen")


@router.get("/assets/export")
def export_assets(
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    filters: AssetFilterDep,
    lang: Lang = None,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The filtered list as CSV (streamed) or XLSX, labels in the chosen language."""
    from server.tenancy.models import Member, Site

    members = dict(session.execute(scope.filter(select(Member.id, Member.name), Member.id)).all())
    sites = dict(session.execute(scope.filter(select(Site.id, Site.name), Site.member_id)).all())
    statement = order(
        crud.list_assets(scope=scope, filters=filters, stale_before=_stale_before(settings)),
        None,
        ORDERING,
        [Asset.member_id, Asset.id],
    )
    rows = [
        {
            **asset.model_dump(),
            "os": asset.os_label,
            "member": members.get(asset.member_id),
            "site": sites.get(asset.site_id),
        }
        for asset in session.scalars(statement)
    ]
    language = lang or settings.language
    filename = f"mutuparc-{'actifs' if language == 'fr' else 'assets'}-{utcnow():%Y%m%d}.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "xlsx":
        return Response(csv_io.export_xlsx(rows, language), headers=disposition,
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    return StreamingResponse(csv_io.export_rows(rows, language), media_type="text/csv; charset=utf-8",
                             headers=disposition)  # fmt: skip


@router.post("/assets", response_model=AssetPublic, status_code=201)
def create_asset(asset_in: AssetCreate, session: SessionDep, principal: PrincipalDep) -> AssetPublic:
    principal.require_dsit()
    return _public(crud.create_asset(session=session, asset_in=asset_in, actor=principal.username))


@router.post("/assets/import", response_model=ImportReport)
def import_assets(
    session: SessionDep,
    scope: ScopeDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="CSV, ';' or ',' separated, French or English headers")],
    dry_run: Annotated[bool, Form()] = True,
) -> ImportReport:
    principal.require_dsit()
    data = file.file.read(csv_io.MAX_IMPORT_BYTES + 1)  # no more than that is ever read
    return csv_io.import_assets(session=session, scope=scope, data=data, dry_run=dry_run, actor=principal.username)


@router.get("/assets/{asset_id}", response_model=AssetDetail)
def get_asset(asset_id: int, session: SessionDep, scope: ScopeDep, settings: SettingsDep,
              lang: Lang = None) -> AssetDetail:  # fmt: skip
    """The asset with every inventory section its sources reported (``components``, by GLPI
    section name) and, in ``labels``, each present section's and field's label in ``lang``."""
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    detail = crud.detail(session=session, asset=asset)
    detail["labels"] = labels_for(detail["components"], lang or settings.language)
    return AssetDetail.model_validate(detail)


@router.get("/assets/{asset_id}/sources/{source_id}/report", response_model=SourceReport)
def get_source_report(asset_id: int, source_id: int, session: SessionDep, scope: ScopeDep) -> SourceReport:
    """What one source of the asset last said: the sections the asset shows from it, and its
    own report of the sections another source of higher precedence shows (kept, not lost)."""
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    return SourceReport.model_validate(crud.source_report(session=session, asset=asset, source_id=source_id))


@router.patch("/assets/{asset_id}", response_model=AssetPublic)
def update_asset(
    asset_id: int, asset_in: AssetUpdate, session: SessionDep, scope: ScopeDep, principal: PrincipalDep
) -> AssetPublic:
    principal.require_dsit()
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    changes = asset_in.model_dump(exclude_unset=True)
    return _public(crud.update_asset(session=session, asset=asset, changes=changes, actor=principal.username))


@router.delete("/assets/{asset_id}/manual-fields/{field}", response_model=AssetPublic)
def release_manual_field(asset_id: int, field: str, session: SessionDep, scope: ScopeDep,
                         principal: PrincipalDep) -> AssetPublic:  # fmt: skip
    """Let inventories set this field again: it was set by hand (edit, CSV import)."""
    principal.require_dsit()
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    return _public(crud.release_field(session=session, asset=asset, field=field, actor=principal.username))


@router.get("/assets/{asset_id}/changes", response_model=list[ChangePublic])
def list_changes(asset_id: int, session: SessionDep, scope: ScopeDep, page: PageDep) -> list[ChangePublic]:
    crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    statement = (
        select(AssetChange)
        .where(AssetChange.asset_id == asset_id)
        .order_by(AssetChange.at.desc(), AssetChange.id.desc())
        .offset(page.offset)
        .limit(page.limit)
    )
    return [ChangePublic.model_validate(c) for c in session.scalars(statement)]


def _in_language(event: dict[str, Any], language: str) -> dict[str, Any]:
    """A history event with its sections' and fields' labels in ``language``."""
    sections = [{**group, "label": group["labels"][language],
                 "fields": {key: labels[language] for key, labels in group["fields"].items()}}
                for group in event["sections"]]  # fmt: skip
    return {**event, "sections": sections}


@router.get("/assets/{asset_id}/history", response_model=HistoryPublic | HistoryGroupsPublic)
def list_history(
    asset_id: int,
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    page: PageDep,
    field: Annotated[str | None, Query(description="a field (hardware.dns) or a whole section (softwares)")] = None,
    grouped: Annotated[bool, Query(description="per inventory or edit, then per section, counted")] = False,
    lang: Lang = None,
) -> HistoryPublic | HistoryGroupsPublic:
    """The asset's whole history, newest first. Flat: one row per change, ``offset``/``limit`` over
    rows. Grouped: ``offset``/``limit`` over events (an inventory, an edit), each with every row it
    wrote, per section, with counts of items added, removed and updated."""
    crud.get_asset(session=session, scope=scope, asset_id=asset_id)  # 404 beyond the scope
    if not grouped:
        rows, total = crud.history(session=session, asset_id=asset_id, offset=page.offset, limit=page.limit,
                                   field=field)  # fmt: skip
        return HistoryPublic(data=[HistoryLinePublic.model_validate(r) for r in rows], count=total)
    language = lang or settings.language
    events, total = crud.history_groups(session=session, asset_id=asset_id, offset=page.offset, limit=page.limit,
                                        field=field)  # fmt: skip
    data = [HistoryEventPublic.model_validate(_in_language(event, language)) for event in events]
    return HistoryGroupsPublic(data=data, count=total)


@router.get("/assets/{asset_id}/metrics", response_model=list[MetricPublic])
def list_metrics(
    asset_id: int,
    session: SessionDep,
    scope: ScopeDep,
    page: PageDep,
    name: Annotated[str | None, Query(description="only this gauge, e.g. volume.used_bytes")] = None,
    since: dt.datetime | None = None,
) -> list[MetricPublic]:
    """The asset's gauges over time, newest first."""
    crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    statement = select(AssetMetric).where(AssetMetric.asset_id == asset_id)
    if name:
        statement = statement.where(AssetMetric.name == name)
    if since:
        statement = statement.where(AssetMetric.at >= since)
    statement = statement.order_by(AssetMetric.at.desc(), AssetMetric.id.desc()).offset(page.offset).limit(page.limit)
    return [MetricPublic.model_validate(m, from_attributes=True) for m in session.scalars(statement)]


@router.post("/assets/{asset_id}/status", response_model=StatusChangePublic, status_code=201)
def change_status(
    asset_id: int, change_in: StatusChangeIn, session: SessionDep, scope: ScopeDep, principal: PrincipalDep
) -> StatusChangePublic:
    principal.require_dsit()
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    change = crud.change_status(
        session=session, asset=asset, status=change_in.status, comment=change_in.comment, actor=principal.username
    )
    return StatusChangePublic.model_validate(change)


@router.post("/assets/{asset_id}/assign", response_model=AssetPublic)
def assign_asset(
    asset_id: int, assign_in: AssignIn, session: SessionDep, scope: ScopeDep, principal: PrincipalDep
) -> AssetPublic:
    """Give a quarantined (or misplaced) asset to a member."""
    principal.require_dsit()
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    changes = {"member_id": assign_in.member_id, "site_id": assign_in.site_id}
    return _public(crud.update_asset(session=session, asset=asset, changes=changes, actor=principal.username))


@router.post("/assets/{asset_id}/documents", response_model=DocumentPublic, status_code=201)
def upload_document(
    asset_id: int,
    session: SessionDep,
    scope: ScopeDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File()],
    kind: Annotated[DocumentKind, Form()] = DocumentKind.OTHER,
) -> DocumentPublic:
    principal.require_dsit()
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    content = file.file.read(crud.MAX_DOCUMENT_BYTES + 1)
    document = crud.add_document(
        session=session,
        asset=asset,
        kind=kind,
        filename=file.filename or "document",
        content_type=file.content_type or "application/octet-stream",
        content=content,
        actor=principal.username,
    )
    return DocumentPublic.model_validate(document)


@router.get("/assets/{asset_id}/documents/{document_id}")
def download_document(asset_id: int, document_id: int, session: SessionDep, scope: ScopeDep) -> Response:
    asset = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    document = crud.get_document(session=session, asset=asset, document_id=document_id)
    return Response(
        document.content,
        media_type=document.content_type,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )


@router.post("/assets/{asset_id}/merge", response_model=MergePublic, status_code=201)
def merge_asset(
    asset_id: int, merge_in: MergeIn, session: SessionDep, scope: ScopeDep, principal: PrincipalDep
) -> MergePublic:
    """Merge asset ``other_id`` into this one (two records of one machine)."""
    principal.require_admin()
    target = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    other = crud.get_asset(session=session, scope=scope, asset_id=merge_in.other_id)
    merge = merges.merge_assets(session=session, target=target, other=other, actor=principal.username)
    follow_merge(session, merged=other.id, into=target.id, actor=principal.username)
    return MergePublic.model_validate(merge)


@router.get("/asset-merges", response_model=MergesPublic)
def list_merges(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    asset_id: int | None = None,
    undone: bool | None = None,
) -> MergesPublic:
    principal.require_dsit()
    statement = select(AssetMerge).order_by(AssetMerge.id.desc())
    if asset_id is not None:
        statement = statement.where((AssetMerge.target_id == asset_id) | (AssetMerge.merged_asset_id == asset_id))
    if undone is not None:
        statement = statement.where(AssetMerge.undone_at.is_not(None) if undone else AssetMerge.undone_at.is_(None))
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return MergesPublic(data=[MergePublic.model_validate(m) for m in rows], count=count(session, statement))


@router.post("/asset-merges/{merge_id}/undo", response_model=AssetPublic)
def undo_merge(merge_id: int, session: SessionDep, principal: PrincipalDep) -> AssetPublic:
    """Undo a merge; answers the asset that was split off."""
    principal.require_admin()
    merge = session.get(AssetMerge, merge_id)
    if merge is None:
        raise NotFound(f"merge {merge_id} not found")
    return _public(merges.undo_merge(session=session, merge=merge, actor=principal.username))
