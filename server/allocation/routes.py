"""Allocation keys, storage mapping, year closure, cost pools, allocations and statements.

DSIT staff see every member; a member's reader sees its own values, statement and invoices only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, File, Path, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlmodel import Session

from server.api.deps import PrincipalDep, ScopeDep, SessionDep, SettingsDep
from server.core.errors import Conflict, Invalid, NotFound
from server.core.scope import MemberScope
from server.core.tabular import write_rows
from server.tenancy.models import Member

from . import closure, exports, imports, keys, mappings, organic, pools, tables
from .models import (
    AllocationKey,
    ClosureEvent,
    CostPool,
    KeySnapshot,
    KeySource,
    StatementVersion,
    StorageMapping,
    YearClosure,
)
from .schemas import (
    AllocationOut,
    ComparisonOut,
    CountedAsset,
    DiscrepancyOut,
    InvoiceOut,
    KeyIn,
    KeyPublic,
    KeyValue,
    KeyValues,
    MappingIn,
    MappingPublic,
    PoolAllocation,
    PoolIn,
    PoolPublic,
    PublishedOut,
    ReopenIn,
    ShareOut,
    SnapshotPoint,
    StatementVersionOut,
    VolumePublic,
    YearState,
)
from .statements import YearAllocation, allocate

# Years the allocation deals in: a year 10000 (or 2**70) is a typo, refused with 422.
YearPath = Annotated[int, Path(ge=1990, le=2200)]
YearQuery = Annotated[int, Query(ge=1990, le=2200)]

router = APIRouter(tags=["allocation"])
T = TypeVar("T")
MAX_UPLOAD = 5 * 1024 * 1024
Lang = Annotated[Literal["fr", "en"] | None, Query(description="language of the export (default: the server's)")]


def _members(session: Session, scope: MemberScope) -> dict[int, str]:
    return {m.id: m.name for m in session.scalars(scope.filter(select(Member), Member.id))}  # type: ignore[misc]


def _values(values: dict[int, object], names: dict[int, str]) -> list[KeyValue]:
    ordered = sorted((m for m in values if m in names), key=lambda m: names[m])
    return [KeyValue(member_id=m, member=names[m], value=values[m]) for m in ordered]  # type: ignore[arg-type]


def _get(session: Session, model: type[T], object_id: int, what: str) -> T:
    found = session.get(model, object_id)
    if found is None:
        raise NotFound(f"{what} {object_id} not found")
    return found


async def _read(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise Invalid(f"the file is larger than {MAX_UPLOAD // 2**20} MB")
    return data


# -- keys -----------------------------------------------------------------------------------


@router.get("/keys", response_model=list[KeyPublic])
def list_keys(session: SessionDep, scope: ScopeDep) -> list[AllocationKey]:
    return keys.all_keys(session)


@router.post("/keys", response_model=KeyPublic, status_code=201)
def create_key(key_in: KeyIn, session: SessionDep, principal: PrincipalDep) -> AllocationKey:
    principal.require_admin()
    keys.ensure_default_keys(session)
    if session.scalars(select(AllocationKey).where(AllocationKey.code == key_in.code)).first():
        raise Conflict(f"a key {key_in.code!r} exists already")
    key = AllocationKey(
        **key_in.model_dump(exclude={"asset_types", "categories"}),
        asset_types=[str(t) for t in key_in.asset_types],
        categories=[str(c) for c in key_in.categories],
    )
    session.add(key)
    session.flush()
    return key


@router.get("/keys/{code}/values", response_model=KeyValues)
def key_values(
    code: str, session: SessionDep, scope: ScopeDep, settings: SettingsDep, year: YearQuery | None = None
) -> KeyValues:
    """The key per member: for ``year`` (frozen, imported, or its last snapshot), else measured now."""
    key = keys.key_by_code(session, code)
    names = _members(session, scope)
    measurer = keys.Measurer(session, settings.stale_days)
    if year is None:
        values, basis = (
            (measurer.values(key), "measured")
            if key.source is KeySource.MEASURED
            else (keys.imported_values(session, key, dt.date.today().year), "imported")
        )
        provenance = None
    else:
        values = keys.year_values(session, key, year, measurer)
        basis = "frozen" if keys.is_closed(session, year) else key.source.value
        provenance = keys.year_basis(session, key, year, measurer)
    data = _values(values, names)  # type: ignore[arg-type]
    return KeyValues(
        key=code,
        year=year,
        basis=basis,
        provenance=provenance.kind if provenance else None,
        day=provenance.day if provenance else None,
        note=provenance.describe(settings.language, year) if provenance and year else None,
        data=data,
        total=sum((v.value for v in data), 0),  # type: ignore[arg-type]
    )


@router.get("/keys/{code}/assets", response_model=list[CountedAsset] | list[VolumePublic])
def key_assets(
    code: str, member_id: int, session: SessionDep, scope: ScopeDep, settings: SettingsDep
) -> list[CountedAsset] | list[VolumePublic]:
    """What is behind a member's figure: the assets counted, or the volumes measured."""
    scope.check(member_id, "member")
    key = keys.key_by_code(session, code)
    measurer = keys.Measurer(session, settings.stale_days)
    if key.source is KeySource.IMPORTED:
        return []
    behind = measurer.behind(key, member_id)
    if behind is not None:
        return [_volume(v) for v in behind]
    return [
        CountedAsset(
            id=a.id,
            name=a.name,
            asset_type=a.asset_type,
            category=a.category,
            site_id=a.site_id,
            serial=a.serial,
            last_seen=a.last_seen,
        )
        for a in measurer.assets(key, member_id)
    ]  # type: ignore[arg-type]


