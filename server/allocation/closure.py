"""Closing a year: its key values are frozen, and every member's statement is published as a
numbered version (v1, then v2 after a reopening and a new closure), kept forever with a diff.
While the year is open the DSIT may also publish a draft version ("provisoire": for the budget
calls of April and October), numbered in the same sequence; the closure's version is final.

While a year is closed every write on its pools, shares, prices, key values and statements is
refused with 409 (``keys.check_open``); an admin reopens it with a reason, recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from server.core.errors import Invalid, NotFound
from server.tenancy.models import Member

from . import exports, keys
from .models import ClosureEvent, StatementVersion, YearClosure
from .statements import allocate

LANGUAGES = tuple(exports.LABELS)


def close(session: Session, year: int, actor: str, stale_days: int, *, before_year_end: bool = False,
          today: dt.date | None = None) -> YearClosure:  # fmt: skip
    """Freeze the year's key values and publish the next version of every member's statement.

    Before December 31st of the year, closing is refused unless ``before_year_end`` confirms it:
    the values measured after the closure would not count."""
    today = today or dt.date.today()
    if today < dt.date(year, 12, 31) and not before_year_end:
        raise Invalid(f"year {year} is not over (today is {today:%d/%m/%Y}): confirm closing it before "
                      "December 31st with before_year_end (--before-year-end)")  # fmt: skip
    measurer = keys.Measurer(session, stale_days)
    # what the values were before they are frozen (today's measurement for a year without a
    # snapshot...): the published statements keep saying it
    bases = {key.code: keys.year_basis(session, key, year, measurer) for key in keys.all_keys(session)}
    closure = keys.close_year(session, year, actor, stale_days)
    publish(session, year, actor, stale_days, bases=bases)
    return closure


def reopen(session: Session, year: int, actor: str, reason: str) -> YearClosure:
    """Reopen a closed year (who and why recorded); its published statement versions are kept."""
    return keys.reopen_year(session, year, actor, reason)


def publish(session: Session, year: int, actor: str, stale_days: int, *, draft: bool = False,
            note: str | None = None, bases: dict[str, keys.Basis] | None = None) -> int:  # fmt: skip
    """Store the year's statement of every member as its next version; returns the version number.

    ``draft``: a provisional version of an open year (409 once closed), recorded in the year's
    events with its ``note``; the closure publishes the final one."""
    if draft:
        keys.check_open(session, year)
    allocation = allocate(session, year, stale_days, bases)
    last = session.scalar(select(func.max(StatementVersion.version)).where(StatementVersion.year == year)) or 0
    version = last + 1
    for member_id, name in session.execute(select(Member.id, Member.name).order_by(Member.name)):
        content = {}
        for lang in LANGUAGES:
            item = exports.statement(allocation, member_id, lang, name)
            item.draft = draft
            content[lang] = _dump(item)
        session.add(StatementVersion(year=year, member_id=member_id, version=version, published_by=actor,
                                     content=content))  # fmt: skip
    if draft:
        reason = f"v{version}" + (f" : {note.strip()}" if note and note.strip() else "")
        session.add(ClosureEvent(year=year, action="publish", actor=actor, reason=reason))
    session.flush()
    return version


def draft_versions(session: Session, year: int) -> set[int]:
    """The year's version numbers published as drafts (from the year's events)."""
    statement = select(ClosureEvent.reason).where(ClosureEvent.year == year, ClosureEvent.action == "publish")
    return {int(reason.split(" ", 1)[0].removeprefix("v")) for reason in session.scalars(statement) if reason}


def is_draft(stored: StatementVersion) -> bool:
    return bool((stored.content.get(LANGUAGES[0]) or {}).get("draft"))


def versions(session: Session, year: int, member_id: int) -> list[StatementVersion]:
    statement = select(StatementVersion).where(StatementVersion.year == year, StatementVersion.member_id == member_id)
    return list(session.scalars(statement.order_by(StatementVersion.version)))


def version(session: Session, year: int, member_id: int, number: int) -> StatementVersion:
    found = session.scalars(select(StatementVersion).where(
        StatementVersion.year == year, StatementVersion.member_id == member_id, StatementVersion.version == number
    )).first()  # fmt: skip
    if found is None:
        raise NotFound(f"no version {number} of member {member_id}'s {year} statement")
    return found


def _dump(item: exports.Statement) -> dict[str, Any]:
    """JSON of a statement, amounts as strings (exact decimals)."""
    data = asdict(item)
    data["lines"] = [[*line[:4], str(line[4])] for line in item.lines]
    data["total"] = str(item.total)
    data["issued"] = [[name, str(amount)] for name, amount in item.issued]
    data["received"] = [[name, str(amount)] for name, amount in item.received]
    return data


def load(stored: StatementVersion, lang: str) -> exports.Statement:
    data = stored.content.get(lang) or stored.content[LANGUAGES[0]]
    return exports.Statement(
        year=data["year"],
        member=data["member"],
        lines=[(p, k, v, pct, Decimal(a)) for p, k, v, pct, a in data["lines"]],
        total=Decimal(data["total"]),
        issued=[(n, Decimal(a)) for n, a in data["issued"]],
        received=[(n, Decimal(a)) for n, a in data["received"]],
        notes=list(data.get("notes", [])),
        draft=bool(data.get("draft", False)),
    )


def diff(before: exports.Statement, after: exports.Statement) -> list[dict[str, Any]]:
    """What changed from one version to the next: each pool line, the total, each invoice."""
    changes: list[dict[str, Any]] = []

    def compare(kind: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for label in [*old, *(n for n in new if n not in old)]:
            was, now = old.get(label), new.get(label)
            if was != now:
                changes.append({"kind": kind, "label": label, "before": was, "after": now})

    compare("line", {p: (k, v, pct, a) for p, k, v, pct, a in before.lines},
            {p: (k, v, pct, a) for p, k, v, pct, a in after.lines})  # fmt: skip
    compare("total", {"total": before.total}, {"total": after.total})
    compare("issued", dict(before.issued), dict(after.issued))
    compare("received", dict(before.received), dict(after.received))
    for change in changes:  # a line shows its amount; key, value and percentage say why it moved
        for side in ("before", "after"):
            value = change[side]
            if isinstance(value, tuple):
                change[side] = {"key": value[0], "value": value[1], "percent": value[2], "amount": value[3]}
    return changes
