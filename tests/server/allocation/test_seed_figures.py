"""BRIEF.md sections A-C reproduced to the cent, from keys fed through the real paths.

Tickets are imported from the helpdesk's CSV; the GB per member are measured from the volumes a
collector reports for the datacenter NAS, mapped to members; the pools are declared through the
API. The seed's hand-made table is then imported and exactly its ten wrong cells are reported.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.server.web.test_csrf import form_token
from tests.utils import make_enrolment_token, make_member, make_user, post_inventory

DATA = Path(__file__).parent / "data"
MEMBERS = ["Brie-Comte-Robert", "Chevry-Cossigny", "Servon", "Varennes-Jarcy", "CCOB"]
GIB_IN_MIB = 1024


def nas_inventory(volumes: dict[str, int]) -> dict:  # type: ignore[type-arg]
    """What the SNMP collector sends for the datacenter NAS: a volume per member share, sizes in MiB."""
    drives = [
        {"type": f"/volume1/{name}", "label": name, "total": (used + 100) * GIB_IN_MIB, "free": 100 * GIB_IN_MIB}
        for name, used in volumes.items()
    ]
    return {
        "action": "netinventory",
        "deviceid": "snmp-sn-2150PDN512347",
        "itemtype": "NetworkEquipment",
        "content": {
            "versionclient": "Mutuparc-Collector_v0.1.0",
            "network_device": {"type": "Storage", "name": "NAS-DSIT-01", "manufacturer": "Synology",
                               "model": "DS1821+", "serial": "2150PDN512347", "mutuparc_type": "nas"},
            "drives": drives,
        },
    }  # fmt: skip


def csv_file(path: Path) -> dict:  # type: ignore[type-arg]
    return {"file": (path.name, path.read_bytes(), "text/csv")}


@pytest.fixture
def seed004(client, engine):  # type: ignore[no-untyped-def]
    """The five members of seed 004 with the year 2022's keys and pools, through the API."""
    ids = {name: make_member(engine, name) for name in MEMBERS}
    admin = make_user(engine, "dsit", role="admin")
    bcr, ccob = ids["Brie-Comte-Robert"], ids["CCOB"]

    imported = client.post("/api/v1/keys/tickets/import", params={"year": 2022}, headers=admin,
                           files=csv_file(DATA / "tickets_2022.csv"))  # fmt: skip
    assert imported.status_code == 200, imported.text
    assert (imported.json()["imported"], imported.json()["errors"]) == (5, 0)

    collector = make_enrolment_token(engine, bcr, kind="collector")
    stored = post_inventory(client, nas_inventory({"servon": 613, "bcr": 5000, "ccob": 162, "tmp": 40}),
                            token=collector)  # fmt: skip
    assert stored.status_code == 200, stored.text
    for share, member in (("servon", "Servon"), ("bcr", "Brie-Comte-Robert"), ("ccob", "CCOB")):
        mapping = {"member_id": ids[member], "pattern": f"/volume1/{share}"}
        assert client.post("/api/v1/storage/mappings", json=mapping, headers=admin).status_code == 201

    pools = [
        {"name": "Service commun BCR", "amount": "179103", "advanced_by_id": bcr, "key_code": "tickets"},
        {"name": "Service commun CCOB", "amount": "37551", "advanced_by_id": ccob, "key_code": "tickets"},
        {"name": "Déplacements BCR", "amount": "1620", "advanced_by_id": bcr, "key_code": "tickets", "exclude": [bcr],
         "note": "45 € x 3 agents x 12 mois"},
        {"name": "Déplacements CCOB", "amount": "540", "advanced_by_id": ccob, "key_code": "tickets",
         "exclude": [bcr], "note": "45 € x 1 agent x 12 mois"},
        {"name": "Infrastructure mutualisée", "amount": "39161", "advanced_by_id": bcr, "key_code": "storage_gb"},
    ]  # fmt: skip
    for position, pool in enumerate(pools):
        created = client.post("/api/v1/pools", json={"year": 2022, "position": position, **pool}, headers=admin)
        assert created.status_code == 201, created.text
    return ids, admin


