"""Members, sites and enrolment tokens over the REST API."""

from __future__ import annotations

from tests.utils import make_member, make_user


def test_admin_creates_members_and_sites(client, admin):
    created = client.post(
        "/api/v1/members",
        headers=admin,
        json={"name": "Redon", "kind": "commune", "population": 2355, "insee_code": "35236"},
    )
    assert created.status_code == 201, created.text
    member = created.json()
    assert client.post("/api/v1/members", headers=admin, json={"name": "Redon"}).status_code == 409
    site = client.post("/api/v1/sites", headers=admin, json={"member_id": member["id"], "name": "Mairie"})
    assert site.status_code == 201
    sites = client.get("/api/v1/sites", headers=admin, params={"member_id": member["id"]}).json()
    assert [s["name"] for s in sites["data"]] == ["Mairie"]
    patched = client.patch(f"/api/v1/members/{member['id']}", headers=admin, json={"population": 2400})
    assert patched.json()["population"] == 2400


def test_enrolment_tokens_created_listed_revoked(client, engine, admin):
    member = make_member(engine, "Servon")
    created = client.post(
        "/api/v1/enrolment-tokens", headers=admin, json={"member_id": member, "label": "postes mairie"}
    )
    assert created.status_code == 201
    token = created.json()
    assert token["token"].startswith("mpe_") and token["prefix"] == token["token"][:12]
    listed = client.get("/api/v1/enrolment-tokens", headers=admin).json()
    assert listed["count"] == 1 and "token" not in listed["data"][0]
    revoked = client.post(f"/api/v1/enrolment-tokens/{token['id']}/revoke", headers=admin).json()
    assert revoked["revoked_at"] is not None


def test_technician_cannot_administer(client, engine):
    technician = make_user(engine, "tech", role="technician")
    assert client.post("/api/v1/members", headers=technician, json={"name": "X"}).status_code == 403
    member = make_member(engine, "Servon")
    assert client.post("/api/v1/sites", headers=technician, json={"member_id": member, "name": "A"}).status_code == 201
