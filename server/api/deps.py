"""FastAPI dependencies: database session, current principal, member scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select, update
from sqlmodel import Session

from server.accounts.models import ApiToken, UserAccount
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.errors import Unauthorized
from server.core.scope import MemberScope, Principal
from server.core.security import token_hash


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back if it raises."""
    with Session(request.app.state.engine, expire_on_commit=False) as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _bearer(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def get_principal(request: Request, session: SessionDep) -> Principal:
    token = _bearer(request)
    if token is None:
        user_id = request.session.get("user_id") if "session" in request.scope else None
        if user_id is None:
            raise Unauthorized("authentication required: send 'Authorization: Bearer <API token>'")
        user = session.get(UserAccount, user_id)
    else:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).first()
        if row is None or row.revoked_at is not None:
            raise Unauthorized("invalid or revoked API token")
        user = session.get(UserAccount, row.user_id)
        now = utcnow()
        session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    if user is None or not user.is_active:
        raise Unauthorized("this account is disabled")
    return Principal(user_id=user.id, username=user.username, role=user.role, member_id=user.member_id)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_scope(principal: PrincipalDep) -> MemberScope:
    return MemberScope(principal)


ScopeDep = Annotated[MemberScope, Depends(get_scope)]