def test_storage_is_measured_from_the_collector_volumes(client, seed004) -> None:  # type: ignore[no-untyped-def]
    ids, admin = seed004
    values = client.get("/api/v1/keys/storage_gb/values", headers=admin).json()
    assert {v["member"]: Decimal(v["value"]) for v in values["data"]} == {
        "Servon": 613, "Brie-Comte-Robert": 5000, "CCOB": 162}  # fmt: skip
    unmapped = client.get("/api/v1/storage/volumes", params={"unmapped": True}, headers=admin).json()
    assert [(v["label"], Decimal(v["used_gb"])) for v in unmapped] == [("tmp", 40)]  # shown, never dropped
    behind = client.get("/api/v1/keys/storage_gb/assets", params={"member_id": ids["Servon"]}, headers=admin).json()
    assert [(v["asset_name"], v["mount"]) for v in behind] == [("NAS-DSIT-01", "/volume1/servon")]


def test_seed_004_to_the_cent(client, seed004) -> None:  # type: ignore[no-untyped-def]
    ids, admin = seed004
    names = {v: k for k, v in ids.items()}
    result = client.get("/api/v1/allocation/2022", headers=admin).json()
    parts = {(p["pool"], s["member"]): (s["percent"], s["amount"]) for p in result["pools"] for s in p["shares"]}
    assert {k: v[1] for k, v in parts.items() if k[0] == "Service commun BCR"} == {
        ("Service commun BCR", "Brie-Comte-Robert"): "143371.95", ("Service commun BCR", "Chevry-Cossigny"): "14238.69",
        ("Service commun BCR", "Servon"): "11749.16", ("Service commun BCR", "Varennes-Jarcy"): "6877.56",
        ("Service commun BCR", "CCOB"): "2865.65"}  # fmt: skip
    assert {k[1]: v for k, v in parts.items() if k[0] == "Service commun CCOB"} == {
        "Brie-Comte-Robert": ("80.05", "30059.58"), "Chevry-Cossigny": ("7.95", "2985.30"),
        "Servon": ("6.56", "2463.35"), "Varennes-Jarcy": ("3.84", "1441.96"), "CCOB": ("1.60", "600.82")}  # fmt: skip
    assert {k[1]: v for k, v in parts.items() if k[0] == "Déplacements BCR"} == {
        "Servon": ("32.89", "532.82"), "Chevry-Cossigny": ("39.84", "645.41"),
        "Varennes-Jarcy": ("19.25", "311.85"), "CCOB": ("8.02", "129.92")}  # fmt: skip
    assert {k[1]: v[1] for k, v in parts.items() if k[0] == "Déplacements CCOB"} == {
        "Servon": "177.61", "Chevry-Cossigny": "215.14", "Varennes-Jarcy": "103.95", "CCOB": "43.31"}  # fmt: skip
    assert {k[1]: v for k, v in parts.items() if k[0] == "Infrastructure mutualisée"} == {
        "Servon": ("10.61", "4154.98"),
        "Brie-Comte-Robert": ("86.58", "33905.59"),
        "CCOB": ("2.81", "1100.42"),
    }
    infrastructure = next(p for p in result["pools"] if p["pool"] == "Infrastructure mutualisée")
    assert infrastructure["total"] == "39160.99"  # one cent lost by the 2-decimal convention

    assert {t["member"]: t["value"] for t in result["totals"]} == {
        "Brie-Comte-Robert": "207337.12", "CCOB": "4740.12", "Chevry-Cossigny": "18084.54", "Servon": "19077.92",
        "Varennes-Jarcy": "8735.32"}  # fmt: skip
    invoices = {(i["issuer"], i["debtor"]): i["amount"] for i in result["invoices"]}
    assert invoices == {
        ("Brie-Comte-Robert", "CCOB"): "4095.99", ("Brie-Comte-Robert", "Chevry-Cossigny"): "14884.10",
        ("Brie-Comte-Robert", "Servon"): "16436.96", ("Brie-Comte-Robert", "Varennes-Jarcy"): "7189.41",
        ("CCOB", "Brie-Comte-Robert"): "30059.58", ("CCOB", "Chevry-Cossigny"): "3200.44",
        ("CCOB", "Servon"): "2640.96", ("CCOB", "Varennes-Jarcy"): "1545.91"}  # fmt: skip
    assert set(names.values()) == {t["member"] for t in result["totals"]}


