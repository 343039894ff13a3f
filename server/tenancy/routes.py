from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import PrincipalDep, ScopeDep, SessionDep
from server.api.pagination import PageDep, count

from . import crud
from .models import (
    MemberCreate,
    MemberPublic,
    MembersPublic,
    MemberUpdate,
    SiteCreate,
    SitePublic,
    SitesPublic,
    SiteUpdate,
)

router = APIRouter(tags=["members"])


@router.get("/members", response_model=MembersPublic)
def list_members(session: SessionDep, scope: ScopeDep, page: PageDep) -> MembersPublic:
    statement = crud.list_members(session=session, scope=scope)
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return MembersPublic(data=[MemberPublic.model_validate(m) for m in rows], count=count(session, statement))


@router.post("/members", response_model=MemberPublic, status_code=201)
def create_member(member_in: MemberCreate, session: SessionDep, principal: PrincipalDep) -> MemberPublic:
    principal.require_admin()
    return MemberPublic.model_validate(crud.create_member(session=session, member_in=member_in))


@router.get("/members/{member_id}", response_model=MemberPublic)
def get_member(member_id: int, session: SessionDep, scope: ScopeDep) -> MemberPublic:
    return MemberPublic.model_validate(crud.get_member(session=session, scope=scope, member_id=member_id))


@router.patch("/members/{member_id}", response_model=MemberPublic)
def update_member(
    member_id: int, member_in: MemberUpdate, session: SessionDep, scope: ScopeDep, principal: PrincipalDep
) -> MemberPublic:
    principal.require_admin()
    member = crud.get_member(session=session, scope=scope, member_id=member_id)
    return MemberPublic.model_validate(crud.update_member(session=session, member=member, member_in=member_in))


@router.get("/sites", response_model=SitesPublic)
def list_sites(session: SessionDep, scope: ScopeDep, page: PageDep, member_id: int | None = None) -> SitesPublic:
    statement = crud.list_sites(session=session, scope=scope, member_id=member_id)
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return SitesPublic(data=[SitePublic.model_validate(s) for s in rows], count=count(session, statement))


@router.post("/sites", response_model=SitePublic, status_code=201)
def create_site(site_in: SiteCreate, session: SessionDep, principal: PrincipalDep) -> SitePublic:
    principal.require_dsit()
    return SitePublic.model_validate(crud.create_site(session=session, site_in=site_in))


@router.get("/sites/{site_id}", response_model=SitePublic)
def get_site(site_id: int, session: SessionDep, scope: ScopeDep) -> SitePublic:
    return SitePublic.model_validate(crud.get_site(session=session, scope=scope, site_id=site_id))


@router.patch("/sites/{site_id}", response_model=SitePublic)
def update_site(
    site_id: int, site_in: SiteUpdate, session: SessionDep, scope: ScopeDep, principal: PrincipalDep
) -> SitePublic:
    principal.require_dsit()
    site = crud.get_site(session=session, scope=scope, site_id=site_id)
    return SitePublic.model_validate(crud.update_site(session=session, site=site, site_in=site_in))
