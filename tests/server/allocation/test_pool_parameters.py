"""Pool models' parameters are validated schemas: listed in OpenAPI, 422 naming the field, a
member outside every population tier refused at creation, never dropped, never a 500."""

from __future__ import annotations

from tests.utils import make_member, make_user

TIERS = [{"min": 0, "max": 1500, "fixed": "1500"}, {"min": 1500, "max": 8000, "fixed": "2500"}]
OVERLAPPING = {"min": 1000, "fixed": 2}


def pool(**changes):  # type: ignore[no-untyped-def]
    return {"year": 2026, "name": "Socle", "model": "population_tiers", "parameters": {"tiers": TIERS}, **changes}


def test_invalid_tier_parameters_are_422_naming_the_field(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    cases = {
        "foo": {"parameters": {"tiers": [{"foo": 1}]}},
        "fixed": {"parameters": {"tiers": [{"min": 0, "max": 10}]}},
        "tiers": {"parameters": {"tiers": []}},
        "max (10) must be above min (20)": {"parameters": {"tiers": [{"min": 20, "max": 10, "fixed": 1}]}},
        "tiers overlap at 1000": {"parameters": {"tiers": [{"min": 0, "max": 1500, "fixed": 1}, OVERLAPPING]}},
        "per_inhabitant": {"parameters": {"tiers": TIERS, "per_inhabitant": "-1"}},
        "parameters are for the population_tiers model": {"model": "pro_rata", "amount": "10", "key_code": "tickets"},
    }
    for field, changes in cases.items():
        answer = client.post("/api/v1/pools", json=pool(**changes), headers=admin)
        assert answer.status_code == 422, (field, answer.text)
        assert field in answer.text, (field, answer.text)
    assert client.get("/api/v1/pools", params={"year": 2026}, headers=admin).json() == []
    assert client.get("/api/v1/allocation/2026", headers=admin).status_code == 200


def test_a_member_outside_every_tier_is_refused_at_creation(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    make_member(engine, "Bourg", insee_code="35001")
    make_member(engine, "Ville", insee_code="35002")
    population = b"Code INSEE;Population\n35001;1 200\n35002;8 000\n"
    imported = client.post("/api/v1/keys/population/import", params={"year": 2026}, headers=admin,
                           files={"file": ("insee.csv", population, "text/csv")})  # fmt: skip
    assert imported.json()["imported"] == 2, imported.text
    refused = client.post("/api/v1/pools", json=pool(), headers=admin)
    assert refused.status_code == 422 and "Ville (8000 inhabitants)" in refused.json()["detail"], refused.text
    assert "parameters.tiers" in refused.json()["detail"]
    wider = [*TIERS[:1], {"min": 1500, "max": 8001, "fixed": "2500"}]
    created = client.post("/api/v1/pools", json=pool(parameters={"tiers": wider}), headers=admin)
    assert created.status_code == 201, created.text
    shares = client.get("/api/v1/allocation/2026", headers=admin).json()["pools"][0]["shares"]
    assert {s["member"]: s["amount"] for s in shares} == {"Bourg": "1500.00", "Ville": "2500.00"}
    narrowed = client.put(f"/api/v1/pools/{created.json()['id']}", json=pool(), headers=admin)
    assert narrowed.status_code == 422 and "Ville" in narrowed.json()["detail"]


def test_the_models_parameters_are_documented_in_openapi(client) -> None:  # type: ignore[no-untyped-def]
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    tiers = schemas["PopulationTiersParameters-Input"]  # what a client sends (-Output: what it reads)
    assert tiers["examples"][0]["tiers"][0] == {"min": 0, "max": 1500, "fixed": "1500"}
    assert set(tiers["properties"]) == {"tiers", "per_inhabitant", "deduct_tiers", "deduct_for"}
    assert all(p.get("description") for p in tiers["properties"].values())
    assert all(p.get("description") for p in schemas["Tier-Input"]["properties"].values())
    assert schemas["PoolIn"]["properties"]["unit_price"]["description"].startswith("per_unit")
