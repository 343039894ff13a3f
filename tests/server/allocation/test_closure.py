"""A closed year's money is frozen: every write on its pools and key values is a 409 naming the
closure (API and pages) until an admin reopens it with a reason; each closure publishes a numbered
version of every statement, kept and downloadable, with a diff between versions."""

from __future__ import annotations

from decimal import Decimal

from tests.server.web.test_pages import post_form, sign_in
from tests.utils import make_member, make_user

TICKETS = b"Membre;Tickets\nServon;30\nChevry-Cossigny;70\n"


def upload(data: bytes) -> dict:  # type: ignore[type-arg]
    return {"file": ("tickets.csv", data, "text/csv")}


def setup_2025(client, engine):  # type: ignore[no-untyped-def]
    """Two members sharing a 1 000 € pool by tickets, a third (Varennes-Jarcy) with no share."""
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    varennes = make_member(engine, "Varennes-Jarcy")
    admin = make_user(engine, "dsit", role="admin", password="motdepasse-2026")
    imported = client.post("/api/v1/keys/tickets/import", params={"year": 2025}, headers=admin, files=upload(TICKETS))
    assert imported.status_code == 200, imported.text
    pool = {"year": 2025, "name": "Service commun", "amount": "1000", "advanced_by_id": servon, "key_code": "tickets"}
    created = client.post("/api/v1/pools", json=pool, headers=admin)
    assert created.status_code == 201, created.text
    return {"servon": servon, "chevry": chevry, "varennes": varennes}, admin, created.json()


