"""Allocation pages: the keys' values per member (J+1), their history, what is behind a figure,
the year's pools, totals and statements, and the year closure (administrators)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import Session

from server.allocation import closure, forms, imports, keys, labels, mappings, pools
from server.allocation.models import (
    CostPool,
    KeySnapshot,
    KeySource,
    MappingKind,
    PoolModel,
    StatementVersion,
    StorageMapping,
)
from server.allocation.rounding import Rounding
from server.allocation.schemas import MappingIn
from server.allocation.statements import allocate
from server.api.deps import SessionDep, SettingsDep
from server.assets.models import Asset
from server.audit.requests import capture_body
from server.core.errors import Invalid, NotFound
from server.tenancy.models import Member

from .auth import PagePrincipal, PageScope
from .csrf import csrf_protect
from .pages import language, members_of, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
HISTORY_DAYS = 60
IMPORT_MAX = 5 * 1024 * 1024


@router.get("/allocation")
def allocation_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                    scope: PageScope, year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                    key: str | None = None) -> HTMLResponse:  # fmt: skip
    year = year or default_year(session)
    members = members_of(session, scope)
    measurer = keys.Measurer(session, settings.stale_days)
    all_keys = keys.all_keys(session)
    values = {k.code: keys.year_values(session, k, year, measurer) for k in all_keys}
    lang = language(request, settings)
    bases = {k.code: keys.year_basis(session, k, year, measurer) for k in all_keys}
    # a past (or future) year shown with another day's measurement says so, key by key
    elsewhere = {code: basis.describe(lang, year) for code, basis in bases.items() if basis.other_day(year)}
    titles = {k.code: k.name for k in all_keys}
    grouped: dict[str, list[str]] = defaultdict(list)  # one line per origin: the keys it concerns
    for code, note in elsewhere.items():
        grouped[note].append(titles[code])
    chosen = next((k for k in all_keys if k.code == key), all_keys[0] if all_keys else None)
    history: list[tuple[str, float]] = []
    if chosen is not None:  # the chosen key's total per snapshot day (the member's own for a reader)
        statement = scope.filter(select(KeySnapshot.day, func.sum(KeySnapshot.value))
                                 .where(KeySnapshot.key_id == chosen.id), KeySnapshot.member_id)  # fmt: skip
        days = session.execute(statement.group_by(KeySnapshot.day).order_by(KeySnapshot.day.desc())
                               .limit(HISTORY_DAYS)).all()  # fmt: skip
        history = [(day.strftime("%d/%m"), float(total)) for day, total in reversed(days)]
    result = allocate(session, year, settings.stale_days)
    totals = {m: v for m, v in result.totals.items() if m in members}
    shared = [r for r in result.pools if scope.member_id is None or set(members) & set(r.allocation.shares)]
    pools = [(r.pool, r.allocation.total, {m: s.amount for m, s in r.allocation.shares.items() if m in members},
              r.basis.describe(lang, year) if r.basis and r.basis.other_day(year) else None)
             for r in shared]  # fmt: skip
    # A member sees the invoices it issues or owes, never those between two other members.
    visible = [pair for pair in sorted(result.invoices) if scope.member_id in (None, *pair)]
    involved = {member for pair in visible for member in pair}
    names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(involved))).all())  # type: ignore[attr-defined]
    invoices = [(names[issuer], names[debtor], result.invoices[(issuer, debtor)]) for issuer, debtor in visible]
    published = session.execute(select(StatementVersion.member_id, StatementVersion.version)
                                .where(StatementVersion.year == year)
                                .order_by(StatementVersion.version)).all()  # fmt: skip
    drafts = closure.draft_versions(session, year)
    versions: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for member_id, number in published:
        if member_id in members:
            versions[member_id].append((number, number in drafts))
    return render(request, settings, "allocation.html", principal, year=year, members=members, all_keys=all_keys,
                  values=per_member_values(values), chosen=chosen, history=history, totals=totals, pools=pools,
                  invoices=invoices, closed=keys.is_closed(session, year), measured=KeySource.MEASURED,
                  versions=versions, al=labels.words(lang), elsewhere=elsewhere, grouped=grouped,
                  this_year=dt.date.today().year,
                  snapshot_day=snapshot_day(year), next_version=max(drafts | {n for _, n in published}, default=0) + 1,
                  key_names={k.code: k.name for k in all_keys}, models=[m.value for m in PoolModel])  # fmt: skip


def snapshot_day(year: int) -> dt.date | None:
    """The day a snapshot taken now for ``year`` is dated: today in the current year, December 31st
    of a past year (measured today, and said so), none for a future year."""
    today = dt.date.today()
    if year > today.year:
        return None
    return today if year == today.year else dt.date(year, 12, 31)


def default_year(session: Session) -> int:
    """This year, or if it has no pool yet the last year that has (what the DSIT is settling)."""
    this_year = dt.date.today().year
    years = session.scalars(select(CostPool.year).where(CostPool.year <= this_year).distinct()).all()
    return this_year if not years or this_year in years else max(years)


@router.get("/allocation/keys/{code}")
def key_assets_page(code: str, request: Request, session: SessionDep, settings: SettingsDep,
                    principal: PagePrincipal, scope: PageScope, member_id: int,
                    year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> HTMLResponse:  # fmt: skip
    """What is behind a member's figure: the assets counted, or the volumes measured. For a
    ``year``: the year's value and where it comes from, beside what is counted today (a snapshot
    keeps the figure, not the list)."""
    scope.check(member_id, "member")
    key = keys.key_by_code(session, code)
    measurer = keys.Measurer(session, settings.stale_days)
    year_value = basis = None
    frozen: list[Any] | None = None  # a closed year: what its figure counted at the closure
    if year is not None:
        year_value = keys.year_values(session, key, year, measurer).get(member_id)
        basis = keys.year_basis(session, key, year, measurer).describe(language(request, settings), year)
        if keys.is_closed(session, year) and key.source is KeySource.MEASURED:
            frozen = keys.frozen_items(session, key, year, member_id)
    assets, volumes = [], []
    if key.source is KeySource.MEASURED:
        behind = measurer.behind(key, member_id)
        if behind is not None:
            volumes = behind
        else:
            assets = measurer.assets(key, member_id)
    member = members_of(session, scope).get(member_id)
    return render(request, settings, "key_assets.html", principal, key=key, assets=assets, volumes=volumes,
                  member=member, value=measurer.values(key).get(member_id), year=year, year_value=year_value,
                  basis=basis, today=measurer.day, frozen=frozen,
                  al=labels.words(language(request, settings)))  # fmt: skip


@router.post("/allocation/close")
def close_year(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
               year: Annotated[int, Form(ge=2000, le=2100)],
               before_year_end: Annotated[bool, Form()] = False) -> RedirectResponse:  # fmt: skip
    principal.require_admin()
    closure.close(session, year, principal.username, settings.stale_days, before_year_end=before_year_end)
    return RedirectResponse(f"/allocation?year={year}", status_code=303)


@router.post("/allocation/reopen")
def reopen_year(request: Request, session: SessionDep, principal: PagePrincipal,
                year: Annotated[int, Form(ge=2000, le=2100)],
                reason: Annotated[str, Form()] = "") -> RedirectResponse:  # fmt: skip
    principal.require_admin()
    closure.reopen(session, year, principal.username, reason)
    return RedirectResponse(f"/allocation?year={year}", status_code=303)


@router.post("/allocation/snapshot")
def take_snapshot(session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                  year: Annotated[int, Form(ge=2000, le=2100)]) -> RedirectResponse:  # fmt: skip
    """Record every key's value for the year now: today for this year, December 31st for a past
    one (the page then says it was measured today); 409 for a closed year."""
    principal.require_admin()
    day = snapshot_day(year)
    if day is None:
        raise Invalid(f"year {year} has not begun: nothing to snapshot")
    keys.take_snapshot(session, day, settings.stale_days)
    return RedirectResponse(f"/allocation?year={year}", status_code=303)


@router.post("/allocation/publish")
def publish_statements(session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                       year: Annotated[int, Form(ge=2000, le=2100)],
                       note: Annotated[str, Form(max_length=2000)] = "") -> RedirectResponse:  # fmt: skip
    """Publish a draft ("provisoire") version of every statement of an open year (the closure
    publishes the final one)."""
    principal.require_admin()
    closure.publish(session, year, principal.username, settings.stale_days, draft=True, note=note)
    return RedirectResponse(f"/allocation?year={year}#member-totals", status_code=303)


def per_member_values(values: dict[str, dict[int, Decimal]]) -> dict[int, dict[str, Decimal]]:
    rows: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for code, by_member in values.items():
        for member, value in by_member.items():
            rows[member][code] = value
    return rows


# -- pools, key imports (administrators and DSIT staff) --------------------------------------


def _pool_form(request: Request, session: Session, settings: SettingsDep, principal: PagePrincipal,
               pool: CostPool | None, year: int, model: str) -> HTMLResponse:  # fmt: skip
    members = dict(session.execute(select(Member.id, Member.name).order_by(Member.name)).all())
    return render(request, settings, "allocation_pool.html", principal, pool=pool, year=year,
                  values=forms.form_values(pool, year, model), members=members, all_keys=keys.all_keys(session),
                  models=[m.value for m in PoolModel], roundings=[r.value for r in Rounding],
                  al=labels.words(language(request, settings)))  # fmt: skip


@router.get("/allocation/pools/new")
def new_pool_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                  year: Annotated[int, Query(ge=2000, le=2100)],
                  model: PoolModel = PoolModel.PRO_RATA) -> HTMLResponse:  # fmt: skip
    principal.require_admin()
    return _pool_form(request, session, settings, principal, None, year, model.value)


@router.get("/allocation/pools/{pool_id}")
def edit_pool_page(pool_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                   principal: PagePrincipal) -> HTMLResponse:  # fmt: skip
    principal.require_admin()
    pool = _pool(session, pool_id)
    return _pool_form(request, session, settings, principal, pool, pool.year, pool.model.value)


def _pool(session: Session, pool_id: int) -> CostPool:
    pool = session.get(CostPool, pool_id)
    if pool is None:
        raise NotFound(f"pool {pool_id} not found")
    return pool


@router.post("/allocation/pools")
async def create_pool(request: Request, session: SessionDep, settings: SettingsDep,
                      principal: PagePrincipal) -> RedirectResponse:  # fmt: skip
    principal.require_admin()
    created = pools.create(session, forms.pool_in(await request.form()), settings.stale_days)
    return RedirectResponse(f"/allocation?year={created.year}#pools", status_code=303)


@router.post("/allocation/pools/{pool_id}")
async def update_pool(pool_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                      principal: PagePrincipal) -> RedirectResponse:  # fmt: skip
    principal.require_admin()
    pool = pools.replace(session, _pool(session, pool_id), forms.pool_in(await request.form()), settings.stale_days)
    return RedirectResponse(f"/allocation?year={pool.year}#pools", status_code=303)


@router.post("/allocation/pools/{pool_id}/delete")
def delete_pool(pool_id: int, session: SessionDep, principal: PagePrincipal) -> RedirectResponse:
    principal.require_admin()
    pool = _pool(session, pool_id)
    year = pool.year
    pools.delete(session, pool)
    return RedirectResponse(f"/allocation?year={year}#pools", status_code=303)


@router.get("/allocation/import")
def import_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                year: Annotated[int, Query(ge=2000, le=2100)], key: str = "tickets") -> HTMLResponse:  # fmt: skip
    principal.require_dsit()
    return render(request, settings, "allocation_import.html", principal, year=year, key=key, report=None,
                  content="", reason="", all_keys=keys.all_keys(session),
                  al=labels.words(language(request, settings)))  # fmt: skip


@router.post("/allocation/import")
async def import_values(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                        year: Annotated[int, Form(ge=2000, le=2100)], key: Annotated[str, Form()],
                        file: Annotated[UploadFile | None, File()] = None,
                        content: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                        dry_run: Annotated[bool, Form()] = False) -> HTMLResponse:  # fmt: skip
    """Upload a CSV: it is checked first (dry run, shown line by line), then applied from the same
    content the check showed (kept in the page, so what is applied is what was checked)."""
    principal.require_dsit()
    data = await file.read(IMPORT_MAX + 1) if file is not None and file.filename else content.encode("utf-8")
    if len(data) > IMPORT_MAX:
        raise Invalid(f"the file is larger than {IMPORT_MAX // 2**20} MB")
    chosen = keys.key_by_code(session, key)
    report = imports.import_values(session=session, key=chosen, year=year, data=data, dry_run=dry_run,
                                   origin=file.filename if file is not None and file.filename else "page",
                                   actor=principal.username, reason=reason or None)  # fmt: skip
    text = data.decode("utf-8-sig") if _utf8(data) else data.decode("cp1252", "replace")
    return render(request, settings, "allocation_import.html", principal, year=year, key=key, report=report,
                  content=text, reason=reason, all_keys=keys.all_keys(session),
                  al=labels.words(language(request, settings)))  # fmt: skip


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# -- storage mappings (DSIT staff write; a member's reader sees its own) ----------------------


def _storage_assets(session: Session) -> dict[int, str]:
    statement = select(Asset.id, Asset.name).where(Asset.asset_type.in_(keys.STORAGE_TYPES))  # type: ignore[attr-defined]
    return {i: name or f"#{i}" for i, name in session.execute(statement.order_by(Asset.name)).all()}


def _mapping_form(form: Any) -> MappingIn:
    """The mapping form read into the API's ``MappingIn`` (422 naming the field)."""
    asset = str(form.get("asset_id") or "").strip()
    try:
        return MappingIn(member_id=int(str(form.get("member_id") or "0") or 0), pattern=str(form.get("pattern") or ""),
                         kind=str(form.get("kind") or MappingKind.PATH), asset_id=int(asset) if asset else None,
                         prefix=form.get("prefix") in ("true", "on", "1"),
                         note=str(form.get("note") or "").strip() or None)  # type: ignore[arg-type]  # fmt: skip
    except (ValueError, ValidationError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            raise Invalid(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
        raise Invalid(f"member_id, asset_id: {exc}") from None


@router.get("/allocation/storage")
def storage_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                 scope: PageScope, pattern: str = "", asset_id: int | None = None) -> HTMLResponse:  # fmt: skip
    """The storage mappings with what each matches today; the unmapped volumes (DSIT staff, who
    create, edit and delete rules here); a member's reader sees its own member's rules only."""
    members = members_of(session, scope)
    rules = session.scalars(scope.filter(select(StorageMapping), StorageMapping.member_id)
                            .order_by(StorageMapping.pattern, StorageMapping.id)).all()  # fmt: skip
    matched = mappings.matched(session, settings.stale_days)
    storage_assets = _storage_assets(session) if principal.is_dsit else {}
    return render(request, settings, "allocation_storage.html", principal, rules=rules, members=members,
                  matched=matched, unmapped=matched.get(None, []) if principal.is_dsit else [],
                  assets=storage_assets, kinds=[k.value for k in MappingKind], mapping=None,
                  values={"pattern": pattern, "asset_id": asset_id, "kind": "path", "prefix": True},
                  al=labels.words(language(request, settings)))  # fmt: skip


@router.get("/allocation/storage/{mapping_id}")
def storage_mapping_page(mapping_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                         principal: PagePrincipal) -> HTMLResponse:  # fmt: skip
    principal.require_dsit()
    mapping = session.get(StorageMapping, mapping_id)
    if mapping is None:
        raise NotFound(f"mapping {mapping_id} not found")
    members = dict(session.execute(select(Member.id, Member.name).order_by(Member.name)).all())
    return render(request, settings, "allocation_storage_edit.html", principal, mapping=mapping, members=members,
                  assets=_storage_assets(session), kinds=[k.value for k in MappingKind],
                  matched=mappings.matched(session, settings.stale_days).get(mapping.id, []),
                  al=labels.words(language(request, settings)))  # fmt: skip


@router.post("/allocation/storage")
async def create_storage_mapping(request: Request, session: SessionDep, principal: PagePrincipal) -> RedirectResponse:
    principal.require_dsit()
    mappings.save(session, None, _mapping_form(await request.form()))
    return RedirectResponse("/allocation/storage", status_code=303)


@router.post("/allocation/storage/{mapping_id}")
async def update_storage_mapping(mapping_id: int, request: Request, session: SessionDep,
                                 principal: PagePrincipal) -> RedirectResponse:  # fmt: skip
    principal.require_dsit()
    mapping = session.get(StorageMapping, mapping_id)
    if mapping is None:
        raise NotFound(f"mapping {mapping_id} not found")
    mappings.save(session, mapping, _mapping_form(await request.form()))
    return RedirectResponse("/allocation/storage", status_code=303)


@router.post("/allocation/storage/{mapping_id}/delete")
def delete_storage_mapping(mapping_id: int, session: SessionDep, principal: PagePrincipal) -> RedirectResponse:
    principal.require_dsit()
    mapping = session.get(StorageMapping, mapping_id)
    if mapping is None:
        raise NotFound(f"mapping {mapping_id} not found")
    session.delete(mapping)
    return RedirectResponse("/allocation/storage", status_code=303)
