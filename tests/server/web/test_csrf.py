"""Cross-site request forgery (issue 24, item 2): every changing form carries the session's token
and comes from this site; the REST API takes no write on the session cookie alone. Through HTTP,
then in headless Chromium with two attacking origins: a cross-site one (``evil.example``) and a
same-site one (another port of 127.0.0.1, where SameSite=Lax still sends the cookie)."""

from __future__ import annotations

import base64
import re
import secrets
import threading
from collections.abc import Iterator
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from server.accounts.models import EnrolmentToken
from server.assets.models import Asset
from tests.conftest import need
from tests.utils import make_member, make_user

PASSWORD = "motdepasse-2026"
CHROMIUM = Path("/usr/bin/chromium")
FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client) -> str:  # type: ignore[no-untyped-def]
    found = FIELD.search(client.get("/login").text)
    assert found is not None, "no CSRF token in the sign-in form"
    return found.group(1)


def sign_in(client, username: str = "dsit") -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/",
                                         "csrf_token": form_token(client)}, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text


def tokens(engine: Engine) -> list[tuple[str, object]]:
    with engine.connect() as connection:
        return sorted(connection.execute(select(EnrolmentToken.label, EnrolmentToken.revoked_at)).all())  # type: ignore[arg-type]


def asset_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Asset)) or 0


@pytest.fixture
def member(engine: Engine) -> int:
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    return make_member(engine, "Servon")


def test_a_form_without_the_right_token_is_refused_and_changes_nothing(client, engine, member) -> None:  # type: ignore[no-untyped-def]
    sign_in(client)
    form = {"member_id": str(member), "label": "forgé", "kind": "agent"}
    wrong = base64.urlsafe_b64encode(secrets.token_bytes(64)).decode().rstrip("=")  # well formed, not the session's
    for token in (None, "", "garbage", wrong):
        sent = form if token is None else {**form, "csrf_token": token}
        answer = client.post("/members/tokens", data=sent, headers={"accept": "text/html"})
        assert answer.status_code == 403, token
        assert "Accès refusé" in answer.text and "jeton de sécurité" in answer.text, token  # a page, in French
    other_session = form_token(type(client)(client.app))  # a token of another browser's session
    assert client.post("/members/tokens", data={**form, "csrf_token": other_session}).status_code == 403
    assert tokens(engine) == []

    made = client.post("/members/tokens", data={**form, "csrf_token": form_token(client)})
    assert made.status_code == 200 and 'id="new-token">mpe_' in made.text
    assert [label for label, _ in tokens(engine)] == ["forgé"]


def test_a_form_from_another_origin_is_refused_even_with_the_token(client, engine, member) -> None:  # type: ignore[no-untyped-def]
    sign_in(client)
    form = {"member_id": str(member), "label": "forgé", "kind": "agent", "csrf_token": form_token(client)}
    for headers in ({"origin": "http://evil.example"}, {"origin": "http://testserver:8081"},  # same site, other port
                    {"origin": "https://testserver"}, {"origin": "null"},
                    {"referer": "http://evil.example/page"}, {"referer": "http://testserver:8081/"}):  # fmt: skip
        answer = client.post("/members/tokens", data=form, headers={**headers, "accept": "text/html"})
        assert answer.status_code == 403, headers
        assert "vient d'un autre site" in unescape(answer.text), headers
    assert tokens(engine) == []
    same = client.post("/members/tokens", data=form, headers={"origin": "http://testserver",
                                                              "referer": "http://testserver/members"})  # fmt: skip
    assert same.status_code == 200
    # behind the TLS reverse proxy (nginx says X-Forwarded-Proto: https), a browser's https origin
    proxied = client.post("/members/tokens", data={**form, "label": "via nginx"},
                          headers={"origin": "https://testserver", "x-forwarded-proto": "https"})  # fmt: skip
    assert proxied.status_code == 200
    assert [label for label, _ in tokens(engine)] == ["forgé", "via nginx"]


def test_a_proxy_that_rewrites_the_host_needs_its_public_origin_trusted(app, client, engine, member) -> None:  # type: ignore[no-untyped-def]
    """nginx passing ``Host: 127.0.0.1:8000`` on: the browser's origin is the public name, refused
    until MUTUPARC_TRUSTED_ORIGINS names it; other sites stay refused."""
    sign_in(client)
    form = {"member_id": str(member), "label": "via le proxy", "kind": "agent", "csrf_token": form_token(client)}
    public = {"origin": "https://parc.dsit.example.fr", "accept": "text/html"}
    assert client.post("/members/tokens", data=form, headers=public).status_code == 403
    app.state.settings.trusted_origins = "https://parc.dsit.example.fr/, https://autre.example.fr"
    assert client.post("/members/tokens", data=form, headers=public).status_code == 200
    evil = client.post("/members/tokens", data=form, headers={"origin": "https://evil.example", "accept": "text/html"})
    assert evil.status_code == 403
    assert [label for label, _ in tokens(engine)] == ["via le proxy"]


