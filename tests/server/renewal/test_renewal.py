"""Renewal cycles and obsolescence for the October budget: ages, reasons, the N+1 plan, member
decisions, REEN reuse ratio, and the plan as PDF and XLSX read back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from server.assets.models import Asset
from server.core.db import transaction
from tests.conftest import need
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant

BUDGET = "2026-10-01"  # the October 2026 call for contributions: the plan is for 2027


def asset(client, admin, member: int, name: str, asset_type: str = "workstation", **fields) -> int:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/assets", json={"member_id": member, "asset_type": asset_type, "name": name, **fields},
                         headers=admin)  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def windows10_pc(name: str, serial: str) -> dict:  # type: ignore[type-arg]
    """A desktop PC as a GLPI agent reports it: Windows 10 Pro 22H2, BIOS of March 2021, no purchase date."""
    return variant(example("computer_1"), deviceid=f"{name}-2024-01-01-00-00-00", hardware__name=name,
                   hardware__chassis_type="Desktop",
                   bios__ssn=serial, bios__bdate="2021-03-01", operatingsystem__name="Windows",
                   operatingsystem__full_name="Microsoft Windows 10 Professionnel", operatingsystem__version="22H2",
                   operatingsystem__kernel_version="10.0.19045.5011")  # fmt: skip


def ups_inventory() -> dict:  # type: ignore[type-arg]
    """The APC UPS as the SNMP collector reports it: battery replaced on 21 March 2022."""
    return {"action": "netinventory", "deviceid": "snmp-sn-AS1922152233", "itemtype": "NetworkEquipment",
            "content": {"versionclient": "Mutuparc-Collector_v0.1.0",
                        "network_device": {"type": "Power", "name": "ondu-dc-a", "manufacturer": "APC",
                                           "model": "Smart-UPS SRT 3000", "serial": "AS1922152233",
                                           "firmware": "UPS 16.5 (ID1005)", "mutuparc_type": "ups"},
                        "batteries": [{"name": "UPS battery", "date": "2022-03-21"}]}}  # fmt: skip


@pytest.fixture
def parc(client, engine):  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin")
    ids = {
        "commissioned_2020": asset(client, admin, servon, "PC-ACCUEIL", commissioning_date="2020-03-15",
                                   purchase_date="2019-12-01"),
        "bought_2018": asset(client, admin, servon, "PC-URBANISME", purchase_date="2018-06-01"),
        "laptop_2022": asset(client, admin, servon, "PORTABLE-DG", "laptop", commissioning_date="2022-05-01",
                             warranty_end="2025-05-01"),
        "laptop_chevry": asset(client, admin, chevry, "PORTABLE-MAIRE", "laptop", commissioning_date="2022-05-01"),
        "recent": asset(client, admin, chevry, "PC-NEUF", commissioning_date="2025-09-01"),
        "switch": asset(client, admin, servon, "SW-MAIRIE", "switch", manufacturer="Cisco",
                        model="WS-C2960X-24PS-L", commissioning_date="2024-01-10"),
    }  # fmt: skip
    token = make_enrolment_token(engine, servon)
    assert post_inventory(client, windows10_pc("PC-COMPTA", "W10-0001"), token=token).status_code == 200
    collector = make_enrolment_token(engine, servon, kind="collector")
    assert post_inventory(client, ups_inventory(), token=collector).status_code == 200
    assets = client.get("/api/v1/assets", params={"limit": 100}, headers=admin).json()["data"]
    ids["windows10"] = next(a["id"] for a in assets if a["name"] == "PC-COMPTA")
    ids["ups"] = next(a["id"] for a in assets if a["name"] == "ondu-dc-a")
    policies = [{"asset_type": "laptop", "years": 5}, {"asset_type": "laptop", "member_id": chevry, "years": 6}]
    assert client.put("/api/v1/renewal/policies", json=policies, headers=admin).status_code == 200
    prices = [{"asset_type": "workstation", "price": "800", "label": "poste standard"},
              {"asset_type": "laptop", "price": "1100"}, {"asset_type": "switch", "price": "2500"},
              {"asset_type": "ups_battery", "price": "350", "label": "jeu de batteries"}]  # fmt: skip
    assert client.put("/api/v1/renewal/prices", json=prices, headers=admin).status_code == 200
    return {"servon": servon, "chevry": chevry, "admin": admin, "ids": ids}


def assessed(client, parc) -> dict[int, dict]:  # type: ignore[no-untyped-def, type-arg]
    answer = client.get("/api/v1/renewal/assets", params={"budget_date": BUDGET, "limit": 100}, headers=parc["admin"])
    assert answer.json()["plan_year"] == 2027
    return {a["asset_id"]: a for a in answer.json()["data"]}


def test_ages_cycles_and_reasons(client, parc) -> None:  # type: ignore[no-untyped-def]
    items, ids = assessed(client, parc), parc["ids"]
    accueil = items[ids["commissioned_2020"]]
    assert (accueil["date_basis"], accueil["estimated"], accueil["due_date"]) == ("commissioning", False, "2027-03-15")
    assert accueil["status"] == "renew_next_year" and accueil["age_years"] == 6.55
    assert items[ids["bought_2018"]]["reasons"] == ["overdue"]  # due 2025-06-01, by the purchase date
    laptop = items[ids["laptop_2022"]]
    assert (laptop["cycle_years"], laptop["due_date"]) == (5, "2027-05-01")
    assert laptop["reasons"] == ["renew_next_year", "warranty_expired"]
    assert items[ids["laptop_chevry"]]["cycle_years"] == 6 and items[ids["laptop_chevry"]]["reasons"] == []
    assert items[ids["recent"]]["status"] == "ok"

    windows = items[ids["windows10"]]
    assert (windows["date_basis"], windows["estimated"], windows["reference_date"]) == ("bios", True, "2021-03-01")
    assert windows["os"] == "Windows 10 Pro 22H2 build 19045.5011"
    assert windows["status"] == "os_eol"  # security support ended on 14 October 2025
    assert windows["eol"]["security_end"] == "2025-10-14" and windows["eol"]["cycle"] == "10-22h2"

    switch = items[ids["switch"]]
    assert switch["reasons"] == ["model_eos"] and switch["model_end_of_support"] == "2027-10-31"
    ups = items[ids["ups"]]
    assert (ups["battery_date"], ups["battery_due"], ups["reasons"]) == ("2022-03-21", "2026-03-21", ["battery_due"])


def test_the_n_plus_1_plan_totals_and_forecast(client, parc) -> None:  # type: ignore[no-untyped-def]
    result = client.get("/api/v1/renewal/plan", params={"budget_date": BUDGET}, headers=parc["admin"]).json()
    assert result["year"] == 2027
    lines = {line["name"]: line for line in result["lines"]}
    assert set(lines) == {"PC-ACCUEIL", "PC-URBANISME", "PORTABLE-DG", "PC-COMPTA", "SW-MAIRIE", "ondu-dc-a"}
    assert lines["ondu-dc-a"]["battery_only"] and lines["ondu-dc-a"]["cost"] == "350.00"
    servon = result["by_member"]["Servon"]
    # 3 workstations x 800 + 1 laptop x 1100 + 1 switch x 2500 + 1 battery x 350
    assert (servon["count"], Decimal(servon["cost"])) == (6, Decimal("6350"))
    assert servon["by_type"]["workstation"]["count"] == 3 and Decimal(servon["by_type"]["ups_battery"]["cost"]) == 350
    assert result["by_member"]["Chevry-Cossigny"]["count"] == 0
    forecast = result["forecast"]
    assert list(forecast) == [str(y) for y in range(2027, 2034)]
    assert forecast["2028"]["by_type"] == {"laptop": 1}  # Chevry's laptop on its 6-year cycle
    assert forecast["2027"]["by_type"] == {"workstation": 3, "laptop": 1, "switch": 1, "ups_battery": 1}
    assert forecast["2031"]["by_type"] == {"ups_battery": 1}  # the battery again, four years after 2027
    # PORTABLE-DG's replacement five years on, and PC-NEUF (September 2025) at seven
    assert forecast["2032"]["by_type"] == {"laptop": 1, "workstation": 1}


def test_a_frozen_plan_is_decided_by_its_member(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    servon, admin = parc["servon"], parc["admin"]
    frozen = client.post("/api/v1/renewal/plans", json={"member_id": servon, "budget_date": BUDGET}, headers=admin)
    assert frozen.status_code == 201, frozen.text
    plan = frozen.json()
    assert (plan["year"], plan["status"], plan["total"]) == (2027, "proposed", "6350.00")
    ids = parc["ids"]
    reader = make_user(engine, "maire-servon", role="member_reader", member_id=servon)
    stranger = make_user(engine, "maire-chevry", role="member_reader", member_id=parc["chevry"])
    url = f"/api/v1/renewal/plans/{plan['id']}/decisions"
    assert (
        client.post(url, json=[{"asset_id": ids["bought_2018"], "decision": "accept"}], headers=stranger).status_code
        == 404
    )
    no_reason = client.post(url, json=[{"asset_id": ids["laptop_2022"], "decision": "postpone"}], headers=reader)
    assert no_reason.status_code == 422 and "say why" in no_reason.json()["detail"]
    decisions = [
        {"asset_id": ids["laptop_2022"], "decision": "postpone", "comment": "budget 2027 contraint"},
        {"asset_id": ids["switch"], "decision": "refuse", "comment": "remplacé par la fibre en 2028"},
    ]
    decisions += [{"asset_id": line["asset_id"], "decision": "accept"} for line in plan["lines"]
                  if line["asset_id"] not in (ids["laptop_2022"], ids["switch"])]  # fmt: skip
    decided = client.post(url, json=decisions, headers=reader).json()
    assert decided["status"] == "decided"
    recorded = {d["asset_id"]: (d["decision"], d["decided_by"]) for d in decided["decisions"]}
    assert recorded[ids["switch"]] == ("refuse", "maire-servon") and len(recorded) == 6
    assert client.get(f"/api/v1/renewal/plans/{plan['id']}", headers=stranger).status_code == 404
    assert [p["id"] for p in client.get("/api/v1/renewal/plans", headers=reader).json()] == [plan["id"]]


def test_reen_reuse_ratio_excludes_equipment_over_ten_years(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin")
    year = dt.date.today().year
    # the last one is over 10 years old
    outcomes = [("reused", "2019-01-01"), ("donated", "2020-01-01"), ("recycled", "2018-01-01"),
                ("recycled", "2017-01-01"), ("recycled", "2010-01-01")]  # fmt: skip
    ids = []
    for number, (status, since) in enumerate(outcomes):
        asset_id = asset(client, admin, member, f"OLD-{number}", commissioning_date=since)
        for step in ("retired", status):
            assert (
                client.post(f"/api/v1/assets/{asset_id}/status", json={"status": step}, headers=admin).status_code
                == 201
            )
        ids.append(asset_id)
    certificate = client.post(f"/api/v1/assets/{ids[2]}/documents", headers=admin,
                              data={"kind": "recycling_certificate"},
                              files={"file": ("bsd.pdf", b"%PDF-1.4 bordereau", "application/pdf")})  # fmt: skip
    assert certificate.status_code == 201, certificate.text
    report = client.get("/api/v1/renewal/reen", params={"year": year}, headers=admin).json()
    assert (report["reused_or_donated"], report["recycled"], report["excluded_over_10_years"]) == (2, 2, 1)
    assert report["reuse_ratio"] == 0.5 and report["target_met"] is True
    assert {a["name"] for a in report["recycled_without_certificate"]} == {"OLD-3", "OLD-4"}


def test_plan_pdf_and_xlsx_read_back(client, parc) -> None:  # type: ignore[no-untyped-def]
    admin = parc["admin"]
    xlsx = client.get("/api/v1/renewal/reports/plan", params={"budget_date": BUDGET, "format": "xlsx"}, headers=admin)
    book = load_workbook(BytesIO(xlsx.content))
    totals = {row[0]: row[1] for row in book["Total"].iter_rows(min_row=2, values_only=True)}
    assert totals == {"Servon": 6350.0, "Total": 6350.0}
    plan_sheet = [row for row in book["2027"].iter_rows(min_row=3, values_only=True)]
    assert {row[1]: row[6] for row in plan_sheet}["PC-COMPTA"] == 800.0
    assert book["Prévision sur 7 ans"]._charts  # the renewals-per-year chart

    pdf = client.get("/api/v1/renewal/reports/plan", params={"budget_date": BUDGET, "format": "pdf"}, headers=admin)
    assert pdf.headers["content-type"] == "application/pdf"
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (Debian poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode()  # fmt: skip
    assert "Plan de renouvellement 2027" in text and "Système plus supporté" in text
    assert "6\u202f350,00" in text or "6 350,00" in text  # the total, French formatted
    report = client.get("/api/v1/renewal/reports/obsolescence", params={"budget_date": BUDGET, "format": "pdf"},
                        headers=admin)  # fmt: skip
    obsolescence = subprocess.run(["pdftotext", "-", "-"], input=report.content, capture_output=True,
                                  check=True).stdout.decode()  # fmt: skip
    assert "Pyramide des âges" in obsolescence and "Microsoft Windows 10 22H2" in obsolescence


def test_not_seen_and_member_scope(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        session.execute(update(Asset).where(Asset.id == parc["ids"]["windows10"])
                        .values(last_seen=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)))  # fmt: skip
    items = assessed(client, parc)
    assert "not_seen" in items[parc["ids"]["windows10"]]["reasons"]
    reader = make_user(engine, "lecteur", role="member_reader", member_id=parc["chevry"])
    theirs = client.get("/api/v1/renewal/assets", params={"budget_date": BUDGET}, headers=reader).json()
    assert {a["member_id"] for a in theirs["data"]} == {parc["chevry"]}
    assert client.get("/api/v1/renewal/assets", params={"member_id": parc["servon"]}, headers=reader).status_code == 404
    summary = client.get("/api/v1/renewal/summary", params={"budget_date": BUDGET}, headers=parc["admin"]).json()
    assert summary["statuses"]["os_eol"] == 1 and summary["indicators"]["assets"] == 8
    assert summary["indicators"]["versions"]["Microsoft Windows 10 22H2"] == 1


def test_reen_for_an_impossible_year_is_refused_not_a_crash(client, admin) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/renewal/reen", params={"year": 0}, headers=admin)  # found by schemathesis
    assert answer.status_code == 422 and "year" in answer.text
