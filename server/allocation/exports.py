"""A member's statement for a year ("relevé de contribution"): CSV, XLSX and PDF, in French by
default.

For each pool: the key, the member's value of it, its percentage and amount; the total; then
the invoices the member issues and receives.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from server import i18n
from server.core import catalogue
from server.core.tabular import write_rows
from server.core.xlsx import no_formulas

from . import explain
from .statements import YearAllocation

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian fonts-dejavu-core: has the € sign
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

LABELS = catalogue.by_language("allocation.exports")


@dataclass
class Statement:
    year: int
    member: str
    lines: list[tuple[str, str, str, str, Decimal]]  # pool, key, value, percent, amount
    total: Decimal
    issued: list[tuple[str, Decimal]]  # (debtor, amount)
    received: list[tuple[str, Decimal]]  # (issuer, amount)
    notes: list[str] = field(default_factory=list)  # per pool: how the amount is computed
    draft: bool = False  # a provisional version published while the year is open

    def title(self, lang: str) -> str:
        labels = LABELS.get(lang, LABELS["fr"])
        return labels["title"].format(year=self.year) + (f" ({labels['draft']})" if self.draft else "")


def statement(allocation: YearAllocation, member_id: int, lang: str = "fr", name: str | None = None) -> Statement:
    """The member's statement; ``name`` titles it when the member has no share (it owes nothing)."""
    names = allocation.members
    lines, notes = [], []
    for result, share in allocation.member_lines(member_id):
        pool = result.pool.name
        if result.pool.advanced_by_id in names:
            pool += f" ({LABELS[lang]['advanced'].format(member=names[result.pool.advanced_by_id])})"
        value = i18n.format_value(share.weight, lang).removesuffix(",00").removesuffix(".00")
        lines.append((pool, result.key_name or "", f"{value} {result.key_unit or ''}".strip(),
                      explain.percent(share.percent, lang) if share.percent else "", share.amount))  # fmt: skip
        notes.append(f"{result.pool.name} : {explain.explain(result, member_id, lang)}")
    issued = sorted((names[d], a) for (i, d), a in allocation.invoices.items() if i == member_id)
    received = sorted((names[i], a) for (i, d), a in allocation.invoices.items() if d == member_id)
    return Statement(allocation.year, names.get(member_id, name or str(member_id)), lines,
                     allocation.totals.get(member_id, Decimal(0)), issued, received, notes)  # fmt: skip


def _table(item: Statement, lang: str, amounts: Callable[[Decimal, str], str] = i18n.format_value) -> list[list[str]]:
    labels = LABELS[lang]
    rows = [[labels["pool"], labels["key"], labels["value"], labels["percent"], labels["amount"]]]
    rows += [[p, k, v, pct, amounts(a, lang)] for p, k, v, pct, a in item.lines]
    rows.append([labels["total"], "", "", "", amounts(item.total, lang)])
    return rows


def to_csv(item: Statement, lang: str = "fr") -> bytes:
    labels = LABELS[lang]
    rows = [[item.title(lang), item.member], *_table(item, lang)]
    if not item.lines:
        rows.append([labels["nothing"].format(member=item.member, year=item.year)])
    for title, entries, who in (("issued", item.issued, "to"), ("received", item.received, "from")):
        rows += [[], [labels[title].format(member=item.member)]]
        rows += [[labels[who], name, "", "", i18n.format_value(amount, lang)] for name, amount in entries]
    if item.notes:
        rows += [[], [labels["details"]], *([note] for note in item.notes)]
    return write_rows(rows)