def test_the_sign_in_form_needs_its_token_too(client, member) -> None:  # type: ignore[no-untyped-def]
    credentials = {"username": "dsit", "password": PASSWORD, "next": "/"}
    for extra in ({}, {"csrf_token": "garbage"}):  # login CSRF: signing the victim in as the attacker
        assert client.post("/login", data={**credentials, **extra}, follow_redirects=False).status_code == 403
        assert client.get("/", follow_redirects=False).status_code == 303  # not signed in
    evil = client.post("/login", data={**credentials, "csrf_token": form_token(client)},
                       headers={"origin": "http://evil.example"}, follow_redirects=False)  # fmt: skip
    assert evil.status_code == 403 and client.get("/", follow_redirects=False).status_code == 303
    sign_in(client)
    assert client.get("/", follow_redirects=False).status_code == 200
    # and signing out is a changing request too
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_the_api_takes_no_write_on_the_session_cookie_alone(client, engine, member) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "api", role="admin")
    sign_in(client)
    switch = {"member_id": member, "asset_type": "switch", "name": "SW-FORGE", "manufacturer": "Cisco"}
    for headers in ({"origin": "http://evil.example"}, {}, {"x-csrf-token": "garbage"},
                    {"origin": "http://evil.example", "x-csrf-token": form_token(client)}):  # fmt: skip
        answer = client.post("/api/v1/assets", json=switch, headers=headers)
        assert answer.status_code == 403 and "forgery" in answer.json()["detail"], headers
    assert (
        client.patch("/api/v1/assets/1", json={"name": "x"}, headers={"origin": "http://evil.example"}).status_code
        == 403
    )
    assert asset_count(engine) == 0
    assert client.get("/api/v1/assets").status_code == 200  # reading with the cookie: the pages' exports

    # the page's own script could write with the token in the header (no page does today)
    made = client.post("/api/v1/assets", json=switch, headers={"x-csrf-token": form_token(client)})
    assert made.status_code == 201
    # an API token is never sent by a browser on its own: no CSRF check, whatever the origin
    bearer = client.post("/api/v1/assets", json={**switch, "name": "SW-API"},
                         headers={**admin, "origin": "http://evil.example"})  # fmt: skip
    assert bearer.status_code == 201 and asset_count(engine) == 2


# -- in a real browser ----------------------------------------------------------------------


class Attacker:
    """A site that, once visited, auto-submits a form to Mutuparc (``/create`` and ``/revoke/<id>``)."""

    def __init__(self, target: str, member_id: int) -> None:
        page = ('<!doctype html><title>Gagnez un prix</title><form id="f" method="post" action="{action}">'
                '<input name="member_id" value="{member}"><input name="label" value="forgé">'
                '<input name="kind" value="collector"><input name="csrf_token" value="forged"></form>'
                "<script>document.getElementById('f').submit()</script>")  # fmt: skip

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                action = f"{target}/members/tokens" + (
                    "" if self.path == "/create" else self.path.replace("/revoke", "") + "/revoke"
                )
                body = page.format(action=action, member=member_id).encode()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def browser() -> Iterator[object]:
    need(CHROMIUM.exists(), "Debian chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu",
                                                    "--host-resolver-rules=MAP evil.example 127.0.0.1"])  # fmt: skip
        yield chromium
        chromium.close()


def test_forged_forms_from_another_site_or_port_are_refused_in_a_browser(browser, engine, member, live_server) -> None:  # type: ignore[no-untyped-def]
    url = live_server.url  # http://127.0.0.1:<port>
    attacker = Attacker(url, member)
    try:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(f"{url}/login")
        page.get_by_label("Identifiant").fill("dsit")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/members")  # the real form works: the browser's own origin and token pass
        page.get_by_label("Libellé").fill("légitime")
        page.get_by_role("button", name="Créer un jeton").click()
        assert page.locator("#new-token").inner_text().startswith("mpe_")
        legit = tokens(engine)
        assert [label for label, revoked in legit] == ["légitime"] and legit[0][1] is None
        with engine.connect() as connection:
            token_id = connection.scalar(select(EnrolmentToken.id))

        for site in (f"http://evil.example:{attacker.port}", f"http://127.0.0.1:{attacker.port}"):  # cross, same site
            for path, target in (
                ("/create", "/members/tokens"),
                (f"/revoke/{token_id}", f"/members/tokens/{token_id}/revoke"),
            ):
                with page.expect_response(lambda r, t=target: r.url == f"{url}{t}") as answered:
                    page.goto(f"{site}{path}")
                assert answered.value.status == 403, (site, path)
                page.wait_for_load_state()
                assert "Requête refusée" in page.locator("main").inner_text(), (site, path)
        assert tokens(engine) == legit  # nothing created, nothing revoked

        page.goto(f"{url}/members")  # and the admin is still signed in, their own forms still work
        page.get_by_role("button", name="Révoquer légitime").click()
        assert tokens(engine)[0][1] is not None
    finally:
        attacker.close()
