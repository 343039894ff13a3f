"""Errors a browser meets come as pages in the layout, with a way back; API clients keep JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server.web.test_pages import sign_in

HTML = {"accept": "text/html,application/xhtml+xml"}


def test_errors_in_the_browser_are_pages_with_a_way_back(client, parc, app) -> None:  # type: ignore[no-untyped-def]
    # not signed in: an unknown address is a French page, not {"detail": "Not Found"}
    missing = client.get("/nope", headers=HTML)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Page introuvable" in missing.text and 'href="/"' in missing.text and '"detail"' not in missing.text
    assert client.get("/nope").json() == {"detail": "Not Found"}  # a script asking for JSON
    assert client.get("/api/v1/nope", headers=HTML).json() == {"detail": "Not Found"}  # the API stays JSON

    assert sign_in(client, "dsit").status_code == 303
    # a query parameter of the wrong kind: 422 naming the field, in the layout
    invalid = client.get("/assets?page=zero", headers=HTML)
    assert invalid.status_code == 422 and "Demande refusée" in invalid.text
    assert "<code>page (adresse)</code>" in invalid.text and "Retour au tableau de bord" in invalid.text
    assert client.get("/assets?page=zero").status_code == 422  # JSON for non-browsers
    assert client.get("/assets?page=zero").json()["detail"][0]["loc"] == ["query", "page"]
    # a member's record beyond reach, and a method the page does not have
    assert client.get("/assets/999999", headers=HTML).status_code == 404
    assert client.post("/members", headers=HTML).status_code in (403, 405)
    client.cookies.set("mutuparc_lang", "en")
    english = client.get("/assets?page=zero", headers=HTML)
    assert "Request refused" in english.text and "page (address)" in english.text


def test_a_reader_forbidden_action_is_a_403_page(client, parc) -> None:  # type: ignore[no-untyped-def]
    from tests.server.web.test_pages import post_form

    assert sign_in(client, "maire-chevry").status_code == 303
    answer = post_form(client, "/members/tokens/1/revoke", headers=HTML)
    assert answer.status_code == 403 and "Accès refusé" in answer.text and 'href="/"' in answer.text


def test_a_crash_is_a_500_page_and_the_favicon_is_served(app, client) -> None:  # type: ignore[no-untyped-def]
    def boom() -> None:
        raise RuntimeError("the disk is on fire")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as crashing:
        page = crashing.get("/boom", headers=HTML)
        assert page.status_code == 500 and "Erreur du serveur" in page.text and 'href="/"' in page.text
        assert "disk is on fire" not in page.text  # no traceback or message shown
        assert crashing.get("/boom").text == "Internal Server Error"
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/login").text.count('rel="icon"') == 1
