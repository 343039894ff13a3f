"""Allocation pages: the keys' values per member (J+1), their history, what is behind a figure,
the year's pools, totals and statements, and the year closure (administrators)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select
from sqlmodel import Session

from server.allocation import keys
from server.allocation.models import CostPool, KeySnapshot, KeySource
from server.allocation.statements import allocate
from server.api.deps import SessionDep, SettingsDep
from server.audit.requests import capture_body
from server.tenancy.models import Member

from .auth import PagePrincipal, PageScope
from .csrf import csrf_protect
from .pages import members_of, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
HISTORY_DAYS = 60


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
    return render(request, settings, "allocation.html", principal, year=year, members=members, all_keys=all_keys,
                  values=per_member_values(values), chosen=chosen, history=history, totals=totals, pools=pools,
                  invoices=invoices, closed=keys.is_closed(session, year), measured=KeySource.MEASURED)  # fmt: skip


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
               year: Annotated[int, Form(ge=2000, le=2100)]) -> RedirectResponse:  # fmt: skip
    principal.require_admin()
    keys.close_year(session, year, principal.username, settings.stale_days)
    return RedirectResponse(f"/allocation?year={year}", status_code=303)


def per_member_values(values: dict[str, dict[int, Decimal]]) -> dict[int, dict[str, Decimal]]:
    rows: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for code, by_member in values.items():
        for member, value in by_member.items():
            rows[member][code] = value
    return rows
