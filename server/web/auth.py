"""Web sign-in: a signed session cookie (HttpOnly, SameSite=Lax, Secure behind TLS) holding a
random session id checked against the ``web_session`` table on every request (see
``server.accounts.sessions``: ended at logout, at a password change, after the idle and absolute
timeouts), passwords checked against their argon2 hash.

The REST API accepts the same cookie (``server.api.deps.get_principal``), so the exports a page
links to are filtered by the same member scope as the page itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlmodel import Session
from starlette.middleware.sessions import SessionMiddleware

from server.accounts import sessions
from server.accounts.models import UserAccount
from server.api.deps import SessionDep, client_address
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.scope import MemberScope, Principal
from server.core.secretbox import derived_key
from server.core.security import hash_password, verify_password

from . import csrf

SESSION_COOKIE = "mutuparc_session"
DUMMY_HASH = hash_password("no such user")  # verified for unknown names (constant-time sign-in)


class LoginRequired(Exception):
    def __init__(self, path: str) -> None:
        self.path = path


def install_sessions(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(SessionMiddleware, secret_key=derived_key(settings, "web sessions"),
                       session_cookie=SESSION_COOKIE, max_age=settings.session_hours * 3600, same_site="lax",
                       https_only=settings.session_cookie_secure)  # fmt: skip

    @app.exception_handler(LoginRequired)
    async def _to_login(_request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/login?next={quote(exc.path)}", status_code=303)

    csrf.install(app)  # the 403 answered to a forged request (see csrf.py)


def authenticate(session: Session, username: str, password: str) -> UserAccount | None:
    """The user if the password is right. An unknown name (or one without a password) costs the
    same argon2 verification as a known one, so timing does not tell which names exist."""
    user = session.scalars(select(UserAccount).where(UserAccount.username == username.strip())).first()
    if user is None or not user.password_hash:
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    session.add(user)
    return user


def sign_in(request: Request, session: Session, user: UserAccount) -> None:
    """A new server-side session (nothing carried over from before, a fresh id: no fixation)."""
    lifetime = dt.timedelta(hours=request.app.state.settings.session_hours)
    sessions.start(session, request.session, user, client_address(request), lifetime)


def sign_out(request: Request, session: Session) -> None:
    sessions.end(session, request.session)


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a path on this site only (no ``//host`` nor ``https://``)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def page_principal(request: Request, session: SessionDep) -> Principal:
    user = sessions.user_of(session, request.session, request.app.state.settings)
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    principal = Principal(user_id=user.id, username=user.username, role=user.role, member_id=user.member_id)  # type: ignore[arg-type]
    request.state.principal, request.state.audit_via = principal, "web session"
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def page_scope(principal: PagePrincipal) -> MemberScope:
    return MemberScope(principal)


PageScope = Annotated[MemberScope, Depends(page_scope)]
