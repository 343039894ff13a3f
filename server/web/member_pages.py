"""A member's details (kind, INSEE code or SIREN, population) and its sites, edited by a DSIT
administrator from the members page. The POSTs are audited by the request's session."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from server.api.deps import SessionDep, SettingsDep
from server.audit.requests import capture_body
from server.core.scope import MemberScope, Principal
from server.tenancy import crud as tenancy
from server.tenancy.models import Member, MemberKind, MemberUpdate, Site, SiteCreate

from .auth import PagePrincipal
from .csrf import csrf_protect
from .pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
MAX_POPULATION = 100_000_000
# A commune's INSEE code (Corsica: 2A/2B), or an EPCI's SIREN (9 digits).
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
SIREN = re.compile(r"^\d{9}$")


def _page(request: Request, session: SessionDep, settings: SettingsDep, principal: Principal, member: Member,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:  # fmt: skip
    sites = session.scalars(select(Site).where(Site.member_id == member.id).order_by(Site.name)).all()
    return render(request, settings, "member_edit.html", principal, member=member, sites=sites,
                  kinds=[k.value for k in MemberKind], errors=errors or {}, form=form or {},
                  saved=request.query_params.get("saved"), status_code=status_code)  # fmt: skip


def check_details(kind: str, population: str, insee_code: str) -> tuple[MemberUpdate | None, dict[str, str]]:
    """The form's values as an update, or the errors by field (message keys of ``text``)."""
    errors: dict[str, str] = {}
    if kind not in {k.value for k in MemberKind}:
        errors["kind"] = "err_kind"
    people = population.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if people and (not people.isdigit() or int(people) > MAX_POPULATION):
        errors["population"] = "err_population"
    code = insee_code.strip().upper()
    if code and not (SIREN if kind == MemberKind.EPCI else INSEE_CODE).match(code):
        errors["insee_code"] = "err_siren" if kind == MemberKind.EPCI else "err_insee"
    if errors:
        return None, errors
    update = MemberUpdate(kind=MemberKind(kind), population=int(people) if people else None, insee_code=code or None)
    return update, {}


@router.get("/members/{member_id}/edit")
def edit_member_page(member_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                     principal: PagePrincipal) -> HTMLResponse:  # fmt: skip
    principal.require_admin()
    member = tenancy.get_member(session=session, scope=MemberScope(principal), member_id=member_id)
    return _page(request, session, settings, principal, member)


@router.post("/members/{member_id}/edit", response_model=None)
def edit_member(member_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                principal: PagePrincipal, kind: Annotated[str, Form()], population: Annotated[str, Form()] = "",
                insee_code: Annotated[str, Form(max_length=20)] = "") -> Response:  # fmt: skip
    principal.require_admin()
    member = tenancy.get_member(session=session, scope=MemberScope(principal), member_id=member_id)
    update, errors = check_details(kind, population, insee_code)
    if update is None:
        form = {"kind": kind, "population": population, "insee_code": insee_code}
        return _page(request, session, settings, principal, member, errors=errors, form=form, status_code=422)
    tenancy.update_member(session=session, member=member, member_in=update)
    return RedirectResponse(f"/members/{member_id}/edit?saved=details", status_code=303)


@router.post("/members/{member_id}/sites", response_model=None)
def add_site(member_id: int, request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
             name: Annotated[str, Form(max_length=200)] = "",
             address: Annotated[str, Form(max_length=500)] = "") -> Response:  # fmt: skip
    principal.require_admin()
    member = tenancy.get_member(session=session, scope=MemberScope(principal), member_id=member_id)
    name = name.strip()
    error = "err_site_name" if not name else None
    if name and tenancy.site_by_name(session=session, member_id=member_id, name=name) is not None:
        error = "err_site_exists"
    if error:
        return _page(request, session, settings, principal, member, errors={"site_name": error},
                     form={"site_name": name, "site_address": address}, status_code=422)  # fmt: skip
    site_in = SiteCreate(member_id=member_id, name=name, address=address.strip() or None)
    tenancy.create_site(session=session, site_in=site_in)
    return RedirectResponse(f"/members/{member_id}/edit?saved=site#sites", status_code=303)
