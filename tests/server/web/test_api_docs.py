"""The API documentation works with no network: Swagger UI and ReDoc are served by the server itself
(from the fastapi-offline package), the web UI links to them and the usual short addresses redirect."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import need
from tests.utils import make_user

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "motdepasse-2026"

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Belt and braces: even a request Playwright's routing would miss finds no DNS name but loopback.
OFFLINE_ARGS = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@dataclass
class OfflinePage:
    page: Any
    outside: list[str] = field(default_factory=list)  # requests for another host: aborted by the test
    refused: list[str] = field(default_factory=list)  # never sent: refused by the page's CSP
    failed: list[str] = field(default_factory=list)  # anything else that failed (a missing asset...)
    errors: list[str] = field(default_factory=list)  # JavaScript errors and console errors


@pytest.fixture
def offline():  # type: ignore[no-untyped-def]
    """A headless Chromium page that may reach loopback only: every other request is aborted and listed."""
    need(CHROMIUM.exists(), "Debian chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=OFFLINE_ARGS)
        context = chromium.new_context(service_workers="block")
        page = OfflinePage(context.new_page())

        def only_loopback(route):  # type: ignore[no-untyped-def]
            url = route.request.url
            if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOOPBACK:
                route.continue_()
            else:
                page.outside.append(url)
                route.abort("internetdisconnected")

        def failed(request):  # type: ignore[no-untyped-def]
            if request.failure == "csp":
                page.refused.append(request.url)
            elif request.url not in page.outside:
                page.failed.append(f"{request.url}: {request.failure}")

        context.route("**/*", only_loopback)
        page.page.on("requestfailed", failed)
        page.page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.page.on("pageerror", lambda error: page.errors.append(str(error)))
        yield page
        context.close()
        chromium.close()


def rendered(offline: OfflinePage, selector: str) -> None:
    """Wait for the documentation to render; if it does not, say what it tried to fetch outside."""
    try:
        offline.page.wait_for_selector(selector, timeout=20_000)
    except Exception as error:  # noqa: BLE001 - Playwright's TimeoutError, reported with the evidence
        pytest.fail(f"{selector} never rendered ({error.__class__.__name__}); outside: {offline.outside}, "
                    f"failed: {offline.failed}, errors: {offline.errors}")  # fmt: skip


def test_swagger_ui_shows_the_operations_with_no_network(offline, live_server) -> None:  # type: ignore[no-untyped-def]
    answer = offline.page.goto(f"{live_server.url}/api/docs")
    assert answer is not None and answer.status == 200
    rendered(offline, ".opblock")
    found = offline.page.locator(".opblock").evaluate_all(
        "blocks => blocks.map(b => [b.querySelector('.opblock-summary-method').textContent,"
        " b.querySelector('.opblock-summary-path').dataset.path])"
    )
    operations = {(method, path) for method, path in found}
    paths = {path for _, path in operations}
    assert {"/api/v1/assets", "/api/v1/members", "/api/v1/health"} <= paths, sorted(paths)
    assert ("GET", "/api/v1/assets") in operations and ("POST", "/api/v1/assets") in operations, sorted(operations)
    assert len(found) >= 75  # every operation, not a few
    assert (offline.outside, offline.refused, offline.failed, offline.errors) == ([], [], [], [])


def test_redoc_shows_the_operations_with_no_network(offline, live_server) -> None:  # type: ignore[no-untyped-def]
    answer = offline.page.goto(f"{live_server.url}/api/redoc")
    assert answer is not None and answer.status == 200
    rendered(offline, "[data-section-id^='tag/']")
    offline.page.get_by_text("/api/v1/assets", exact=True).first.wait_for(state="attached", timeout=20_000)
    assert len(offline.page.locator("[data-section-id^='operation/']").all()) >= 75
    assert (offline.outside, offline.failed) == ([], [])
    # ReDoc's "API docs by Redocly" logo is on a CDN: the page's CSP stops it inside the browser.
    assert set(offline.refused) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}, offline.refused
    refusals = [e for e in offline.errors if "Content Security Policy" in e and "cdn.redoc.ly" in e]
    assert refusals == offline.errors, offline.errors


def test_docs_pages_reference_only_local_assets(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/api/docs", "/api/redoc"):
        page = client.get(path)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "http://" not in page.text and "https://" not in page.text, path
        policy = page.headers["content-security-policy"]  # nothing may be fetched from elsewhere
        assert "default-src 'self'" in policy and "img-src 'self' data:;" in policy and "*" not in policy, policy
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"):
        answer = client.get(f"/api/docs/static/{asset}")
        assert answer.status_code == 200 and len(answer.content) > 1000, asset
    assert "<html" in client.get("/api/docs/oauth2-redirect").text


def test_short_addresses_redirect_to_the_documentation(client) -> None:  # type: ignore[no-untyped-def]
    for path, target in (("/docs", "/api/docs"), ("/openapi.json", "/api/v1/openapi.json")):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code in (307, 308) and answer.headers["location"] == target, path
    assert client.get("/openapi.json").json()["info"]["title"] == "Mutuparc"
    spec_paths = client.app.openapi()["paths"]
    assert not {p for p in spec_paths if "docs" in p or "redoc" in p or p == "/openapi.json"}  # not API operations


def test_signed_in_pages_link_to_the_documentation(client, engine) -> None:  # type: ignore[no-untyped-def]
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]  # the form's
    signed_in = client.post("/login", data={"username": "dsit", "password": PASSWORD, "next": "/", "csrf_token": token},
                            follow_redirects=False)  # fmt: skip
    assert signed_in.status_code == 303
    page = client.get("/")
    assert page.status_code == 200
    link = page.text.split('href="/api/docs"', 1)[1].split("</a>", 1)[0]
    assert unescape(link).endswith("Documentation de l'API"), link
    client.get("/lang/en?next=/")
    assert "API documentation</a>" in client.get("/").text
