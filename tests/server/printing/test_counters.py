"""Printers' counters and supplies as time series: stored from inventories, read through the API
and the page, deltas per month, resets as new series, the "pages printed" allocation key."""

from __future__ import annotations

import re
from decimal import Decimal

from tests.server.web.test_csrf import form_token
from tests.utils import example, post_inventory

from .conftest import PASSWORD, only_asset, printer, when

YEAR = {"since": "2025-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}


def sign_in(client, username: str) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                               "csrf_token": form_token(client)},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303


def test_a_printer_inventory_gives_counters_and_supplies(client, parc) -> None:  # type: ignore[no-untyped-def]
    admin = parc["admin"]
    assert post_inventory(client, example("printer_1"), token=parc["servon_token"]).status_code == 200
    asset_id = only_asset(client, admin, "NPIF2BE10")

    counters = client.get(f"/api/v1/assets/{asset_id}/counters", headers=admin).json()
    assert {c["counter"]: (c["value"], c["series"], c["delta"]) for c in counters["current"]} == {
        "total": (1802, 1, 0),  # the first reading adds no pages: nobody knows when they were printed
        "recto_verso": (831, 1, 0),
    }
    assert [(p["counter"], p["value"]) for p in counters["points"]] == [("total", 1802), ("recto_verso", 831)]
    assert [(s["name"], s["kind"], s["percent"], s["state"]) for s in counters["supplies"]] == [
        ("tonerblack", "toner", 71.0, None)
    ]
    assert counters["resets"] == [] and len(counters["monthly"]) == 12
    assert all(m["pages"] == 0 for m in counters["monthly"])

    sign_in(client, "dsit")
    asset_page = client.get(f"/assets/{asset_id}").text
    assert f'href="/assets/{asset_id}/counters"' in asset_page
    page = client.get(f"/assets/{asset_id}/counters").text
    assert "Compteurs et consommables" in page and "Pages imprimées par mois" in page
    assert "Recto-verso" in page and "1\u202f802" in page and "tonerblack" in page and "71 %" in page
    assert "<svg" in page  # drawn by the server; ECharts redraws it from the data block, no inline code
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('type="application/json"' in a or 'src="/static/' in a for a in scripts), scripts
    english = client.get("/lang/en", params={"next": f"/assets/{asset_id}/counters"}, follow_redirects=True).text
    assert "Pages printed per month" in english and "Two-sided" in english and "1,802" in english


def test_two_inventories_make_the_pages_in_between(client, parc, send) -> None:  # type: ignore[no-untyped-def]
    token, admin = parc["servon_token"], parc["admin"]
    send(printer(800, rectoverso=500), token, when("2025-03-10 09:00"))
    send(printer(800, rectoverso=500), token, when("2025-03-10 17:00"))  # unchanged the same day: no reading
    send(printer(950, rectoverso=560, toner="62"), token, when("2025-04-02 09:00"))
    send(printer(950, rectoverso=560, toner="62"), token, when("2025-04-03 09:00"))  # a quiet day: one reading
    asset_id = only_asset(client, admin, "COPIEUR-SERVON")

    counters = client.get(f"/api/v1/assets/{asset_id}/counters", params=YEAR, headers=admin).json()
    totals = [(p["at"][:10], p["value"], p["delta"]) for p in counters["points"] if p["counter"] == "total"]
    assert totals == [("2025-03-10", 800, 0), ("2025-04-02", 950, 150), ("2025-04-03", 950, 0)]
    monthly = {m["month"]: m for m in counters["monthly"]}
    assert len(monthly) == 12 and monthly["2025-03"]["pages"] == 0
    assert monthly["2025-04"]["pages"] == 150 and monthly["2025-04"]["counters"] == {"total": 150, "recto_verso": 60}
    toner = next(s for s in counters["supplies"] if s["name"] == "tonerblack")
    assert (toner["percent"], [h["percent"] for h in toner["history"]]) == (62.0, [85.0, 62.0, 62.0])
    waste = next(s for s in counters["supplies"] if s["name"] == "wastetoner")
    assert (waste["kind"], waste["percent"], waste["state"]) == ("waste", None, "OK")
    only_total = client.get(f"/api/v1/assets/{asset_id}/counters", headers=admin,
                            params={**YEAR, "counter": "total", "limit": 2}).json()  # fmt: skip
    assert [p["value"] for p in only_total["points"]] == [950, 950] and only_total["truncated"] is True

    sign_in(client, "dsit")
    page = client.get(f"/assets/{asset_id}/counters", params={"months": 60}).text
    assert 'data-month="2025-04"><td>2025-04</td><td class="num">150</td>' in page


