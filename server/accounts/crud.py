"""Users, API tokens and enrolment tokens: queries and writes, no HTTP."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from server.core import clock
from server.core.clock import utcnow
from server.core.errors import Conflict, Invalid, NotFound
from server.core.security import (
    API_TOKEN_PREFIX,
    ENROLMENT_TOKEN_PREFIX,
    hash_password,
    new_token,
    token_display_prefix,
    token_hash,
)
from server.tenancy.models import Member, Site

from . import sessions
from .models import ApiToken, EnrolmentToken, EnrolmentTokenCreate, Role, UserAccount

DEFAULT_TOKEN_DAYS = 365


def create_user(
    *,
    session: Session,
    username: str,
    role: Role,
    password: str | None = None,
    member_id: int | None = None,
    display_name: str | None = None,
) -> UserAccount:
    if session.scalars(select(UserAccount).where(UserAccount.username == username)).first():
        raise Conflict(f"a user named {username!r} already exists")
    if role == Role.MEMBER_READER and member_id is None:
        raise Invalid("a member reader must belong to a member")
    if member_id is not None and session.get(Member, member_id) is None:
        raise NotFound(f"member {member_id} not found")
    user = UserAccount(
        username=username,
        role=role,
        member_id=member_id,
        display_name=display_name,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def user_by_name(*, session: Session, username: str) -> UserAccount:
    user = session.scalars(select(UserAccount).where(UserAccount.username == username)).first()
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


def create_api_token(
    *, session: Session, user: UserAccount, name: str, days: int | None = DEFAULT_TOKEN_DAYS
) -> tuple[ApiToken, str]:
    """A new API token for ``user``, expiring in ``days`` (None: never); the clear token is
    returned once and never stored."""
    token = new_token(API_TOKEN_PREFIX)
    expires_at = clock.utcnow() + dt.timedelta(days=days) if days else None
    row = ApiToken(user_id=user.id, name=name, token_hash=token_hash(token), prefix=token_display_prefix(token),  # type: ignore[arg-type]
                   expires_at=expires_at)  # fmt: skip
    session.add(row)
    session.flush()
    return row, token


def list_api_tokens(*, user_id: int):  # type: ignore[no-untyped-def]
    return select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())  # type: ignore[union-attr]


def revoke_api_token(*, session: Session, token_id: int, user_id: int | None = None) -> ApiToken:
    """Revoke a token (of ``user_id`` only, when given: someone else's token is a 404)."""
    row = session.get(ApiToken, token_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFound(f"API token {token_id} not found")
    if row.revoked_at is None:
        row.revoked_at = clock.utcnow()
        session.flush()
    return row


def token_is_live(row: ApiToken | None) -> bool:
    if row is None or row.revoked_at is not None:
        return False
    if row.expires_at is None:
        return True
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    return clock.utcnow() < expires


def set_password(*, session: Session, user: UserAccount, password: str) -> int:
    """A new password; every web session of the user ends (returns how many did)."""
    if len(password) < 8:
        raise Invalid("a password needs at least 8 characters")
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return sessions.end_all(session, user.id)  # type: ignore[arg-type]


def list_enrolment_tokens(*, member_id: int | None = None):  # type: ignore[no-untyped-def]
    statement = select(EnrolmentToken).order_by(EnrolmentToken.member_id, EnrolmentToken.id)
    if member_id is not None:
        statement = statement.where(EnrolmentToken.member_id == member_id)
    return statement


def create_enrolment_token(
    *, session: Session, token_in: EnrolmentTokenCreate, created_by: str | None
) -> tuple[EnrolmentToken, str]:
    if session.get(Member, token_in.member_id) is None:
        raise NotFound(f"member {token_in.member_id} not found")
    if token_in.site_id is not None:
        site = session.get(Site, token_in.site_id)
        if site is None or site.member_id != token_in.member_id:
            raise Invalid(f"site {token_in.site_id} does not belong to member {token_in.member_id}")
    token = new_token(ENROLMENT_TOKEN_PREFIX)
    row = EnrolmentToken(
        **token_in.model_dump(),
        token_hash=token_hash(token),
        prefix=token_display_prefix(token),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row, token


def revoke_enrolment_token(*, session: Session, token_id: int) -> EnrolmentToken:
    row = session.get(EnrolmentToken, token_id)
    if row is None:
        raise NotFound(f"enrolment token {token_id} not found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row