@router.get("/keys/{code}/history", response_model=list[SnapshotPoint])
def key_history(
    code: str,
    session: SessionDep,
    scope: ScopeDep,
    member_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[KeySnapshot]:
    """The daily snapshots of the key (J+1 dashboards)."""
    key = keys.key_by_code(session, code)
    statement = scope.filter(select(KeySnapshot).where(KeySnapshot.key_id == key.id), KeySnapshot.member_id)
    if member_id is not None:
        statement = statement.where(KeySnapshot.member_id == member_id)
    if since:
        statement = statement.where(KeySnapshot.day >= since)
    if until:
        statement = statement.where(KeySnapshot.day <= until)
    return list(session.scalars(statement.order_by(KeySnapshot.day, KeySnapshot.member_id).limit(50_000)))


@router.post("/keys/{code}/import", response_model=imports.ValuesReport)
async def import_key_values(
    code: str,
    year: YearQuery,
    session: SessionDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="CSV: Membre;Valeur")],
    dry_run: bool = False,
    reason: Annotated[
        str | None, Query(max_length=2000, description="measured keys: why the measurement is overridden")
    ] = None,
) -> imports.ValuesReport:
    """Tickets, population, staff... per member for any open year, from a CSV (checked line by line);
    a measured key's values too (storage GB of a past year...) when the DSIT overrides the
    measurement, with a ``reason`` shown on the statements. A dry run is refused as the import is."""
    principal.require_dsit()
    key = keys.key_by_code(session, code)
    return imports.import_values(
        session=session,
        key=key,
        year=year,
        data=await _read(file),
        dry_run=dry_run,
        origin=file.filename,
        actor=principal.username,
        reason=reason,
    )


@router.post("/keys/snapshots")
def take_snapshot(
    session: SessionDep, principal: PrincipalDep, settings: SettingsDep, day: dt.date | None = None
) -> dict[str, object]:
    """Store every key's value per member for ``day`` (default: today); re-running replaces it."""
    principal.require_admin()
    day = day or dt.date.today()
    return {"day": day, "values": keys.take_snapshot(session, day, settings.stale_days)}


# -- storage mapping -----------------------------------------------------------------------


def _volume(volume: keys.Volume) -> VolumePublic:
    return VolumePublic(
        asset_id=volume.asset_id,
        asset_name=volume.asset_name,
        owner_id=volume.owner_id,
        mount=volume.mount,
        label=volume.label,
        used_gb=volume.used_gb,
        member_id=volume.member_id,
        mapping_id=volume.mapping_id,
        kind=volume.kind,
        tags=list(volume.tags),
    )


@router.get("/storage/volumes", response_model=list[VolumePublic])
def storage_volumes(
    session: SessionDep, principal: PrincipalDep, settings: SettingsDep, unmapped: bool | None = None
) -> list[VolumePublic]:
    """Volumes of NAS, SAN and servers with the member each is mapped to (``unmapped=true``: the rest)."""
    principal.require_dsit()
    found = keys.Measurer(session, settings.stale_days).volumes
    if unmapped is not None:
        found = [v for v in found if (v.member_id is None) == unmapped]
    return [_volume(v) for v in found]