def test_a_counter_reset_starts_a_new_series(client, parc, send) -> None:  # type: ignore[no-untyped-def]
    token, admin = parc["servon_token"], parc["admin"]
    send(printer(800), token, when("2025-03-10 09:00"))
    send(printer(950), token, when("2025-04-02 09:00"))
    send(printer(120), token, when("2025-05-05 09:00"))  # the formatter board was replaced
    send(printer(200), token, when("2025-05-20 09:00"))
    asset_id = only_asset(client, admin, "COPIEUR-SERVON")

    counters = client.get(f"/api/v1/assets/{asset_id}/counters", params=YEAR, headers=admin).json()
    assert [(p["series"], p["value"], p["delta"]) for p in counters["points"]] == [
        (1, 800, 0), (1, 950, 150), (2, 120, 0), (2, 200, 80)
    ]  # fmt: skip
    assert {m["month"]: m["pages"] for m in counters["monthly"]}["2025-05"] == 80  # not 80 - 830
    assert all(m["pages"] >= 0 for m in counters["monthly"])
    assert [(r["counter"], r["series"], r["value"]) for r in counters["resets"]] == [("total", 2, 120)]
    assert counters["current"][0]["series"] == 2

    key = client.get("/api/v1/keys/pages_printed/values", params={"year": 2025}, headers=admin).json()
    assert {v["member_id"]: Decimal(v["value"]) for v in key["data"]} == {parc["servon"]: 230}

    sign_in(client, "dsit")
    page = client.get(f"/assets/{asset_id}/counters", params={"months": 60}).text
    assert 'id="resets"' in page and "Remises à zéro" in page and "Série 2" in page


def test_pages_printed_key_in_snapshots_and_pools(client, parc, send) -> None:  # type: ignore[no-untyped-def]
    admin = parc["admin"]
    servon, chevry = parc["servon"], parc["chevry"]
    send(printer(1000, deviceid="COPIEUR-SERVON", serial="S-1"), parc["servon_token"], when("2025-02-01 08:00"))
    send(printer(1200, deviceid="COPIEUR-SERVON", serial="S-1"), parc["servon_token"], when("2025-04-15 08:00"))
    send(printer(50, deviceid="COPIEUR-SERVON", serial="S-1"), parc["servon_token"], when("2025-05-02 08:00"))
    send(printer(150, deviceid="COPIEUR-SERVON", serial="S-1"), parc["servon_token"], when("2025-06-10 08:00"))
    send(printer(300, deviceid="IMPRIMANTE-CHEVRY", serial="C-1"), parc["chevry_token"], when("2025-02-01 08:00"))
    send(printer(400, deviceid="IMPRIMANTE-CHEVRY", serial="C-1"), parc["chevry_token"], when("2025-06-20 08:00"))

    key = next(k for k in client.get("/api/v1/keys", headers=admin).json() if k["code"] == "pages_printed")
    assert (key["name"], key["unit"], key["source"], key["measure"]) == ("Pages imprimées", "pages", "measured",
                                                                        "pages_printed")  # fmt: skip
    for day in ("2025-04-30", "2025-06-30"):  # the J+1 snapshots: pages since January 1st, to the day
        answer = client.post("/api/v1/keys/snapshots", params={"day": day}, headers=admin)
        assert answer.status_code == 200, answer.text
    history = client.get("/api/v1/keys/pages_printed/history", headers=admin).json()
    assert {(p["day"], p["member_id"]): Decimal(p["value"]) for p in history} == {
        ("2025-04-30", servon): 200, ("2025-04-30", chevry): 0,
        ("2025-06-30", servon): 300, ("2025-06-30", chevry): 100,  # Servon's reset added nothing, took nothing
    }  # fmt: skip

    values = client.get("/api/v1/keys/pages_printed/values", params={"year": 2025}, headers=admin).json()
    assert {v["member_id"]: Decimal(v["value"]) for v in values["data"]} == {servon: 300, chevry: 100}
    pool = {"year": 2025, "name": "Contrat copieurs", "amount": "1000.00", "model": "pro_rata",
            "key_code": "pages_printed", "advanced_by_id": servon}  # fmt: skip
    assert client.post("/api/v1/pools", json=pool, headers=admin).status_code == 201
    allocation = client.get("/api/v1/allocation/2025", headers=admin).json()
    shares = {s["member_id"]: Decimal(s["amount"]) for s in allocation["pools"][0]["shares"]}
    assert shares == {servon: Decimal("750.00"), chevry: Decimal("250.00")}


