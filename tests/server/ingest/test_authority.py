"""Who may write which asset: a token writes its own member's assets, nothing else; an inventory
without a token writes quarantined assets only. A resemblance to an asset the reporter may not
touch is a conflict for the DSIT, and the answer is the one any new device gets."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.utils import answer_json, example, make_enrolment_token, make_member, make_user, post_inventory, variant

SECTION_OF_KEY = {"serial": "bios", "uuid": "hardware", "mac": "networks"}


@pytest.fixture
def members(client, engine) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Members A and B; B has its PC (computer_1) and its switch (networkequipment_1)."""
    a, b = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin")
    b_agent, b_collector = make_enrolment_token(engine, b), make_enrolment_token(engine, b, kind="collector")
    assert post_inventory(client, example("computer_1"), token=b_agent).status_code == 200
    assert post_inventory(client, example("networkequipment_1"), token=b_collector).status_code == 200
    listed = client.get("/api/v1/assets", params={"member_id": b}, headers=admin).json()["data"]
    return {"a": a, "b": b, "admin": admin, "b_pc": next(x["id"] for x in listed if x["name"] == "glpixps"),
            "b_switch": next(x["id"] for x in listed if x["asset_type"] == "switch"),
            "a_agent": make_enrolment_token(engine, a),
            "a_collector": make_enrolment_token(engine, a, kind="collector")}  # fmt: skip


