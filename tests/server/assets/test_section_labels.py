"""Every inventory section and field has a French and an English label, and the asset page and
API show each section present with them (no raw keys)."""

from __future__ import annotations

import re

import pytest

from server.assets import section_labels
from tests.server.web.test_csrf import form_token
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory
from wire.schema import inventory_schema
from wire.sections import SECTIONS

PASSWORD = "motdepasse-2026"
SCHEMA = inventory_schema()["properties"]["content"]["properties"]


def _document_keys(name: str) -> list[str]:
    definition = SCHEMA.get(name, {})
    item = definition.get("items", {}) if definition.get("type") == "array" else definition
    return list(item.get("properties") or {})


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_section_and_field_has_both_labels(name: str) -> None:
    labels = section_labels._labels()
    assert name in labels["sections"], f"section {name} has no label"
    section = SECTIONS[name]
    keys = _document_keys(name) if section.document else list(section.keys)
    assert not section_labels.unlabelled(name, keys), section_labels.unlabelled(name, keys)
    for key in keys:
        french, english = (section_labels.field_label(name, key, lang) for lang in ("fr", "en"))
        assert french.strip() and english.strip(), f"{name}.{key}: an empty label"


def test_sizes_and_booleans_read_as_people_write_them() -> None:
    assert section_labels.format_size(512 * 2**30, "fr") == "512 Go"
    assert section_labels.format_size(1536 * 2**20, "fr") == "1,5 Go"
    assert section_labels.format_size(1536 * 2**20, "en") == "1.5 GB"
    assert section_labels.format_cell("shared", True, "fr") == "Oui"
    timezone = {"name": "CET", "offset": "+0100"}
    assert section_labels.format_cell("timezone", timezone, "en") == "name: CET, offset: +0100"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_and_api_show_every_section_labelled(client, engine, lang: str) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin", password=PASSWORD)
    inventory = example("computer_1")
    inventory["content"]["controllers"] = [{"name": "SATA controller", "manufacturer": "Intel", "pciid": "8086:a352"}]
    inventory["content"]["local_users"] = [{"id": "1000", "login": "agent", "name": "Agent d'accueil"}]
    assert post_inventory(client, inventory, token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    detail = client.get(f"/api/v1/assets/{asset['id']}", params={"lang": lang}, headers=admin).json()
    present = {name for name, rows in detail["components"].items() if rows}
    assert set(detail["labels"]) == present
    assert detail["labels"]["controllers"]["label"] == ("Contrôleurs" if lang == "fr" else "Controllers")
    assert detail["labels"]["local_users"]["fields"]["login"] == ("Identifiant" if lang == "fr" else "Login")

    client.post(
        "/login",
        data={"username": "dsit", "password": PASSWORD, "next": "/", "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    client.cookies.set("mutuparc_lang", lang)
    page = client.get(f"/assets/{asset['id']}")
    assert page.status_code == 200
    headers = re.findall(r'<th scope="(?:col|row)" data-key="([^"]+)">([^<]+)</th>', page.text)
    assert headers, "no inventory section on the page"
    raw = [(key, label) for key, label in headers if label == key and key not in ("lldp", "mtu", "wwn", "uuid")]
    assert not raw, f"raw keys shown as headers: {raw}"
    for name in present:
        assert f'id="section-{name}"' in page.text, f"section {name} is not on the page"
    assert ("Contrôleurs" if lang == "fr" else "Controllers") in page.text
    assert "Agent d&#39;accueil" in page.text or "Agent d'accueil" in page.text
