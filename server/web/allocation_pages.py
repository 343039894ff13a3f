"""Allocation pages: the keys' values per member (J+1), their history, what is behind a figure,
the year's pools, totals and statements, and the year closure (administrators)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select
from sqlmodel import Session

from server.allocation import closure, forms, imports, keys, labels, pools
from server.allocation.models import CostPool, KeySnapshot, KeySource, PoolModel, StatementVersion
from server.allocation.rounding import Rounding
from server.allocation.statements import allocate
from server.api.deps import SessionDep, SettingsDep
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
    pools = [(r.pool, r.allocation.total, {m: s.amount for m, s in r.allocation.shares.items() if m in members})
             for r in shared]  # fmt: skip
    # A member sees the invoices it issues or owes, never those between two other members.
    visible = [pair for pair in sorted(result.invoices) if scope.member_id in (None, *pair)]
    involved = {member for pair in visible for member in pair}
    names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(involved))).all())  # type: ignore[attr-defined]
    invoices = [(names[issuer], names[debtor], result.invoices[(issuer, debtor)]) for issuer, debtor in visible]
    published = session.execute(select(StatementVersion.member_id, StatementVersion.version)
                                .where(StatementVersion.year == year)
                                .order_by(StatementVersion.version)).all()  # fmt: skip
    versions: dict[int, list[int]] = defaultdict(list)
    for member_id, number in published:
        if member_id in members:
            versions[member_id].append(number)
    return render(request, settings, "allocation.html", principal, year=year, members=members, all_keys=all_keys,
                  values=per_member_values(values), chosen=chosen, history=history, totals=totals, pools=pools,
                  invoices=invoices, closed=keys.is_closed(session, year), measured=KeySource.MEASURED,
                  versions=versions, al=labels.words(language(request, settings)),
                  key_names={k.code: k.name for k in all_keys}, models=[m.value for m in PoolModel])  # fmt: skip


def default_year(session: Session) -> int:
    """This year, or if it has no pool yet the last year that has (what the DSIT is settling)."""
    this_year = dt.date.today().year
    years = session.scalars(select(CostPool.year).where(CostPool.year <= this_year).distinct()).all()
    return this_year if not years or this_year in years else max(years)


@router.get("/allocation/keys/{code}")
def key_assets_page(code: str, request: Request, session: SessionDep, settings: SettingsDep,
                    principal: PagePrincipal, scope: PageScope, member_id: int) -> HTMLResponse:  # fmt: skip
    """What is behind a member's figure: the assets counted, or the volumes measured."""
    scope.check(member_id, "member")
    key = keys.key_by_code(session, code)
    measurer = keys.Measurer(session, settings.stale_days)
    assets, volumes = [], []
    if key.source is KeySource.MEASURED:
        behind = measurer.behind(key, member_id)
        if behind is not None:
            volumes = behind
        else:
            assets = measurer.assets(key, member_id)
    member = members_of(session, scope).get(member_id)
    return render(request, settings, "key_assets.html", principal, key=key, assets=assets, volumes=volumes,
                  member=member, value=measurer.values(key).get(member_id))  # fmt: skip


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
