"""CSV import for the renewal plan: the OS (one column, or name and version), purchase date,
price and model reach the asset, so that imported PCs get their end-of-life check; an unknown
column is refused, naming it, in a dry run as in a real import."""

from __future__ import annotations

from tests.utils import make_member

CSV = """Membre;Type;Nom;Modèle;Date d'achat;Prix d'achat;Nom du système;Version du système
Servon;Poste fixe;PC-W7;OptiPlex 790;02/01/2016;612,50 €;Windows 7 Professional;build 7601
Servon;Poste fixe;PC-DEB;OptiPlex 7090;15/03/2022;899;Debian GNU/Linux;13 (trixie)
"""


def _import(client, admin, text: str, dry_run: bool):  # type: ignore[no-untyped-def]
    files = {"file": ("parc.csv", text.encode("utf-8"), "text/csv")}
    return client.post("/api/v1/assets/import", headers=admin, files=files, data={"dry_run": str(dry_run).lower()})


def test_imported_pcs_get_their_end_of_life_check(client, engine, admin) -> None:  # type: ignore[no-untyped-def]
    make_member(engine, "Servon")
    report = _import(client, admin, CSV, dry_run=False)
    assert report.status_code == 200 and (report.json()["created"], report.json()["errors"]) == (2, 0), report.text
    assessed = client.get("/api/v1/renewal/assets", params={"budget_date": "2026-10-01"}, headers=admin).json()
    items = {a["name"]: a for a in assessed["data"]}
    w7 = items["PC-W7"]
    assert (w7["os"], w7["model"], w7["reference_date"]) == ("Windows 7 Professional build 7601", "OptiPlex 790",
                                                             "2016-01-02")  # fmt: skip
    assert "os_eol" in w7["reasons"] and w7["eol"]["cycle"] == "7-sp1"
    assert items["PC-DEB"]["eol"]["cycle"] == "13" and "os_eol" not in items["PC-DEB"]["reasons"]
    asset = client.get(f"/api/v1/assets/{w7['asset_id']}", headers=admin).json()
    assert asset["purchase_price"] == "612.50"
    # the one-column form
    single = "Membre;Nom;Système d'exploitation\nServon;PC-W11;Windows 11 Pro 24H2 build 26100\n"
    assert _import(client, admin, single, dry_run=False).json()["created"] == 1
    assessed = client.get("/api/v1/renewal/assets", params={"budget_date": "2026-10-01"}, headers=admin).json()
    assert {a["name"]: a for a in assessed["data"]}["PC-W11"]["eol"]["cycle"] == "11-24h2-w"


def test_an_unknown_column_is_refused_naming_it(client, engine, admin) -> None:  # type: ignore[no-untyped-def]
    make_member(engine, "Servon")
    text = CSV.replace("Version du système", "Version OS")
    for dry_run in (True, False):
        answer = _import(client, admin, text.replace("Nom;", "Nom;Couleur;", 1), dry_run=dry_run)
        assert answer.status_code == 422, answer.text
        assert "'Couleur'" in answer.json()["detail"] and "'Version OS'" in answer.json()["detail"]
    assert client.get("/api/v1/assets", headers=admin).json()["count"] == 0
