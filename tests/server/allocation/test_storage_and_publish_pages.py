"""The storage mappings page (list, create, edit, delete, checked, audited, a reader sees its own
member's rules only) and draft statements published apart from the closure."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from sqlalchemy import select
from sqlmodel import Session

from server.audit.models import AuditEvent
from tests.server.allocation.test_seed_figures import nas_inventory
from tests.server.web.test_pages import post_form, sign_in
from tests.utils import make_enrolment_token, make_member, make_user, post_inventory

PASSWORD = "motdepasse-2026"


def _actions(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_storage_mappings_through_the_page(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon, ccob = make_member(engine, "Servon"), make_member(engine, "CCOB")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    make_user(engine, "lecteur-ccob", role="member_reader", member_id=ccob, password=PASSWORD)
    collector = make_enrolment_token(engine, servon, kind="collector")
    stored = post_inventory(client, nas_inventory({"servon": 613, "ccob": 162, "tmp": 40}), token=collector)
    assert stored.status_code == 200, stored.text
    assert sign_in(client, "dsit").status_code == 303

    page = unescape(client.get("/allocation/storage").text)
    unmapped = re.search(r'id="unmapped">(.*?)</table>', page, re.S).group(1)  # type: ignore[union-attr]
    assert all(f"/volume1/{share}" in unmapped for share in ("servon", "ccob", "tmp"))
    rule = {"member_id": str(servon), "kind": "path", "pattern": "/volume1/servon", "prefix": "true", "note": "mairie"}
    assert post_form(client, "/allocation/storage", data=rule, follow_redirects=False).status_code == 303
    twin = post_form(client, "/allocation/storage", data=rule, headers={"accept": "text/html"})
    assert twin.status_code == 409 and "mapped already" in twin.text
    tag = post_form(client, "/allocation/storage", data={**rule, "kind": "tag"}, headers={"accept": "text/html"})
    assert tag.status_code == 422 and "pattern" in tag.text
    empty = post_form(client, "/allocation/storage", data={**rule, "pattern": "  "}, headers={"accept": "text/html"})
    assert empty.status_code == 422 and "pattern" in empty.text
    nobody = post_form(client, "/allocation/storage", data={**rule, "member_id": "999"})
    assert nobody.status_code == 422 and "member_id" in nobody.text
    pc = client.post("/api/v1/assets", json={"member_id": servon, "asset_type": "workstation", "name": "PC"},
                     headers=admin).json()["id"]  # fmt: skip
    not_storage = post_form(client, "/allocation/storage", data={**rule, "asset_id": str(pc)})
    assert not_storage.status_code == 422 and "asset_id" in not_storage.text
    wrong = {**rule, "member_id": str(ccob), "pattern": "/volume1/ccob", "note": ""}
    assert post_form(client, "/allocation/storage", data=wrong, follow_redirects=False).status_code == 303

    values = client.get("/api/v1/keys/storage_gb/values", headers=admin).json()["data"]
    assert {v["member"]: Decimal(v["value"]) for v in values} == {"Servon": 613, "CCOB": 162}
    rules = {m["pattern"]: m for m in client.get("/api/v1/storage/mappings", headers=admin).json()}
    ccob_rule = rules["/volume1/ccob"]["id"]
    api_rule = {"member_id": ccob, "pattern": "/volume1/servon"}  # the API checks the same way
    assert client.post("/api/v1/storage/mappings", json=api_rule, headers=admin).status_code == 409
    bad_tag = {**api_rule, "pattern": "servon/*", "kind": "tag"}
    assert client.put(f"/api/v1/storage/mappings/{ccob_rule}", json=bad_tag, headers=admin).status_code == 422
    edit = unescape(client.get(f"/allocation/storage/{ccob_rule}").text)
    assert 'value="/volume1/ccob"' in edit and f'<option value="{ccob}" selected>' in edit
    assert "NAS-DSIT-01 /volume1/ccob : 162 Go" in re.sub(r"</?code>", "", edit)
    moved = {**wrong, "pattern": "/volume1/tmp", "note": "archives"}
    assert post_form(client, f"/allocation/storage/{ccob_rule}", data=moved, follow_redirects=False).status_code == 303
    values = client.get("/api/v1/keys/storage_gb/values", headers=admin).json()["data"]
    assert {v["member"]: Decimal(v["value"]) for v in values} == {"Servon": 613, "CCOB": 40}
    listed = unescape(client.get("/allocation/storage").text)
    assert re.search(r"/volume1/tmp</a>/….*?Chemin.*?CCOB.*?archives.*?NAS-DSIT-01 /volume1/tmp.*?>40<", listed, re.S)

    # a member's reader: its own member's rules, no unmapped volumes, no form, no write
    client.cookies.clear()
    assert sign_in(client, "lecteur-ccob").status_code == 303
    theirs = unescape(client.get("/allocation/storage").text)
    assert "/volume1/tmp" in theirs and "/volume1/servon" not in theirs
    assert 'id="unmapped"' not in theirs and 'id="mapping-form"' not in theirs
    assert client.get(f"/allocation/storage/{ccob_rule}").status_code == 403
    assert post_form(client, f"/allocation/storage/{ccob_rule}/delete").status_code == 403
    assert post_form(client, "/allocation/storage", data={**rule, "pattern": "/volume1/x"}).status_code == 403

    client.cookies.clear()
    assert sign_in(client, "dsit").status_code == 303
    deleted = post_form(client, f"/allocation/storage/{ccob_rule}/delete", follow_redirects=False)
    assert deleted.status_code == 303
    assert [m["pattern"] for m in client.get("/api/v1/storage/mappings", headers=admin).json()] == ["/volume1/servon"]
    actions = _actions(engine)
    assert actions.count("POST /allocation/storage") == 2  # the refused ones are not recorded
    assert (
        "POST /allocation/storage/{mapping_id}" in actions and "POST /allocation/storage/{mapping_id}/delete" in actions
    )


def test_draft_statements_are_published_apart_from_the_closure(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    technician = make_user(engine, "technicien", role="technician")
    client.post("/api/v1/keys/tickets/import", params={"year": 2024}, headers=admin,
                files={"file": ("t.csv", b"Membre;Tickets\nServon;10\n", "text/csv")})  # fmt: skip
    pool = {"year": 2024, "name": "Service commun", "amount": "1000", "key_code": "tickets"}
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201
    url = "/api/v1/allocation/2024/statements/publish"
    assert client.post(url, headers=technician).status_code == 403
    first = client.post(url, params={"note": "appel d'octobre"}, headers=admin)
    assert first.json() == {"year": 2024, "version": 1, "draft": True}, first.text

    assert sign_in(client, "dsit").status_code == 303
    page = unescape(client.get("/allocation", params={"year": 2024}).text)
    assert "v1 (provisoire)" in page and "Publier la version v2 provisoire des relevés" in page
    assert "publie la version v2 (définitive)" in page
    pool = client.get("/api/v1/pools", params={"year": 2024}, headers=admin).json()[0]
    client.put(f"/api/v1/pools/{pool['id']}", json={**pool, "amount": "1200"}, headers=admin)
    second = post_form(client, "/allocation/publish", data={"year": "2024"}, follow_redirects=False)
    assert second.status_code == 303
    assert post_form(client, "/allocation/close", data={"year": "2024"}, follow_redirects=False).status_code == 303

    versions = client.get(f"/api/v1/allocation/2024/statements/{servon}/versions", headers=admin).json()
    assert [(v["version"], v["draft"], v["total"]) for v in versions] == [
        (1, True, "1000.00"), (2, True, "1200.00"), (3, False, "1200.00")]  # fmt: skip
    base = f"/api/v1/allocation/2024/statements/{servon}"
    draft_csv = client.get(f"{base}/version", params={"number": 1, "format": "csv"}, headers=admin)
    assert "Relevé de contribution 2024 (provisoire)" in draft_csv.content.decode("utf-8-sig")
    final = client.get(f"{base}/version", params={"number": 3}, headers=admin).json()
    assert final["draft"] is False and final["total"] == "1200.00"
    diff = client.get(f"{base}/diff", params={"from": 1, "to": 2}, headers=admin).json()
    totals = [(Decimal(c["before"]), Decimal(c["after"])) for c in diff["changes"] if c["kind"] == "total"]
    assert totals == [(1000, 1200)]
    closed = client.post(url, headers=admin)
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    events = client.get("/api/v1/years/2024", headers=admin).json()["events"]
    assert [(e["action"], e["reason"]) for e in events] == [
        ("publish", "v1 : appel d'octobre"), ("publish", "v2"), ("close", None)]  # fmt: skip
    page = unescape(client.get("/allocation", params={"year": 2024}).text)
    assert "v3</a>" in page and 'id="publish-form"' not in page
    actions = _actions(engine)
    assert "POST /api/v1/allocation/{year}/statements/publish" in actions and "POST /allocation/publish" in actions
