"""Nothing an agent sends is dropped: every section of the GLPI schema is stored and comes back
through the API, generated from the vendored schema and every vendored example inventory."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.utils import EXAMPLES, example, make_enrolment_token, make_member, make_user, post_inventory
from wire.schema import inventory_schema
from wire.sections import NOT_SECTIONS, SECTIONS, UNRECOGNISED

SCHEMA_SECTIONS = inventory_schema()["properties"]["content"]["properties"]
ALL_EXAMPLES = sorted(p.stem for p in EXAMPLES.glob("*.json"))
FULL_EXAMPLES = [name for name in ALL_EXAMPLES if "_partial_" not in name]


def _properties(name: str) -> dict[str, Any]:
    definition = SCHEMA_SECTIONS[name]
    item = definition.get("items", {}) if definition.get("type") == "array" else definition
    return item.get("properties") or {}


@pytest.mark.parametrize("name", sorted(set(SCHEMA_SECTIONS) - NOT_SECTIONS))
def test_every_schema_section_and_field_has_a_place(name: str) -> None:
    section = SECTIONS[name]  # KeyError: a section of the schema Mutuparc would not keep
    if section.document:
        return  # kept whole, whatever its keys
    missing = set(_properties(name)) - {f.glpi for f in section.fields}
    assert not missing, f"{name}: fields of the schema with no column: {sorted(missing)}"


def _normalised(value: Any) -> Any:
    """JSON as the API answers it: dates as ISO strings, records without bookkeeping columns."""
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items() if k not in ("id", "source_id")}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _expected(content: dict[str, Any]) -> dict[str, Any]:
    """What the API must show of each non-empty section of ``content``, parsed as the wire reads it."""
    expected: dict[str, Any] = {}
    unknown = {}
    for name, raw in content.items():
        if name in NOT_SECTIONS or raw in (None, [], {}):
            continue
        if name not in SECTIONS:
            unknown[name] = raw
            continue
        records = SECTIONS[name].parse(raw)
        if name == "mutuparc_metrics" or records in (None, []):
            continue
        expected[name] = _normalised(records)
    if unknown:
        expected[UNRECOGNISED.name] = _normalised(UNRECOGNISED.parse(unknown))
    return expected


def _shown(client, admin, asset_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    detail = client.get(f"/api/v1/assets/{asset_id}", headers=admin).json()
    return {name: _normalised(rows) for name, rows in detail["components"].items() if rows}


def _comparable(records: Any) -> Any:
    """Order of list items is the agent's, not a fact: compare as sorted JSON."""
    if isinstance(records, list):
        return sorted(json.dumps(r, sort_keys=True, default=str) for r in records)
    return json.dumps(records, sort_keys=True, default=str)


