"""FastAPI dependencies: database session, current principal, member scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select, update
from sqlmodel import Session

from server.accounts import crud as accounts_crud
from server.accounts import sessions, throttle
from server.accounts.models import ApiToken, UserAccount
from server.audit.requests import record_request
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.errors import Unauthorized
from server.core.scope import MemberScope, Principal
from server.core.security import token_display_prefix, token_hash


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


class BadToken(Unauthorized):
    """An unknown, expired or revoked API token: counted against its prefix and the client (see
    accounts.throttle)."""

    def __init__(self, message: str, *, subject: str = "") -> None:
        super().__init__(message)
        self.subject = subject


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back if it raises.

    A route that changed something leaves its audit event in the same transaction; a refused
    API token leaves a failure count, in a transaction of its own since the request's rolls back.
    """
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        try:
            with session.begin():
                yield session
                record_request(session, request)  # reached only when the route succeeded
        except BadToken as exc:
            with session.begin():
                throttle.record_failure(session, "api_token", client_address(request), exc.subject)
            raise


# scope="function": the transaction commits when the route returns, before the answer is sent.
# (FastAPI's default would send the answer first: a client could be told "201" for a change whose
# commit then fails, or read it back before it is visible.)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _bearer(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def get_principal(request: Request, session: SessionDep) -> Principal:
    token = _bearer(request)
    if token is None:
        cookie = request.session if "session" in request.scope else {}
        user = sessions.user_of(session, cookie, get_settings(request)) if cookie else None
        if user is None:
            raise Unauthorized("authentication required: send 'Authorization: Bearer <API token>'")
        # A browser sends the cookie by itself: a write with it alone could be forged by another
        # site (CSRF). Writes need the page's X-CSRF-Token header too, or an API token.
        from server.web.csrf import check_cookie_write  # server.web imports this module

        check_cookie_write(request)
        request.state.audit_via = "web session"
    else:
        prefix = token_display_prefix(token)
        throttle.check(session, "api_token", client_address(request), prefix)
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).first()
        if row is None or not accounts_crud.token_is_live(row):
            raise BadToken("invalid, expired or revoked API token", subject=prefix)
        user = session.get(UserAccount, row.user_id)
        now = utcnow()
        session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
        request.state.audit_via = f"api token {row.id} ({row.name}, {row.prefix}...)"
    if user is None or not user.is_active:
        raise Unauthorized("this account is disabled")
    principal = Principal(user_id=user.id, username=user.username, role=user.role, member_id=user.member_id)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_scope(principal: PrincipalDep) -> MemberScope:
    return MemberScope(principal)


ScopeDep = Annotated[MemberScope, Depends(get_scope)]
