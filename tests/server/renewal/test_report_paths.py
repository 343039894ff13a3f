"""The fast paths the reports on 100,000 assets take (issue 26): an XLSX table written from plain
rows, the forecast counted per kind of asset, and the Windows 11 facts of thousands of assets read
with one parameter per query (SQLite's used to be cut in pieces of 2,000)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import event, insert, select

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import AssetSource
from server.core.xlsx import XlsxBook
from server.renewal import plan, readiness
from server.renewal.assess import Assessment
from server.renewal.models import UnitPrice
from tests.utils import make_member


def test_a_table_of_plain_rows_reads_back_with_its_formats() -> None:
    book = XlsxBook()
    sheet = book.sheet("Plan", (20, 12, 12, 14, 10))
    sheet.append([book.bold("Plan 2027", 13)])
    sheet.append([book.bold(name) for name in ("Actif", "Échéance", "Âge", "Coût", "Vide")])
    sheet.extend([["PC-1", dt.date(2027, 3, 1), 6.25, 800.0, None],
                  ["=HYPERLINK(\"x\")", None, None, "non chiffré", None],
                  ["PC-3", dt.date(2027, 3, 1), Decimal("1.5")]],  # a short row: the rest empty
                 {1: "date", 2: "decimal", 3: "euros", 4: "date"})  # fmt: skip
    found = load_workbook(BytesIO(book.output()))["Plan"]
    assert found["A1"].value == "Plan 2027" and found["A1"].font.b
    assert [c.value for c in found[2]] == ["Actif", "Échéance", "Âge", "Coût", "Vide"]
    assert [c.value for c in found[3]] == ["PC-1", dt.datetime(2027, 3, 1), 6.25, 800.0, None]
    assert (found["B3"].number_format, found["C3"].number_format) == ("DD/MM/YYYY", "0.0")
    assert found["D3"].number_format == '#,##0.00 "€"'
    assert found["A4"].value == '=HYPERLINK("x")' and found["A4"].data_type == "s"  # text, never a formula
    assert found["D4"].value == "non chiffré"
    assert [c.value for c in found[5]] == ["PC-3", dt.datetime(2027, 3, 1), 1.5, None, None]
    assert found["E3"].number_format == "General"  # a column with no date takes no date format


def _item(asset_id: int, asset_type: str, due: dt.date | None, reasons: list[str], cycle: int = 5,
          battery_due: dt.date | None = None) -> Assessment:  # fmt: skip
    return Assessment(asset_id=asset_id, member_id=1, site_id=None, name=f"A{asset_id}", asset_type=asset_type,
                      category="normal", manufacturer=None, model=None, os_label=None, reference_date=None,
                      date_basis="commissioning", cycle_years=cycle, due_date=due, age_years=None,
                      battery_due=battery_due, reasons=reasons)  # fmt: skip


def test_the_forecast_counts_each_asset_in_its_years() -> None:
    prices = plan.Prices([UnitPrice(asset_type="workstation", price=Decimal("800.00")),
                          UnitPrice(asset_type="ups", price=Decimal("1800")),
                          UnitPrice(asset_type="ups_battery", price=Decimal("350"))])  # fmt: skip
    items = [
        _item(1, "workstation", dt.date(2025, 1, 1), ["overdue"]),  # in the plan: 2027, then 2032
        _item(2, "workstation", dt.date(2025, 6, 1), ["overdue"]),
        _item(3, "workstation", dt.date(2029, 1, 1), []),  # 2029 only (2034 is past the forecast)
        _item(4, "ups", dt.date(2031, 1, 1), [], cycle=8, battery_due=dt.date(2026, 5, 1)),  # battery 2027, 2031
        _item(5, "laptop", None, []),  # undated: counted nowhere
    ]
    found = plan.forecast(items, prices, 2027, battery_years=4)
    assert list(found) == list(range(2027, 2034))
    assert {year: (v["count"], v["cost"]) for year, v in found.items()} == {
        2027: (3, Decimal("1950.00")), 2028: (0, 0), 2029: (1, Decimal("800.00")), 2030: (0, 0),
        2031: (2, Decimal("2150")), 2032: (2, Decimal("1600.00")), 2033: (0, 0)}  # fmt: skip
    assert list(found[2027]["by_type"].items()) == [("workstation", 2), ("ups_battery", 1)]
    assert list(found[2031]["by_type"].items()) == [("ups", 1), ("ups_battery", 1)]  # the asset's order


def test_windows11_facts_of_thousands_of_assets_in_one_query_each(engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine)
    now = dt.datetime.now(dt.UTC)
    rows = [{"member_id": member, "asset_type": "workstation", "name": f"PC-{n}", "category": "normal",
             "lifecycle_status": "in_service", "source": AssetSource.AGENT, "created_at": now, "updated_at": now,
             "section_hashes": {}} for n in range(2500)]  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(Asset), rows)
        ids = list(connection.execute(select(Asset.id).order_by(Asset.id)).scalars())
        memory = [{"asset_id": ids[0], "memory_mb": 8192}, {"asset_id": ids[-1], "memory_mb": 2048}]
        connection.execute(insert(COMPONENT_TABLES["hardware"]), memory)
        connection.execute(insert(COMPONENT_TABLES["storages"]), [{"asset_id": ids[-1], "size_bytes": 500 * 10**9}])
    with engine.connect() as connection:
        statements: list[str] = []
        event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
        found = readiness.windows11(connection, ids)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 6  # CPUs, BIOS, firmwares, hardware, memory modules, disks
    assert len(found) == 2500
    assert "memory" in found[ids[0]].passed and "disk" in found[ids[0]].missing
    assert "memory" in found[ids[-1]].failing and "disk" in found[ids[-1]].passed
    assert found[ids[1250]].missing == ["cpu", "tpm", "secure_boot", "memory", "disk"]
