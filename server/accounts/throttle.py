"""Slowing down password and token guessing with an exponential delay per (subject, address).

A subject is the user name tried (sign-ins) or the visible prefix of the token tried (API
tokens). Failures are counted per pair, so a stranger failing from address X slows down X only:
the same user signs in from Y as usual (no lock-out anyone can trigger), and a valid token is
never slowed down by bad ones sent from its address. After ``FREE_FAILURES`` failures in the
window, each new attempt for that pair waits ``BASE_DELAY * 2**(n - FREE_FAILURES)`` after the
last failure (capped at ``WINDOW``) and is answered 429 with ``Retry-After`` until then.

Counted from the ``auth_failure`` table, so every server instance behind a load balancer sees the
same counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from server.core import clock
from server.core.errors import TooManyAttempts

from .models import AuthFailure

WINDOW = dt.timedelta(minutes=15)
FREE_FAILURES = 5
BASE_DELAY = dt.timedelta(seconds=30)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def delay(failures: int) -> dt.timedelta:
    """How long after the last failure the next attempt waits, after ``failures`` failures."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(BASE_DELAY * 2 ** min(failures - FREE_FAILURES, 20), WINDOW)


def _subject(subject: str | None) -> str:
    return (subject or "").strip()[:150]


def check(session: Session, kind: str, client: str, subject: str | None = None) -> None:
    """Refuse at once (429) while this (subject, client) pair is within its delay."""
    now = clock.utcnow()
    failures, last = session.execute(
        select(func.count(), func.max(AuthFailure.at)).where(
            AuthFailure.kind == kind,
            AuthFailure.client == client,
            AuthFailure.subject == _subject(subject),
            AuthFailure.at >= now - WINDOW,
        )
    ).one()
    if not failures or last is None:
        return
    wait = _aware(last) + delay(failures) - now
    if wait > dt.timedelta(0):
        seconds = max(1, int(wait.total_seconds()))
        raise TooManyAttempts(f"too many failed attempts: try again in {seconds} seconds", retry_after=seconds)


def record_failure(session: Session, kind: str, client: str, subject: str | None = None) -> None:
    now = clock.utcnow()
    session.execute(insert(AuthFailure).values(kind=kind, client=client, subject=_subject(subject), at=now))
    session.execute(delete(AuthFailure).where(AuthFailure.at < now - 4 * WINDOW))