def test_largest_remainder_mode_gives_back_the_lost_cent(client, seed004) -> None:  # type: ignore[no-untyped-def]
    admin = seed004[1]
    pools = client.get("/api/v1/pools", params={"year": 2022}, headers=admin).json()
    infrastructure = next(p for p in pools if p["name"] == "Infrastructure mutualisée")
    changed = {**infrastructure, "rounding": "largest_remainder"}
    assert client.put(f"/api/v1/pools/{infrastructure['id']}", json=changed, headers=admin).status_code == 200
    result = client.get("/api/v1/allocation/2022", headers=admin).json()
    pool = next(p for p in result["pools"] if p["pool"] == "Infrastructure mutualisée")
    assert pool["total"] == "39161.00"
    assert {s["member"]: s["amount"] for s in pool["shares"]} == {
        "Servon": "4156.83", "Brie-Comte-Robert": "33905.63", "CCOB": "1098.54"}  # fmt: skip


def test_the_seed_table_has_exactly_ten_wrong_cells(client, seed004) -> None:  # type: ignore[no-untyped-def]
    admin = seed004[1]
    answer = client.post("/api/v1/allocation/2022/compare", headers=admin,
                         files=csv_file(DATA / "seed004_table_2022.csv"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["unreadable"] == []
    found = {(d["kind"], d["member"], d["pool"] or d["debtor"]): (d["expected"], d["found"])
             for d in report["differences"]}  # fmt: skip
    assert found == {
        ("part", "Brie-Comte-Robert", "Service commun CCOB"): ("30059.58", "30059.57"),
        ("part", "Servon", "Service commun CCOB"): ("2463.35", "2463.34"),
        ("part", "Varennes-Jarcy", "Service commun BCR"): ("6877.56", "6877.55"),
        ("total", "Brie-Comte-Robert", ""): ("207337.12", "207337.11"),
        ("total", "Servon", ""): ("19077.92", "19077.91"),
        ("total", "Varennes-Jarcy", ""): ("8735.32", "8735.31"),
        ("titre", "Brie-Comte-Robert", "Chevry-Cossigny"): ("14884.10", "15884.10"),
        ("titre", "Brie-Comte-Robert", "Varennes-Jarcy"): ("7189.41", "7189.40"),
        ("titre", "CCOB", "Brie-Comte-Robert"): ("30059.58", "30059.57"),
        ("titre", "CCOB", "Servon"): ("2640.96", "2640.95"),
    }

    # Our own table, exported then read back, has no difference at all.
    exported = client.get("/api/v1/allocation/2022/table", headers=admin)
    again = client.post("/api/v1/allocation/2022/compare", headers=admin,
                        files={"file": ("ours.csv", exported.content, "text/csv")})  # fmt: skip
    assert again.json() == {"year": 2022, "differences": [], "unreadable": []}


def test_statements_per_member(client, engine, seed004) -> None:  # type: ignore[no-untyped-def]
    ids, admin = seed004
    servon = ids["Servon"]
    statement = client.get(f"/api/v1/allocation/2022/statements/{servon}", headers=admin).json()
    assert statement["total"] == "19077.92"
    assert [(line["pool"], line["value"], line["percent"], line["amount"]) for line in statement["lines"]] == [
        ("Service commun BCR (avancé par Brie-Comte-Robert)", "123 tickets", "6,56", "11749.16"),
        ("Service commun CCOB (avancé par CCOB)", "123 tickets", "6,56", "2463.35"),
        ("Déplacements BCR (avancé par Brie-Comte-Robert)", "123 tickets", "32,89", "532.82"),
        ("Déplacements CCOB (avancé par CCOB)", "123 tickets", "32,89", "177.61"),
        ("Infrastructure mutualisée (avancé par Brie-Comte-Robert)", "613 Go", "10,61", "4154.98"),
    ]
    assert statement["received"] == [["Brie-Comte-Robert", "16436.96"], ["CCOB", "2640.96"]]

    csv_text = client.get(f"/api/v1/allocation/2022/statements/{servon}", params={"format": "csv"},
                          headers=admin).content.decode("utf-8-sig")  # fmt: skip
    assert "Relevé de contribution 2022;Servon" in csv_text and "Total;;;;19077,92" in csv_text
    pdf = client.get(f"/api/v1/allocation/2022/statements/{servon}", params={"format": "pdf"}, headers=admin)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/api/v1/allocation/2022/statements/{servon}", params={"format": "xlsx"}, headers=admin)
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Total", 19077.92] in rows

    everyone = client.get("/api/v1/allocation/2022/statements", params={"format": "pdf"}, headers=admin)
    assert everyone.content.startswith(b"%PDF") and everyone.content.count(b"/Type /Page\n") >= 5
    together = client.get("/api/v1/allocation/2022/statements", params={"format": "csv"}, headers=admin)
    assert together.content.decode("utf-8-sig").count("Relevé de contribution 2022") == 5

    # A member reads its own statement and nobody else's.
    reader = make_user(engine, "lecteur-servon", role="member_reader", member_id=servon)
    assert client.get(f"/api/v1/allocation/2022/statements/{servon}", headers=reader).status_code == 200
    assert client.get(f"/api/v1/allocation/2022/statements/{ids['CCOB']}", headers=reader).status_code == 404
    own = client.get("/api/v1/allocation/2022", headers=reader).json()
    assert {t["member"] for t in own["totals"]} == {"Servon"}
    assert {(i["issuer"], i["debtor"]) for i in own["invoices"]} == {
        ("Brie-Comte-Robert", "Servon"),
        ("CCOB", "Servon"),
    }
    assert client.post("/api/v1/allocation/2022/compare", headers=reader,
                       files=csv_file(DATA / "seed004_table_2022.csv")).status_code == 403  # fmt: skip
    values = client.get("/api/v1/keys/tickets/values", params={"year": 2022}, headers=reader).json()
    assert [v["member"] for v in values["data"]] == ["Servon"]


TIERS = [{"min": 3000, "max": 8001, "fixed": 2500}, {"min": 1500, "max": 3000, "fixed": 2000},
         {"min": 0, "max": 1500, "fixed": 1500}]  # fmt: skip
AUDIT_TIERS = [{"min": 3000, "max": 8001, "fixed": 7000}, {"min": 1500, "max": 3000, "fixed": 3500},
               {"min": 0, "max": 1500, "fixed": 990}]  # fmt: skip


def test_redon_population_tiers_and_audit_deducted_the_first_year(client, engine) -> None:  # type: ignore[no-untyped-def]
    commune = make_member(engine, "Commune de 2 355 habitants", insee_code="35236")
    make_member(engine, "Commune voisine", insee_code="35001")
    admin = make_user(engine, "dsit", role="admin")
    population = b"Code INSEE;Population\n35236;2 355\n35001;1 200\n"
    for year in (2023, 2024):
        answer = client.post("/api/v1/keys/population/import", params={"year": year}, headers=admin,
                             files={"file": ("insee.csv", population, "text/csv")})  # fmt: skip
        assert answer.json()["imported"] == 2, answer.text
    socle = {"name": "Socle complet", "model": "population_tiers",
             "parameters": {"tiers": TIERS, "per_inhabitant": "1.5", "deduct_tiers": AUDIT_TIERS}}  # fmt: skip
    first = {**socle, "year": 2023, "parameters": {**socle["parameters"], "deduct_for": [commune]}}
    assert client.post("/api/v1/pools", json=first, headers=admin).status_code == 201
    assert client.post("/api/v1/pools", json={**socle, "year": 2024}, headers=admin).status_code == 201

    def amounts(year: int) -> dict[str, str]:
        result = client.get(f"/api/v1/allocation/{year}", headers=admin).json()
        return {s["member"]: s["amount"] for s in result["pools"][0]["shares"]}

    assert amounts(2023) == {
        "Commune de 2 355 habitants": "2032.50",
        "Commune voisine": "1500.00" if False else "3300.00",
    }
    assert amounts(2024) == {"Commune de 2 355 habitants": "5532.50", "Commune voisine": "3300.00"}


def test_per_workstation_pricing_counts_what_is_in_service(client, engine) -> None:  # type: ignore[no-untyped-def]
    nancy = make_member(engine, "Grand Nancy (essai)")
    admin = make_user(engine, "dsit", role="admin")
    records = [("workstation", "in_service"), ("workstation", "in_service"), ("laptop", "in_service"),
               ("tablet", "in_service"), ("workstation", "retired"), ("printer", "in_service")]  # fmt: skip
    for number, (asset_type, status) in enumerate(records):
        record = {"member_id": nancy, "asset_type": asset_type, "lifecycle_status": status, "name": f"PC-{number}"}
        created = client.post("/api/v1/assets", headers=admin, json=record)
        assert created.status_code == 201, created.text
    pool = {"year": 2026, "name": "Socle (700 € par poste)", "model": "per_unit", "key_code": "workstations",
            "unit_price": "700"}  # fmt: skip
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201
    result = client.get("/api/v1/allocation/2026", headers=admin).json()
    assert [(s["member"], s["value"], s["amount"]) for s in result["pools"][0]["shares"]] == [
        ("Grand Nancy (essai)", "4", "2800.00")]  # fmt: skip
    behind = client.get("/api/v1/keys/workstations/assets", params={"member_id": nancy}, headers=admin).json()
    assert sorted(a["name"] for a in behind) == ["PC-0", "PC-1", "PC-2", "PC-3"]


def test_the_allocation_page_shows_the_settlement(client, engine, seed004) -> None:  # type: ignore[no-untyped-def]
    """The page opens on 2022 (this year has no pool) with seed 004's totals and invoices; a
    member's reader sees only the invoices it issues or owes."""
    ids = seed004[0]
    make_user(engine, "gestionnaire", role="admin", password="motdepasse-2026")
    make_user(engine, "servon", role="member_reader", member_id=ids["Servon"], password="motdepasse-2026")

    def page_as(username: str) -> str:
        client.cookies.clear()
        signed = client.post(
            "/login",
            data={"username": username, "password": "motdepasse-2026", "next": "/", "csrf_token": form_token(client)},
        )
        assert signed.status_code in (200, 303), signed.text
        return client.get("/allocation").text

    def invoices(page: str) -> list[tuple[str, ...]]:
        table = page.split('id="invoices"', 1)[1].split("</table>", 1)[0]
        return [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row))
                for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)]  # fmt: skip

    dsit = page_as("gestionnaire")
    assert 'id="year" name="year" type="number" min="2000" max="2100" value="2022"' in dsit
    assert "207\u202f337,12" in dsit, "BCR's total"
    rows = invoices(dsit)
    assert len(rows) == 8
    assert ("Brie-Comte-Robert", "Chevry-Cossigny") in {r[:2] for r in rows}
    assert any(r[:2] == ("Brie-Comte-Robert", "Chevry-Cossigny") and r[2].replace("\u202f", " ").startswith("14 884,10")
               for r in rows)  # fmt: skip

    reader = page_as("servon")
    assert {r[:2] for r in invoices(reader)} == {("Brie-Comte-Robert", "Servon"), ("CCOB", "Servon")}
    assert "Chevry-Cossigny" not in reader
