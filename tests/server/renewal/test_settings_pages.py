"""The renewal settings pages: prices and cycles edited through forms change the plan; a bad
value is a 422 naming the field; the change is in the audit chain; readers cannot see the page
and technicians set prices but not cycles."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from server.audit.models import AuditEvent
from tests.server.web.test_pages import PASSWORD, post_form, sign_in
from tests.utils import make_member, make_user

BUDGET = "2026-10-01"


def _plan(client, api) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return client.get("/api/v1/renewal/plan", params={"budget_date": BUDGET}, headers=api).json()


def test_prices_and_cycles_edited_in_the_pages_change_the_plan(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    api = make_user(engine, "api", role="admin")
    for name, day in (("PC-2019", "2019-06-01"), ("PC-2021", "2021-06-01")):
        body = {"member_id": servon, "asset_type": "workstation", "name": name, "purchase_date": day}
        assert client.post("/api/v1/assets", json=body, headers=api).status_code == 201
    assert sign_in(client, "dsit").status_code == 303
    assert "Prix unitaires" in client.get("/renewal/settings").text

    saved = post_form(client, "/renewal/settings/prices", data={"asset_type": "workstation", "price": "1 250,50 €"},
                      follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303, saved.text
    plan = _plan(client, api)
    assert [ln["name"] for ln in plan["lines"]] == ["PC-2019"] and Decimal(plan["totals"]["cost"]) == Decimal("1250.50")

    # a 5-year cycle for workstations: PC-2021 falls due in 2026, so it is in the 2027 plan
    assert post_form(client, "/renewal/settings/policies", data={"asset_type": "workstation", "years": "5"},
                     follow_redirects=False).status_code == 303  # fmt: skip
    plan = _plan(client, api)
    assert {ln["name"] for ln in plan["lines"]} == {"PC-2019", "PC-2021"}
    assert Decimal(plan["totals"]["cost"]) == Decimal("2501.00")
    # the same type again replaces its price, not adds a second one
    post_form(client, "/renewal/settings/prices", data={"asset_type": "workstation", "price": "1000"})
    assert Decimal(_plan(client, api)["totals"]["cost"]) == 2000
    assert "1\u202f000,00 €" in client.get("/renewal/settings").text

    bad = post_form(client, "/renewal/settings/prices", data={"asset_type": "workstation", "price": "-3"})
    assert bad.status_code == 422 and "price" in bad.text
    assert post_form(client, "/renewal/settings/policies", data={"years": "99"}).status_code == 422
    regex = post_form(client, "/renewal/settings/models", data={"model_pattern": "WS-C2960X-("})
    assert regex.status_code == 422 and "model_pattern" in regex.text
    assert Decimal(_plan(client, api)["totals"]["cost"]) == 2000  # nothing changed by the bad forms

    price_id = client.get("/api/v1/renewal/prices", headers=api).json()[0]["id"]
    assert post_form(client, "/renewal/settings/delete", data={"table": "prices", "row_id": price_id},
                     follow_redirects=False).status_code == 303  # fmt: skip
    assert _plan(client, api)["totals"]["by_type"]["workstation"]["unpriced"] == 2

    with Session(engine) as session:
        actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "dsit")))
    assert {"POST /renewal/settings/prices", "POST /renewal/settings/policies"} <= actions


def test_who_may_change_the_settings(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    make_user(engine, "tech", role="technician", password=PASSWORD)
    make_user(engine, "lecteur", role="member_reader", member_id=member, password=PASSWORD)
    assert sign_in(client, "lecteur").status_code == 303
    assert client.get("/renewal/settings").status_code == 403
    client.cookies.clear()
    assert sign_in(client, "tech").status_code == 303
    assert post_form(client, "/renewal/settings/prices", data={"asset_type": "laptop", "price": "900"},
                     follow_redirects=False).status_code == 303  # fmt: skip
    assert post_form(client, "/renewal/settings/policies", data={"years": "5"}).status_code == 403
