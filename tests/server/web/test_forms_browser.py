"""The DSIT's routine forms driven end to end in a real browser (Chromium via Playwright): create
a user, edit a member's population, add an SNMP credential, change an asset's status with a
document, assign a quarantined asset, merge then undo the merge. Each step checks the page's answer
and the stored record; the TestClient tests of each form cover their validation cases."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from server.accounts.models import UserAccount
from server.assets.models import Asset, AssetDocument
from server.collectors.models import SnmpCredential
from server.tenancy.models import Member
from tests.server.allocation.test_allocation_browser import on_postgresql  # noqa: F401
from tests.server.web.test_browser import PASSWORD, browser, demo_parc, shot, sign_in  # noqa: F401
from tests.utils import example, make_enrolment_token, make_user, post_inventory, variant


def _asset(engine, name: str) -> Asset:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.scalars(select(Asset).where(Asset.name == name)).one()


def test_the_dsit_forms_in_a_browser(on_postgresql, browser, demo_parc, client, engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, servon = demo_parc["url"], demo_parc["servon"]
    stray = variant(example("computer_1"), deviceid="PC-SANS-JETON", hardware__name="PC-SANS-JETON", bios__ssn="Q-1")
    assert post_inventory(client, stray).status_code == 200  # no token: quarantined
    twin = variant(example("computer_1"), deviceid="PC-COMPTA-BIS", hardware__name="PC-COMPTA-BIS", bios__ssn="S-2")
    assert post_inventory(client, twin, token=make_enrolment_token(engine, servon)).status_code == 200
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, url, "dsit")

    # a user: created with a role and a member, then able to sign in
    page.goto(f"{url}/users")
    page.locator("#new-username").fill("compta.servon")
    page.locator("#new-display-name").fill("Compta Servon")
    page.locator("#new-role").select_option("member_reader")
    page.locator("#new-member").select_option(str(servon))
    page.locator("#new-password-field").fill("bienvenue-2026")
    page.locator("form[action='/users'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "compta.servon" in page.locator("main").inner_text()
    with Session(engine) as session:
        user = session.scalars(select(UserAccount).where(UserAccount.username == "compta.servon")).one()
        assert (user.role.value, user.member_id, user.is_active) == ("member_reader", servon, True)
    shot(page, "form-users")

    # a member's population, written the French way
    page.goto(f"{url}/members/{servon}/edit")
    page.locator("#population").fill("3 476")
    page.locator("#insee_code").fill("77450")
    page.locator("#member-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/members/{servon}/edit\?saved=details$"))
    page.goto(f"{url}/members")
    assert "3\u202f476" in page.locator("main").inner_text()
    with Session(engine) as session:
        assert session.get(Member, servon).population == 3476  # type: ignore[union-attr]

    # an SNMPv3 credential whose secrets never come back to the page
    page.goto(f"{url}/collectors/credentials")
    page.locator("#cred-member").select_option(str(servon))
    page.locator("#cred-name").fill("v3-mairie")
    page.locator("#cred-version").select_option("3")
    page.locator("#cred-user").fill("inventaire")
    page.locator("#cred-auth-protocol").select_option("sha256")
    page.locator("#cred-auth-key").fill("cle-auth-2026")
    page.locator("#cred-priv-key").fill("secret-de-chiffrement")
    page.locator("form[action='/collectors/credentials'] button[type=submit]").click()
    page.wait_for_load_state()
    listing = page.content()
    assert "v3-mairie" in listing and "cle-auth-2026" not in listing and "secret-de-chiffrement" not in listing
    with Session(engine) as session:
        assert (
            session.scalars(select(SnmpCredential).where(SnmpCredential.name == "v3-mairie")).one().user == "inventaire"
        )

    # a duplicate merged into the PC, then the merge undone from the merges page
    kept, copy = _asset(engine, "PC-COMPTA").id, _asset(engine, "PC-COMPTA-BIS").id
    page.goto(f"{url}/assets/{kept}/edit")
    form = page.locator(f"form[action='/assets/{kept}/merge']").first
    form.locator("#merge-other").fill(str(copy))
    form.locator("#merge-confirm").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert _asset(engine, "PC-COMPTA-BIS").merged_into_id == kept
    page.goto(f"{url}/merges")
    undo = page.locator("form[action$='/undo']").first
    undo.locator("input[name=confirm]").check()
    undo.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/assets/{copy}\?saved=1$"))
    assert _asset(engine, "PC-COMPTA-BIS").merged_into_id is None
    page.goto(f"{url}/merges")
    assert "annulée par dsit" in page.locator("main").inner_text()
    shot(page, "form-merges")

    # a status change with its reason and a recycling certificate
    pc = _asset(engine, "PC-COMPTA")
    certificate = tmp_path / "certificat.pdf"
    certificate.write_bytes(b"%PDF-1.4 certificat")
    page.goto(f"{url}/assets/{pc.id}/edit")
    page.locator("#status").select_option("recycled")
    page.locator("#reason").fill("Recyclé par Ecologic")
    page.locator("#document").set_input_files(str(certificate))
    page.locator("#document-kind").select_option("recycling_certificate")
    page.locator("#purchase_price").fill("1 234,50")
    page.locator("#asset-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/assets/{pc.id}\?saved=1$"))
    assert "Équipement enregistré" in page.locator("main").inner_text()
    assert _asset(engine, "PC-COMPTA").lifecycle_status.value == "recycled"
    with Session(engine) as session:
        document = session.scalars(select(AssetDocument).where(AssetDocument.asset_id == pc.id)).one()
        assert document.filename == "certificat.pdf"
    shot(page, "form-asset-saved")

    # a quarantined asset assigned to its member
    stray_id = _asset(engine, "PC-SANS-JETON").id
    page.goto(f"{url}/assets/{stray_id}/edit")
    page.locator("#assign-member").select_option(str(servon))
    page.locator(f"form[action='/assets/{stray_id}/assign'] button[type=submit]").click()
    page.wait_for_load_state()
    assert _asset(engine, "PC-SANS-JETON").member_id == servon

    # a destructive form asks first (static/confirm.js under the page policy): cancelled, nothing
    # happens; confirmed, the storage mapping is deleted
    admin = make_user(engine, "api-confirm", role="admin")
    rule = {"member_id": servon, "pattern": "/volume1/servon", "kind": "path"}
    assert client.post("/api/v1/storage/mappings", json=rule, headers=admin).status_code == 201
    asked: list[str] = []
    page.goto(f"{url}/allocation/storage")
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[action$='/delete'] button[type=submit]").first.click()
    page.wait_for_timeout(300)
    assert asked and "/volume1/servon" in asked[0]
    assert len(client.get("/api/v1/storage/mappings", headers=admin).json()) == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/delete'] button[type=submit]").first.click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert client.get("/api/v1/storage/mappings", headers=admin).json() == []
