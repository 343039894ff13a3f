"""Every GLPI example inventory ingests, and partial inventories merge section by section."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset, AssetChange
from server.core.db import transaction
from tests.utils import EXAMPLES, answer_json, example, post_inventory

FULL_EXAMPLES = ["computer_1", "networkequipment_1", "printer_1"]
PARTIALS = sorted(p.stem for p in EXAMPLES.glob("computer_1_partial_*.json"))


def _rows(engine, section: str, asset_id: int) -> list[dict]:
    table = COMPONENT_TABLES[section]
    with transaction(engine) as session:
        result = session.execute(select(table).where(table.c.asset_id == asset_id).order_by(table.c.id))
        return [dict(r._mapping) for r in result]


def _only_asset(engine) -> Asset:
    with transaction(engine) as session:
        assets = session.scalars(select(Asset)).all()
    assert len(assets) == 1
    return assets[0]


@pytest.mark.parametrize("name", FULL_EXAMPLES)
def test_full_example_is_stored_as_one_asset(client, engine, name):
    inventory = example(name)
    response = post_inventory(client, inventory)
    assert response.status_code == 200, response.text
    assert answer_json(response) == {"status": "ok", "expiration": 24}

    asset = _only_asset(engine)
    content = inventory["content"]
    if name == "computer_1":
        assert (asset.manufacturer, asset.model, asset.serial) == ("Dell Inc.", "XPS 13 9350", "640HP72")
        assert asset.uuid == "4c4c4544-0034-3010-8048-b6c04f503732"
        assert asset.name == "glpixps"
        assert asset.asset_type == "laptop" and asset.category == "normal"
        softwares = _rows(engine, "softwares", asset.id)
        assert sorted(s["name"] for s in softwares) == sorted(s["name"] for s in content["softwares"])
        volumes = _rows(engine, "drives", asset.id)
        root = next(v for v in volumes if v["mount"] == "/")
        assert root["total_bytes"] == 40189 * 1024 * 1024  # GLPI sends MiB
        (disk,) = _rows(engine, "storages", asset.id)
        assert disk["serial"] == "S29NNXAH146409" and disk["size_bytes"] == 256060 * 1000 * 1000
        (os_row,) = _rows(engine, "operatingsystem", asset.id)
        assert os_row["full_name"] == "Fedora 31 (Workstation Edition)"
        assert len(_rows(engine, "cpus", asset.id)) == len(content["cpus"])
        assert len(_rows(engine, "batteries", asset.id)) == 1
    else:
        device = content["network_device"]
        assert (asset.name, asset.serial, asset.model) == (device["name"], device["serial"], device["model"])
        assert asset.asset_type == ("switch" if name == "networkequipment_1" else "printer")
        assert asset.source == "collector"
        assert len(_rows(engine, "network_ports", asset.id)) == len(content["network_ports"])
        (firmware,) = _rows(engine, "firmwares", asset.id)
        assert firmware["version"] == content["firmwares"][0]["version"]
    if name == "networkequipment_1":
        assert asset.category == "complex"
        assert len(_rows(engine, "network_components", asset.id)) == len(content["network_components"])


@pytest.mark.parametrize("partial", PARTIALS)
def test_partial_inventory_replaces_only_its_sections(client, engine, partial):
    full = example("computer_1")
    assert post_inventory(client, full).status_code == 200
    asset = _only_asset(engine)
    before = {section: _rows(engine, section, asset.id) for section in COMPONENT_TABLES}

    update = example(partial)
    assert update["partial"] is True
    response = post_inventory(client, update)
    assert response.status_code == 200, response.text
    assert _only_asset(engine).id == asset.id

    after = {section: _rows(engine, section, asset.id) for section in COMPONENT_TABLES}
    sent = set(update["content"])
    for section in COMPONENT_TABLES:
        if section not in sent:
            assert after[section] == before[section], f"{section} changed though {partial} did not carry it"
    for section in sent & set(COMPONENT_TABLES):
        expected = update["content"][section]
        expected_len = len(expected) if isinstance(expected, list) else 1
        assert len(after[section]) == expected_len


def test_partial_softwares_replaces_list_and_keeps_cpus(client, engine):
    post_inventory(client, example("computer_1"))
    asset = _only_asset(engine)
    cpus = _rows(engine, "cpus", asset.id)
    update = example("computer_1_partial_softs")
    post_inventory(client, update)
    softwares = {(s["name"], s["version"]) for s in _rows(engine, "softwares", asset.id)}
    assert softwares == {(s["name"], s["version"]) for s in update["content"]["softwares"]}
    assert _rows(engine, "cpus", asset.id) == cpus
    # The history names what changed (gitg 3.32.1 -> 3.33.0 in the example): one package updated.
    with transaction(engine) as session:
        changes = session.scalars(select(AssetChange).where(AssetChange.field.startswith("softwares"))).all()
    gitg = [(c.old_value, c.new_value) for c in changes if c.field.startswith("softwares[gitg")]
    assert gitg == [("3.32.1-1.fc31", "3.33.0-1.fc31")], [(c.field, c.old_value, c.new_value) for c in changes]


def test_unchanged_full_inventory_writes_no_component(client, engine):
    inventory = example("computer_1")
    post_inventory(client, inventory)
    asset = _only_asset(engine)
    ids_before = [r["id"] for r in _rows(engine, "softwares", asset.id)]
    post_inventory(client, inventory)
    assert [r["id"] for r in _rows(engine, "softwares", asset.id)] == ids_before
    with transaction(engine) as session:
        fields = session.scalars(select(AssetChange.field).where(AssetChange.asset_id == asset.id)).all()
    assert fields == ["created"]


def test_full_inventory_without_a_section_removes_it(client, engine):
    inventory = example("computer_1")
    post_inventory(client, inventory)
    asset = _only_asset(engine)
    assert _rows(engine, "batteries", asset.id)
    del inventory["content"]["batteries"]
    post_inventory(client, inventory)
    assert _rows(engine, "batteries", asset.id) == []


def test_raw_full_inventory_is_archived(client, engine):
    import zlib

    from server.assets.models import InventorySource

    inventory = example("computer_1")
    post_inventory(client, inventory)
    with transaction(engine) as session:
        source = session.scalars(select(InventorySource)).one()
        count = session.scalar(select(func.count()).select_from(InventorySource))
    assert count == 1 and source.raw_format == "json"
    import json

    assert json.loads(zlib.decompress(source.raw_inventory))["deviceid"] == inventory["deviceid"]
