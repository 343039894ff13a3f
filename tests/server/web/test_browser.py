"""The web interface in a real browser: Debian's Chromium, headless, driven by Playwright, against
``mutuparc server`` on a loopback port. Screenshots of the main pages go to ``var/screenshots/``."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import need
from tests.utils import PROJECT, example, make_enrolment_token, make_member, make_user, post_inventory, variant

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT / "var" / "screenshots"
PASSWORD = "motdepasse-2026"


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    need(CHROMIUM.exists(), "Debian chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        yield chromium
        chromium.close()


@pytest.fixture
def demo_parc(client, engine, live_server):  # type: ignore[no-untyped-def]
    """Two communes, a PC each (Servon's on Windows 10), a switch; prices for the plan."""
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    make_user(engine, "maire-chevry", role="member_reader", member_id=chevry, password=PASSWORD)
    admin = make_user(engine, "api", role="admin")
    windows10 = variant(example("computer_1"), deviceid="PC-COMPTA-2024", hardware__name="PC-COMPTA",
                        hardware__chassis_type="Desktop", bios__ssn="S-0001", bios__bdate="2019-03-01",
                        operatingsystem__full_name="Microsoft Windows 10 Professionnel",
                        operatingsystem__name="Windows", operatingsystem__version="22H2",
                        operatingsystem__kernel_version="10.0.19045.5011")  # fmt: skip
    chevry_pc = variant(example("computer_1"), deviceid="PC-MAIRE-2024", hardware__name="PC-MAIRE", bios__ssn="C-0001")
    assert post_inventory(client, windows10, token=make_enrolment_token(engine, servon)).status_code == 200
    assert post_inventory(client, chevry_pc, token=make_enrolment_token(engine, chevry)).status_code == 200
    switch = {"member_id": servon, "asset_type": "switch", "name": "SW-MAIRIE", "manufacturer": "Cisco",
              "model": "WS-C2960X-24PS-L", "serial": "FOC1234X0AB", "commissioning_date": "2015-01-10"}  # fmt: skip
    assert client.post("/api/v1/assets", json=switch, headers=admin).status_code == 201
    prices = [{"asset_type": "workstation", "price": "800"}, {"asset_type": "switch", "price": "2500"}]
    assert client.put("/api/v1/renewal/prices", json=prices, headers=admin).status_code == 200
    ids = {a["name"]: a["id"] for a in client.get("/api/v1/assets", headers=admin).json()["data"]}
    return {"url": live_server.url, "ids": ids, "servon": servon}


def sign_in(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/")
    assert "/login" in page.url  # not signed in: sent to the sign-in page
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{url}/")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_dsit_works_through_the_pages(browser, demo_parc, db) -> None:  # type: ignore[no-untyped-def]
    url = demo_parc["url"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    sign_in(page, url, "dsit")
    assert page.locator("#counts").get_by_role("link", name="Servon").is_visible()
    db_name = db.url.split(":")[0]
    shot(page, f"dashboard-{db_name}")

    page.get_by_role("link", name="Équipements", exact=True).click()
    page.get_by_label("Type").select_option("switch")
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("#assets tbody tr")
    assert rows.count() == 1 and "SW-MAIRIE" in rows.first.inner_text()
    shot(page, f"assets-{db_name}")
    page.get_by_label("Type").select_option("")
    page.get_by_label("Rechercher").fill("compta")
    page.keyboard.press("Enter")  # the form works from the keyboard
    page.get_by_role("link", name="PC-COMPTA").click()
    assert "S-0001" in page.locator("main").inner_text()
    assert "Système plus supporté" in page.locator("#obsolescence").inner_text()  # Windows 10 after 14/10/2025
    shot(page, f"asset-{db_name}")

    page.get_by_role("link", name="Renouvellement").click()
    page.get_by_label("Date budgétaire").fill("2026-10-01")
    page.get_by_role("button", name="Afficher").click()
    assert "Plan de renouvellement 2027" in page.locator("h1").inner_text()
    assert {"PC-COMPTA", "SW-MAIRIE"} <= set(page.locator("#plan-lines tbody tr td:nth-child(2)").all_inner_texts())
    shot(page, f"renewal-{db_name}")
    with page.expect_download() as download:
        page.locator("#plan-xlsx").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    totals = {row[0]: row[1] for row in book["Total"].iter_rows(min_row=2, values_only=True)}
    assert totals["Total"] == 3300.0  # a workstation (800) and a switch (2,500)

    page.get_by_role("link", name="Répartition").click()
    assert "Servon" in page.locator("#key-values").inner_text()
    shot(page, f"allocation-{db_name}")


def test_a_member_reader_cannot_reach_another_member(browser, demo_parc) -> None:  # type: ignore[no-untyped-def]
    url, ids = demo_parc["url"], demo_parc["ids"]
    page = browser.new_page(viewport={"width": 800, "height": 1000})  # a tablet's width
    sign_in(page, url, "maire-chevry")
    assert "Servon" not in page.locator("main").inner_text()
    page.get_by_role("link", name="Équipements", exact=True).click()
    assert page.locator("#assets tbody tr").all_inner_texts() and "PC-COMPTA" not in page.content()
    shot(page, "member-reader-assets")
    for path in (f"/assets/{ids['PC-COMPTA']}", f"/assets?member_id={demo_parc['servon']}",
                 f"/renewal?member_id={demo_parc['servon']}"):  # fmt: skip
        answer = page.goto(f"{url}{path}")
        assert answer.status == 404 and "Page introuvable" in page.content(), path
    for path in (f"/api/v1/assets/{ids['PC-COMPTA']}", f"/api/v1/renewal/reports/plan?member_id={demo_parc['servon']}",
                 f"/api/v1/allocation/2026/statements/{demo_parc['servon']}"):  # fmt: skip
        assert page.request.get(f"{url}{path}").status in (403, 404), path
    export = page.request.get(f"{url}/api/v1/assets/export?format=csv").text()
    assert "PC-MAIRE" in export and "PC-COMPTA" not in export and "SW-MAIRIE" not in export
