"""Assets over the REST API: lists, filters, manual records, edits with history, documents, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import update

from server.assets.models import Asset
from server.core.db import transaction
from tests.utils import example, make_enrolment_token, make_member, make_site, make_user, post_inventory, variant


def _manual(client, headers, member_id: int, **fields) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/assets", headers=headers, json={"member_id": member_id, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def _parc(client, engine, admin) -> dict[str, int]:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    post_inventory(client, example("computer_1"), token=make_enrolment_token(engine, servon))
    post_inventory(client, example("networkequipment_1"), token=make_enrolment_token(engine, chevry))
    _manual(
        client,
        admin,
        servon,
        asset_type="copier",
        name="Copieur accueil",
        manufacturer="Canon",
        model="iR-ADV C5535i",
        serial="2VE01234",
        purchase_price="4200.50",
        purchase_date="2019-05-14",
    )
    _manual(client, admin, chevry, asset_type="phone", name="Standard", manufacturer="Yealink", serial="YL-9")
    return {"servon": servon, "chevry": chevry}


def test_list_filters_and_pagination(client, engine, admin):
    members = _parc(client, engine, admin)
    everything = client.get("/api/v1/assets", headers=admin).json()
    assert everything["count"] == 4
    by_member = client.get("/api/v1/assets", headers=admin, params={"member_id": members["servon"]}).json()
    assert {a["name"] for a in by_member["data"]} == {"glpixps", "Copieur accueil"}
    laptops = client.get("/api/v1/assets", headers=admin, params={"type": "laptop"}).json()
    assert [a["os"] for a in laptops["data"]] == ["Fedora 31 (Workstation Edition)"]
    several = client.get("/api/v1/assets", headers=admin, params=[("type", "switch"), ("type", "phone")]).json()
    assert several["count"] == 2
    complex_ = client.get("/api/v1/assets", headers=admin, params={"category": "complex"}).json()
    assert {a["asset_type"] for a in complex_["data"]} == {"switch", "copier"}
    search = client.get("/api/v1/assets", headers=admin, params={"q": "canon"}).json()
    assert [a["name"] for a in search["data"]] == ["Copieur accueil"]
    page = client.get("/api/v1/assets", headers=admin, params={"limit": 1, "offset": 1, "ordering": "name"}).json()
    assert page["count"] == 4 and len(page["data"]) == 1 and page["data"][0]["name"] == "glpixps"
    bad = client.get("/api/v1/assets", headers=admin, params={"ordering": "password"})
    assert bad.status_code == 422 and "cannot order by" in bad.json()["detail"]
    assert client.get("/api/v1/assets", headers=admin, params={"type": "toaster"}).status_code == 422


def test_stale_assets_are_listed(client, engine, admin, settings):
    _parc(client, engine, admin)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.stale_days + 5)
    with transaction(engine) as session:
        session.execute(update(Asset).where(Asset.name == "glpixps").values(last_seen=old))
    stale = client.get("/api/v1/assets/stale", headers=admin).json()
    assert [a["name"] for a in stale["data"]] == ["glpixps"]
    assert client.get("/api/v1/assets", headers=admin, params={"stale": True}).json()["count"] == 1
    # Manual records never report: they are not stale.
    assert client.get("/api/v1/assets", headers=admin, params={"stale": False}).json()["count"] == 3
    assert client.get("/api/v1/assets/stale", headers=admin, params={"days": 400}).json()["count"] == 0


def test_quarantine_listed_and_assigned(client, engine, admin):
    member = make_member(engine, "CCOB", kind="epci")
    site = make_site(engine, member, "Siège")
    post_inventory(client, example("computer_1"))
    quarantined = client.get("/api/v1/assets", headers=admin, params={"quarantine": True}).json()["data"]
    assert len(quarantined) == 1
    asset_id = quarantined[0]["id"]
    response = client.post(
        f"/api/v1/assets/{asset_id}/assign", headers=admin, json={"member_id": member, "site_id": site}
    )
    assert response.status_code == 200 and response.json()["member_id"] == member
    assert client.get("/api/v1/assets", headers=admin, params={"quarantine": True}).json()["count"] == 0


def test_manual_edit_is_recorded_in_history(client, engine, admin):
    member = make_member(engine, "Servon")
    asset = _manual(client, admin, member, asset_type="printer", name="Imprimante RDC")
    response = client.patch(
        f"/api/v1/assets/{asset['id']}",
        headers=admin,
        json={"name": "Imprimante accueil", "warranty_end": "2027-06-30"},
    )
    assert response.status_code == 200, response.text
    detail = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()
    changes = {(c["field"], c["old_value"], c["new_value"], c["actor"]) for c in detail["history"]}
    assert ("name", "Imprimante RDC", "Imprimante accueil", "admin") in changes
    assert ("warranty_end", None, "2027-06-30", "admin") in changes
    assert client.patch(f"/api/v1/assets/{asset['id']}", headers=admin, json={"member_id": 9999}).status_code == 404


def test_duplicate_serial_in_member_is_a_conflict(client, engine, admin):
    member = make_member(engine, "Servon")
    first = _manual(client, admin, member, asset_type="phone", serial="YL-123")
    response = client.post(
        "/api/v1/assets", headers=admin, json={"member_id": member, "asset_type": "phone", "serial": "yl-123"}
    )
    assert response.status_code == 409 and str(first["id"]) in response.json()["detail"]


def test_status_history_and_documents(client, engine, admin):
    member = make_member(engine, "Varennes-Jarcy")
    asset = _manual(client, admin, member, asset_type="workstation", name="PC compta")
    response = client.post(
        f"/api/v1/assets/{asset['id']}/status",
        headers=admin,
        json={"status": "recycled", "comment": "collecte DEEE 2026"},
    )
    assert response.status_code == 201
    pdf = b"%PDF-1.4 certificat de recyclage"
    upload = client.post(
        f"/api/v1/assets/{asset['id']}/documents",
        headers=admin,
        files={"file": ("certificat.pdf", pdf, "application/pdf")},
        data={"kind": "recycling_certificate"},
    )
    assert upload.status_code == 201, upload.text
    document = upload.json()
    detail = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()
    assert detail["lifecycle_status"] == "recycled"
    assert [(s["from_status"], s["to_status"]) for s in detail["status_history"]] == [
        (None, "in_service"),
        ("in_service", "recycled"),
    ]
    assert [d["kind"] for d in detail["documents"]] == ["recycling_certificate"]
    download = client.get(f"/api/v1/assets/{asset['id']}/documents/{document['id']}", headers=admin)
    assert download.content == pdf and download.headers["content-type"] == "application/pdf"


def test_csv_export_opens_as_french_spreadsheet(client, engine, admin):
    _parc(client, engine, admin)
    response = client.get("/api/v1/assets/export", headers=admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 4
    copier = next(r for r in rows if r["Nom"] == "Copieur accueil")
    assert copier["Type"] == "Copieur" and copier["Membre"] == "Servon" and copier["Catégorie"] == "Complexe"
    assert copier["Prix d'achat"] == "4200,50" and copier["Date d'achat"] == "14/05/2019"
    english = client.get("/api/v1/assets/export", headers=admin, params={"lang": "en", "type": "copier"})
    rows = list(csv.DictReader(io.StringIO(english.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert [(r["Type"], r["Purchase price"], r["Purchase date"]) for r in rows] == [("Copier", "4200.50", "2019-05-14")]


CSV_IMPORT = """Membre;Site;Type;Nom;Fabricant;Modèle;Numéro de série;Date d'achat;Prix d'achat;Statut
Servon;Mairie;Copieur;Copieur étage;Ricoh;IM C3000;RC-001;12/03/2021;3 450,00 €;En service
Servon;;Téléphone;Poste accueil;Yealink;T46U;YL-001;2022-01-05;;
Inconnue;;Copieur;X;;;;;;
Servon;Annexe;Grille-pain;Y;;;;31/02/2020;abc;
Servon;;Poste fixe;PC-12;Dell;OptiPlex 7090;ABC1234;;899;Retiré
"""


def test_csv_import_dry_run_reports_each_line(client, engine, admin):
    member = make_member(engine, "Servon")
    make_site(engine, member, "Mairie")
    files = {"file": ("parc.csv", CSV_IMPORT.encode("cp1252"), "text/csv")}
    report = client.post("/api/v1/assets/import", headers=admin, files=files, data={"dry_run": "true"}).json()
    assert (report["dry_run"], report["created"], report["updated"], report["errors"]) == (True, 3, 0, 2)
    errors = {line["line"]: line["errors"] for line in report["lines"] if line["action"] == "error"}
    assert errors[4] == ["Membre: inconnu 'Inconnue'"]
    assert any("Grille-pain" in e for e in errors[5]) and any("31/02/2020" in e for e in errors[5])
    assert any("abc" in e for e in errors[5]) and any("Annexe" in e for e in errors[5])
    assert client.get("/api/v1/assets", headers=admin).json()["count"] == 0


def test_csv_import_keeps_good_lines_and_updates_by_serial(client, engine, admin):
    member = make_member(engine, "Servon")
    make_site(engine, member, "Mairie")
    existing = _manual(client, admin, member, asset_type="workstation", serial="ABC1234")
    files = {"file": ("parc.csv", CSV_IMPORT.encode("utf-8"), "text/csv")}
    report = client.post("/api/v1/assets/import", headers=admin, files=files, data={"dry_run": "false"}).json()
    assert (report["created"], report["updated"], report["errors"]) == (2, 1, 2)
    assets = {a["name"]: a for a in client.get("/api/v1/assets", headers=admin).json()["data"]}
    assert assets["Copieur étage"]["purchase_price"] == "3450.00"
    assert assets["Copieur étage"]["purchase_date"] == "2021-03-12" and assets["Copieur étage"]["site_id"]
    assert assets["PC-12"]["id"] == existing["id"] and assets["PC-12"]["lifecycle_status"] == "retired"


def test_member_reader_sees_only_their_member(client, engine, admin):
    members = _parc(client, engine, admin)
    reader = make_user(engine, "servon-elu", role="member_reader", member_id=members["servon"])
    listed = client.get("/api/v1/assets", headers=reader).json()
    assert {a["member_id"] for a in listed["data"]} == {members["servon"]} and listed["count"] == 2
    other = client.get("/api/v1/assets", headers=admin, params={"member_id": members["chevry"]}).json()["data"]
    for asset in other:
        assert client.get(f"/api/v1/assets/{asset['id']}", headers=reader).status_code == 404
    assert client.get("/api/v1/assets", headers=reader, params={"member_id": members["chevry"]}).json()["count"] == 0
    assert client.get(f"/api/v1/members/{members['chevry']}", headers=reader).status_code == 404
    assert [m["name"] for m in client.get("/api/v1/members", headers=reader).json()["data"]] == ["Servon"]
    export = client.get("/api/v1/assets/export", headers=reader).content.decode()
    assert "Chevry" not in export and "Servon" in export
    own = listed["data"][0]["id"]
    assert client.patch(f"/api/v1/assets/{own}", headers=reader, json={"name": "x"}).status_code == 403
    assert client.get("/api/v1/enrolment-tokens", headers=reader).status_code == 403


def test_authentication_is_required(client):
    response = client.get("/api/v1/assets")
    assert response.status_code == 401 and "Bearer" in response.headers["www-authenticate"]
    assert client.get("/api/v1/assets", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_asset_detail_has_components_sources_and_history(client, engine, admin):
    post_inventory(client, example("computer_1"))
    post_inventory(client, variant(example("computer_1"), hardware__name="renamed"))
    asset_id = client.get("/api/v1/assets", headers=admin).json()["data"][0]["id"]
    detail = client.get(f"/api/v1/assets/{asset_id}", headers=admin).json()
    assert detail["components"]["bios"]["bios_version"] == "1.4.3"
    assert len(detail["components"]["softwares"]) == 6
    assert detail["sources"][0]["inventory_count"] == 2
    assert [c["field"] for c in detail["history"]] == ["name", "created"]
