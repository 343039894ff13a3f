"""Statements explain the money: each line's share recomputes its amount in both rounding modes,
the rounding mode and difference are said, tiers and audit deductions are broken down, and the
settlement is in the PDF and the XLSX."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from openpyxl import load_workbook

from tests.conftest import need
from tests.server.allocation.test_seed_figures import AUDIT_TIERS, TIERS, seed004  # noqa: F401
from tests.utils import make_member, make_user

CENT = Decimal("0.01")
NUMBER = r"([\d,]+)"
MONEY = r"([\d\s\u202f,]+)"


def french(text: str) -> Decimal:
    return Decimal(text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))


def recomputed(notes: list[str]) -> dict[str, tuple[Decimal, str]]:
    """Pool -> (the amount a calculator gets from the note, the note), for pro-rata lines."""
    found = {}
    for note in notes:
        pool, detail = note.split(" : ", 1)
        exact = re.match(rf"{NUMBER} / {NUMBER} .*? × {MONEY} € = {NUMBER} € → {MONEY} €", detail)
        percent = re.match(rf"{NUMBER} / {NUMBER} .*? = {NUMBER} % ; {NUMBER} % × {MONEY} € = {MONEY} €", detail)
        if exact:
            value, total, amount = (french(exact.group(n)) for n in (1, 2, 3))  # then the exact share, rounded
            found[pool] = ((amount * value / total).quantize(Decimal("0.0001")), note)
        elif percent:
            value, total, rate, amount = (french(percent.group(n)) for n in (1, 2, 4, 5))
            assert rate == (value * 100 / total).quantize(CENT, rounding=ROUND_HALF_UP), note
            found[pool] = ((amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP), note)
    return found


def test_shares_recompute_the_amounts_in_both_modes(client, seed004) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ids, admin = seed004
    url = f"/api/v1/allocation/2022/statements/{ids['Servon']}"
    statement = client.get(url, headers=admin).json()
    amounts = {line["pool"].split(" (")[0]: Decimal(line["amount"]) for line in statement["lines"]}
    computed = recomputed(statement["notes"])
    assert set(computed) == set(amounts) and len(amounts) == 5
    assert {pool: value for pool, (value, _) in computed.items()} == amounts
    infrastructure = computed["Infrastructure mutualisée"][1]
    assert "pourcentage à 2 décimales" in infrastructure and "écart du poste : 0,01 €" in infrastructure

    pools = client.get("/api/v1/pools", params={"year": 2022}, headers=admin).json()
    pool = next(p for p in pools if p["name"] == "Infrastructure mutualisée")
    client.put(f"/api/v1/pools/{pool['id']}", json={**pool, "rounding": "largest_remainder"}, headers=admin)
    exact = client.get(url, headers=admin).json()
    line = next(line for line in exact["lines"] if line["pool"].startswith("Infrastructure"))
    value, note = recomputed(exact["notes"])["Infrastructure mutualisée"]
    assert (line["amount"], line["percent"]) == ("4156.83", "10,6147")
    assert abs(value - Decimal(line["amount"])) < CENT and "plus forts restes" in note and "0,00 €" in note

    pdf = client.get(url, params={"format": "pdf"}, headers=admin).content
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (Debian poppler-utils)")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Titres reçus par Servon" in text and "Brie-Comte-Robert" in text and "Détail du calcul" in text
    assert "plus forts restes" in text
    sheet = load_workbook(BytesIO(client.get(url, params={"format": "xlsx"}, headers=admin).content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    owed = float(dict(exact["received"])["Brie-Comte-Robert"])
    assert "Titres reçus par Servon" in cells and "De" in cells and owed in cells
    assert any(isinstance(c, str) and c.startswith("Infrastructure mutualisée : 613 / 5775 Go") for c in cells)


def test_tiers_and_audit_deduction_are_broken_down(client, engine) -> None:  # type: ignore[no-untyped-def]
    commune = make_member(engine, "Commune de 2 355 habitants", insee_code="35236")
    admin = make_user(engine, "dsit", role="admin")
    client.post("/api/v1/keys/population/import", params={"year": 2023}, headers=admin,
                files={"file": ("insee.csv", b"Code INSEE;Population\n35236;2 355\n", "text/csv")})  # fmt: skip
    parameters = {"tiers": TIERS, "per_inhabitant": "1.5", "deduct_tiers": AUDIT_TIERS, "deduct_for": [commune]}
    pool = {"year": 2023, "name": "Socle complet", "model": "population_tiers", "parameters": parameters}
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201
    statement = client.get(f"/api/v1/allocation/2023/statements/{commune}", headers=admin).json()
    assert statement["lines"][0]["amount"] == "2032.50"
    assert statement["notes"] == [
        "Socle complet : 2355 habitants, tranche de 1500 à moins de 3000 : fixe 2\u202f000,00 € + 2355 × 1,50 € "
        "= 5\u202f532,50 € − audit déduit 3\u202f500,00 € = 2\u202f032,50 €"
    ]
