"""Slowing down password and token guessing: too many failures in a window answer 429.

Counted per client address (sign-ins and API tokens) and per username (sign-ins), from the
``auth_failure`` table, so every server instance behind a load balancer sees the same counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from server.core.clock import utcnow
from server.core.errors import TooManyAttempts

from .models import AuthFailure

WINDOW = dt.timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_CLIENT = 20


def _failures(session: Session, since: dt.datetime, **where: str) -> int:
    query = select(func.count()).select_from(AuthFailure).where(AuthFailure.at >= since)
    for column, value in where.items():
        query = query.where(getattr(AuthFailure, column) == value)
    return session.scalar(query) or 0


def check(session: Session, kind: str, client: str, username: str | None = None) -> None:
    """Refuse at once (429) while this client, or this username, has failed too often."""
    since = utcnow() - WINDOW
    over = _failures(session, since, kind=kind, client=client) >= MAX_PER_CLIENT
    if username is not None and not over:
        over = _failures(session, since, kind="login", subject=username.strip()) >= MAX_PER_USERNAME
    if over:
        minutes = int(WINDOW.total_seconds() // 60)
        raise TooManyAttempts(f"too many failed attempts: try again in {minutes} minutes",
                              retry_after=int(WINDOW.total_seconds()))  # fmt: skip


def record_failure(session: Session, kind: str, client: str, username: str | None = None) -> None:
    now = utcnow()
    session.execute(
        insert(AuthFailure).values(kind=kind, client=client, subject=(username or "").strip()[:150], at=now)
    )
    session.execute(delete(AuthFailure).where(AuthFailure.at < now - 4 * WINDOW))