def to_xlsx(item: Statement, lang: str = "fr") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = LABELS[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = str(item.year)
    sheet.append([item.title(lang), item.member])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([labels["pool"], labels["key"], labels["value"], labels["percent"], labels["amount"]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for pool, key, value, percent, amount in item.lines:
        sheet.append([pool, key, value, percent, float(amount)])
    sheet.append([labels["total"], "", "", "", float(item.total)])
    sheet.cell(sheet.max_row, 1).font = sheet.cell(sheet.max_row, 5).font = Font(bold=True)
    if not item.lines:
        sheet.append([labels["nothing"].format(member=item.member, year=item.year)])
    for title, entries, who in (("issued", item.issued, "to"), ("received", item.received, "from")):
        sheet.append([])
        sheet.append([labels[title].format(member=item.member)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for name, amount in entries:
            sheet.append([labels[who], name, "", "", float(amount)])
    if item.notes:
        sheet.append([])
        sheet.append([labels["details"]])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for note in item.notes:
            sheet.append([note])
    for row in sheet.iter_rows(min_row=3, min_col=5, max_col=5):
        row[0].number_format = '#,##0.00 "€"'
    for column, width in zip("ABCDE", (52, 28, 16, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    no_formulas(sheet)  # member and pool names are people's text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(item: Statement, lang: str = "fr") -> bytes:
    return to_pdf_many([item], lang)


def to_pdf_many(items: list[Statement], lang: str = "fr") -> bytes:
    """One PDF, a page per member (the fonts are read and subset once for all of them)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape")
    unicode_font = FONT.exists() and FONT_BOLD.exists()
    if unicode_font:
        pdf.add_font("DejaVu", "", str(FONT))
        pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    family = "DejaVu" if unicode_font else "Helvetica"

    def text(value: str) -> str:  # the core fonts have no € and no narrow spaces
        return value if unicode_font else value.replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")

    labels = LABELS[lang]
    title = items[0].title(lang) if items else ""
    pdf.set_title(text(title + (f" - {items[0].member}" if len(items) == 1 else "")))
    for item in items:
        _pdf_page(pdf, item, labels, lang, family, text)
    return bytes(pdf.output())


def _pdf_page(pdf, item: Statement, labels: dict[str, str], lang: str, family: str,  # type: ignore[no-untyped-def]
              text: Callable[[str], str]) -> None:  # fmt: skip
    pdf.add_page()
    pdf.set_font(family, "B", 15)
    pdf.cell(0, 10, text(f"{item.title(lang)} : {item.member}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(family, "", 9)
    rows = _table(item, lang, amounts=i18n.format_amount)
    widths, aligns = (112, 60, 35, 24, 36), ("L", "L", "R", "R", "R")
    for number, row in enumerate(rows):  # plain cells: fpdf2's table layout costs 20 ms a page
        bold = number in (0, len(rows) - 1)
        pdf.set_font(family, "B" if bold else "", 9)
        for value, width, align in zip(row, widths, aligns, strict=True):
            pdf.cell(width, 7, text(value), border=1, align=align)
        pdf.ln(7)
    if not item.lines:
        pdf.ln(2)
        pdf.cell(0, 7, text(labels["nothing"].format(member=item.member, year=item.year)), new_x="LMARGIN",
                 new_y="NEXT")  # fmt: skip
    for title, entries, who in (("issued", item.issued, "to"), ("received", item.received, "from")):
        pdf.ln(4)
        pdf.set_font(family, "B", 11)
        pdf.cell(0, 8, text(labels[title].format(member=item.member)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 9)
        if not entries:
            pdf.cell(0, 6, text(labels["none"]), new_x="LMARGIN", new_y="NEXT")
        for name, amount in entries:
            line = f"{labels[who]} {name} : {i18n.format_amount(amount, lang)} €"
            pdf.cell(0, 6, text(line), new_x="LMARGIN", new_y="NEXT")
    if item.notes:
        pdf.ln(4)
        pdf.set_font(family, "B", 11)
        pdf.cell(0, 8, text(labels["details"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8)
        # plain cells on lines wrapped here: fpdf2's multi_cell costs 10 ms a note
        per_line = int((pdf.w - pdf.l_margin - pdf.r_margin) / pdf.get_string_width("m"))
        for note in item.notes:
            for line in textwrap.wrap(text(note), width=max(40, per_line)):
                pdf.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
