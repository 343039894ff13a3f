"""Seed 002's "description organique", filled from the inventory per member and site."""

from __future__ import annotations

from tests.utils import make_member, make_site, make_user


def test_the_questionnaire_is_filled_from_the_inventory(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    mairie, ecole = make_site(engine, servon, "Mairie"), make_site(engine, servon, "École")
    admin = make_user(engine, "dsit", role="admin")
    parc = [(mairie, "workstation"), (mairie, "workstation"), (mairie, "laptop"), (mairie, "firewall"),
            (mairie, "copier"), (ecole, "tablet"), (ecole, "tablet"), (ecole, "wifi_ap"), (None, "phone")]  # fmt: skip
    for number, (site, asset_type) in enumerate(parc):
        record = {"member_id": servon, "site_id": site, "asset_type": asset_type, "name": f"X{number}"}
        assert client.post("/api/v1/assets", json=record, headers=admin).status_code == 201
    retired = {"member_id": servon, "asset_type": "workstation", "lifecycle_status": "retired", "name": "OLD"}
    client.post("/api/v1/assets", json=retired, headers=admin)
    client.post("/api/v1/keys/agents/import", params={"year": 2026}, headers=admin,
                files={"file": ("agents.csv", b"Membre;Agents\nServon;42\n", "text/csv")})  # fmt: skip

    answer = client.get(f"/api/v1/members/{servon}/organic-description", params={"year": 2026}, headers=admin).json()
    sites = {s["site"]: s for s in answer["sites"]}
    assert (sites["Mairie"]["desktops"], sites["Mairie"]["laptops"], sites["Mairie"]["firewalls"]) == (2, 1, 1)
    assert (sites["École"]["tablets"], sites["École"]["wifi_aps"]) == (2, 1)
    assert sites["(sans site)"]["phones"] == 1
    assert answer["total"]["desktops"] == 2  # the retired PC does not count
    assert answer["agents"] == "42.0000"

    csv_text = client.get(f"/api/v1/members/{servon}/organic-description", headers=admin,
                          params={"year": 2026, "format": "csv"}).content.decode("utf-8-sig")  # fmt: skip
    assert "Postes fixes;2;0;0;2" in csv_text and "Agents;;;;42" in csv_text

    other = make_member(engine, "Chevry-Cossigny")
    reader = make_user(engine, "lecteur", role="member_reader", member_id=other)
    assert client.get(f"/api/v1/members/{servon}/organic-description", headers=reader).status_code == 404