@router.get("/storage/mappings", response_model=list[MappingPublic])
def list_mappings(session: SessionDep, principal: PrincipalDep) -> list[StorageMapping]:
    principal.require_dsit()
    return list(session.scalars(select(StorageMapping).order_by(StorageMapping.pattern)))


@router.post("/storage/mappings", response_model=MappingPublic, status_code=201)
def create_mapping(mapping_in: MappingIn, session: SessionDep, principal: PrincipalDep) -> StorageMapping:
    """Give the volumes, shares or guests a pattern matches to a member (422 naming the field for an
    unknown member or asset, a NAS-less asset, or a pattern its kind cannot match; 409 for a duplicate)."""
    principal.require_dsit()
    return mappings.save(session, None, mapping_in)


@router.put("/storage/mappings/{mapping_id}", response_model=MappingPublic)
def replace_mapping(
    mapping_id: int, mapping_in: MappingIn, session: SessionDep, principal: PrincipalDep
) -> StorageMapping:
    principal.require_dsit()
    return mappings.save(session, _get(session, StorageMapping, mapping_id, "mapping"), mapping_in)


@router.delete("/storage/mappings/{mapping_id}", status_code=204)
def delete_mapping(mapping_id: int, session: SessionDep, principal: PrincipalDep) -> None:
    principal.require_dsit()
    session.delete(_get(session, StorageMapping, mapping_id, "mapping"))


# -- years ----------------------------------------------------------------------------------


def _year_state(session: Session, year: int) -> YearState:
    closure = session.get(YearClosure, year) or YearClosure(year=year)
    events = session.scalars(select(ClosureEvent).where(ClosureEvent.year == year).order_by(ClosureEvent.id))
    history = [{"action": e.action, "actor": e.actor, "reason": e.reason, "at": e.at} for e in events]
    return YearState(
        year=year, closed=closure.closed, closed_at=closure.closed_at, closed_by=closure.closed_by, events=history
    )


@router.get("/years/{year}", response_model=YearState)
def year_state(year: YearPath, session: SessionDep, principal: PrincipalDep) -> YearState:
    return _year_state(session, year)


@router.post("/years/{year}/close", response_model=YearState)
def close_year(
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    before_year_end: Annotated[bool, Query(description="confirm closing the year before December 31st")] = False,
) -> YearState:
    """Validate the year's key values: they are frozen, later changes do not alter them, and every
    member's statement is published as its next numbered version. While closed, every write on the
    year's pools, key values and statements answers 409."""
    principal.require_admin()
    closure.close(session, year, principal.username, settings.stale_days, before_year_end=before_year_end)
    return _year_state(session, year)


@router.post("/years/{year}/reopen", response_model=YearState)
def reopen_year(year: YearPath, reopen_in: ReopenIn, session: SessionDep, principal: PrincipalDep) -> YearState:
    """Reopen a closed year (recorded with who and why)."""
    principal.require_admin()
    closure.reopen(session, year, principal.username, reopen_in.reason)
    return _year_state(session, year)


# -- pools and allocations ------------------------------------------------------------------


@router.get("/pools", response_model=list[PoolPublic])
def list_pools(year: int, session: SessionDep, principal: PrincipalDep) -> list[CostPool]:
    principal.require_dsit()
    return list(session.scalars(select(CostPool).where(CostPool.year == year).order_by(CostPool.position, CostPool.id)))


@router.post("/pools", response_model=PoolPublic, status_code=201)
def create_pool(pool_in: PoolIn, session: SessionDep, principal: PrincipalDep, settings: SettingsDep) -> CostPool:
    """A cost pool of an open year; its model's parameters are checked, and it must split (every
    member's population in a tier...): 422 naming the field otherwise, 409 if the year is closed."""
    principal.require_admin()
    return pools.create(session, pool_in, settings.stale_days)


