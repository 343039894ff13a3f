"""Renewal and obsolescence reports as files: CSV, XLSX (with charts) and PDF (with charts).

- the renewal plan: N+1 lines per member with reason and estimated cost, totals per member and
  per type, the multi-year forecast (renewals per year, cost per member per year);
- obsolescence: statuses, age pyramid, OS and firmware versions in use.
French by default: labels, dates 23/11/2026, amounts 1 234,50.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from server import i18n
from server.core import catalogue
from server.core.tabular import write_rows
from server.core.xlsx import XlsxBook

from .assess import REASONS, Assessment, bulk
from .plan import BATTERY, REMEDIES, REPLACE_BATTERY, PlanLine

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
PDF_MAX_LINES = 3000  # about 80 pages
AGE_BUCKETS = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 10), (10, 99)]

REASON_LABELS = catalogue.by_language("renewal.reasons")
REMEDY_LABELS = catalogue.by_language("renewal.remedies")
TEXT = catalogue.by_language("renewal")


def euros(value: Decimal | float | int, lang: str) -> str:
    """An amount as a finance office writes it: ``23 650,00 €`` (``€23,650.00`` in English)."""
    return f"{i18n.format_amount(value, lang)}\u00a0€" if lang == "fr" else f"€{i18n.format_amount(value, lang)}"


def _remedy(line: PlanLine, lang: str) -> str:
    label = " + ".join(REMEDY_LABELS[lang][fix] for fix in (line.remedy, *line.also))
    return f"{label} ({TEXT[lang]['to_check']})" if line.to_check else label


@cache
def _type_label(kind: str, lang: str) -> str:
    return TEXT[lang]["battery"] if kind == BATTERY else i18n.value_label("asset_type", kind, lang)


def _reasons(reasons: Sequence[str], lang: str) -> str:
    return _joined_reasons(tuple(reasons), lang)


@cache
def _joined_reasons(reasons: tuple[str, ...], lang: str) -> str:
    return ", ".join(REASON_LABELS[lang][r] for r in reasons)


def age_pyramid(assessments: list[Assessment], lang: str = "fr") -> list[tuple[str, int]]:
    counts: Counter[tuple[int, int]] = Counter()
    for age, number in Counter(item.age_years for item in assessments).items():  # a few thousand ages
        if age is None:
            continue
        for low, high in AGE_BUCKETS:
            if low <= age < high:
                counts[(low, high)] += number
                break
    words = TEXT.get(lang, TEXT["fr"])
    return [(words["age_range"].format(low=low, high=high) if high < 99 else words["age_over"].format(low=low),
             counts[(low, high)]) for low, high in AGE_BUCKETS]  # fmt: skip


def versions(assessments: list[Assessment], limit: int = 12) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for item in assessments:
        if item.eol is not None:
            counts[f"{item.eol.title} {item.eol.label}"] += 1
        elif item.os_label:
            counts[item.os_label.split(" build ")[0]] += 1
    return counts.most_common(limit)


def average_ages(assessments: list[Assessment], lang: str) -> list[tuple[str, float]]:
    """Average age in years per asset type (dated assets only), oldest first."""
    ages: dict[str, list[float]] = defaultdict(list)
    for item in assessments:
        if item.age_years is not None:
            ages[item.asset_type].append(item.age_years)
    averages = [(_type_label(kind, lang), round(sum(v) / len(v), 1)) for kind, v in ages.items()]
    return sorted(averages, key=lambda pair: -pair[1])


def statuses(assessments: list[Assessment], lang: str) -> list[tuple[str, int]]:
    counts = Counter(item.status for item in assessments)
    return [(REASON_LABELS[lang][s], counts[s]) for s in ("ok", *REASONS) if counts[s]]


# -- plan -----------------------------------------------------------------------------------


def ordered(lines: list[PlanLine], members: dict[int, str]) -> list[PlanLine]:
    return sorted(lines, key=lambda ln: (members.get(ln.assessment.member_id or 0, ""), ln.assessment.name or ""))


class _Words:
    """A report's cell texts, each written once per distinct value (a parc has a few thousand
    dates, ages and amounts for a hundred thousand rows)."""

    def __init__(self, lang: str) -> None:
        self.lang, self.estimated = lang, TEXT[lang]["estimated"]
        self._days: dict[Any, str] = {}
        self._ages: dict[tuple[float | None, bool], str] = {}
        self._euros: dict[Decimal, str] = {}
        self._remedies: dict[tuple[str, tuple[str, ...], bool], str] = {}
        self._kinds: dict[str, str] = {}
        self._reasons: dict[tuple[str, ...], str] = {}

    def day(self, value: Any) -> str:
        found = self._days.get(value)
        if found is None:
            found = self._days[value] = i18n.format_value(value, self.lang)
        return found

    def age(self, years: float | None, estimated: bool = False) -> str:
        found = self._ages.get((years, estimated))
        if found is None:
            found = "" if years is None else i18n.format_value(Decimal(str(years)), self.lang)
            if estimated and found:
                found += f" ({self.estimated})"
            self._ages[(years, estimated)] = found
        return found

    def euros(self, value: Decimal) -> str:
        found = self._euros.get(value)
        if found is None:
            found = self._euros[value] = euros(value, self.lang)
        return found

    def remedy(self, line: PlanLine) -> str:
        key = (line.remedy, line.also, line.assessment.readiness is not None and bool(line.to_check))
        found = self._remedies.get(key)
        if found is None:
            found = self._remedies[key] = _remedy(line, self.lang)
        return found

    def kind(self, kind: str) -> str:
        found = self._kinds.get(kind)
        if found is None:
            found = self._kinds[kind] = _type_label(kind, self.lang)
        return found

    def reasons(self, reasons: list[str]) -> str:
        key = tuple(reasons)
        found = self._reasons.get(key)
        if found is None:
            found = self._reasons[key] = _joined_reasons(key, self.lang)
        return found


def plan_header(lang: str) -> list[str]:
    text = TEXT[lang]
    return [text["member"], text["asset"], text["type"], text["reasons"], text["due"], text["age"], text["cost"],
            text["remedy"]]  # fmt: skip


def plan_rows(lines: list[PlanLine], members: dict[int, str], lang: str, *, typed: bool = False) -> list[list[Any]]:
    """Header, then a row per line in member and name order (``ordered``). ``typed``: the due date
    as a date, the age and the cost as numbers (a spreadsheet's cells), else all as text."""
    words, unpriced = _Words(lang), TEXT[lang]["unpriced"]
    rows: list[list[Any]] = [plan_header(lang)]
    append = rows.append
    for line in ordered(lines, members):
        item = line.assessment
        kind = BATTERY if line.remedy == REPLACE_BATTERY else item.asset_type  # ``battery_only``
        cost = line.cost
        if typed:
            due: Any = line.due
            age: Any = item.age_years  # a number, one decimal (estimates flagged in CSV/PDF)
            price: Any = unpriced if cost is None else float(cost)
        else:
            due, age = words.day(line.due), words.age(item.age_years, item.estimated)
            price = unpriced if cost is None else words.euros(cost)
        append([members.get(item.member_id or 0, ""), item.name or f"#{item.asset_id}", words.kind(kind),
                words.reasons(item.reasons), due, age, price, words.remedy(line)])  # fmt: skip
    return rows


def cost_per_member(lines: list[PlanLine], members: dict[int, str]) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[members.get(line.assessment.member_id or 0, "")] += line.cost or 0
    return sorted(totals.items())


@bulk()
def plan_csv(lines: list[PlanLine], members: dict[int, str], year: int, lang: str) -> bytes:
    totals = [[TEXT[lang]["total"], member, "", "", "", "", euros(total, lang)]
              for member, total in cost_per_member(lines, members)]  # fmt: skip
    return write_rows([[TEXT[lang]["plan"].format(year=year)], *plan_rows(lines, members, lang), [], *totals])


@bulk()
def plan_xlsx(lines: list[PlanLine], members: dict[int, str], forecast: dict[int, dict[str, Any]], year: int,
              lang: str) -> bytes:  # fmt: skip
    text = TEXT[lang]
    book = XlsxBook()
    sheet = book.sheet(str(year), (26, 28, 20, 44, 12, 16, 16, 30))
    sheet.append([book.bold(text["plan"].format(year=year), 13)])
    rows = plan_rows(lines, members, lang, typed=True)  # numbers and dates, not text
    sheet.append([book.bold(label) for label in rows[0]])
    sheet.extend(rows[1:], {4: "date", 5: "decimal", 6: "euros"})

    totals = book.sheet(text["total"], (30, 18))
    totals.append([book.bold(text["member"]), book.bold(text["cost"])])
    for member, total in cost_per_member(lines, members):
        totals.append([member, book.euros(total)])
    totals.append([text["total"], book.euros(sum((ln.cost or 0 for ln in lines), Decimal(0)))])

    ahead = book.sheet(text["forecast"].format(n=len(forecast)), (10, 12, 18))
    ahead.append([text["year"], text["count"], text["cost"]])
    for when, values in forecast.items():
        ahead.append([when, values["count"], book.euros(values["cost"])])
    ahead.bar_chart(text["renewals_per_year"], categories=0, values=1)
    return book.output()


@bulk()
def obsolescence_xlsx(assessments: list[Assessment], members: dict[int, str], when: str, lang: str) -> bytes:
    text = TEXT[lang]
    book = XlsxBook()
    tables = (
        (text["statuses"], statuses(assessments, lang)),
        (text["pyramid"], age_pyramid(assessments, lang)),
        (text["average_age"], average_ages(assessments, lang)),
        (text["versions"], versions(assessments)),
    )
    for number, (title, data) in enumerate(tables):
        target = book.sheet(title[:31], (40, 12))
        if number == 0:
            target.append([book.bold(text["obsolescence"].format(date=when), 13)])
        target.append([book.bold(title), book.bold(text["count"])])
        for label, count in data:
            target.append([label, count])
        target.bar_chart(title, categories=0, values=1, horizontal=True)
    detail = book.sheet(text["detail"], (26, 28, 20, 44, 12, 10, 44))
    rows = obsolescence_rows(assessments, members, lang, typed=True)
    detail.append([book.bold(label) for label in rows[0]])
    detail.extend(rows[1:], {4: "date", 5: "decimal"})
    return book.output()


# -- PDF ------------------------------------------------------------------------------------


class _Pdf:
    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(orientation="landscape")
        self.unicode = FONT.exists() and FONT_BOLD.exists()
        if self.unicode:
            self.pdf.add_font("DejaVu", "", str(FONT))
            self.pdf.add_font("DejaVu", "B", str(FONT_BOLD))
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.pdf.set_auto_page_break(True, 15)

    def text(self, value: str) -> str:
        return value if self.unicode else value.replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")

    def title(self, value: str, size: int = 15) -> None:
        self.pdf.set_font(self.family, "B", size)
        self.pdf.cell(0, 10, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def table(self, rows: list[list[str]], widths: Sequence[float], aligns: str) -> None:
        for number, row in enumerate(rows):
            self.pdf.set_font(self.family, "B" if number == 0 else "", 8)
            if self.pdf.get_y() > self.pdf.h - 20:
                self.pdf.add_page()
            for value, width, align in zip(row, widths, aligns, strict=True):
                self.pdf.cell(width, 6, self.text(value)[:70], border=1, align=align)
            self.pdf.ln(6)

    def bars(self, title: str, data: list[tuple[str, float]], *, height: float = 70,
             formatter: Callable[[float], str] = lambda v: f"{v:g}") -> None:  # fmt: skip
        """A horizontal bar chart: one labelled bar per item, its value at the end."""
        pdf = self.pdf
        if pdf.get_y() + height + 12 > pdf.h - 15:
            pdf.add_page()
        self.title(title, 11)
        top, left, label_width, width = pdf.get_y(), pdf.l_margin, 70, 170
        biggest = max((v for _, v in data), default=0) or 1
        step = min(8, height / max(len(data), 1))
        pdf.set_font(self.family, "", 8)
        for number, (label, value) in enumerate(data):
            y = top + number * step
            pdf.set_xy(left, y)
            pdf.cell(label_width, step, self.text(label)[:45], align="R")
            pdf.set_fill_color(52, 101, 164)
            pdf.rect(left + label_width + 2, y + 1, max(0.5, width * value / biggest), step - 2, style="F")
            pdf.set_xy(left + label_width + 4 + width * value / biggest, y)
            pdf.cell(30, step, self.text(formatter(value)))
        pdf.set_xy(left, top + len(data) * step + 4)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


@bulk()
def plan_pdf(lines: list[PlanLine], members: dict[int, str], forecast: dict[int, dict[str, Any]],
             per_member_per_year: dict[str, dict[int, Decimal]], year: int, lang: str) -> bytes:  # fmt: skip
    """Totals first (per member, per type, the forecast with its charts), then the lines to renew.

    A PDF is read, not filtered: beyond ``PDF_MAX_LINES`` lines (a whole parc of many members) the
    detail is left to the XLSX and CSV exports, and to each member's own plan.
    """
    text = TEXT[lang]
    document = _Pdf()
    document.pdf.add_page()
    document.title(text["plan"].format(year=year))
    grand = sum((ln.cost or 0 for ln in lines), Decimal(0))
    by_remedy: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for line in lines:
        by_remedy[line.remedy][0] += 1
        by_remedy[line.remedy][1] += line.cost or 0
    document.table([[text["per_remedy"], text["count"], text["cost"]],
                    *[[REMEDY_LABELS[lang][k], str(by_remedy[k][0]), euros(by_remedy[k][1], lang)]
                      for k in REMEDIES if k in by_remedy],
                    [text["total"], str(len(lines)), euros(grand, lang)]], (60, 20, 40), "LRR")  # fmt: skip
    document.pdf.ln(4)
    totals = [[member, euros(total, lang)] for member, total in cost_per_member(lines, members)]
    document.table([[text["member"], text["cost"]], *totals, [text["total"], euros(grand, lang)]],
                   (60, 40), "LR")  # fmt: skip
    by_kind: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for line in lines:
        kind = by_kind[BATTERY if line.remedy == REPLACE_BATTERY else line.assessment.asset_type]  # battery_only
        kind[0] += 1
        kind[1] += line.cost or 0
    by_type: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for kind_name, (count, cost) in by_kind.items():  # two kinds may share a label
        by_type[_type_label(kind_name, lang)][0] += count
        by_type[_type_label(kind_name, lang)][1] += cost
    document.pdf.ln(4)
    document.table([[text["per_type"], text["count"], text["cost"]],
                    *[[k, str(n), euros(c, lang)] for k, (n, c) in sorted(by_type.items())]],
                   (60, 20, 40), "LRR")  # fmt: skip
    document.pdf.add_page()
    document.bars(text["renewals_per_year"], [(str(y), float(v["count"])) for y, v in forecast.items()])
    document.bars(text["cost_per_year"], [(str(y), float(v["cost"])) for y, v in forecast.items()],
                  formatter=lambda v: euros(v, lang))  # fmt: skip
    years = list(forecast)
    document.pdf.add_page()
    document.title(text["cost_per_member"], 11)
    document.table([[text["member"], *map(str, years)],
                    *[[member, *(euros(costs.get(y, 0), lang) for y in years)]
                      for member, costs in sorted(per_member_per_year.items())]],
                   (50, *[30] * len(years)), "L" + "R" * len(years))  # fmt: skip
    document.pdf.add_page()
    if len(lines) <= PDF_MAX_LINES:
        document.table(plan_rows(lines, members, lang), (36, 42, 28, 56, 22, 20, 28, 44), "LLLLRRRL")
    else:
        document.title(text["too_many_lines"].format(count=len(lines)), 11)
    return document.output()


def obsolescence_rows(assessments: list[Assessment], members: dict[int, str], lang: str, *,
                      typed: bool = False) -> list[list[Any]]:  # fmt: skip
    """Header, then one row per asset: member, name, type, reasons, due date, age, OS/firmware
    (``typed``: the due date a date and the age a number, else text)."""
    text, words, ok = TEXT[lang], _Words(lang), REASON_LABELS[lang]["ok"]
    rows: list[list[Any]] = [[text["member"], text["asset"], text["type"], text["reasons"], text["due"], text["age"],
                              text["os"]]]  # fmt: skip
    append = rows.append
    for item in assessments:
        due: Any = item.due_date if typed else words.day(item.due_date)
        age: Any = item.age_years if typed else words.age(item.age_years)
        append([members.get(item.member_id or 0, ""), item.name or f"#{item.asset_id}", words.kind(item.asset_type),
                words.reasons(item.reasons) or ok, due, age, item.os_label or ""])  # fmt: skip
    return rows


@bulk()
def obsolescence_csv(assessments: list[Assessment], members: dict[int, str], when: str, lang: str) -> bytes:
    return write_rows([[TEXT[lang]["obsolescence"].format(date=when)], *obsolescence_rows(assessments, members, lang)])


def obsolescence_pdf(assessments: list[Assessment], when: str, lang: str) -> bytes:
    text = TEXT[lang]
    document = _Pdf()
    document.pdf.add_page()
    document.title(text["obsolescence"].format(date=when))
    document.bars(text["statuses"], [(label, float(n)) for label, n in statuses(assessments, lang)])
    document.bars(text["pyramid"], [(label, float(n)) for label, n in age_pyramid(assessments, lang)])
    document.pdf.add_page()
    document.bars(text["average_age"], average_ages(assessments, lang),
                  formatter=lambda v: i18n.format_value(Decimal(str(v)), lang))  # fmt: skip
    document.bars(text["versions"], [(label, float(n)) for label, n in versions(assessments)], height=110)
    return document.output()
