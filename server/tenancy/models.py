"""Members (communes, EPCI, the DSIT itself), their sites and locations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow
from server.core.types import StrEnumType


class MemberKind(StrEnum):
    COMMUNE = "commune"
    EPCI = "epci"
    DSIT = "dsit"
    OTHER = "other"


class MemberBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    kind: MemberKind = Field(default=MemberKind.COMMUNE, sa_type=StrEnumType(MemberKind, 20))
    population: int | None = Field(default=None, ge=0)
    insee_code: str | None = Field(default=None, max_length=9, description="INSEE code (commune) or SIREN (EPCI)")
    subscribed_services: list[str] = Field(default_factory=list, sa_type=JSON)


class Member(MemberBase, table=True):
    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("name", name="uq_member_name"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow)


class MemberCreate(MemberBase):
    pass


class MemberUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: MemberKind | None = None
    population: int | None = Field(default=None, ge=0)
    insee_code: str | None = Field(default=None, max_length=9)
    subscribed_services: list[str] | None = None


class MemberPublic(MemberBase):
    id: int
    created_at: dt.datetime


class MembersPublic(SQLModel):
    data: list[MemberPublic]
    count: int


class SiteBase(SQLModel):
    member_id: int = Field(foreign_key="member.id", index=True)
    name: str = Field(min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=500)


class Site(SiteBase, table=True):
    __tablename__ = "site"
    __table_args__ = (UniqueConstraint("member_id", "name", name="uq_site_member_name"),)

    id: int | None = Field(default=None, primary_key=True)


class SiteCreate(SiteBase):
    pass


class SiteUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, max_length=500)


class SitePublic(SiteBase):
    id: int


class SitesPublic(SQLModel):
    data: list[SitePublic]
    count: int


class Location(SQLModel, table=True):
    """A room or rack inside a site (optional)."""

    __tablename__ = "location"
    __table_args__ = (UniqueConstraint("site_id", "name", name="uq_location_site_name"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(foreign_key="site.id", index=True, ondelete="CASCADE")
    name: str = Field(min_length=1, max_length=200)
