"""Users and roles from the pages: create (validated, field named), disable with a ticked
confirmation (the account's sessions end), a new password shown once."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from server.accounts.models import UserAccount
from tests.server.web.test_pages import post_form, sign_in


def test_an_admin_creates_disables_and_resets_a_user(app, client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    assert sign_in(client, "dsit").status_code == 303
    assert 'href="/users"' in client.get("/").text
    bad = post_form(client, "/users", {"username": "Mauvais Nom", "role": "member_reader", "password": "court"})
    assert bad.status_code == 422
    for field in ("username", "member_id", "password"):
        assert f'id="{field}-error"' in bad.text, field
    created = post_form(client, "/users", {"username": "compta.servon", "role": "member_reader",
                                           "member_id": str(parc["servon"]), "display_name": "Compta Servon",
                                           "password": "bienvenue-2026"}, follow_redirects=False)  # fmt: skip
    assert created.status_code == 303
    again = post_form(client, "/users", {"username": "compta.servon", "role": "admin", "password": "bienvenue-2026"})
    assert again.status_code == 422 and "Cet identifiant existe déjà" in again.text
    with Session(engine) as session:
        user = session.scalars(select(UserAccount).where(UserAccount.username == "compta.servon")).one()
        assert (user.role.value, user.member_id, user.is_active) == ("member_reader", parc["servon"], True)

    with TestClient(app) as reader:  # the new user signs in, in a browser of their own
        assert sign_in(reader, "compta.servon", "bienvenue-2026").status_code == 303
        assert reader.get("/", follow_redirects=False).status_code == 200
        assert post_form(client, f"/users/{user.id}/active", {"active": "0"}).status_code == 422  # not confirmed
        off = post_form(client, f"/users/{user.id}/active", {"active": "0", "confirm": "yes"}, follow_redirects=False)
        assert off.status_code == 303
        assert reader.get("/", follow_redirects=False).status_code == 303  # its session ended
        assert sign_in(reader, "compta.servon", "bienvenue-2026").status_code == 401
        assert post_form(client, f"/users/{user.id}/active", {"active": "1"}, follow_redirects=False).status_code == 303
        reset = post_form(client, f"/users/{user.id}/password", {"confirm": "yes"})
        found = re.search(r'<code id="new-password">([^<]+)</code>', reset.text)
        assert reset.status_code == 200 and found is not None
        assert sign_in(reader, "compta.servon", "bienvenue-2026").status_code == 401
        assert sign_in(reader, "compta.servon", found.group(1)).status_code == 303

    with Session(engine) as session:
        me = session.scalars(select(UserAccount).where(UserAccount.username == "dsit")).one()
    refused = post_form(client, f"/users/{me.id}/active", {"active": "0", "confirm": "yes"})
    assert refused.status_code == 409 and "votre propre compte" in refused.text


def test_users_are_for_admins_only(client, parc) -> None:  # type: ignore[no-untyped-def]
    assert sign_in(client, "maire-chevry").status_code == 303
    assert client.get("/users", headers={"accept": "text/html"}).status_code == 403
    assert 'href="/users"' not in client.get("/").text


def test_an_admin_creates_and_revokes_another_users_api_token(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    assert sign_in(client, "dsit").status_code == 303
    with Session(engine) as session:
        reader = session.scalars(select(UserAccount).where(UserAccount.username == "maire-chevry")).one()
    assert post_form(client, "/users/tokens", {"user_id": str(reader.id), "name": " "}).status_code == 422
    made = post_form(client, "/users/tokens", {"user_id": str(reader.id), "name": "script-inventaire"})
    found = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
    assert made.status_code == 200 and found is not None and "maire-chevry" in made.text
    token = found.group(1)
    with TestClient(client.app) as script:  # the token acts as its user: a member reader
        seen = script.get("/api/v1/assets", headers={"authorization": f"Bearer {token}"})
        assert seen.status_code == 200
        assert {a["member_id"] for a in seen.json()["data"]} <= {parc["chevry"]}
        page = client.get("/users").text
        assert "script-inventaire" in page and token not in page  # listed, never shown again
        row = re.search(r'<tr id="token-(\d+)"><th scope="row">maire-chevry</th><td>script-inventaire</td>', page)
        assert row is not None
        token_id = int(row.group(1))
        assert post_form(client, f"/users/tokens/{token_id}/revoke", {}).status_code == 422  # unconfirmed
        gone = post_form(client, f"/users/tokens/{token_id}/revoke", {"confirm": "yes"}, follow_redirects=False)
        assert gone.status_code == 303
        assert script.get("/api/v1/assets", headers={"authorization": f"Bearer {token}"}).status_code == 401
    assert "script-inventaire" not in client.get("/users").text
    assert sign_in(client, "maire-chevry").status_code == 303  # a reader manages no one's tokens
    assert post_form(client, "/users/tokens", {"user_id": str(reader.id), "name": "x"}).status_code == 403
