"""People and machines that talk to the server: users, their API tokens, enrolment tokens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlmodel import Field, SQLModel

from server.core.clock import utcnow
from server.core.types import StrEnumType


class Role(StrEnum):
    ADMIN = "admin"  # DSIT administrator: every member, every action
    TECHNICIAN = "technician"  # DSIT technician: every member, no administration or closure
    MEMBER_READER = "member_reader"  # a member's representative: their own member, read only


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, unique=True, index=True)
    display_name: str | None = Field(default=None, max_length=200)
    password_hash: str | None = Field(default=None, max_length=255)
    role: Role = Field(sa_type=StrEnumType(Role, 20))
    member_id: int | None = Field(default=None, foreign_key="member.id")
    is_active: bool = True
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_login_at: dt.datetime | None = None


class ApiToken(SQLModel, table=True):
    """A bearer token for the REST API, acting as its user. Only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime | None = None  # None: never (tokens made before expiry dates existed)
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class ApiTokenCreate(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3660, description="unset: the server's default")


class ApiTokenPublic(SQLModel):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiTokenCreated(ApiTokenPublic):
    token: str  # shown once, at creation


class ApiTokensPublic(SQLModel):
    data: list[ApiTokenPublic]
    count: int


class WebSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries a random id; only its SHA-256 is stored here, and
    deleting the row (logout, password change, timeout) ends the session whatever the cookie says."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    id_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    client: str = Field(default="", max_length=64)


class TokenKind(StrEnum):
    AGENT = "agent"
    COLLECTOR = "collector"


class EnrolmentToken(SQLModel, table=True):
    """What an agent or collector presents to say which member (and site) it reports for."""

    __tablename__ = "enrolment_token"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    site_id: int | None = Field(default=None, foreign_key="site.id")
    kind: TokenKind = Field(default=TokenKind.AGENT, sa_type=StrEnumType(TokenKind, 20))
    label: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: dt.datetime = Field(default_factory=utcnow)
    created_by: str | None = Field(default=None, max_length=100)
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class EnrolmentTokenCreate(SQLModel):
    member_id: int
    site_id: int | None = None
    kind: TokenKind = TokenKind.AGENT
    label: str = Field(min_length=1, max_length=200)


class EnrolmentTokenPublic(SQLModel):
    id: int
    member_id: int
    site_id: int | None
    kind: TokenKind
    label: str
    prefix: str
    created_at: dt.datetime
    created_by: str | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class EnrolmentTokenCreated(EnrolmentTokenPublic):
    token: str  # shown once, at creation


class EnrolmentTokensPublic(SQLModel):
    data: list[EnrolmentTokenPublic]
    count: int


class AuthFailure(SQLModel, table=True):
    """A failed sign-in or a refused API token, kept a short while to slow down guessing.

    In the database (not in a process's memory) so that every server instance counts the same.
    """

    __tablename__ = "auth_failure"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # "login" | "api_token"
    subject: str = Field(default="", max_length=150)  # the username tried (login), the token's prefix (api_token)
    client: str = Field(default="", max_length=64, index=True)  # the client's address
    at: dt.datetime = Field(default_factory=utcnow, index=True)