def state(client, admin, asset_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything an asset shows: fields, components, sources, history."""
    detail = client.get(f"/api/v1/assets/{asset_id}", headers=admin).json()
    for source in detail["sources"]:
        source.pop("last_seen", None)  # (not changed either, but says nothing of the content)
    return detail


def assets_of(client, admin, member_id: int) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return client.get("/api/v1/assets", params={"member_id": member_id, "limit": 500}, headers=admin).json()["data"]


def quarantined(client, admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    everything = client.get("/api/v1/assets", params={"limit": 500}, headers=admin).json()["data"]
    return [x for x in everything if x["member_id"] is None]


def conflicts(client, admin) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/conflicts", headers=admin)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def carrying(key: str, *, partial: bool) -> dict[str, Any]:
    """A stranger's inventory (another deviceid, name and identifiers) that shares only ``key``
    with B's PC; ``partial``: only the section that carries it, as a partial inventory."""
    pc = example("computer_1")
    inventory = variant(pc, deviceid="intrus-2026-01-01-00-00-00", hardware__name="pc-intrus", bios__ssn="INTRUS-1",
                        hardware__uuid="11111111-2222-3333-4444-555555555555")  # fmt: skip
    inventory["content"]["networks"] = [{"description": "eth0", "mac": "b8:27:eb:00:00:01", "virtualdev": False}]
    if key == "deviceid":
        inventory["deviceid"] = pc["deviceid"]
    elif key == "serial":
        inventory["content"]["bios"]["ssn"] = pc["content"]["bios"]["ssn"]
    elif key == "uuid":
        inventory["content"]["hardware"]["uuid"] = pc["content"]["hardware"]["uuid"]
    else:
        inventory["content"]["networks"] = copy.deepcopy(pc["content"]["networks"])
    if partial:
        keep = {"versionclient", SECTION_OF_KEY.get(key, "softwares")}
        inventory["content"] = {k: v for k, v in inventory["content"].items() if k in keep}
        inventory["partial"] = True
    return inventory


def test_an_inventory_without_token_never_changes_a_members_asset(client, members) -> None:  # type: ignore[no-untyped-def]
    admin, before = members["admin"], state(client, members["admin"], members["b_pc"])
    forged = variant(example("computer_1"), hardware__name="pirate", bios__ssn="PIRATE-1")
    forged_answer = post_inventory(client, forged)  # B's deviceid, no token
    stranger_answer = post_inventory(client, variant(example("computer_1"), deviceid="inconnu-2026",
                                                     hardware__name="inconnu", bios__ssn="INCONNU-1",
                                                     hardware__uuid=None))  # fmt: skip
    assert forged_answer.status_code == stranger_answer.status_code == 200
    assert answer_json(forged_answer) == answer_json(stranger_answer)  # the answer reveals nothing
    assert state(client, admin, members["b_pc"]) == before
    names = sorted(x["name"] for x in quarantined(client, admin))
    assert names == ["inconnu", "pirate"]
    (conflict,) = [c for c in conflicts(client, admin) if c["asset"]["name"] == "pirate"]
    assert (conflict["kind"], conflict["other_asset"]["id"], conflict["asset"]["member"]) == (
        "deviceid", members["b_pc"], None)  # fmt: skip


@pytest.mark.parametrize("partial", [False, True], ids=["full", "partial"])
@pytest.mark.parametrize("key", ["deviceid", "serial", "uuid", "mac"])
def test_a_members_token_never_changes_another_members_asset(client, members, key: str, partial: bool) -> None:  # type: ignore[no-untyped-def]
    admin, before = members["admin"], state(client, members["admin"], members["b_pc"])
    sent = post_inventory(client, carrying(key, partial=partial), token=members["a_agent"])
    assert sent.status_code == 200, sent.text
    assert state(client, admin, members["b_pc"]) == before, "B's asset changed"
    (mine,) = assets_of(client, admin, members["a"])
    assert mine["id"] != members["b_pc"]
    found = conflicts(client, admin)
    assert [(c["kind"], c["asset"]["id"], c["other_asset"]["id"]) for c in found] == [
        (key, mine["id"], members["b_pc"])]  # fmt: skip
    # A's reader sees A's asset only, nothing of B's through it.
    again = post_inventory(client, carrying(key, partial=partial), token=members["a_agent"])
    assert again.status_code == 200 and state(client, admin, members["b_pc"]) == before
    assert len(conflicts(client, admin)) == 1, "the same conflict is not raised twice"


def test_a_members_collector_never_changes_another_members_switch(client, members) -> None:  # type: ignore[no-untyped-def]
    admin, before = members["admin"], state(client, members["admin"], members["b_switch"])
    switch = variant(example("networkequipment_1"), network_device__name="usurpateur")
    assert post_inventory(client, switch, token=members["a_collector"]).status_code == 200
    assert state(client, admin, members["b_switch"]) == before
    (mine,) = assets_of(client, admin, members["a"])
    assert (mine["name"], mine["asset_type"]) == ("usurpateur", "switch")
    assert [(c["kind"], c["other_asset"]["id"]) for c in conflicts(client, admin)] == [
        ("deviceid", members["b_switch"])]  # fmt: skip


def _address_only_device(deviceid: str) -> dict[str, Any]:
    """What a collector sends for a box with no serial and no MAC, known by its address only."""
    return {"action": "netinventory", "deviceid": deviceid, "itemtype": "NetworkEquipment",
            "content": {"versionclient": "Mutuparc-Collector_v0.1.0",
                        "network_device": {"type": "Networking", "name": "box-internet", "ips": ["192.168.1.1"],
                                           "mutuparc_type": "router"}}}  # fmt: skip


@pytest.mark.parametrize("deviceid", ["snmp-ip-192.168.1.1", "snmp-ip-192.168.1.1:161@public"])
def test_two_members_collectors_polling_the_same_private_address(client, engine, members, deviceid: str) -> None:  # type: ignore[no-untyped-def]
    admin = members["admin"]
    b_collector = make_enrolment_token(engine, members["b"], kind="collector")
    for _ in range(3):
        for token in (members["a_collector"], b_collector):
            assert post_inventory(client, _address_only_device(deviceid), token=token).status_code == 200
    boxes = [x for x in client.get("/api/v1/assets", params={"q": "box-internet"}, headers=admin).json()["data"]]
    assert sorted(x["member_id"] for x in boxes) == sorted([members["a"], members["b"]])
    for box in boxes:
        fields = {c["field"] for c in state(client, admin, box["id"])["history"]}
        assert fields == {"created"}, "no flip between the members"
    assert conflicts(client, admin) == [], "an address is not an identity: no conflict either"


def test_a_phone_is_a_phone(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Varennes-Jarcy")
    admin = make_user(engine, "dsit", role="admin")
    assert post_inventory(client, example("phone_1"), token=make_enrolment_token(engine, member)).status_code == 200
    (phone,) = assets_of(client, admin, member)
    assert (phone["asset_type"], phone["category"]) == ("phone", "normal")


def _collected(deviceid: str, name: str, asset_type: str, glpi_type: str, model: str) -> dict[str, Any]:
    return {"action": "netinventory", "deviceid": deviceid, "itemtype": "NetworkEquipment",
            "content": {"versionclient": "Mutuparc-Collector_v0.1.0",
                        "network_device": {"type": glpi_type, "name": name, "model": model, "ips": ["10.1.1.1"],
                                           "mutuparc_type": asset_type, "firmware": "1.0"},
                        "network_ports": [{"ifnumber": 1, "ifname": "port1"}]}}  # fmt: skip


def test_devices_behind_one_address_with_placeholder_names(client, engine, members) -> None:  # type: ignore[no-untyped-def]
    """Six devices polled through one address, all named <private> (anonymised) or a factory
    default: one asset each, stable, and a second run adds nothing to their history."""
    admin, token = members["admin"], members["a_collector"]
    devices = [
        _collected("snmp-engine-80001f8880aa01", "<private>", "firewall", "Networking", "FortiGate 60F"),
        _collected("snmp-engine-80001f8880aa02", "<private>", "switch", "Networking", "J9773A 2530-24G-PoEP"),
        _collected("snmp-engine-80001f8880aa03", "<private>", "ups", "Power", "Smart-UPS 1500"),
        _collected("snmp-engine-80001f8880aa04", "<private>", "ups", "Power", "Eaton 5PX"),
        _collected("snmp-ip-10.1.1.1:1161@nas", "localhost", "nas", "Storage", "DS920+"),
        _collected("snmp-ip-10.1.1.1:2161@ap", "switch", "wifi_ap", "Networking", "UAP-AC-PRO"),
    ]
    for device in devices:
        assert post_inventory(client, device, token=token).status_code == 200
    first = {x["id"]: x for x in assets_of(client, admin, members["a"])}
    assert sorted(x["model"] for x in first.values()) == sorted(
        d["content"]["network_device"]["model"] for d in devices
    )
    history = {i: len(state(client, admin, i)["history"]) for i in first}
    for device in devices:
        assert post_inventory(client, device, token=token).status_code == 200
    assert {x["id"] for x in assets_of(client, admin, members["a"])} == set(first)
    assert {i: len(state(client, admin, i)["history"]) for i in first} == history
    assert conflicts(client, admin) == []


def test_a_firewall_and_a_switch_with_one_name_are_two_devices(client, members) -> None:  # type: ignore[no-untyped-def]
    admin, token = members["admin"], members["a_collector"]
    switch = _collected("snmp-engine-1111111111", "core-01", "switch", "Networking", "C9300-48P")
    firewall = _collected("snmp-engine-2222222222", "core-01", "firewall", "Networking", "FortiGate 100F")
    for device in (switch, firewall):
        assert post_inventory(client, device, token=token).status_code == 200
    assert sorted(x["asset_type"] for x in assets_of(client, admin, members["a"])) == ["firewall", "switch"]


def test_a_name_alone_is_a_suspected_duplicate_not_a_merge(client, members) -> None:  # type: ignore[no-untyped-def]
    """Same member, same name, no serial/UUID/MAC in common and no model to confirm it: two
    records and a conflict of kind name; with the same model, one asset."""
    admin, token = members["admin"], members["a_agent"]

    def bare(deviceid: str, model: str | None) -> dict[str, Any]:
        inventory = variant(example("computer_1"), deviceid=deviceid, hardware__name="accueil", bios__ssn=None,
                            hardware__uuid=None, bios__smodel=model)  # fmt: skip
        inventory["content"].pop("networks", None)
        return inventory

    for deviceid, model in (("accueil-1", None), ("accueil-2", "OptiPlex 7090")):
        assert post_inventory(client, bare(deviceid, model), token=token).status_code == 200
    records = assets_of(client, admin, members["a"])
    assert len(records) == 2
    (suspect,) = conflicts(client, admin)
    assert (suspect["kind"], suspect["asset"]["member"], suspect["other_asset"]["member"]) == (
        "name", "Servon", "Servon")  # fmt: skip
    assert post_inventory(client, bare("accueil-3", "OptiPlex 7090"), token=token).status_code == 200
    assert len(assets_of(client, admin, members["a"])) == 2, "same name and model: the same machine"


def test_the_dsit_adds_its_own_placeholders(tmp_path, db) -> None:  # type: ignore[no-untyped-def]
    """MUTUPARC_PLACEHOLDERS_FILE: the master image's name never merges two PCs."""
    from fastapi.testclient import TestClient

    from server.core.config import Settings, SettingsError
    from server.main import create_app
    from wire import identity

    ours = tmp_path / "placeholders.json"
    ours.write_text('{"name": [{"value": "PC-MASTER-W11", "source": "the DSIT master image"}]}')
    saved = set(identity.PLACEHOLDERS.names)
    try:
        app = create_app(Settings(database_url=db.url, placeholders_file=ours, _env_file=None), db.engine)
        with TestClient(app):
            assert identity.name_key("pc-master-w11") is None
        broken = tmp_path / "broken.json"
        broken.write_text("{not json")
        with pytest.raises(SettingsError, match=r"broken\.json"):
            create_app(Settings(database_url=db.url, placeholders_file=broken, _env_file=None), db.engine)
    finally:
        identity.PLACEHOLDERS.names = saved