def test_a_closed_year_refuses_every_write_until_reopened(client, engine) -> None:  # type: ignore[no-untyped-def]
    _, admin, pool = setup_2025(client, engine)
    assert client.post("/api/v1/years/2025/close", headers=admin).status_code == 200
    new_pool = {"year": 2025, "name": "Nouveau", "amount": "1000", "key_code": "tickets"}
    refused = [
        client.post("/api/v1/pools", json=new_pool, headers=admin),
        client.put(f"/api/v1/pools/{pool['id']}", json={**pool, "amount": "60000"}, headers=admin),
        client.delete(f"/api/v1/pools/{pool['id']}", headers=admin),
        client.post("/api/v1/keys/tickets/import", params={"year": 2025}, headers=admin, files=upload(TICKETS)),
        client.post(
            "/api/v1/keys/tickets/import", params={"year": 2025, "dry_run": True}, headers=admin, files=upload(TICKETS)
        ),
    ]
    assert [r.status_code for r in refused] == [409] * 5
    assert all("year 2025 is closed" in r.json()["detail"] and "by dsit" in r.json()["detail"] for r in refused)

    open_pool = client.post("/api/v1/pools", json={**new_pool, "year": 2026}, headers=admin).json()
    moved = client.put(f"/api/v1/pools/{open_pool['id']}", json={**open_pool, "year": 2025}, headers=admin)
    assert moved.status_code == 409, "a pool is not moved into a closed year"
    shares = client.get("/api/v1/allocation/2025", headers=admin).json()["pools"][0]["shares"]
    assert [Decimal(s["amount"]) for s in shares] == [300, 700]

    reopened = client.post("/api/v1/years/2025/reopen", json={"reason": "tickets de Servon corrigés"}, headers=admin)
    assert reopened.json()["events"][-1] == {**reopened.json()["events"][-1], "action": "reopen", "actor": "dsit",
                                             "reason": "tickets de Servon corrigés"}  # fmt: skip
    changed = client.put(f"/api/v1/pools/{pool['id']}", json={**pool, "amount": "2000"}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert client.delete(f"/api/v1/pools/{open_pool['id']}", headers=admin).status_code == 204


def test_closing_before_year_end_needs_a_confirmation(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    early = client.post("/api/v1/years/2100/close", headers=admin)
    assert early.status_code == 422 and "before_year_end" in early.json()["detail"]
    assert client.get("/api/v1/years/2100", headers=admin).json()["closed"] is False
    confirmed = client.post("/api/v1/years/2100/close", params={"before_year_end": True}, headers=admin)
    assert confirmed.status_code == 200 and confirmed.json()["closed"] is True


def test_each_closure_publishes_a_numbered_version_with_a_diff(client, engine) -> None:  # type: ignore[no-untyped-def]
    ids, admin, pool = setup_2025(client, engine)
    chevry = ids["chevry"]
    assert client.post("/api/v1/years/2025/close", headers=admin).status_code == 200
    client.post("/api/v1/years/2025/reopen", json={"reason": "montant révisé"}, headers=admin)
    assert client.put(f"/api/v1/pools/{pool['id']}", json={**pool, "amount": "2000"}, headers=admin).status_code == 200
    assert client.post("/api/v1/years/2025/close", headers=admin).status_code == 200

    base = f"/api/v1/allocation/2025/statements/{chevry}"
    versions = client.get(f"{base}/versions", headers=admin).json()
    assert [(v["version"], Decimal(v["total"])) for v in versions] == [(1, 700), (2, 1400)]
    first = client.get(f"{base}/version", params={"number": 1}, headers=admin).json()
    assert (first["version"], Decimal(first["lines"][0]["amount"])) == (1, 700)
    pdf = client.get(f"{base}/version", params={"number": 1, "format": "pdf"}, headers=admin)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "-v1.pdf" in pdf.headers["content-disposition"]
    changes = client.get(f"{base}/diff", params={"from": 1, "to": 2}, headers=admin).json()["changes"]
    assert [(c["kind"], c["label"]) for c in changes] == [
        ("line", "Service commun (avancé par Servon)"), ("total", "total"), ("received", "Servon")]  # fmt: skip
    assert (Decimal(changes[0]["before"]["amount"]), Decimal(changes[0]["after"]["amount"])) == (700, 1400)

    # a member with no share has its versions too, titled by its name: it owes nothing
    varennes = f"/api/v1/allocation/2025/statements/{ids['varennes']}/version"
    nothing = client.get(varennes, params={"number": 2, "format": "csv"}, headers=admin).content.decode("utf-8-sig")
    assert "Varennes-Jarcy" in nothing and "Varennes-Jarcy ne doit rien au titre de 2025" in nothing
    current = client.get(f"/api/v1/allocation/2025/statements/{ids['varennes']}", headers=admin).json()
    assert (current["member"], current["lines"]) == ("Varennes-Jarcy", [])

    reader = make_user(engine, "lecteur", role="member_reader", member_id=ids["servon"])
    assert client.get(f"{base}/versions", headers=reader).status_code in (403, 404)
    assert client.get(f"{base}/version", params={"number": 1}, headers=reader).status_code in (403, 404)


def test_a_reader_does_not_see_another_members_advance(client, engine) -> None:  # type: ignore[no-untyped-def]
    ids, _, _ = setup_2025(client, engine)
    reader = make_user(engine, "lecteur", role="member_reader", member_id=ids["chevry"])
    seen = client.get("/api/v1/allocation/2025", headers=reader).json()["pools"][0]
    assert (seen["pool"], seen["advanced_by_id"], [s["member"] for s in seen["shares"]]) == (
        "Service commun", None, ["Chevry-Cossigny"])  # fmt: skip


def test_closing_and_reopening_through_the_page(client, engine) -> None:  # type: ignore[no-untyped-def]
    ids, admin, _ = setup_2025(client, engine)
    assert sign_in(client, "dsit").status_code == 303
    early = post_form(client, "/allocation/close", data={"year": "2100"}, follow_redirects=False)
    assert early.status_code == 422
    closed = post_form(client, "/allocation/close", data={"year": "2025"}, follow_redirects=False)
    assert closed.status_code == 303
    page = client.get("/allocation", params={"year": 2025}).text
    assert 'id="reopen-form"' in page and 'id="close-year"' not in page
    assert f"/api/v1/allocation/2025/statements/{ids['chevry']}/version?number=1&amp;format=pdf" in page
    refused = post_form(client, "/allocation/reopen", data={"year": "2025", "reason": ""}, follow_redirects=False)
    assert refused.status_code == 422
    reopened = post_form(client, "/allocation/reopen", data={"year": "2025", "reason": "erreur de saisie"},
                         follow_redirects=False)  # fmt: skip
    assert reopened.status_code == 303
    events = client.get("/api/v1/years/2025", headers=admin).json()["events"]
    assert [(e["action"], e["reason"]) for e in events] == [("close", None), ("reopen", "erreur de saisie")]
    assert 'id="close-year"' in client.get("/allocation", params={"year": 2025}).text
