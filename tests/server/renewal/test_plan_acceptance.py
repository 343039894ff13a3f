"""Acceptance of the 2027 plan (issue 22): the 37-asset parc checked by hand for the budget date of
1 October 2026, and a 38th (a Debian 11 PC on i386, which Debian 13 dropped), line by line —
presence, remedy, amount and due date — with the totals by member and by remedy, what is left out
of the plan and why, and the indicators. The DSIT keeps one Windows 10 PC whose CPU Windows 11
refuses on extended support (ESU, 120 € until 12 October 2027): its line is that decision.

Prices: workstation 900, switch 3 000, firewall 2 500, UPS battery 350, a Windows upgrade 40
(labour), a Debian upgrade unpriced (0: DSIT labour). Cycles: 7 years, UPS batteries 4.

Plan totals by remedy: replace 11 lines 13 600 €, upgrade_os 11 lines 360 €, replace_battery
1 line 350 €, extend_support 1 line 120 €: 24 lines, 14 430 € (Servon 8 090 €, Chevry-Cossigny
6 340 €)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.core import clock
from server.core.db import transaction
from tests.utils import make_member, make_user

BUDGET = dt.date(2026, 10, 1)
W10 = "Windows 10 Pro 22H2 build 19045.5011"
W11_24 = "Windows 11 Pro 24H2 build 26100.4061"
W11_25 = "Windows 11 Pro 25H2 build 26200.6584"
READY = {"cpu": "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", "tpm": "TPM 2.0", "secure_boot": "enabled",
         "memory_mb": 8192, "disk": 512 * 10**9}  # fmt: skip
OLD_HW = {"cpu": "Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", "tpm": "TPM 1.2", "secure_boot": "unsupported",
          "memory_mb": 4096, "disk": 256 * 10**9}  # fmt: skip

# name, member (A: Servon, B: Chevry, None: quarantine), fields, facts, expected line (remedy, cost, due) or
# the reason it is excluded ("out:<why>") or None (assessed, nothing to do in 2027).
PARC: list[tuple[str, str | None, dict[str, Any], dict[str, Any], Any]] = [
    ("W10-2018-OK", "A", {"purchase_date": "2018-03-01", "os": W10}, READY, ("replace", 900, "2025-03-01")),
    ("W10-2018-OLD", "A", {"purchase_date": "2018-05-01", "os": W10}, OLD_HW, ("replace", 900, "2025-05-01")),
    ("W10-2021-READY", "A", {"purchase_date": "2021-06-01", "os": W10}, READY, ("upgrade_os", 40, "2025-10-14")),
    ("W10-2021-NOCPU", "B", {"purchase_date": "2021-02-01", "os": W10},  # the DSIT's ESU decision (ESU below)
     READY | {"cpu": "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz"}, ("extend_support", 120, "2027-10-12")),
    ("W10-2021-UNKNOWN", "B", {"purchase_date": "2021-09-01", "os": W10}, {}, ("replace", 900, "2028-09-01")),
    ("W11-A1", "A", {"commissioning_date": "2021-01-15", "os": W11_24}, READY, ("upgrade_os", 40, "2026-10-13")),
    ("W11-A2", "A", {"commissioning_date": "2022-04-01", "os": W11_24}, READY, ("upgrade_os", 40, "2026-10-13")),
    ("W11-A3", "A", {"commissioning_date": "2023-02-01", "os": W11_25}, READY, ("upgrade_os", 40, "2027-10-12")),
    ("W11-A4", "A", {"commissioning_date": "2024-01-10", "os": W11_25}, READY, ("upgrade_os", 40, "2027-10-12")),
    ("W11-B1", "B", {"commissioning_date": "2021-06-01", "os": W11_24}, READY, ("upgrade_os", 40, "2026-10-13")),
    ("W11-B2", "B", {"commissioning_date": "2022-09-01", "os": W11_25}, READY, ("upgrade_os", 40, "2027-10-12")),
    ("W11-B3", "B", {"commissioning_date": "2023-11-01", "os": W11_24}, READY, ("upgrade_os", 40, "2026-10-13")),
    ("DEB11", "A", {"commissioning_date": "2022-03-01", "os": "Debian GNU/Linux 11 (bullseye) 11.11"},
     {"arch": "x86_64"}, ("upgrade_os", 0, "2024-08-14")),
    ("DEB11-I386", "A", {"commissioning_date": "2021-09-01", "os": "Debian GNU/Linux 11 (bullseye) 11.11"},
     {"arch": "i686"}, ("replace", 900, "2028-09-01")),  # Debian 13 has no i386; 12, the last, has ended
    ("DEB12", "A", {"commissioning_date": "2023-03-01", "os": "Debian GNU/Linux 12 (bookworm) 12.11"},
     {"arch": "x86_64"}, ("upgrade_os", 0, "2026-07-11")),
    ("SW-MAIRIE", "A", {"asset_type": "switch", "manufacturer": "Cisco", "model": "WS-C2960X-24PS-L",
                        "commissioning_date": "2020-01-01"}, {}, ("replace", 3000, "2027-01-01")),
    ("FW-MAIRIE", "B", {"asset_type": "firewall", "manufacturer": "Sophos", "model": "SG 210",
                        "commissioning_date": "2021-05-01"}, {}, ("replace", 2500, "2028-05-01")),
    ("ONDULEUR", "A", {"asset_type": "ups", "commissioning_date": "2022-03-01"}, {"battery": "2021-03-01"},
     ("replace_battery", 350, "2025-03-01")),
    ("PC-3112", "A", {"purchase_date": "2019-12-31"}, {}, ("replace", 900, "2026-12-31")),
    ("PC-0201", "A", {"purchase_date": "2020-01-02"}, {}, ("replace", 900, "2027-01-02")),
    ("PC-BIOS", "B", {}, {"bios_date": "2019-05-01"}, ("replace", 900, "2026-05-01")),
    ("PC-W7", "B", {"commissioning_date": "2016-04-01", "os": "Windows 7 Professional build 7601"}, {},
     ("replace", 900, "2023-04-01")),
    ("PC-REPARATION", "B", {"purchase_date": "2019-06-01", "status": "in_repair"}, {},
     ("replace", 900, "2026-06-01")),
    ("W11E-2023", "A", {"commissioning_date": "2023-06-01", "os": "Windows 11 Enterprise 24H2 build 26100.4061"},
     READY, ("upgrade_os", 40, "2027-10-12")),
    ("PC-RECENT", "B", {"commissioning_date": "2025-01-01"}, {}, None),
    ("PORTABLE-2023", "A", {"asset_type": "laptop", "commissioning_date": "2023-01-01"}, {}, None),
    ("IMPRIMANTE", "A", {"asset_type": "printer", "commissioning_date": "2024-02-01"}, {}, None),
    ("SW-ECOLE", "B", {"asset_type": "switch", "manufacturer": "Cisco", "model": "C9200L-24P-4G",
                       "commissioning_date": "2024-05-01"}, {}, None),
    ("DEB13", "A", {"commissioning_date": "2024-09-01", "os": "Debian GNU/Linux 13 (trixie) 13.1"}, {}, None),
    ("PORTABLE-2022", "B", {"asset_type": "laptop", "commissioning_date": "2022-06-01"}, {}, None),
    ("PC-CONSOMMABLE", "A", {"purchase_date": "2022-05-01", "category": "consumable"}, {}, "out:consumable"),
    ("CASQUE", "A", {"asset_type": "other", "purchase_date": "2023-01-01", "category": "consumable"}, {},
     "out:consumable"),
    ("SOURIS", "B", {"asset_type": "other", "purchase_date": "2024-01-01", "category": "consumable"}, {},
     "out:consumable"),
    ("PC-QUARANTAINE", None, {"purchase_date": "2015-01-01", "os": "Windows 7 Professional build 7601"}, {},
     "out:quarantine"),
    ("PC-REFORME", "A", {"purchase_date": "2012-01-01", "status": "retired"}, {}, "out:retired"),
    ("PC-STOCK", "A", {"purchase_date": "2019-01-01", "status": "in_stock"}, {}, "out:in_stock"),
    ("PORTABLE-STOCK", "B", {"asset_type": "laptop", "purchase_date": "2020-01-01", "status": "in_stock"}, {},
     "out:in_stock"),
    ("PC-DON", "B", {"purchase_date": "2014-01-01", "status": "donated"}, {}, "out:donated"),
]  # fmt: skip


def _facts(session, asset_id: int, facts: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """The components an agent would have reported (CPU, TPM, Secure Boot, memory, disk, battery)."""
    t = COMPONENT_TABLES
    if "cpu" in facts:
        session.execute(t["cpus"].insert().values(asset_id=asset_id, name=facts["cpu"]))
    if "secure_boot" in facts or "bios_date" in facts:
        bios_date = dt.date.fromisoformat(facts["bios_date"]) if "bios_date" in facts else None
        session.execute(t["bios"].insert().values(asset_id=asset_id, secure_boot=facts.get("secure_boot"),
                                                  bios_date=bios_date))  # fmt: skip
    if "tpm" in facts:
        session.execute(t["firmwares"].insert().values(asset_id=asset_id, type="tpm", name=facts["tpm"]))
    if "memory_mb" in facts:
        session.execute(t["hardware"].insert().values(asset_id=asset_id, memory_mb=facts["memory_mb"]))
    if "disk" in facts:
        session.execute(t["storages"].insert().values(asset_id=asset_id, size_bytes=facts["disk"]))
    if "battery" in facts:
        day = dt.date.fromisoformat(facts["battery"])
        session.execute(t["batteries"].insert().values(asset_id=asset_id, manufacture_date=day))
    if "arch" in facts:
        session.execute(t["operatingsystem"].insert().values(asset_id=asset_id, arch=facts["arch"]))


ESU = {"end_date": "2027-10-12", "cost": "120", "note": "Windows 10 ESU, année 2"}


@pytest.fixture
def parc(client, engine, monkeypatch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 10, 15))  # the ESU's end is in the future
    members = {"A": make_member(engine, "Servon"), "B": make_member(engine, "Chevry-Cossigny")}
    admin = make_user(engine, "dsit", role="admin")
    ids = {}
    for name, member, fields, facts, _ in PARC:
        body = {k: v for k, v in fields.items() if k not in ("os", "status")}
        body = {"asset_type": "workstation", **body, "name": name, "member_id": members[member or "A"]}
        answer = client.post("/api/v1/assets", json=body, headers=admin)
        assert answer.status_code == 201, answer.text
        ids[name] = answer.json()["id"]
        with transaction(engine) as session:
            values: dict[str, Any] = {
                "os_label": fields.get("os"),
                "lifecycle_status": fields.get("status", "in_service"),
            }
            if member is None:
                values["member_id"] = None
            session.execute(update(Asset).where(Asset.id == ids[name]).values(**values))
            _facts(session, ids[name], facts)
    prices = [{"asset_type": "workstation", "price": "900"}, {"asset_type": "laptop", "price": "1200"},
              {"asset_type": "switch", "price": "3000"}, {"asset_type": "firewall", "price": "2500"},
              {"asset_type": "ups_battery", "price": "350"},
              {"asset_type": "upgrade_os", "category": "windows", "price": "40"}]  # fmt: skip
    assert client.put("/api/v1/renewal/prices", json=prices, headers=admin).status_code == 200
    models = [{"manufacturer": "Sophos", "model_pattern": r"^SG ?\d{3}\b", "end_of_support": "2026-07-01",
               "source": "Sophos SG Series end of life"}]  # fmt: skip
    assert client.put("/api/v1/renewal/models", json=models, headers=admin).status_code == 200
    extension = client.put(f"/api/v1/renewal/extensions/{ids['W10-2021-NOCPU']}", json=ESU, headers=admin)
    assert extension.status_code == 200, extension.text
    return {"admin": admin, "ids": ids, "members": members}


def test_every_line_of_the_2027_plan(client, parc) -> None:  # type: ignore[no-untyped-def]
    assert len(PARC) == 38
    answer = client.get("/api/v1/renewal/plan", params={"budget_date": BUDGET.isoformat(), "limit": 100},
                        headers=parc["admin"])  # fmt: skip
    result = answer.json()
    lines = {line["name"]: line for line in result["lines"]}
    expected = {name: line for name, _, _, _, line in PARC if isinstance(line, tuple)}
    assert set(lines) == set(expected)
    for name, (remedy, cost, due) in expected.items():
        assert (lines[name]["remedy"], Decimal(lines[name]["cost"]), lines[name]["due"]) == (remedy, cost, due), name

    # Windows 10: readiness decides; what fails or is missing is said
    assert lines["W10-2021-READY"]["upgrade_to"]["cycle"] == "11-26h1-w"
    assert lines["W10-2021-NOCPU"]["readiness"]["failing"] == ["cpu"]  # why the DSIT extends its support
    extension = lines["W10-2021-NOCPU"]["extension"]
    assert {k: v for k, v in extension.items() if k != "id"} == {
        "end_date": "2027-10-12", "cost": "120.00", "note": "Windows 10 ESU, année 2", "decided_by": "dsit",
        "then": "replace"}  # fmt: skip
    assert lines["W10-2021-UNKNOWN"]["to_check"] == ["cpu", "tpm", "secure_boot", "memory", "disk"]
    assert lines["W10-2018-OLD"]["readiness"]["failing"] == ["cpu", "tpm", "secure_boot"]  # overdue anyway
    # every end-of-life decision cites its catalogue entry
    assert lines["W11-A1"]["eol"] == {"product": "windows", "cycle": "11-24h2-w", "security_end": "2026-10-13",
                                      "label": "Microsoft Windows 11 24H2 (W)", "source": "catalogue"}  # fmt: skip
    assert lines["DEB11"]["upgrade_to"]["cycle"] == "13" and lines["PC-W7"]["upgrade_to"] is None
    # Linux: the next release supported on the PC's architecture
    assert lines["DEB11"]["readiness"]["detail"] == {"architecture": "amd64"}
    assert lines["DEB11-I386"]["upgrade_to"] is None and lines["DEB11-I386"]["readiness"]["failing"] == ["architecture"]
    assert lines["DEB11-I386"]["readiness"]["detail"]["last_release"]["cycle"] == "12"
    assert lines["DEB11-I386"]["readiness"]["detail"]["last_release"]["security_end"] == "2026-07-11"
    assert lines["W11E-2023"]["upgrade_to"]["cycle"] == "11-26h1-e"

    totals = result["totals"]
    assert Decimal(totals["cost"]) == 14430 and totals["count"] == 24
    by_remedy = {k: (v["count"], Decimal(v["cost"])) for k, v in totals["by_remedy"].items()}
    assert by_remedy == {"replace": (11, Decimal(13600)), "upgrade_os": (11, Decimal(360)),
                         "replace_battery": (1, Decimal(350)), "extend_support": (1, Decimal(120))}  # fmt: skip
    servon, chevry = result["by_member"]["Servon"], result["by_member"]["Chevry-Cossigny"]
    assert (servon["count"], Decimal(servon["cost"])) == (15, Decimal(8090))
    assert (chevry["count"], Decimal(chevry["cost"])) == (9, Decimal(6340))
    assert Decimal(chevry["by_remedy"]["extend_support"]["cost"]) == 120
    assert Decimal(servon["by_remedy"]["upgrade_os"]["cost"]) == 240
    assert "" not in result["by_member"] and None not in {ln["member_id"] for ln in result["lines"]}

    assert result["excluded"] == {"consumable": 3, "quarantine": 1, "retired": 1, "in_stock": 2, "donated": 1}
    kinds = {kind for year in result["forecast"].values() for kind in year["by_type"]}
    assert "other" not in kinds  # the headset and the mouse are consumables
    # 2029: seven years after 2022 — W11-A2, DEB11 and W11-B2 (upgraded in 2027, their hardware due
    # now), PORTABLE-2022, the UPS; not the consumable PC of May 2022
    assert result["forecast"]["2029"]["by_type"] == {"workstation": 3, "laptop": 1, "ups": 1}

    _indicators_leave_out_what_the_plan_leaves_out(client, parc)  # the same parc: built once


def _indicators_leave_out_what_the_plan_leaves_out(client, parc) -> None:  # type: ignore[no-untyped-def]
    summary = client.get("/api/v1/renewal/summary", params={"budget_date": BUDGET.isoformat()},
                         headers=parc["admin"]).json()  # fmt: skip
    indicators = summary["indicators"]
    assessed = [(fields, facts) for _, _, fields, facts, line in PARC if not isinstance(line, str)]
    assert indicators["assets"] == len(assessed) == 30
    # ended on 1 October 2026: five Windows 10, Windows 7, two Debian 11 and a 12 (24H2 ends on 13 October)
    assert indicators["unsupported_os_or_firmware"] == 9
    assert indicators["estimated_ages"] == 1  # PC-BIOS
    starts = [fields.get("commissioning_date") or fields.get("purchase_date") or facts["bios_date"]
              for fields, facts in assessed]  # fmt: skip
    ages = [(BUDGET - dt.date.fromisoformat(day)).days / 365.25 for day in starts]
    assert indicators["average_age"] == pytest.approx(sum(ages) / len(ages), abs=0.06)
    assert summary["excluded"]["quarantine"] == 1


def test_a_member_sees_its_own_plan_and_exclusions(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    reader = make_user(engine, "maire-chevry", role="member_reader", member_id=parc["members"]["B"])
    result = client.get("/api/v1/renewal/plan", params={"budget_date": BUDGET.isoformat(), "limit": 100},
                        headers=reader).json()  # fmt: skip
    assert Decimal(result["totals"]["cost"]) == 6340 and list(result["by_member"]) == ["Chevry-Cossigny"]
    assert result["excluded"] == {"consumable": 1, "in_stock": 1, "donated": 1}  # no quarantine: not theirs


def test_the_reports_read_as_a_finance_office_expects(client, parc) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.conftest import need

    params = {"budget_date": BUDGET.isoformat()}
    csv = client.get("/api/v1/renewal/reports/plan", params=params | {"format": "csv"}, headers=parc["admin"])
    rows = {line.split(";")[1]: line.split(";") for line in csv.content.decode("utf-8-sig").splitlines() if ";" in line}
    assert rows["SW-MAIRIE"][6] == "3\u202f000,00\u00a0€" and rows["SW-MAIRIE"][7] == "Remplacement"
    assert rows["ONDULEUR"][2] == "Batterie d'onduleur" and rows["ONDULEUR"][4] == "01/03/2025"
    assert rows["W10-2021-UNKNOWN"][7] == "Remplacement (à vérifier)"
    book = load_workbook(BytesIO(client.get("/api/v1/renewal/reports/plan", params=params | {"format": "xlsx"},
                                            headers=parc["admin"]).content))  # fmt: skip
    lines = {row[1]: row for row in book["2027"].iter_rows(min_row=3, values_only=True)}
    assert isinstance(lines["PC-3112"][5], float) and lines["PC-3112"][6] == 900.0
    pdf = client.get("/api/v1/renewal/reports/plan", params=params | {"format": "pdf"}, headers=parc["admin"])
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (Debian poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", "-l", "1", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode().replace("\u202f", " ").replace("\u00a0", " ")  # fmt: skip
    first = text.index("Par remède")
    assert first < text.index("Servon") and "Mise à niveau du système" in text
    assert "13 600,00 €" in text and "14 430,00 €" in text and "8 090,00 €" in text
    assert "Support étendu (décision DSIT)" in text
