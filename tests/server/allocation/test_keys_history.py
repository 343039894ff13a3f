"""Key values over time: daily snapshots (J+1), year closure that freezes them, audited reopening."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.utils import make_member, make_user


def add_workstation(client, admin, member: int, name: str, **fields) -> int:  # type: ignore[no-untyped-def]
    record = {"member_id": member, "asset_type": "workstation", "name": name, **fields}
    answer = client.post("/api/v1/assets", json=record, headers=admin)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_thirty_days_of_snapshots(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin")
    add_workstation(client, admin, chevry, "CHEVRY-01")
    first = dt.date(2026, 10, 1)
    for offset in range(30):  # the parc grows by one PC a day; the snapshot is taken each night
        add_workstation(client, admin, servon, f"SERVON-{offset:02d}")
        day = first + dt.timedelta(days=offset)
        answer = client.post("/api/v1/keys/snapshots", params={"day": day.isoformat()}, headers=admin)
        assert answer.status_code == 200, answer.text
    again = client.post("/api/v1/keys/snapshots", params={"day": first.isoformat()}, headers=admin).json()
    assert again["values"] > 0  # re-run for a day: replaced, not doubled

    history = client.get("/api/v1/keys/workstations/history", params={"member_id": servon}, headers=admin).json()
    assert [(p["day"], Decimal(p["value"])) for p in history][:2] == [("2026-10-01", 30), ("2026-10-02", 2)]
    assert [Decimal(p["value"]) for p in history][1:] == list(range(2, 31))
    assert len(history) == 30
    week = client.get("/api/v1/keys/workstations/history", headers=admin,
                      params={"since": "2026-10-10", "until": "2026-10-16"}).json()  # fmt: skip
    assert {p["day"] for p in week} == {f"2026-10-{d}" for d in range(10, 17)}
    assert {p["member_id"] for p in week} == {servon, chevry}

    reader = make_user(engine, "lecteur", role="member_reader", member_id=chevry)
    theirs = client.get("/api/v1/keys/workstations/history", headers=reader).json()
    assert {p["member_id"] for p in theirs} == {chevry}


def test_closure_freezes_the_year_and_reopening_is_recorded(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin")
    technician = make_user(engine, "technicien", role="technician")
    for number in range(3):
        add_workstation(client, admin, servon, f"PC-{number}")
    assert client.post("/api/v1/keys/snapshots", params={"day": "2025-12-31"}, headers=admin).status_code == 200
    tickets = b"Membre;Tickets\nServon;123\n"
    client.post("/api/v1/keys/tickets/import", params={"year": 2025}, headers=admin,
                files={"file": ("t.csv", tickets, "text/csv")})  # fmt: skip

    assert client.post("/api/v1/years/2025/close", headers=technician).status_code == 403
    closed = client.post("/api/v1/years/2025/close", headers=admin)
    assert closed.status_code == 200 and closed.json()["closed"] is True

    add_workstation(client, admin, servon, "PC-late")  # bought after the closure
    frozen = client.get("/api/v1/keys/workstations/values", params={"year": 2025}, headers=admin).json()
    assert (frozen["basis"], frozen["data"][0]["value"]) == ("frozen", "3.0000")
    live = client.get("/api/v1/keys/workstations/values", headers=admin).json()
    assert Decimal(live["data"][0]["value"]) == 4
    refused = client.post("/api/v1/keys/tickets/import", params={"year": 2025}, headers=admin,
                          files={"file": ("t.csv", b"Membre;Tickets\nServon;999\n", "text/csv")})  # fmt: skip
    assert refused.status_code == 409 and "closed" in refused.json()["detail"]
    assert client.post("/api/v1/keys/snapshots", params={"day": "2025-06-01"}, headers=admin).status_code == 409

    assert client.post("/api/v1/years/2025/reopen", json={"reason": ""}, headers=admin).status_code == 422
    reopened = client.post("/api/v1/years/2025/reopen", headers=admin,
                           json={"reason": "erreur de saisie des tickets de Servon"}).json()  # fmt: skip
    assert reopened["closed"] is False
    assert [(e["action"], e["actor"], e["reason"]) for e in reopened["events"]] == [
        ("close", "dsit", None), ("reopen", "dsit", "erreur de saisie des tickets de Servon")]  # fmt: skip
    after = client.get("/api/v1/keys/workstations/values", params={"year": 2025}, headers=admin).json()
    assert after["basis"] == "measured" and after["data"][0]["value"] == "3.0000"  # its last 2025 snapshot


def test_key_import_reports_each_bad_line_and_keeps_the_good_ones(client, engine) -> None:  # type: ignore[no-untyped-def]
    make_member(engine, "Servon")
    make_member(engine, "Chevry-Cossigny", insee_code="77111")
    admin = make_user(engine, "dsit", role="admin")
    data = "Collectivité;Nb tickets 2022\nServon;123\nInconnue;4\n77111;149\nServon;5\nChevry;-3\n;x\n".encode("cp1252")
    dry = client.post("/api/v1/keys/tickets/import", params={"year": 2022, "dry_run": True}, headers=admin,
                      files={"file": ("t.csv", data, "text/csv")}).json()  # fmt: skip
    assert (dry["imported"], dry["errors"]) == (2, 4)
    assert [(line["line"], line["errors"]) for line in dry["lines"] if line["errors"]] == [
        (3, ["membre inconnu 'Inconnue'"]),
        (5, ["Servon figure deux fois"]),
        (6, ["membre inconnu 'Chevry'", "valeur négative"]),
        (7, ["membre inconnu ''", "nombre illisible 'x'"]),
    ]
    assert client.get("/api/v1/keys/tickets/values", params={"year": 2022}, headers=admin).json()["data"] == []
    client.post("/api/v1/keys/tickets/import", params={"year": 2022}, headers=admin,
                files={"file": ("t.csv", data, "text/csv")})  # fmt: skip
    values = client.get("/api/v1/keys/tickets/values", params={"year": 2022}, headers=admin).json()["data"]
    assert {v["member"]: Decimal(v["value"]) for v in values} == {"Servon": 123, "Chevry-Cossigny": 149}
    measured = client.post("/api/v1/keys/workstations/import", params={"year": 2022}, headers=admin,
                           files={"file": ("t.csv", data, "text/csv")})  # fmt: skip
    assert measured.status_code == 422  # a measured key is not typed in
