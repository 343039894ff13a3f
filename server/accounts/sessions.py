"""Server-side web sessions: the signed cookie carries a random session id, the ``web_session``
table says whether it still holds (OWASP session management: revoked at logout and at password
change, idle and absolute timeouts checked on the server, a new id at each sign-in)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import MutableMapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session

from server.core import clock
from server.core.config import Settings
from server.core.security import token_hash

from .models import UserAccount, WebSession

COOKIE_KEY = "sid"
TOUCH_EVERY = dt.timedelta(seconds=30)  # last_seen_at is written at most this often per session


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def start(
    session: Session, cookie: MutableMapping[str, Any], user: UserAccount, client: str = "",
    lifetime: dt.timedelta | None = None,
) -> None:  # fmt: skip
    """A new session for ``user``: whatever the cookie held before is dropped (no fixation).
    Sessions older than ``lifetime`` (the absolute timeout), anyone's, are deleted on the way."""
    end(session, cookie)
    sid = secrets.token_urlsafe(32)
    now = clock.utcnow()
    if lifetime is not None:
        session.execute(delete(WebSession).where(WebSession.created_at < now - lifetime))
    session.add(WebSession(user_id=user.id, id_hash=token_hash(sid), created_at=now, last_seen_at=now,  # type: ignore[arg-type]
                           client=client[:64]))  # fmt: skip
    session.flush()
    cookie[COOKIE_KEY] = sid


def end(session: Session, cookie: MutableMapping[str, Any]) -> None:
    """Logout: the session row goes, so a copy of the cookie is worth nothing."""
    sid = cookie.get(COOKIE_KEY)
    if isinstance(sid, str):
        session.execute(delete(WebSession).where(WebSession.id_hash == token_hash(sid)))
    cookie.clear()


def end_all(session: Session, user_id: int) -> int:
    """Every session of a user (password change, account disabled); how many there were."""
    return session.execute(delete(WebSession).where(WebSession.user_id == user_id)).rowcount or 0  # type: ignore[attr-defined]


def user_of(session: Session, cookie: MutableMapping[str, Any], settings: Settings) -> UserAccount | None:
    """The active user whose live session the cookie names, else None (and the cookie emptied)."""
    sid = cookie.get(COOKIE_KEY)
    row = (
        session.scalars(select(WebSession).where(WebSession.id_hash == token_hash(sid))).first()
        if isinstance(sid, str)
        else None
    )
    now = clock.utcnow()
    if row is not None:
        idle = now - _aware(row.last_seen_at) > dt.timedelta(minutes=settings.session_idle_minutes)
        too_old = now - _aware(row.created_at) > dt.timedelta(hours=settings.session_hours)
        if idle or too_old:
            session.execute(delete(WebSession).where(WebSession.id == row.id))
            row = None
    user = session.get(UserAccount, row.user_id) if row is not None else None
    if user is None or not user.is_active:
        cookie.clear()
        return None
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:  # type: ignore[union-attr]
        session.execute(update(WebSession).where(WebSession.id == row.id).values(last_seen_at=now))  # type: ignore[union-attr]
    return user