@router.put("/pools/{pool_id}", response_model=PoolPublic)
def replace_pool(
    pool_id: int, pool_in: PoolIn, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> CostPool:
    principal.require_admin()
    return pools.replace(session, _get(session, CostPool, pool_id, "pool"), pool_in, settings.stale_days)


@router.delete("/pools/{pool_id}", status_code=204)
def delete_pool(pool_id: int, session: SessionDep, principal: PrincipalDep) -> None:
    principal.require_admin()
    pools.delete(session, _get(session, CostPool, pool_id, "pool"))


def _visible(member_ids: Iterable[int], scope: MemberScope) -> set[int]:
    return {m for m in member_ids if scope.can_see(m)}


@router.get("/allocation/{year}", response_model=AllocationOut)
def year_allocation(year: YearPath, session: SessionDep, scope: ScopeDep, settings: SettingsDep) -> AllocationOut:
    """Every pool split among the members, their totals, and the invoices between them."""
    result = allocate(session, year, settings.stale_days)
    names = result.members
    seen = _visible(names, scope)
    pools = [
        PoolAllocation(
            pool_id=r.pool.id,  # type: ignore[arg-type]
            pool=r.pool.name,
            amount=r.pool.amount,
            advanced_by_id=r.pool.advanced_by_id if r.pool.advanced_by_id in seen else None,
            key=r.pool.key_code,
            rounding=r.pool.rounding,
            total=r.allocation.total,
            basis=r.basis.describe(settings.language, year) if r.basis and r.basis.other_day(year) else None,
            shares=[
                ShareOut(member_id=m, member=names[m], value=s.weight, percent=s.percent, amount=s.amount)
                for m, s in r.allocation.shares.items()
                if m in seen
            ],
        )
        for r in result.pools
        if scope.member_id is None or seen & set(r.allocation.shares)  # a reader: the pools their member shares
    ]
    invoices = [
        InvoiceOut(issuer_id=i, issuer=names[i], debtor_id=d, debtor=names[d], amount=a)
        for (i, d), a in result.invoices.items()
        if i in seen or d in seen
    ]
    totals = [KeyValue(member_id=m, member=names[m], value=v) for m, v in result.totals.items() if m in seen]
    return AllocationOut(year=year, closed=keys.is_closed(session, year), pools=pools, totals=totals, invoices=invoices)


def _csv_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/allocation/{year}/table")
def allocation_table(
    year: YearPath, session: SessionDep, principal: PrincipalDep, settings: SettingsDep, lang: Lang = None
) -> Response:
    """The allocation as a CSV of cells (parts, totals, invoices), the format ``compare`` reads back."""
    principal.require_dsit()
    lines = tables.export_lines(allocate(session, year, settings.stale_days), lang or settings.language)
    return _csv_response(write_rows(lines), f"repartition-{year}.csv")


@router.post("/allocation/{year}/compare", response_model=ComparisonOut)
async def compare_table(
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV: type;membre;poste;débiteur;montant")],
) -> ComparisonOut:
    """Compare a hand-made allocation table with the computed one: every cell that differs."""
    principal.require_dsit()
    differences, unreadable = tables.compare(allocate(session, year, settings.stale_days), await _read(file))
    found = [
        DiscrepancyOut(
            line=d.line,
            kind=d.cell.kind,
            member=d.cell.member,
            pool=d.cell.pool,
            debtor=d.cell.debtor,
            expected=d.expected,
            found=d.found,
            problem=d.problem,
            description=d.cell.describe(d.problem),
        )
        for d in differences
    ]
    return ComparisonOut(year=year, unreadable=unreadable, differences=found)


STATEMENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/allocation/{year}/statements")
def all_statements(year: YearPath, session: SessionDep, principal: PrincipalDep, settings: SettingsDep,
                   format: Literal["csv", "pdf"] = "pdf", lang: Lang = None) -> Response:  # fmt: skip
    """Every member's statement in one file: a PDF with a page per member, or one CSV after another."""
    principal.require_dsit()
    allocation = allocate(session, year, settings.stale_days)
    language = lang or settings.language
    items = [exports.statement(allocation, member, language) for member in allocation.members]
    if format == "pdf":
        data = exports.to_pdf_many(items, language)
    else:
        data = b"\r\n".join(exports.to_csv(item, language).removeprefix(b"\xef\xbb\xbf") for item in items)
        data = b"\xef\xbb\xbf" + data
    return Response(data, media_type=STATEMENT_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="releves-{year}.{format}"'})  # fmt: skip


@router.get("/allocation/{year}/statements/{member_id}")
def member_statement(
    year: YearPath,
    member_id: int,
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    format: Literal["json", "csv", "xlsx", "pdf"] = "json",
    lang: Lang = None,
) -> object:
    """A member's contribution statement for the year: each pool, key value, percentage, amount."""
    scope.check(member_id, "member")
    member = _get(session, Member, member_id, "member")
    allocation: YearAllocation = allocate(session, year, settings.stale_days)
    language = lang or settings.language
    return _statement_answer(exports.statement(allocation, member_id, language, member.name), format, language)


def _statement_answer(item: exports.Statement, format: str, language: str, version: int | None = None) -> object:
    if format == "json":
        return {
            "year": item.year,
            "member": item.member,
            "version": version,
            "total": item.total,
            "issued": item.issued,
            "received": item.received,
            "notes": item.notes,
            "draft": item.draft,
            "lines": [
                dict(zip(("pool", "key", "value", "percent", "amount"), line, strict=True)) for line in item.lines
            ],
        }
    data = {"csv": exports.to_csv, "xlsx": exports.to_xlsx, "pdf": exports.to_pdf}[format](item, language)
    suffix = f"-v{version}" if version else ""
    filename = f"releve-{item.year}-{item.member}{suffix}.{format}".replace(" ", "-")
    return Response(
        data, media_type=STATEMENT_TYPES[format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/allocation/{year}/statements/{member_id}/versions", response_model=list[StatementVersionOut])
def statement_versions(
    year: YearPath, member_id: int, session: SessionDep, scope: ScopeDep
) -> list[StatementVersionOut]:
    """The versions of the member's statement published at each closure of the year (v1, v2...)."""
    scope.check(member_id, "member")
    return [
        StatementVersionOut(
            version=v.version,
            published_at=v.published_at,
            published_by=v.published_by,
            total=v.content[closure.LANGUAGES[0]]["total"],
            draft=closure.is_draft(v),
        )
        for v in closure.versions(session, year, member_id)
    ]


@router.get("/allocation/{year}/statements/{member_id}/version")
def statement_version(
    year: YearPath,
    member_id: int,
    number: Annotated[int, Query(ge=1, description="the version: 1, 2...")],
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    format: Literal["json", "csv", "xlsx", "pdf"] = "json",
    lang: Lang = None,
) -> object:
    """A published version of the statement, exactly as it was when the year was closed."""
    scope.check(member_id, "member")
    language = lang or settings.language
    stored: StatementVersion = closure.version(session, year, member_id, number)
    return _statement_answer(closure.load(stored, language), format, language, version=number)


@router.get("/allocation/{year}/statements/{member_id}/diff")
def statement_diff(
    year: YearPath,
    member_id: int,
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    before: Annotated[int, Query(alias="from", ge=1)],
    after: Annotated[int, Query(alias="to", ge=1)],
    lang: Lang = None,
) -> dict[str, object]:
    """What changed in the member's statement between two published versions."""
    scope.check(member_id, "member")
    language = lang or settings.language
    old, new = (closure.load(closure.version(session, year, member_id, n), language) for n in (before, after))
    return {"year": year, "member": new.member, "from": before, "to": after, "changes": closure.diff(old, new)}


@router.post("/allocation/{year}/statements/publish", response_model=PublishedOut)
def publish_statements(
    year: YearPath,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    note: Annotated[str | None, Query(max_length=2000, description="why this draft (recorded)")] = None,
) -> PublishedOut:
    """Publish every member's statement of an open year as its next version, marked draft
    ("provisoire"): kept and downloadable like the closure's, which alone is final (409 once closed)."""
    principal.require_admin()
    number = closure.publish(session, year, principal.username, settings.stale_days, draft=True, note=note)
    return PublishedOut(year=year, version=number, draft=True)


@router.get("/members/{member_id}/organic-description")
def organic_description(
    member_id: int,
    session: SessionDep,
    scope: ScopeDep,
    settings: SettingsDep,
    year: int | None = None,
    format: Literal["json", "csv"] = "json",
) -> object:
    """Seed 002's questionnaire for the member, per site, filled from the inventory."""
    scope.check(member_id, "member")
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"member {member_id} not found")
    description = organic.describe(session, member, settings.stale_days, year)
    if format == "csv":
        return _csv_response(organic.to_csv(description), f"description-organique-{member.name}.csv".replace(" ", "-"))
    return description
