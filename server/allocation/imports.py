"""Importing the keys the inventory cannot measure: tickets from the helpdesk, INSEE populations,
staff counts. A CSV with a member column (name or INSEE code) and a value column; each line is
checked on its own and reported, ``dry_run`` checks without writing.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session

from server import i18n
from server.core.errors import DomainError
from server.core.tabular import parse_decimal, read_rows
from server.tenancy.models import Member

from .keys import check_importable, set_imported
from .models import AllocationKey

MEMBER_HEADERS = {"membre", "member", "collectivite", "commune", "code insee", "insee", "insee code"}
VALUE_HEADERS = {"valeur", "value", "nombre", "nb", "quantite", "quantity", "tickets", "population", "agents"}
MAX_LINES = 10_000


class ValueLine(BaseModel):
    line: int
    member: str | None = None
    value: Decimal | None = None
    errors: list[str] = []


class ValuesReport(BaseModel):
    key: str
    year: int
    dry_run: bool
    imported: int
    errors: int
    lines: list[ValueLine]


def _columns(header: list[str]) -> tuple[int, int]:
    folded = [i18n.fold(h) for h in header]
    member = next((i for i, h in enumerate(folded) if h in MEMBER_HEADERS), None)
    value = next((i for i, h in enumerate(folded) if h in VALUE_HEADERS or h.startswith(("nb ", "nombre "))), None)
    if member is None or value is None:
        raise DomainError("a member column (Membre, or Code INSEE) and a value column (Valeur) are required")
    return member, value


def import_values(*, session: Session, key: AllocationKey, year: int, data: bytes, dry_run: bool, origin: str | None,
                  actor: str, reason: str | None = None) -> ValuesReport:  # fmt: skip
    check_importable(session, key, year, reason)  # a dry run is refused as the real import would be
    header, rows = read_rows(data)
    member_column, value_column = _columns(header)
    if len(rows) > MAX_LINES:
        raise DomainError(f"at most {MAX_LINES} lines per import")
    members = list(session.scalars(select(Member)))
    by_name = {i18n.fold(m.name): m for m in members}
    by_insee = {m.insee_code: m for m in members if m.insee_code}
    report = ValuesReport(key=key.code, year=year, dry_run=dry_run, imported=0, errors=0, lines=[])
    values: dict[int, Decimal] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        line = ValueLine(line=number)
        name = cells[member_column].strip() if member_column < len(cells) else ""
        member = by_name.get(i18n.fold(name)) or by_insee.get(name)
        line.member = member.name if member else name
        if member is None:
            line.errors.append(f"membre inconnu {name!r}")
        try:
            line.value = parse_decimal(cells[value_column] if value_column < len(cells) else "")
            if line.value < 0:
                line.errors.append("valeur négative")
        except ValueError as exc:
            line.errors.append(str(exc))
        if member is not None and member.id in values and not line.errors:
            line.errors.append(f"{member.name} figure deux fois")
        if line.errors:
            report.errors += 1
        else:
            values[member.id] = line.value  # type: ignore[union-attr, index, assignment]
            report.imported += 1
        report.lines.append(line)
    if not dry_run and values:
        set_imported(session, key, year, values, origin=origin, actor=actor, reason=reason)
    return report
