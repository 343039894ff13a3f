"""The DSIT manages pools and key imports in the pages: a form per model, the API's checks (422
naming the field, 409 on a closed year), a CSV import checked (dry run) before it is applied."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from tests.server.web.test_pages import post_form, sign_in
from tests.utils import make_member, make_user

PASSWORD = "motdepasse-2026"


def test_pools_through_the_forms(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny", insee_code="77111")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    assert sign_in(client, "dsit").status_code == 303
    form = client.get("/allocation/pools/new", params={"year": 2025, "model": "pro_rata"}).text
    assert "Tickets (tickets)" in form and 'name="amount"' in form and 'name="tiers"' not in form
    tiers_form = client.get("/allocation/pools/new", params={"year": 2025, "model": "population_tiers"}).text
    assert 'name="tiers"' in tiers_form

    pool = {"model": "pro_rata", "year": "2025", "name": "Service commun", "key_code": "tickets",
            "amount": "1 000,00", "advanced_by_id": str(servon), "rounding": "percent"}  # fmt: skip
    assert post_form(client, "/allocation/pools", data=pool, follow_redirects=False).status_code == 303
    bad = post_form(client, "/allocation/pools", data={**pool, "name": "Autre", "amount": "mille"})
    assert bad.status_code == 422 and "amount" in bad.text
    tiers = {"model": "population_tiers", "year": "2025", "name": "Socle", "tiers": "0;1500;1500\n1500;3000;x"}
    refused = post_form(client, "/allocation/pools", data=tiers)
    assert refused.status_code == 422 and "tiers" in refused.text
    tiers["tiers"] = "0;1500;1500\n1500;;2000;0,5"
    assert post_form(client, "/allocation/pools", data=tiers, follow_redirects=False).status_code == 303
    created = {p["name"]: p for p in client.get("/api/v1/pools", params={"year": 2025}, headers=admin).json()}
    common = created["Service commun"]
    assert (Decimal(common["amount"]), common["advanced_by_id"]) == (1000, servon)
    assert created["Socle"]["parameters"]["tiers"][1] == {"min": 1500, "max": None, "fixed": "2000",
                                                          "per_inhabitant": "0.5"}  # fmt: skip

    page = unescape(client.get("/allocation", params={"year": 2025}).text)
    assert "Tickets · Au prorata d'une clé" in page and "Tranches de population" in page
    assert "quelle que soit leur source" in page
    edit = client.get(f"/allocation/pools/{created['Service commun']['id']}").text
    assert 'value="Service commun"' in edit and f'<option value="{servon}" selected>' in edit
    changed = post_form(client, f"/allocation/pools/{created['Service commun']['id']}",
                        data={**pool, "amount": "2000", "exclude": str(chevry)}, follow_redirects=False)  # fmt: skip
    assert changed.status_code == 303
    again = client.get("/api/v1/pools", params={"year": 2025}, headers=admin).json()
    assert [(p["amount"], p["exclude"]) for p in again if p["name"] == "Service commun"] == [("2000.00", [chevry])]

    assert client.post("/api/v1/years/2025/close", headers=admin).status_code == 200
    closed = post_form(client, "/allocation/pools", data={**pool, "name": "Tard"}, headers={"accept": "text/html"})
    assert closed.status_code == 409 and "2025" in closed.text
    gone = post_form(client, f"/allocation/pools/{created['Socle']['id']}/delete", headers={"accept": "text/html"})
    assert gone.status_code == 409
    client.post("/api/v1/years/2025/reopen", json={"reason": "correction"}, headers=admin)
    deleted = post_form(client, f"/allocation/pools/{created['Socle']['id']}/delete", follow_redirects=False)
    assert deleted.status_code == 303
    assert [p["name"] for p in client.get("/api/v1/pools", params={"year": 2025}, headers=admin).json()] == [
        "Service commun"]  # fmt: skip


def test_key_import_is_checked_before_it_is_applied(client, engine) -> None:  # type: ignore[no-untyped-def]
    make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    assert sign_in(client, "dsit").status_code == 303
    data = "Membre;Tickets\nServon;123\nInconnue;4\n".encode("cp1252")
    checked = client.post("/allocation/import", data={"year": "2024", "key": "tickets", "dry_run": "true",
                                                      "csrf_token": _token(client, 2024)},
                          files={"file": ("tickets.csv", data, "text/csv")})  # fmt: skip
    assert checked.status_code == 200, checked.text
    assert "1 ligne(s) valable(s), 1 erreur(s)" in checked.text and "membre inconnu" in checked.text
    assert client.get("/api/v1/keys/tickets/values", params={"year": 2024}, headers=admin).json()["data"] == []
    content = re.search(r'<textarea name="content" hidden>(.*?)</textarea>', checked.text, re.S).group(1)  # type: ignore[union-attr]
    applied = post_form(client, "/allocation/import", data={"year": "2024", "key": "tickets", "content": content})
    assert applied.status_code == 200 and "Import enregistré : 1 ligne(s)" in applied.text
    values = client.get("/api/v1/keys/tickets/values", params={"year": 2024}, headers=admin).json()["data"]
    assert [(v["member"], Decimal(v["value"])) for v in values] == [("Servon", 123)]
    measured = client.post("/allocation/import", data={"year": "2024", "key": "storage_gb", "dry_run": "true",
                                                       "csrf_token": _token(client, 2024)},
                           files={"file": ("go.csv", b"Membre;Valeur\nServon;5\n", "text/csv")},
                           headers={"accept": "text/html"})  # fmt: skip
    assert measured.status_code == 422 and "reason" in measured.text


def _token(client, year: int) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/allocation/import", params={"year": year}).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