def test_pages_count_for_the_member_whose_printer_it_was(client, parc, send, engine) -> None:  # type: ignore[no-untyped-def]
    """A printer handed over to another member mid-year: each pays the pages printed while it had it."""
    from server.core.db import transaction
    from server.printing.recording import Readings

    admin, servon, chevry = parc["admin"], parc["servon"], parc["chevry"]
    send(printer(1000), parc["servon_token"], when("2025-02-01 08:00"))
    send(printer(1400), parc["servon_token"], when("2025-03-01 08:00"))
    asset_id = only_asset(client, admin, "COPIEUR-SERVON")
    readings = Readings(when("2025-04-01 08:00"))  # what the ingest records once the asset is Chevry's
    shown = {"pagecounters": [7, "hash"]}  # section -> the source shown (7) and its hash
    readings.add({"id": asset_id, "member_id": chevry}, 7, shown, {"pagecounters": {"total": 1500}})
    with transaction(engine) as session:
        readings.flush(session.connection())
    values = client.get("/api/v1/keys/pages_printed/values", params={"year": 2025}, headers=admin).json()
    assert {v["member_id"]: Decimal(v["value"]) for v in values["data"]} == {servon: 400, chevry: 100}


def test_a_member_reads_only_its_own_counters(client, parc, send) -> None:  # type: ignore[no-untyped-def]
    send(printer(800, deviceid="COPIEUR-SERVON", serial="S-1"), parc["servon_token"])
    send(printer(300, deviceid="IMPRIMANTE-CHEVRY", serial="C-1"), parc["chevry_token"])
    servon_printer = only_asset(client, parc["admin"], "COPIEUR-SERVON")
    chevry_printer = only_asset(client, parc["admin"], "IMPRIMANTE-CHEVRY")

    reader = parc["chevry_reader"]
    assert client.get(f"/api/v1/assets/{chevry_printer}/counters", headers=reader).status_code == 200
    refused = client.get(f"/api/v1/assets/{servon_printer}/counters", headers=reader)
    assert refused.status_code == 404 and "800" not in refused.text
    assert client.get(f"/api/v1/assets/{chevry_printer}/counters", headers=parc["servon_reader"]).status_code == 404
    assert client.get("/api/v1/assets/999999/counters", headers=parc["admin"]).status_code == 404
    behind = client.get("/api/v1/keys/pages_printed/assets", params={"member_id": parc["chevry"]}, headers=reader)
    assert [a["name"] for a in behind.json()] == ["IMPRIMANTE-CHEVRY"]  # this year's readings
    assert client.get("/api/v1/keys/pages_printed/assets", params={"member_id": parc["servon"]},
                      headers=reader).status_code == 404  # fmt: skip

    sign_in(client, "maire-chevry")
    assert client.get(f"/assets/{chevry_printer}/counters").status_code == 200
    page = client.get(f"/assets/{servon_printer}/counters", headers={"accept": "text/html"})
    assert page.status_code == 404 and "COPIEUR-SERVON" not in page.text
