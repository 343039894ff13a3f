"""CSV export and import of assets, as LibreOffice and Excel users in France expect them.

Export: ``;``-separated, UTF-8 with BOM, French headers, values and number formats by default.
Import: any of ``;`` ``,`` or tab, UTF-8 or Windows-1252, headers and values in French or
English; each line is checked on its own and reported, valid lines are kept (``dry_run``
checks without writing). A line whose serial matches an asset of the member updates it.
The operating system (``os``, or ``os_name`` and ``os_version``) becomes the asset's OS label,
so that imported PCs get their end-of-life check. A column the import does not know is refused
(422, naming it) before any line is read, in a dry run too: it is never silently ignored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from server import i18n
from server.core.errors import DomainError, Invalid, TooLarge
from server.core.scope import MemberScope
from server.core.tabular import neutralise, parse_decimal, read_rows
from server.core.xlsx import XlsxBook
from server.tenancy.crud import member_by_name, site_by_name
from server.tenancy.models import Member
from wire.fields import date

from . import crud
from .schemas import AssetCreate, AssetUpdate, ImportLine, ImportReport
from .vocab import AssetSource, LifecycleStatus

EXPORT_FIELDS = (
    "id",
    "member",
    "site",
    "asset_type",
    "category",
    "lifecycle_status",
    "name",
    "manufacturer",
    "model",
    "serial",
    "inventory_number",
    "os",
    "purchase_date",
    "commissioning_date",
    "warranty_end",
    "purchase_price",
    "supplier",
    "source",
    "first_seen",
    "last_seen",
)
VOCABULARY_FIELDS = ("asset_type", "category", "lifecycle_status", "source")
DATE_FIELDS = ("purchase_date", "commissioning_date", "warranty_end")
IMPORT_FIELDS = (
    "member",
    "site",
    "asset_type",
    "category",
    "lifecycle_status",
    "name",
    "manufacturer",
    "model",
    "serial",
    "uuid",
    "inventory_number",
    "purchase_date",
    "commissioning_date",
    "warranty_end",
    "purchase_price",
    "supplier",
    "notes",
    "os",
    "os_name",
    "os_version",
)
# Columns of the export the import accepts and ignores (computed, or set by inventories).
READ_ONLY_FIELDS = frozenset({"id", "source", "first_seen", "last_seen"})
MAX_IMPORT_LINES = 50_000
# 50,000 lines of a full parc export are about 8 MB: a larger file is refused before it is parsed.
MAX_IMPORT_BYTES = 16 * 2**20


def export_rows(rows: Iterable[dict[str, Any]], lang: str) -> Iterator[str]:
    """CSV text, chunk by chunk (header first), for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([i18n.field_label(f, lang) for f in EXPORT_FIELDS])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                i18n.value_label(f, row[f], lang)
                if f in VOCABULARY_FIELDS and row.get(f)
                else neutralise(i18n.format_value(row.get(f), lang))
                for f in EXPORT_FIELDS
            ]
        )
        yield buffer.getvalue()


DATE_FIELDS = frozenset({"purchase_date", "commissioning_date", "warranty_end", "first_seen", "last_seen"})


def export_xlsx(rows: Iterable[dict[str, Any]], lang: str) -> bytes:
    """The same list as a spreadsheet: real dates and amounts, labels in ``lang``."""
    book = XlsxBook()
    sheet = book.sheet("Équipements" if lang == "fr" else "Assets", [18] * len(EXPORT_FIELDS))
    sheet.append([book.bold(i18n.field_label(f, lang)) for f in EXPORT_FIELDS])
    for row in rows:
        cells: list[Any] = []
        for field in EXPORT_FIELDS:
            value = row.get(field)
            if value is None:
                cells.append(None)
            elif field in VOCABULARY_FIELDS:
                cells.append(i18n.value_label(field, value, lang))
            elif field in DATE_FIELDS:
                cells.append(book.date(value))
            elif field == "purchase_price":
                cells.append(book.euros(value))
            else:
                cells.append(value)
        sheet.append(cells)
    return book.output()