@pytest.mark.parametrize("name", FULL_EXAMPLES)
def test_every_section_of_an_example_comes_back_through_the_api(client, engine, name: str) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    inventory = example(name)
    raw_keys = {k for k, v in inventory["content"].items() if v not in (None, [], {})} - NOT_SECTIONS
    assert post_inventory(client, inventory, token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    shown, expected = _shown(client, admin, asset["id"]), _expected(inventory["content"])
    known = raw_keys & set(SECTIONS) - {"mutuparc_metrics"}
    assert known <= set(expected), f"{name}: sections sent and not parsed: {known - set(expected)}"
    if raw_keys - set(SECTIONS):  # keys the schema lacks are kept together
        assert set(expected[UNRECOGNISED.name]["content"]) == raw_keys - set(SECTIONS)
    for section, records in expected.items():
        assert section in shown, f"{name}: section {section} was sent and is not shown"
        assert _comparable(shown[section]) == _comparable(records), f"{name}: {section} differs"
    # Every key of every item the agent sent is in what is shown (no field left behind).
    for section, raw in inventory["content"].items():
        if section not in SECTIONS or section in NOT_SECTIONS or SECTIONS[section].document or not raw:
            continue
        known = {f.glpi for f in SECTIONS[section].fields}
        items = raw if isinstance(raw, list) else [raw]
        for item in SECTIONS[section].reshape(items) if SECTIONS[section].reshape else items:
            assert set(item) <= known, f"{name}: {section} keys dropped: {set(item) - known}"


PARTIAL_FAMILIES = {
    full: sorted(p for p in ALL_EXAMPLES if p.startswith(f"{full}_partial_"))
    for full in FULL_EXAMPLES
    if any(p.startswith(f"{full}_partial_") for p in ALL_EXAMPLES)
}


@pytest.mark.parametrize("full", sorted(PARTIAL_FAMILIES))
def test_partial_examples_replace_their_sections_and_keep_the_others(client, engine, full: str) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    assert post_inventory(client, example(full), token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    state = _expected(example(full)["content"])
    for partial in PARTIAL_FAMILIES[full]:
        inventory = example(partial)
        assert inventory.get("partial") is True, partial
        assert post_inventory(client, inventory, token=token).status_code == 200
        state |= _expected(inventory["content"])  # its sections replace, the others stay
        shown = _shown(client, admin, asset["id"])
        assert set(shown) == set(state), f"after {partial}: {set(shown) ^ set(state)}"
        for section, records in state.items():
            assert _comparable(shown[section]) == _comparable(records), f"after {partial}: {section}"


def test_a_section_only_partial_inventories_carry_survives_the_next_full(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    full, databases = example("computer_2"), example("computer_2_partial_dbs")
    assert "databases_services" not in full["content"] and databases["content"]["databases_services"]
    for inventory in (full, databases, full):
        assert post_inventory(client, inventory, token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    shown = _shown(client, admin, asset["id"])
    kept = _expected(databases["content"])["databases_services"]
    assert _comparable(shown["databases_services"]) == _comparable(kept)
    # A section the last full carried and the next full lacks is gone (a battery removed).
    without_drives = {**full, "content": {k: v for k, v in full["content"].items() if k != "drives"}}
    assert post_inventory(client, without_drives, token=token).status_code == 200
    shown = _shown(client, admin, asset["id"])
    assert "drives" not in shown and "databases_services" in shown


def test_keys_the_schema_does_not_define_are_kept_together(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    inventory = example("computer_1")
    inventory["content"]["acme_badges"] = [{"reader": "HID", "serial": "B-42"}]
    assert post_inventory(client, inventory, token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    kept = _shown(client, admin, asset["id"])[UNRECOGNISED.name]
    assert kept == {"content": {"acme_badges": [{"reader": "HID", "serial": "B-42"}]}}


def test_keys_no_column_holds_are_kept_with_their_item(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    inventory = example("computer_1")
    inventory["content"]["cpus"][0]["microcode"] = "0xf0"  # newer agents' keys
    assert post_inventory(client, inventory, token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    cpu = _shown(client, admin, asset["id"])["cpus"][0]
    assert cpu["extra"] == {"microcode": "0xf0"}
    assert SECTIONS["cpus"].build([cpu])[0]["microcode"] == "0xf0"  # and given back as sent


def test_an_xml_inventory_keeps_what_the_schema_does_not_name(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    xml = (b"<?xml version='1.0' encoding='UTF-8'?><REQUEST><DEVICEID>pc-xml-2026</DEVICEID><QUERY>INVENTORY</QUERY>"
           b"<CONTENT><HARDWARE><NAME>PC-XML</NAME><UUID>4C4C4544-0042</UUID><ETIME>3</ETIME></HARDWARE>"
           b"<REGISTRY><NAME>lang</NAME><REGVALUE>fr-FR</REGVALUE><HIVE>HKLM</HIVE></REGISTRY>"
           b"<VERSIONCLIENT>FusionInventory-Agent_v2.6</VERSIONCLIENT></CONTENT></REQUEST>")  # fmt: skip
    assert post_inventory(client, xml, token=token, encoding="zlib").status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    shown = _shown(client, admin, asset["id"])
    assert shown["hardware"]["extra"] == {"etime": "3"}
    assert shown[UNRECOGNISED.name]["content"]["registry"] == {"name": "lang", "regvalue": "fr-FR", "hive": "HKLM"}


def test_what_a_source_said_that_another_shows_is_readable(client, engine) -> None:  # type: ignore[no-untyped-def]
    from tests.server.ingest.test_sources_precedence import three_agents

    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    agents = three_agents()
    for name in ("glpi", "mutuparc"):
        assert post_inventory(client, agents[name], token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    sources = {s["agent_version"].split("_v")[0]: s for s in client.get(f"/api/v1/assets/{asset['id']}",
                                                                       headers=admin).json()["sources"]}  # fmt: skip
    glpi = client.get(f"/api/v1/assets/{asset['id']}/sources/{sources['GLPI-Agent']['id']}/report", headers=admin)
    assert glpi.status_code == 200, glpi.text
    report = glpi.json()
    # Mutuparc's report arrived last and is shown; GLPI Agent's own operating system is kept.
    assert report["kept"]["operatingsystem"]["install_date"].startswith("2019-11-02")
    assert "operatingsystem" not in report["shown"]
    other = client.get(f"/api/v1/assets/{asset['id']}/sources/999999/report", headers=admin)
    assert other.status_code == 404
