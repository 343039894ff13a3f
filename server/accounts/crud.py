"""Users, API tokens and enrolment tokens: queries and writes, no HTTP."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

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

from .models import ApiToken, EnrolmentToken, EnrolmentTokenCreate, Role, UserAccount


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


def create_api_token(*, session: Session, user: UserAccount, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; the clear token is returned once and never stored."""
    token = new_token(API_TOKEN_PREFIX)
    row = ApiToken(user_id=user.id, name=name, token_hash=token_hash(token), prefix=token_display_prefix(token))
    session.add(row)
    session.flush()
    return row, token


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
