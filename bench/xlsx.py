"""XLSX writers side by side on the shape of the renewal plan: 100,000 rows × 12 cells (text,
a date, a one-decimal age, euros), each writer with its own formats, CPU and wall time.

- Mutuparc's ``server.core.xlsx.XlsxBook`` (rust_xlsxwriter through ``rustpy-xlsxwriter``), with
  plain rows and formats per column (``extend``, what the reports use), and with a ``Styled`` cell
  per number or date;
- the references in the same run: openpyxl in write-only mode (what the reports used before),
  and xlsxwriter in constant-memory mode when it is installed (``pip install xlsxwriter``).

    python bench/xlsx.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from collections.abc import Callable

from common import PROJECT  # noqa: F401  (puts the project on sys.path)

from server.core.xlsx import XlsxBook

Row = list[object]


def rows(count: int) -> list[Row]:
    return [[f"Commune {n % 100}", f"PC-{n}", "Poste de travail", "Windows 10 Pro 22H2", dt.date(2027, 1, 1),
             round(3 + n % 70 / 10, 1), 900.0, "Remplacer", f"S{n:08d}", n, "Dell", "OptiPlex 7060"]
            for n in range(count)]  # fmt: skip


def mutuparc(data: list[Row]) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("Plan", [18] * 12)
    sheet.append([book.bold(f"Colonne {n}") for n in range(12)])
    for row in data:
        sheet.append([*row[:4], book.date(row[4]), book.decimal(row[5]), book.euros(row[6]), *row[7:]])  # type: ignore[arg-type]
    return book.output()


def mutuparc_plain_rows(data: list[Row]) -> bytes:
    """What the reports do: plain rows, the formatted columns declared once (``_Sheet.extend``)."""
    book = XlsxBook()
    sheet = book.sheet("Plan", [18] * 12)
    sheet.append([book.bold(f"Colonne {n}") for n in range(12)])
    sheet.extend(data, {4: "date", 5: "decimal", 6: "euros"})
    return book.output()


def openpyxl_write_only(data: list[Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Plan")
    sheet.append([f"Colonne {n}" for n in range(12)])
    for row in data:
        date = WriteOnlyCell(sheet, value=row[4])
        date.number_format = "DD/MM/YYYY"
        age = WriteOnlyCell(sheet, value=row[5])
        age.number_format = "0.0"
        cost = WriteOnlyCell(sheet, value=row[6])
        cost.number_format = '#,##0.00 "€"'
        sheet.append([*row[:4], date, age, cost, *row[7:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsxwriter_constant_memory(data: list[Row]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("Plan")
    formats = {4: book.add_format({"num_format": "DD/MM/YYYY"}), 5: book.add_format({"num_format": "0.0"}),
               6: book.add_format({"num_format": '#,##0.00 "€"'})}  # fmt: skip
    sheet.write_row(0, 0, [f"Colonne {n}" for n in range(12)])
    for number, row in enumerate(data, start=1):
        for column, value in enumerate(row):
            if column == 4:
                sheet.write_datetime(number, column, dt.datetime.combine(value, dt.time()), formats[4])  # type: ignore[arg-type]
            elif isinstance(value, str):
                sheet.write_string(number, column, value)
            else:
                sheet.write_number(number, column, value, formats.get(column))  # type: ignore[arg-type]
    book.close()
    return out.getvalue()


def measure(name: str, writer: Callable[[list[Row]], bytes], data: list[Row]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    size = len(writer(data))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"  {name}: {wall:.2f} s wall, {cpu:.2f} s CPU, {size / 1e6:.1f} MB", flush=True)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    arguments = parser.parse_args()
    data = rows(arguments.rows)
    print(f"XLSX writers, {arguments.rows} rows × 12 cells")
    ours = measure("Mutuparc (rust_xlsxwriter), plain rows as the reports write them", mutuparc_plain_rows, data)
    measure("Mutuparc (rust_xlsxwriter), a Styled cell per number or date", mutuparc, data)
    reference = measure("reference: openpyxl write-only", openpyxl_write_only, data)
    try:
        measure("reference: xlsxwriter constant-memory", xlsxwriter_constant_memory, data)
    except ImportError:
        print("  reference: xlsxwriter not installed (pip install xlsxwriter)")
    print(f"  Mutuparc vs openpyxl: {reference[1] / ours[1]:.1f}× less CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
