"""In a real browser (Chromium via Playwright, the suite's fixtures): the DSIT creates the two
ticket pools of worked example C through the forms, imports the tickets CSV after its dry run,
and reads the settlement invoices on the allocation page."""

from __future__ import annotations

import re

import pytest

from tests.server.allocation.test_seed_figures import DATA, MEMBERS
from tests.server.web.test_browser import PASSWORD, browser, shot, sign_in  # noqa: F401
from tests.utils import make_member, make_user

POOLS = [("Service commun BCR", "179 103", "Brie-Comte-Robert"), ("Service commun CCOB", "37 551", "CCOB")]


@pytest.fixture
def on_postgresql(db):  # type: ignore[no-untyped-def]
    """Skipped on SQLite before a browser or server starts: the pages are the same on both
    databases, and the forms' test (no browser) runs on both."""
    if db.url.startswith("sqlite"):
        pytest.skip("one browser run is enough: on PostgreSQL, the production database")


def test_example_c_ticket_pools_through_the_pages(on_postgresql, browser, engine, live_server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for name in MEMBERS:
        make_member(engine, name)
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    url = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, url, "dsit")
    page.goto(f"{url}/allocation?year=2022")

    page.locator("#import-link").click()
    page.get_by_label("Clé de répartition").select_option("tickets")
    page.get_by_label("Fichier CSV (Membre;Valeur)").set_input_files(str(DATA / "tickets_2022.csv"))
    page.get_by_role("button", name="Vérifier (sans rien enregistrer)").click()
    assert "5 ligne(s) valable(s), 0 erreur(s)" in page.locator("#import-report h2").inner_text()
    page.get_by_role("button", name="Appliquer l'import").click()
    assert "Import enregistré : 5 ligne(s)" in page.locator("#import-report h2").inner_text()

    for name, amount, advanced_by in POOLS:
        page.goto(f"{url}/allocation?year=2022")
        page.locator(".new-pool").get_by_role("link", name="Au prorata d'une clé").click()
        page.get_by_label("Intitulé").fill(name)
        page.get_by_label("Clé de répartition").select_option("tickets")
        page.get_by_label("Montant (€)").fill(amount)
        page.get_by_label("Avancé par").select_option(label=advanced_by)
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url(re.compile(r"/allocation\?year=2022"))

    invoices = {tuple(row.locator("td").all_inner_texts()[:2]): row.locator("td").nth(2).inner_text()
                for row in page.locator("#invoices tbody tr").all()}  # fmt: skip
    amounts = {pair: re.sub(r"\s", " ", value) for pair, value in invoices.items()}
    assert amounts[("Brie-Comte-Robert", "Servon")].startswith("11 749,16")
    assert amounts[("CCOB", "Servon")].startswith("2 463,35")
    assert amounts[("CCOB", "Brie-Comte-Robert")].startswith("30 059,58")
    assert len(amounts) == 8  # each advancer invoices the four other members, never itself
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, "the page fits at 1280 px: wide tables scroll inside themselves"
    shot(page, "allocation-example-c")
