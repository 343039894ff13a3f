"""The pages through HTTP: sign-in, every page rendering for the DSIT, and a member's reader kept
to their own member on pages, direct URLs and the exports the pages link to."""

from __future__ import annotations

import re

import pytest

from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant

PASSWORD = "motdepasse-2026"


def form_token(client) -> str:  # type: ignore[no-untyped-def]
    """The CSRF token a page's forms carry (the sign-in page shows one, signed in or not)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert found is not None, "no CSRF token in the sign-in form"
    return found.group(1)


def post_form(client, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """A form posted as a browser posts it: with the page's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": form_token(client)}, **kwargs)


def sign_in(client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return post_form(client, "/login", data={"username": username, "password": password, "next": "/"},
                     follow_redirects=False)  # fmt: skip


@pytest.fixture
def parc(client, engine):  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    make_user(engine, "maire-chevry", role="member_reader", member_id=chevry, password=PASSWORD)
    pcs = {}
    for member, name, serial in ((servon, "PC-COMPTA", "S-1"), (chevry, "PC-MAIRE", "C-1")):
        inventory = variant(example("computer_1"), deviceid=f"{name}-2024", hardware__name=name, bios__ssn=serial)
        assert post_inventory(client, inventory, token=make_enrolment_token(engine, member)).status_code == 200
    admin = make_user(engine, "api", role="admin")
    for asset in client.get("/api/v1/assets", headers=admin).json()["data"]:
        pcs[asset["name"]] = asset["id"]
    return {"servon": servon, "chevry": chevry, "pcs": pcs}


def test_pages_need_a_signed_in_user(client, parc) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/assets?type=laptop", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/assets%3Ftype%3Dlaptop"
    wrong = sign_in(client, "dsit", "pas-le-bon")
    assert wrong.status_code == 401 and "Identifiant ou mot de passe incorrect" in wrong.text
    # not signed in (the cookie it may set holds only the sign-in form's CSRF token)
    assert client.get("/", follow_redirects=False).status_code == 303
    evil = {"username": "dsit", "password": "motdepasse-2026", "next": "//evil.example/"}
    assert post_form(client, "/login", data=evil, follow_redirects=False).headers["location"] == "/"


def test_the_dsit_sees_every_page(client, parc) -> None:  # type: ignore[no-untyped-def]
    signed = sign_in(client, "dsit")
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    dashboard = client.get("/").text
    assert "Tableau de bord" in dashboard and "Servon" in dashboard and "Chevry-Cossigny" in dashboard
    listing = client.get("/assets", params={"q": "compta"}).text
    assert "PC-COMPTA" in listing and "PC-MAIRE" not in listing and "1 équipement(s)" in listing
    detail = client.get(f"/assets/{parc['pcs']['PC-COMPTA']}").text
    assert "S-1" in detail and "Obsolescence" in detail
    for page in ("/renewal", "/members", "/collectors"):
        assert client.get(page).status_code == 200, page
    english = client.get("/lang/en?next=/assets", follow_redirects=True).text
    assert "Assets" in english and "Sign out" in english


def test_a_member_reader_sees_only_their_member(client, parc) -> None:  # type: ignore[no-untyped-def]
    assert sign_in(client, "maire-chevry").status_code == 303
    listing = client.get("/assets").text
    assert "PC-MAIRE" in listing and "PC-COMPTA" not in listing
    other = client.get(f"/assets/{parc['pcs']['PC-COMPTA']}", headers={"accept": "text/html"})
    assert other.status_code == 404 and "Page introuvable" in other.text and "S-1" not in other.text
    for page in ("/assets", "/renewal"):
        answer = client.get(page, params={"member_id": parc["servon"]}, headers={"accept": "text/html"})
        assert answer.status_code == 404, page
    dashboard = client.get("/").text
    assert "Servon" not in dashboard
    export = client.get("/api/v1/assets/export", params={"format": "csv"})  # with the page's cookie
    assert export.status_code == 200 and "PC-MAIRE" in export.text and "PC-COMPTA" not in export.text
    assert client.get("/api/v1/renewal/reports/plan", params={"member_id": parc["servon"]}).status_code == 404
    assert "Jetons" not in client.get("/members").text  # enrolment tokens are the DSIT's business
    members = client.get("/members").text
    assert re.search(r"Chevry-Cossigny", members) and "Servon" not in members


def test_signing_out_ends_the_session(client, parc) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "dsit")
    assert post_form(client, "/logout", follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_allocation_keys_drill_down_and_closure(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    make_user(engine, "tech", role="technician", password=PASSWORD)
    sign_in(client, "dsit")
    page = client.get("/allocation", params={"year": 2026}).text
    assert "Valeurs des clés par membre" in page and "Servon" in page and "Chevry-Cossigny" in page
    drill = re.search(rf'href="(/allocation/keys/[a-z_]+\?member_id={parc["chevry"]})"', page)
    assert drill is not None
    behind = client.get(drill.group(1).replace("&amp;", "&")).text
    assert "PC-MAIRE" in behind and "PC-COMPTA" not in behind

    post_form(client, "/logout")
    sign_in(client, "tech")
    refused = post_form(client, "/allocation/close", data={"year": "2026"}, headers={"accept": "text/html"})
    assert refused.status_code == 403 and "Clôturer" not in client.get("/allocation?year=2026").text
    post_form(client, "/logout")
    sign_in(client, "dsit")
    closed = post_form(
        client, "/allocation/close", data={"year": "2026", "before_year_end": "true"}, follow_redirects=True
    )
    assert closed.status_code == 200 and "clôturée" in closed.text

    post_form(client, "/logout")
    sign_in(client, "maire-chevry")
    mine = client.get("/allocation", params={"year": 2026}).text
    assert "Chevry-Cossigny" in mine and "Servon" not in mine
    other = client.get(f"/allocation/keys/workstations?member_id={parc['servon']}", headers={"accept": "text/html"})
    assert other.status_code == 404


def test_the_dsit_freezes_a_plan_and_the_member_decides(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "prix", role="admin")
    client.put("/api/v1/renewal/prices", json=[{"asset_type": "laptop", "price": "1100"}], headers=admin)
    sign_in(client, "dsit")
    frozen = post_form(client, "/renewal/plans", data={"member_id": parc["chevry"], "budget_date": "2026-10-01"},
                       follow_redirects=False)  # fmt: skip
    assert frozen.status_code == 303
    plan_url = frozen.headers["location"]
    page = client.get(plan_url).text
    assert "PC-MAIRE" in page and "proposé" in page and "1\u202f100,00 €" in page
    post_form(client, "/logout")

    make_user(engine, "maire-servon", role="member_reader", member_id=parc["servon"], password=PASSWORD)
    sign_in(client, "maire-servon")
    assert client.get(plan_url, headers={"accept": "text/html"}).status_code == 404  # not Servon's plan
    post_form(client, "/logout")

    sign_in(client, "maire-chevry")
    asset = parc["pcs"]["PC-MAIRE"]
    no_reason = post_form(client, f"{plan_url}/decisions", data={f"decision-{asset}": "refuse"})
    assert "say why" in no_reason.text and "proposé" in no_reason.text
    decision = {f"decision-{asset}": "postpone", f"comment-{asset}": "budget 2027 contraint"}
    decided = post_form(client, f"{plan_url}/decisions", data=decision)
    assert decided.status_code == 200 and "décidé" in decided.text and "budget 2027 contraint" in decided.text
    assert "maire-chevry" in decided.text  # who decided, recorded


def test_tokens_collectors_and_audit_pages(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "dsit")
    created = post_form(client, "/members/tokens", data={"member_id": parc["servon"], "kind": "collector",
                                                             "label": "collecteur mairie"})  # fmt: skip
    token = re.search(r'<code id="new-token">(mpe_[^<]+)</code>', created.text)
    assert created.status_code == 200 and token is not None  # shown once
    assert token.group(1) not in client.get("/members").text  # and never again
    revoke = re.search(r'action="(/members/tokens/\d+/revoke)"', client.get("/members").text)
    assert revoke is not None
    assert "révoqué" in post_form(client, revoke.group(1), follow_redirects=True).text
    assert client.get("/collectors").status_code == 200

    admin = make_user(engine, "api-audit", role="admin")
    pc = parc["pcs"]["PC-MAIRE"]
    assert client.patch(f"/api/v1/assets/{pc}", json={"inventory_number": "INV-042"}, headers=admin).status_code == 200
    audit = client.get("/audit").text
    assert "inventory_number" in audit and "INV-042" in audit and "api-audit" in audit
    assert "PATCH /api/v1/assets/{asset_id}" in audit  # the audit chain, for admins
    verified = client.get("/audit", params={"verify": 1}).text
    assert re.search(r'id="chain-status">Chaîne intacte : \d+ lignes, tête \d+:[0-9a-f]{64}', verified)
    assert client.get("/api/v1/audit/export", params={"format": "csv"}).status_code == 200  # session cookie
    post_form(client, "/logout")
    sign_in(client, "maire-chevry")
    assert post_form(client, "/members/tokens", data={"member_id": parc["chevry"], "label": "x"},
                     headers={"accept": "text/html"}).status_code == 403  # fmt: skip
    mine = client.get("/audit").text
    assert "INV-042" in mine and "Clôtures" not in mine
    assert "audit-chain" not in mine and "PATCH /api/v1" not in mine
