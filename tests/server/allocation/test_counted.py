"""One definition of "counted" for measured keys: in service, with a member, not a consumable,
whatever the asset's source (agent, collector, manual, CSV import) and its last-seen date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session

from server.assets.models import Asset
from server.core.clock import utcnow
from tests.utils import make_member, make_user

PARC = """Membre;Type;Nom;Numéro de série;Statut
Servon;Poste fixe;PC-IMPORTE;IMP-001;En service
Servon;Poste fixe;PC-RETIRE;IMP-002;Retiré
"""


def test_a_csv_imported_pc_is_counted_like_any_other(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin")
    manual = {"member_id": servon, "asset_type": "workstation", "name": "PC-MANUEL"}
    assert client.post("/api/v1/assets", json=manual, headers=admin).status_code == 201
    report = client.post("/api/v1/assets/import", headers=admin, data={"dry_run": "false"},
                         files={"file": ("parc.csv", PARC.encode("utf-8"), "text/csv")}).json()  # fmt: skip
    assert (report["created"], report["errors"]) == (2, 0), report
    with Session(engine) as session:  # an agent's PC not seen for a year, and one still in quarantine
        long_ago = utcnow() - dt.timedelta(days=400)
        session.add(Asset(member_id=servon, asset_type="workstation", name="PC-AGENT", source="agent",
                          last_seen=long_ago))  # fmt: skip
        session.add(Asset(member_id=None, asset_type="workstation", name="PC-QUARANTAINE", source="agent",
                          last_seen=utcnow()))  # fmt: skip
        session.commit()

    behind = client.get("/api/v1/keys/workstations/assets", params={"member_id": servon}, headers=admin).json()
    assert sorted(a["name"] for a in behind) == ["PC-AGENT", "PC-IMPORTE", "PC-MANUEL"]
    pool = {"year": 2026, "name": "Socle (700 € par poste)", "model": "per_unit", "key_code": "workstations",
            "unit_price": "700"}  # fmt: skip
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201
    shares = client.get("/api/v1/allocation/2026", headers=admin).json()["pools"][0]["shares"]
    assert [(s["member"], Decimal(s["value"]), Decimal(s["amount"])) for s in shares] == [("Servon", 3, 2100)]


def test_a_measured_key_is_overridden_only_with_a_reason_shown_on_the_statement(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin")
    storage = {"file": ("go-2021.csv", b"Membre;Valeur\nServon;600\nChevry-Cossigny;400\n", "text/csv")}
    url = "/api/v1/keys/storage_gb/import"
    for dry_run in (True, False):  # the dry run answers what the import answers
        refused = client.post(url, params={"year": 2021, "dry_run": dry_run}, headers=admin, files=storage)
        assert refused.status_code == 422 and "reason" in refused.json()["detail"], refused.text
    reason = "NAS remplacé en 2021, mesures perdues : relevé du prestataire"
    dry = client.post(url, params={"year": 2021, "dry_run": True, "reason": reason}, headers=admin, files=storage)
    assert (dry.status_code, dry.json()["imported"]) == (200, 2), dry.text
    assert client.get("/api/v1/keys/storage_gb/values", params={"year": 2021}, headers=admin).json()["data"] == []
    done = client.post(url, params={"year": 2021, "reason": reason}, headers=admin, files=storage)
    assert done.status_code == 200, done.text
    values = client.get("/api/v1/keys/storage_gb/values", params={"year": 2021}, headers=admin).json()["data"]
    assert {v["member"]: Decimal(v["value"]) for v in values} == {"Servon": 600, "Chevry-Cossigny": 400}

    pool = {"year": 2021, "name": "Stockage", "amount": "1000", "key_code": "storage_gb"}
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201
    statement = client.get(f"/api/v1/allocation/2021/statements/{servon}", headers=admin).json()
    assert statement["lines"][0]["amount"] == "600.00"
    assert statement["notes"][0].endswith(f"valeur saisie par la DSIT au lieu de la mesure : {reason}")
    other = client.get(f"/api/v1/allocation/2021/statements/{chevry}", params={"lang": "en"}, headers=admin).json()
    assert "value typed in by the DSIT instead of the measurement" in other["notes"][0]
