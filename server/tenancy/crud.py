"""Members and sites: queries and writes, no HTTP."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from server.core.errors import Conflict, NotFound
from server.core.scope import MemberScope

from .models import Member, MemberCreate, MemberUpdate, Site, SiteCreate, SiteUpdate


def list_members(*, session: Session, scope: MemberScope):  # type: ignore[no-untyped-def]
    return scope.filter(select(Member), Member.id).order_by(Member.name)


def get_member(*, session: Session, scope: MemberScope, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None or not scope.can_see(member.id):
        raise NotFound(f"member {member_id} not found")
    return member


def member_by_name(*, session: Session, name: str) -> Member | None:
    return session.scalars(select(Member).where(Member.name == name)).first()


def create_member(*, session: Session, member_in: MemberCreate) -> Member:
    if member_by_name(session=session, name=member_in.name):
        raise Conflict(f"a member named {member_in.name!r} already exists")
    member = Member.model_validate(member_in)
    session.add(member)
    session.flush()
    return member


def update_member(*, session: Session, member: Member, member_in: MemberUpdate) -> Member:
    changes = member_in.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] != member.name and member_by_name(session=session, name=changes["name"]):
        raise Conflict(f"a member named {changes['name']!r} already exists")
    member.sqlmodel_update(changes)
    session.flush()
    return member


def list_sites(*, session: Session, scope: MemberScope, member_id: int | None = None):  # type: ignore[no-untyped-def]
    return scope.owned(Site, member_id).order_by(Site.member_id, Site.name)


def get_site(*, session: Session, scope: MemberScope, site_id: int) -> Site:
    return scope.get(session, Site, site_id, "site")


def site_by_name(*, session: Session, member_id: int, name: str) -> Site | None:
    return session.scalars(select(Site).where(Site.member_id == member_id, Site.name == name)).first()


def create_site(*, session: Session, site_in: SiteCreate) -> Site:
    if session.get(Member, site_in.member_id) is None:
        raise NotFound(f"member {site_in.member_id} not found")
    if site_by_name(session=session, member_id=site_in.member_id, name=site_in.name):
        raise Conflict(f"member {site_in.member_id} already has a site named {site_in.name!r}")
    site = Site.model_validate(site_in)
    session.add(site)
    session.flush()
    return site


def update_site(*, session: Session, site: Site, site_in: SiteUpdate) -> Site:
    site.sqlmodel_update(site_in.model_dump(exclude_unset=True))
    session.flush()
    return site
