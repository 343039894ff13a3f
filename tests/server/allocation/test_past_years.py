"""A past year shows that year's values, never today's without saying so: its snapshot (taken on
its day, or later and said so), its frozen values once closed; with no snapshot the page and the
statements say "mesure du JJ/MM/AAAA (aucun instantané de l'année)" and the DSIT can take one."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

from sqlalchemy import update

from server.allocation.models import KeySnapshot
from tests.server.allocation.test_keys_history import add_workstation
from tests.server.web.test_pages import post_form, sign_in
from tests.utils import make_member, make_user

PASSWORD = "motdepasse-2026"


def _servon_amount(client, admin, year: int, servon: int) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    statement = client.get(f"/api/v1/allocation/{year}/statements/{servon}", headers=admin).json()
    return statement["lines"][0]["amount"], statement["notes"]


def test_a_past_year_keeps_its_own_values_after_the_parc_changed(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    today = dt.date.today()
    past, measured_today = today.year - 1, f"mesure du {today:%d/%m/%Y} (aucun instantané de l'année)"
    first, *_ = [add_workstation(client, admin, servon, name) for name in ("S-1", "S-2", "S-3")]
    add_workstation(client, admin, chevry, "C-1")
    pool = {"year": past, "name": "Socle", "amount": "1000", "key_code": "workstations"}
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201

    # No snapshot of the past year: today's measurement, said on the page, the API and the statement.
    assert sign_in(client, "dsit").status_code == 303
    page = unescape(client.get("/allocation", params={"year": past}).text)
    assert f"{measured_today} : Postes de travail, Postes fixes" in page and 'id="take-snapshot"' in page
    values = client.get("/api/v1/keys/workstations/values", params={"year": past}, headers=admin).json()
    assert (values["provenance"], values["day"], values["note"]) == ("measured", today.isoformat(), measured_today)
    amount, notes = _servon_amount(client, admin, past, servon)
    assert amount == "750.00" and notes[0].endswith(f" ; {measured_today}")
    allocation = client.get(f"/api/v1/allocation/{past}", headers=admin).json()
    assert allocation["pools"][0]["basis"] == measured_today
    current = unescape(client.get("/allocation", params={"year": today.year}).text)
    assert 'id="other-day"' not in current  # this year's live measurement is this year's value

    # The nightly snapshot of December 31st (taken that night): the year's own value, no note.
    assert client.post("/api/v1/keys/snapshots", params={"day": f"{past}-12-31"}, headers=admin).status_code == 200
    with engine.begin() as connection:
        connection.execute(update(KeySnapshot).values(taken_at=dt.datetime(past, 12, 31, 22, 30, tzinfo=dt.UTC)))
    add_workstation(client, admin, servon, "S-4")  # the parc changes today
    add_workstation(client, admin, servon, "S-5")
    amount, notes = _servon_amount(client, admin, past, servon)
    assert amount == "750.00" and "mesure du" not in notes[0] and "instantané" not in notes[0]
    page = unescape(client.get("/allocation", params={"year": past}).text)
    assert 'id="other-day"' not in page
    row = re.search(r'<tr><th scope="row">Servon</th>(.*?)</tr>', page, re.S)
    assert row and f'/allocation/keys/workstations?member_id={servon}&year={past}">3<' in row.group(1)
    drill = unescape(client.get("/allocation/keys/workstations", params={"member_id": servon, "year": past}).text)
    assert f"Postes de travail · Servon · {past} : 3" in drill and f"instantané du 31/12/{past}" in drill
    assert (
        f"Compté aujourd'hui ({today:%d/%m/%Y}) : 5" in drill and "la liste ci-dessous est celle d'aujourd'hui" in drill
    )
    live = client.get("/api/v1/keys/workstations/values", headers=admin).json()
    assert {v["member"]: Decimal(v["value"]) for v in live["data"]} == {"Servon": 5, "Chevry-Cossigny": 1}

    # A snapshot the DSIT takes today for the past year is today's measurement: said so.
    taken = post_form(client, "/allocation/snapshot", data={"year": str(past)}, follow_redirects=False)
    assert taken.status_code == 303
    late = f"instantané du 31/12/{past}, mesuré le {today:%d/%m/%Y}"
    amount, notes = _servon_amount(client, admin, past, servon)
    assert amount == "833.30" and notes[0].endswith(late)
    assert late in unescape(client.get("/allocation", params={"year": past}).text)

    # Closed: frozen values; the published statement keeps saying where they came from.
    closed = post_form(client, "/allocation/close", data={"year": str(past)}, follow_redirects=False)
    assert closed.status_code == 303
    add_workstation(client, admin, servon, "S-6")
    amount, _ = _servon_amount(client, admin, past, servon)
    assert amount == "833.30"
    frozen = client.get("/api/v1/keys/workstations/values", params={"year": past}, headers=admin).json()
    assert frozen["provenance"] == "frozen" and frozen["note"] == f"valeurs figées à la clôture du {today:%d/%m/%Y}"
    published = client.get(f"/api/v1/allocation/{past}/statements/{servon}/version", params={"number": 1},
                           headers=admin).json()  # fmt: skip
    assert published["draft"] is False and published["notes"][0].endswith(late)
    assert 'id="other-day"' not in client.get("/allocation", params={"year": past}).text
    assert client.patch(f"/api/v1/assets/{first}", json={"name": "S-1-renamed"}, headers=admin).status_code == 200
    drill = unescape(client.get("/allocation/keys/workstations", params={"member_id": servon, "year": past}).text)
    frozen_list = re.search(r'id="frozen">(.*?)</table>', drill, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r"<td>(S-\d)</td>", frozen_list) == ["S-1", "S-2", "S-3", "S-4", "S-5"]  # as at the closure
    assert "S-6" not in frozen_list and "S-6" in drill  # bought after: in today's list only
    refused = post_form(client, "/allocation/snapshot", data={"year": str(past)}, headers={"accept": "text/html"})
    assert refused.status_code == 409