def _parse_line(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    errors: list[str] = []
    for field, text in raw.items():
        text = (text or "").strip()
        if not text:
            continue
        if field in ("asset_type", "category", "lifecycle_status"):
            value = i18n.value_for_label(field, text)
            if value is None:
                errors.append(f"{i18n.field_label(field, 'fr')}: valeur inconnue {text!r}")
            else:
                values[field] = value
        elif field in DATE_FIELDS:
            day = date(text)
            if day is None:
                errors.append(f"{i18n.field_label(field, 'fr')}: date invalide {text!r}")
            else:
                values[field] = day
        elif field == "purchase_price":
            try:
                values[field] = parse_decimal(text)
            except ValueError as exc:
                errors.append(f"{i18n.field_label(field, 'fr')}: {exc}")
        else:
            values[field] = text
    return values, errors


def _rows(data: bytes) -> tuple[list[str | None], list[dict[str, str]]]:
    header, cells_by_line = read_rows(data)
    fields = [i18n.field_for_header(h) for h in header]
    unknown = [h.strip() for h, f in zip(header, fields, strict=True)
               if h.strip() and f not in IMPORT_FIELDS and f not in READ_ONLY_FIELDS]  # fmt: skip
    if unknown:
        raise Invalid(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: "
                      f"known columns are {', '.join(i18n.field_label(f, 'fr') for f in IMPORT_FIELDS)}")  # fmt: skip
    lines = []
    for cells in cells_by_line:
        if not any(c.strip() for c in cells):
            lines.append({})
            continue
        lines.append({f: c for f, c in zip(fields, cells, strict=False) if f in IMPORT_FIELDS})
    return fields, lines


def import_assets(*, session: Session, scope: MemberScope, data: bytes, dry_run: bool, actor: str) -> ImportReport:
    if len(data) > MAX_IMPORT_BYTES:
        raise TooLarge(f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB: split it "
                          f"(at most {MAX_IMPORT_LINES} lines per import)")  # fmt: skip
    if data.count(b"\n") > MAX_IMPORT_LINES + 1:  # before parsing: quoted newlines only make it fewer lines
        raise TooLarge(f"at most {MAX_IMPORT_LINES} lines per import")
    fields, lines = _rows(data)
    if "member" not in fields:
        raise DomainError("a 'Membre' (member) column is required")
    if len(lines) > MAX_IMPORT_LINES:
        raise DomainError(f"at most {MAX_IMPORT_LINES} lines per import")
    report = ImportReport(dry_run=dry_run, created=0, updated=0, errors=0, lines=[])
    members: dict[str, Member | None] = {}
    for number, raw in enumerate(lines, start=2):  # line 1 is the header
        if not raw:
            continue
        values, errors = _parse_line(raw)
        os_label = _os_label(values)
        member_name = values.pop("member", None)
        member = None
        if member_name is None:
            errors.append("Membre: obligatoire")
        else:
            if member_name not in members:
                members[member_name] = member_by_name(session=session, name=member_name)
            member = members[member_name]
            if member is None or not scope.can_see(member.id):
                errors.append(f"Membre: inconnu {member_name!r}")
                member = None
        site_name = values.pop("site", None)
        if member is not None and site_name:
            site = site_by_name(session=session, member_id=member.id, name=site_name)
            if site is None:
                errors.append(f"Site: {site_name!r} n'existe pas pour {member.name}")
            else:
                values["site_id"] = site.id
        if errors or member is None:
            report.lines.append(ImportLine(line=number, action="error", errors=errors))
            report.errors += 1
            continue
        line = _apply(session, member, values, dry_run=dry_run, actor=actor, number=number, os_label=os_label)
        report.lines.append(line)
        if line.action == "create":
            report.created += 1
        elif line.action == "update":
            report.updated += 1
        else:
            report.errors += 1
    return report


def _os_label(values: dict[str, Any]) -> str | None:
    """``os`` as written, else ``os_name`` and ``os_version`` ("Windows 11 Pro" "24H2")."""
    whole, name, version = values.pop("os", None), values.pop("os_name", None), values.pop("os_version", None)
    label = whole or " ".join(part for part in (name, version) if part)
    return label[:255] or None


def _set_os(session: Session, asset: Any, os_label: str | None) -> None:
    if os_label is not None and asset.os_label != os_label:
        asset.os_label = os_label
        session.add(asset)
        session.flush()


def _apply(
    session: Session,
    member: Member,
    values: dict[str, Any],
    *,
    dry_run: bool,
    actor: str,
    number: int,
    os_label: str | None = None,
) -> ImportLine:
    existing = crud.find_by_serial(session=session, member_id=member.id, serial=values.get("serial"))
    try:
        if existing is not None:
            status = values.pop("lifecycle_status", None)
            changes = AssetUpdate.model_validate(values).model_dump(exclude_unset=True)
            if not dry_run:
                with session.begin_nested():
                    crud.update_asset(
                        session=session, asset=existing, changes=changes, actor=actor, source=AssetSource.IMPORT
                    )
                    _set_os(session, existing, os_label)
                    if status is not None and status != existing.lifecycle_status:
                        crud.change_status(
                            session=session,
                            asset=existing,
                            status=LifecycleStatus(status),
                            comment="import CSV",
                            actor=actor,
                        )
            return ImportLine(line=number, action="update", asset_id=existing.id)
        asset_in = AssetCreate.model_validate({**values, "member_id": member.id})
        if dry_run:
            return ImportLine(line=number, action="create")
        with session.begin_nested():
            asset = crud.create_asset(session=session, asset_in=asset_in, actor=actor, source=AssetSource.IMPORT)
            _set_os(session, asset, os_label)
        return ImportLine(line=number, action="create", asset_id=asset.id)
    except ValidationError as exc:
        messages = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return ImportLine(line=number, action="error", errors=messages)
    except DomainError as exc:
        return ImportLine(line=number, action="error", errors=[exc.message])
