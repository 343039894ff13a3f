"""The allocation as a flat table of cells, to export, and to compare with a table made by hand.

One line per cell: a member's part of a pool, a member's total, or an invoice ("titre") from the
member who advanced money to a member who owes it:

    type;membre;poste;débiteur;montant
    part;Servon;Service commun BCR;;11 749,16
    total;Servon;;;19 077,92
    titre;Brie-Comte-Robert;;Servon;16 436,96

Importing such a table (the DSIT's spreadsheet, re-typed or exported) lists every cell whose
amount differs from the computed one, and the cells it names that the computation does not have.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from server import i18n
from server.core import catalogue
from server.core.errors import DomainError
from server.core.tabular import parse_decimal, read_rows

from .statements import YearAllocation

COLUMNS = ("type", "member", "pool", "debtor", "amount")
HEADERS = catalogue.sequences("allocation.headers")
KINDS = {"part": "part", "share": "part", "total": "total", "titre": "titre", "invoice": "titre"}


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str  # part | total | titre
    member: str  # the member (part, total) or the issuer (titre)
    pool: str = ""  # part: the pool
    debtor: str = ""  # titre: who is invoiced

    def describe(self, problem: str = "differs") -> str:
        if problem == "unknown_member":
            return f"membre inconnu « {self.member} »" + (f" ou « {self.debtor} »" if self.debtor else "")
        what = self._what()
        return {"missing": f"{what} : absent du tableau", "extra": f"{what} : inconnu du calcul"}.get(problem, what)

    def _what(self) -> str:
        if self.kind == "part":
            return f"part de {self.member} au poste « {self.pool} »"
        if self.kind == "total":
            return f"total de {self.member}"
        return f"titre de {self.member} vers {self.debtor}"


@dataclass(frozen=True, slots=True)
class Discrepancy:
    cell: Cell
    line: int  # in the imported file; 0 for a computed cell the file does not have
    expected: Decimal | None  # computed; None: the computation has no such cell
    found: Decimal | None  # in the file; None: the file misses the cell
    # differs | missing (computed, not in the file) | extra (in the file, not computed) | unknown_member
    problem: str = "differs"


def cells(allocation: YearAllocation) -> dict[Cell, Decimal]:
    names = allocation.members
    found: dict[Cell, Decimal] = {}
    for result in allocation.pools:
        for member, share in result.allocation.shares.items():
            found[Cell("part", names[member], result.pool.name)] = share.amount
    for member, total in allocation.totals.items():
        found[Cell("total", names[member])] = total
    for (issuer, debtor), amount in allocation.invoices.items():
        found[Cell("titre", names[issuer], debtor=names[debtor])] = amount
    return found


def export_lines(allocation: YearAllocation, lang: str) -> Iterator[list[str]]:
    yield list(HEADERS.get(lang, HEADERS["fr"]))
    kind_names = {"part": "part", "total": "total", "titre": "titre"} if lang == "fr" else {
        "part": "share", "total": "total", "titre": "invoice"}  # fmt: skip
    for cell, amount in cells(allocation).items():
        yield [kind_names[cell.kind], cell.member, cell.pool, cell.debtor, i18n.format_value(amount, lang)]


def _column(header: str) -> str | None:
    wanted = i18n.fold(header)
    for names in HEADERS.values():
        for column, name in zip(COLUMNS, names, strict=True):
            if wanted == i18n.fold(name):
                return column
    return None


def compare(allocation: YearAllocation, data: bytes) -> tuple[list[Discrepancy], list[str]]:
    """(cells that differ, lines that could not be read) between ``data`` and the computation."""
    header, rows = read_rows(data)
    columns = [_column(h) for h in header]
    missing = [c for c in ("type", "member", "amount") if c not in columns]
    if missing:
        raise DomainError(f"columns missing: {', '.join(missing)} (expected: {';'.join(HEADERS['fr'])})")
    computed = {_fold_cell(c): (c, v) for c, v in cells(allocation).items()}
    known_members = {i18n.fold(name) for name in allocation.members.values()}
    seen: set[tuple[str, ...]] = set()
    differences, errors = [], []
    for number, row in enumerate(rows, start=2):
        values = {c: (v or "").strip() for c, v in zip(columns, row, strict=False) if c}
        if not any(values.values()):
            continue
        kind = KINDS.get(i18n.fold(values.get("type", "")))
        if kind is None:
            errors.append(f"ligne {number} : type inconnu {values.get('type')!r} (part, total ou titre)")
            continue
        try:
            found = parse_decimal(values.get("amount", ""))
        except ValueError as exc:
            errors.append(f"ligne {number} : montant illisible ({exc})")
            continue
        cell = Cell(kind, values.get("member", ""), values.get("pool", "") if kind == "part" else "",
                    values.get("debtor", "") if kind == "titre" else "")  # fmt: skip
        folded = _fold_cell(cell)
        seen.add(folded)
        known = computed.get(folded)
        names = [cell.member] + ([cell.debtor] if kind == "titre" else [])
        unknown = [name for name in names if i18n.fold(name) not in known_members]
        if known is None and unknown:
            differences.append(Discrepancy(cell, number, None, found, "unknown_member"))
        elif known is None:
            differences.append(Discrepancy(cell, number, None, found, "extra"))
        elif known[1] != found:
            differences.append(Discrepancy(known[0], number, known[1], found))
    differences += [Discrepancy(cell, 0, value, None, "missing") for folded, (cell, value) in computed.items()
                    if folded not in seen]  # fmt: skip
    return differences, errors


def _fold_cell(cell: Cell) -> tuple[str, ...]:
    return (cell.kind, i18n.fold(cell.member), i18n.fold(cell.pool), i18n.fold(cell.debtor))
