"""In a real browser: the DSIT changes a price and a cycle on the renewal settings page and sees
the 2027 plan change (the suite's Chromium, server and sign-in from ``test_browser``)."""

from __future__ import annotations

import pytest

from tests.server.web.test_browser import sign_in
from tests.utils import make_user


@pytest.fixture
def one_backend(db):  # type: ignore[no-untyped-def]
    """Pages to plan is the same code on both databases (``test_settings_pages`` runs it on each);
    one browser run is enough, and skipping before the server and Chromium start saves ~25 s."""
    if db.backend != "sqlite":
        pytest.skip("the browser run is on SQLite; the pages' effect on PostgreSQL is in test_settings_pages")
    return db


def _plan(page, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each line's cost as the plan page shows it, by asset name."""
    page.goto(f"{url}/renewal?budget_date=2026-10-01")
    rows = page.locator("#plan-lines tbody tr")
    return {rows.nth(i).locator("td").nth(1).inner_text(): rows.nth(i).locator("td").nth(6).inner_text()
            for i in range(rows.count())}  # fmt: skip


def test_a_price_and_a_cycle_changed_in_the_pages_change_the_plan(
    one_backend,
    browser,
    demo_parc,
    client,
    engine,
) -> None:  # type: ignore[no-untyped-def]
    api = make_user(engine, "api-2", role="admin")
    body = {"member_id": demo_parc["servon"], "asset_type": "workstation", "name": "PC-NEUF",
            "commissioning_date": "2022-01-10"}  # fmt: skip
    assert client.post("/api/v1/assets", json=body, headers=api).status_code == 201
    url = demo_parc["url"]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, url, "dsit")
    before = _plan(page, url)
    assert before["PC-COMPTA"] == "800,00 €"  # Windows 10 on an i5-6200U: not Windows 11 ready, replaced
    assert "PC-NEUF" not in before  # due in 2029 on the default 7-year cycle

    page.get_by_role("link", name="Paramètres").click()
    page.get_by_label("Type ou remède").first.select_option("workstation")
    page.locator("#price-amount").fill("1 150,00")
    page.locator("#price-save").click()
    page.wait_for_url(f"{url}/renewal/settings#prices")
    page.locator("#policy-type").select_option("workstation")
    page.locator("#policy-years").fill("4")
    page.locator("#policy-save").click()
    page.wait_for_url(f"{url}/renewal/settings#policies")

    after = _plan(page, url)
    assert "1\u202f150,00 €" in after["PC-COMPTA"]
    assert "1\u202f150,00 €" in after["PC-NEUF"]  # on a 4-year cycle, due in January 2026: overdue
    assert "2\u202f500,00 €" in after["SW-MAIRIE"]  # other types keep their price
    page.close()
