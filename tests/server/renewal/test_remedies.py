"""Issue 22's remedies past Windows: a Linux release on its architecture, a network OS on its model,
a UPS with both a battery and a firmware or a model at its end, and the DSIT's extended support
(API and pages: validation, roles, member isolation, audit, and the normal remedy back after it).

Budget date 1 October 2026 (plan 2027, horizon 31 December 2027). Prices: workstation 900,
firewall 2 500, NAS 1 800, UPS 1 200, UPS battery 350, a firmware update 50."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.audit.models import AuditEvent
from server.core import clock
from server.core.db import transaction
from tests.server.web.test_pages import PASSWORD, post_form, sign_in
from tests.utils import make_member, make_user

BUDGET = "2026-10-01"
TODAY = dt.date(2026, 10, 15)
FORTIOS_70 = "FortiOS 7.0.15 build0632"
# name, fields, os/firmware label, facts (architecture, battery date), expected (remedy, cost, also) or None
PARC: list[tuple[str, dict[str, Any], str | None, dict[str, Any], Any]] = [
    ("DEB12-SANS-ARCH", {"commissioning_date": "2023-03-01"}, "Debian GNU/Linux 12 (bookworm) 12.11", {},
     ("replace", 900, [])),  # Debian 13 dropped i386: to check
    ("UBU1804-I386", {"commissioning_date": "2022-01-01"}, "Ubuntu 18.04.6 LTS", {"arch": "i686"},
     ("replace", 900, [])),  # no LTS after 18.04 runs on i386
    ("UBU2204-AMD64", {"commissioning_date": "2022-01-01"}, "Ubuntu 22.04.5 LTS", {"arch": "x86_64"},
     ("upgrade_os", 0, [])),
    ("UBU2204-SANS-ARCH", {"commissioning_date": "2022-01-01"}, "Ubuntu 22.04.5 LTS", {},
     ("upgrade_os", 0, [])),  # 26.04 runs wherever 22.04 did: no question
    ("DEB11-CPU64", {"commissioning_date": "2022-01-01"}, "Debian GNU/Linux 11 (bullseye) 11.11",
     {"cpu_arch": "x86_64"}, ("upgrade_os", 0, [])),  # the CPU's architecture when the OS does not say
    ("DEB11-I386-CPU64", {"commissioning_date": "2022-01-01"}, "Debian GNU/Linux 11 (bullseye) 11.11",
     {"arch": "i686", "cpu_arch": "x86_64"}, ("replace", 900, [])),  # the installed system's word wins
    ("FW-SUIVI", {"asset_type": "firewall", "manufacturer": "Fortinet", "model": "FortiGate 60F",
                  "commissioning_date": "2022-01-01"}, FORTIOS_70, {}, ("update_firmware", 50, [])),
    ("FW-FIN", {"asset_type": "firewall", "manufacturer": "Fortinet", "model": "FortiGate 60E",
                "commissioning_date": "2022-01-01"}, FORTIOS_70, {}, ("replace", 2500, [])),
    ("FW-INCONNU", {"asset_type": "firewall", "manufacturer": "Fortinet", "model": "FortiGate 40F",
                    "commissioning_date": "2022-01-01"}, FORTIOS_70, {}, ("replace", 2500, [])),
    ("NAS-DSM71", {"asset_type": "nas", "manufacturer": "Synology", "model": "DS920+",
                   "commissioning_date": "2022-01-01"}, "DSM 7.1.1-42962", {}, ("update_firmware", 50, [])),
    ("UPS-FIN", {"asset_type": "ups", "manufacturer": "APC", "model": "Smart-UPS SMT1500",
                 "commissioning_date": "2022-01-01"}, None, {"battery": "2022-01-01"}, ("replace", 1200, [])),
    ("UPS-BATTERIE", {"asset_type": "ups", "manufacturer": "APC", "model": "Smart-UPS SRT3000",
                      "commissioning_date": "2022-01-01"}, None, {"battery": "2022-01-01"},
     ("replace_battery", 350, [])),
    ("UPS-BATTERIE-FW", {"asset_type": "ups", "manufacturer": "APC", "model": "Smart-UPS SRT3000",
                         "commissioning_date": "2022-01-01"}, "AOS 6.8.2", {"battery": "2022-01-01"},
     ("replace_battery", 400, ["update_firmware"])),
    ("PC-VIEUX", {"purchase_date": "2018-01-01"}, None, {}, ("replace", 900, [])),
]  # fmt: skip


@pytest.fixture
def parc(client, engine, monkeypatch) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    ids = {}
    for name, fields, label, facts, _ in PARC:
        body = {"asset_type": "workstation", **fields, "name": name, "member_id": servon}
        answer = client.post("/api/v1/assets", json=body, headers=admin)
        assert answer.status_code == 201, answer.text
        ids[name] = answer.json()["id"]
        with transaction(engine) as session:
            session.execute(update(Asset).where(Asset.id == ids[name]).values(os_label=label))
            if "arch" in facts:
                session.execute(COMPONENT_TABLES["operatingsystem"].insert().values(asset_id=ids[name],
                                                                                    arch=facts["arch"]))  # fmt: skip
            if "cpu_arch" in facts:
                session.execute(COMPONENT_TABLES["cpus"].insert().values(asset_id=ids[name], arch=facts["cpu_arch"]))
            if "battery" in facts:
                session.execute(COMPONENT_TABLES["batteries"].insert().values(
                    asset_id=ids[name], manufacture_date=dt.date.fromisoformat(facts["battery"])))  # fmt: skip
    ids["PC-CHEVRY"] = client.post("/api/v1/assets", json={"asset_type": "workstation", "name": "PC-CHEVRY",
                                                           "member_id": chevry, "purchase_date": "2018-01-01"},
                                   headers=admin).json()["id"]  # fmt: skip
    prices = [
        {"asset_type": "workstation", "price": "900"},
        {"asset_type": "firewall", "price": "2500"},
        {"asset_type": "nas", "price": "1800"},
        {"asset_type": "ups", "price": "1200"},
        {"asset_type": "ups_battery", "price": "350"},
        {"asset_type": "update_firmware", "price": "50"},
    ]
    assert client.put("/api/v1/renewal/prices", json=prices, headers=admin).status_code == 200
    models = [
        {"manufacturer": "Fortinet", "model_pattern": "^FortiGate 60F", "end_of_support": "2031-06-30"},
        {"manufacturer": "Fortinet", "model_pattern": "^FortiGate 60E", "end_of_support": "2027-06-30"},
        {"manufacturer": "Synology", "model_pattern": "^DS920", "end_of_support": "2030-06-30"},
        {"manufacturer": "APC", "model_pattern": "^Smart-UPS SMT", "end_of_support": "2026-12-31"},
        {"manufacturer": "APC", "model_pattern": "^Smart-UPS SRT", "end_of_support": "2032-12-31"},
    ]
    assert client.put("/api/v1/renewal/models", json=models, headers=admin).status_code == 200
    # the DSIT's own entries: DSM 7.1 and the APC network card's AOS 6 ended, nothing newer catalogued
    overrides = [
        {"product": "synology-dsm", "cycle": "7.1", "pattern": r"^DSM 7\.1\b", "security_end": "2025-06-01"},
        {"product": "apc-aos", "cycle": "6", "pattern": r"^AOS 6\.", "security_end": "2025-01-01"},
    ]
    assert client.put("/api/v1/eol/overrides", json=overrides, headers=admin).status_code == 200
    return {"admin": admin, "ids": ids, "servon": servon, "chevry": chevry}


def _lines(client, headers, budget: str = BUDGET) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/renewal/plan", params={"budget_date": budget, "limit": 100}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {line["name"]: line for line in answer.json()["lines"]} | {"": answer.json()["totals"]}


def test_each_line_has_the_remedy_its_facts_allow(client, parc) -> None:  # type: ignore[no-untyped-def]
    lines = _lines(client, parc["admin"])
    for name, _, _, _, (remedy, cost, also) in PARC:
        assert (lines[name]["remedy"], Decimal(lines[name]["cost"]), lines[name]["also"]) == (remedy, cost, also), name

    # Linux: an unknown architecture is asked for when the next release dropped some
    unknown = lines["DEB12-SANS-ARCH"]
    assert unknown["to_check"] == ["architecture"] and unknown["upgrade_to"] is None
    assert unknown["readiness"]["detail"] == {"dropped": ["armel", "i386", "mips64el", "mipsel"]}
    assert lines["UBU1804-I386"]["readiness"]["failing"] == ["architecture"]
    assert lines["UBU1804-I386"]["readiness"]["detail"]["last_release"]["cycle"] == "18.04"  # itself
    assert lines["UBU2204-AMD64"]["upgrade_to"]["cycle"] == "26.04"
    assert lines["UBU2204-SANS-ARCH"]["readiness"] is None and lines["UBU2204-SANS-ARCH"]["to_check"] == []

    # network OS: the model table says whether a maintained train is still there for the model
    assert lines["FW-SUIVI"]["readiness"]["passed"] == ["model_support"]
    assert lines["FW-SUIVI"]["upgrade_to"]["cycle"] == "8.0"
    assert lines["FW-FIN"]["reasons"][:2] == ["firmware_eol", "model_eos"]
    assert lines["FW-FIN"]["readiness"]["failing"] == ["model_support"]
    assert lines["FW-INCONNU"]["to_check"] == ["model_support"]
    assert lines["NAS-DSM71"]["upgrade_to"] is None  # no newer DSM catalogued: the model's support decides

    # UPS: a replaced UPS comes with its battery; a kept one gets its battery (and its firmware update)
    assert lines["UPS-FIN"]["due"] == "2029-01-01" and "battery_due" in lines["UPS-FIN"]["reasons"]
    assert lines["UPS-BATTERIE"]["due"] == "2026-01-01" == lines["UPS-BATTERIE-FW"]["due"]

    by_remedy = {k: (v["count"], Decimal(v["cost"])) for k, v in lines[""]["by_remedy"].items()}
    assert by_remedy == {"replace": (8, Decimal(10700)), "upgrade_os": (3, Decimal(0)),
                         "update_firmware": (2, Decimal(100)), "replace_battery": (2, Decimal(750))}  # fmt: skip

    # the plan page says why (the same parc: built once)
    assert sign_in(client, "dsit").status_code == 303
    page = client.get("/renewal", params={"budget_date": BUDGET}).text.replace("\u202f", " ").replace("\xa0", " ")
    assert "architecture du processeur i386 : dernière version sur cette architecture Ubuntu 18.04" in page
    assert "à vérifier : architecture du processeur (armel, i386, mips64el, mipsel abandonnées ensuite)" in page
    assert "à vérifier : fin de support du modèle" in page
    assert "Remplacement de batterie + Mise à jour du firmware" in page
    assert f'href="/renewal/settings?asset_id={parc["ids"]["PC-VIEUX"]}#extensions"' in page


def test_extended_support_through_the_api(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    admin, ids = parc["admin"], parc["ids"]
    url = f"/api/v1/renewal/extensions/{ids['FW-FIN']}"
    for body, field in (({"end_date": "2026-10-14", "cost": "10"}, "end_date"),
                        ({"end_date": "2027-06-30", "cost": "-1"}, "cost"),
                        ({"end_date": "demain", "cost": "10"}, "end_date")):  # fmt: skip
        refused = client.put(url, json=body, headers=admin)
        assert refused.status_code == 422 and field in refused.text, (body, refused.text)
    technician = make_user(engine, "tech", role="technician")
    done = client.put(url, json={"end_date": "2027-06-30", "cost": "300", "note": "contrat FortiCare"},
                      headers=technician)  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json() | {"decided_at": None, "id": None} == {
        "id": None, "asset_id": ids["FW-FIN"], "name": "FW-FIN", "member_id": parc["servon"], "end_date": "2027-06-30",
        "cost": "300.00", "note": "contrat FortiCare", "decided_by": "tech", "decided_at": None}  # fmt: skip

    lines = _lines(client, admin)
    line = lines["FW-FIN"]
    assert (line["remedy"], Decimal(line["cost"]), line["due"]) == ("extend_support", 300, "2027-06-30")
    assert line["extension"]["then"] == "replace"
    assert Decimal(lines[""]["by_remedy"]["extend_support"]["cost"]) == 300
    assert Decimal(lines[""]["by_remedy"]["replace"]["cost"]) == 10700 - 2500
    # the plan made after the extension's end: the normal remedy is back
    assert _lines(client, admin, "2027-07-01")["FW-FIN"]["remedy"] == "replace"

    # a second decision replaces the first; a battery line stays a battery line
    assert client.put(url, json={"end_date": "2028-06-30", "cost": "280"}, headers=admin).status_code == 200
    battery = f"/api/v1/renewal/extensions/{ids['UPS-BATTERIE']}"
    assert client.put(battery, json={"end_date": "2028-06-30", "cost": "90"}, headers=admin).status_code == 200
    lines = _lines(client, admin)
    assert Decimal(lines["FW-FIN"]["cost"]) == 280 and lines["UPS-BATTERIE"]["remedy"] == "replace_battery"
    listed = client.get("/api/v1/renewal/extensions", headers=admin).json()
    assert [(e["name"], e["cost"]) for e in listed] == [("FW-FIN", "280.00"), ("UPS-BATTERIE", "90.00")]

    # members' readers: their own list only, and no change to anyone's assets
    chevry = make_user(engine, "lecteur-chevry", role="member_reader", member_id=parc["chevry"])
    servon = make_user(engine, "lecteur-servon", role="member_reader", member_id=parc["servon"])
    assert client.get("/api/v1/renewal/extensions", headers=chevry).json() == []
    assert len(client.get("/api/v1/renewal/extensions", headers=servon).json()) == 2
    body = {"end_date": "2027-06-30", "cost": "1"}
    assert client.put(url, json=body, headers=chevry).status_code == 404  # another member's asset: not found
    assert client.put(url, json=body, headers=servon).status_code == 403  # its own: a DSIT decision
    assert client.delete(url, headers=chevry).status_code == 404
    assert client.put("/api/v1/renewal/extensions/999999", json=body, headers=admin).status_code == 404

    assert client.delete(url, headers=admin).status_code == 204
    assert _lines(client, admin)["FW-FIN"]["remedy"] == "replace"
    assert client.delete(url, headers=admin).status_code == 404
    with Session(engine) as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%extensions%"))))
    assert actions.count("PUT /api/v1/renewal/extensions/{asset_id}") == 3
    assert actions.count("DELETE /api/v1/renewal/extensions/{asset_id}") == 1


def test_extended_support_through_the_pages(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    asset_id = parc["ids"]["PC-VIEUX"]
    assert sign_in(client, "dsit").status_code == 303
    form = client.get("/renewal/settings", params={"asset_id": asset_id}).text
    assert "Prolongations de support (décisions DSIT)" in form and f'value="{asset_id}"' in form
    for data, field in (({"end_date": "2026-01-01", "cost": "10"}, "end_date"),
                        ({"end_date": "2027-12-31", "cost": "-5"}, "cost"),
                        ({"end_date": "2027-12-31", "cost": "dix"}, "cost")):  # fmt: skip
        refused = post_form(client, "/renewal/settings/extensions", data={"asset_id": str(asset_id), **data})
        assert refused.status_code == 422 and field in refused.text, data
    unknown = post_form(client, "/renewal/settings/extensions",
                        data={"asset_id": "999999", "end_date": "2027-12-31", "cost": "10"})  # fmt: skip
    assert unknown.status_code == 422 and "asset_id" in unknown.text
    saved = post_form(client, "/renewal/settings/extensions", follow_redirects=False,
                      data={"asset_id": str(asset_id), "end_date": "2027-12-31", "cost": "1 250,00 €",
                            "note": "en attente du marché"})  # fmt: skip
    assert saved.status_code == 303, saved.text
    page = client.get("/renewal/settings").text.replace("\u202f", " ")
    assert f'data-extension="{asset_id}"' in page and "1 250,00 €" in page and "en attente du marché" in page
    plan = client.get("/renewal", params={"budget_date": BUDGET}).text
    assert "Support étendu (décision DSIT)" in plan and "jusqu'au 31/12/2027" in plan.replace("&#39;", "'")
    line = _lines(client, parc["admin"])["PC-VIEUX"]
    assert (line["remedy"], Decimal(line["cost"])) == ("extend_support", Decimal("1250.00"))
    frozen = client.post("/api/v1/renewal/plans", json={"member_id": parc["servon"], "budget_date": BUDGET},
                         headers=parc["admin"]).json()  # fmt: skip
    view = client.get(f"/renewal/plans/{frozen['id']}").text
    assert '<td data-remedy="extend_support">Support étendu (décision DSIT)</td>' in view
    assert "Remplacement de batterie + Mise à jour du firmware" in view

    assert post_form(client, "/renewal/settings/extensions/delete", data={"asset_id": str(asset_id)},
                     follow_redirects=False).status_code == 303  # fmt: skip
    assert _lines(client, parc["admin"])["PC-VIEUX"]["remedy"] == "replace"
    with Session(engine) as session:
        actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "dsit")))
    assert {"POST /renewal/settings/extensions", "POST /renewal/settings/extensions/delete"} <= actions

    client.cookies.clear()
    make_user(engine, "lecteur", role="member_reader", member_id=parc["servon"], password=PASSWORD)
    assert sign_in(client, "lecteur").status_code == 303
    assert (
        post_form(
            client,
            "/renewal/settings/extensions",
            data={"asset_id": str(asset_id), "end_date": "2027-12-31", "cost": "1"},
        ).status_code
        == 403
    )


def test_the_architecture_table_names_what_the_catalogue_knows() -> None:
    """Every release of ``architectures.yaml`` is a catalogue cycle with an upgrade line, every
    architecture one of its aliases' names (a typo would silently answer "no such architecture")."""
    from server.renewal.catalogue import Catalogue, shipped, upgrade_paths
    from server.renewal.readiness import architectures

    known, catalogue = architectures(), Catalogue(shipped())
    assert known.normal("x86_64") == "amd64" and known.normal("i686") == "i386" and known.normal("64-bit") == "amd64"
    assert known.normal("aarch64") == "arm64" and known.normal("sparc") is None and known.normal(None) is None
    names = set(known.aliases.values())
    for product, cycles in known.products.items():
        assert product in upgrade_paths(), product
        for cycle, arches in cycles.items():
            assert catalogue.cycle(product, cycle) is not None, (product, cycle)
            assert arches <= names, (product, cycle, arches - names)
