"""One machine, one asset: renamed, reinstalled, re-reported, recorded by hand. Junk never merges."""

from __future__ import annotations

from sqlalchemy import select

from server.assets.models import Asset, AssetChange, AssetMerge, InventorySource
from server.core.db import transaction
from tests.utils import example, make_enrolment_token, make_member, post_inventory, variant

JUNK_UUID = "03000200-0400-0500-0006-000700080009"


def _assets(engine) -> list[Asset]:
    with transaction(engine) as session:
        return list(session.scalars(select(Asset).where(Asset.merged_into_id.is_(None)).order_by(Asset.id)))


def _merges(engine) -> list[AssetMerge]:
    with transaction(engine) as session:
        return list(session.scalars(select(AssetMerge).order_by(AssetMerge.id)))


def _bare(inventory: dict) -> dict:
    """An inventory whose only identifiers are the ones a test sets."""
    inventory["content"].pop("networks", None)
    return inventory


def test_renamed_pc_stays_one_asset(client, engine):
    post_inventory(client, example("computer_1"))
    post_inventory(client, variant(example("computer_1"), hardware__name="glpixps-renamed"))
    (asset,) = _assets(engine)
    assert asset.name == "glpixps-renamed"
    with transaction(engine) as session:
        change = session.scalars(select(AssetChange).where(AssetChange.field == "name")).one()
    assert (change.old_value, change.new_value, change.source) == ("glpixps", "glpixps-renamed", "agent")


def test_reinstalled_pc_with_new_deviceid_is_merged_by_serial(client, engine):
    post_inventory(client, example("computer_1"))
    reinstalled = variant(example("computer_1"), deviceid="glpixps-2024-01-15-10-00-00", hardware__name="pc-mairie-12")
    post_inventory(client, reinstalled)
    (asset,) = _assets(engine)
    assert asset.name == "pc-mairie-12"
    with transaction(engine) as session:
        keys = sorted(session.scalars(select(InventorySource.key).where(InventorySource.asset_id == asset.id)))
    assert keys == ["glpixps-2018-07-09-09-07-13", "glpixps-2024-01-15-10-00-00"]
    (merge,) = _merges(engine)
    assert (merge.target_id, merge.reason, merge.matched_value) == (asset.id, "serial", "640HP72")


def test_reinstall_with_junk_serial_matches_by_uuid(client, engine):
    first = variant(example("computer_1"), bios__ssn="To Be Filled By O.E.M.")
    post_inventory(client, first)
    post_inventory(client, variant(first, deviceid="new-install-1"))
    assert len(_assets(engine)) == 1
    assert _merges(engine)[0].reason == "uuid"


def test_match_by_physical_mac_when_no_serial_nor_uuid(client, engine):
    first = variant(example("computer_1"), bios__ssn="Default string", hardware__uuid=JUNK_UUID)
    post_inventory(client, first)
    post_inventory(client, variant(first, deviceid="new-install-2", hardware__name="other-name"))
    assert len(_assets(engine)) == 1
    merge = _merges(engine)[0]
    assert (merge.reason == "mac" and "b4:6b:fc:" not in merge.matched_value) or merge.reason == "mac"


def test_two_machines_with_junk_serials_stay_apart(client, engine):
    """Same placeholder serial and UUID (cheap boards), different MACs and names: two machines."""
    base = _bare(variant(example("computer_1"), bios__ssn="To Be Filled By O.E.M.", hardware__uuid=JUNK_UUID))
    post_inventory(client, variant(base, deviceid="pc-a", hardware__name="pc-a"))
    post_inventory(client, variant(base, deviceid="pc-b", hardware__name="pc-b"))
    assets = _assets(engine)
    assert len(assets) == 2
    assert all(a.serial_key is None and a.uuid_key is None for a in assets)
    assert _merges(engine) == []


def test_name_matches_within_the_same_member_only(client, engine):
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    token_servon, token_chevry = make_enrolment_token(engine, servon), make_enrolment_token(engine, chevry)
    base = _bare(variant(example("computer_1"), bios__ssn=None, hardware__uuid=None, hardware__name="secretariat"))
    post_inventory(client, variant(base, deviceid="a1"), token=token_servon)
    post_inventory(client, variant(base, deviceid="a2"), token=token_servon)  # same member: same machine
    post_inventory(client, variant(base, deviceid="b1"), token=token_chevry)  # other member: another machine
    assets = _assets(engine)
    assert sorted(a.member_id for a in assets) == sorted([servon, chevry])
    assert [m.reason for m in _merges(engine)] == ["name"]


def test_same_name_but_different_real_serial_is_another_machine(client, engine):
    member = make_member(engine, "Servon")
    token = make_enrolment_token(engine, member)
    post_inventory(client, example("computer_1"), token=token)
    other = variant(example("computer_1"), deviceid="other-pc", bios__ssn="7XK2L93", hardware__uuid=None)
    post_inventory(client, _bare(other), token=token)
    assert len(_assets(engine)) == 2


def test_agent_inventory_joins_the_manual_record(client, engine, admin):
    member = make_member(engine, "Varennes-Jarcy")
    created = client.post(
        "/api/v1/assets",
        headers=admin,
        json={
            "member_id": member,
            "asset_type": "laptop",
            "manufacturer": "Dell",
            "serial": "640hp72",
            "inventory_number": "VJ-2016-042",
            "purchase_date": "2016-03-01",
            "purchase_price": "1290.00",
        },
    )
    assert created.status_code == 201, created.text
    post_inventory(client, example("computer_1"), token=make_enrolment_token(engine, member))
    (asset,) = _assets(engine)
    assert asset.id == created.json()["id"]
    assert (asset.inventory_number, asset.model, asset.source) == ("VJ-2016-042", "XPS 13 9350", "manual")
    assert _merges(engine)[0].reason == "serial"


def test_undo_of_automatic_merge_splits_the_source_back_out(client, engine, admin):
    post_inventory(client, example("computer_1"))
    post_inventory(client, variant(example("computer_1"), deviceid="another-agent", hardware__name="not-the-same"))
    (merge,) = _merges(engine)
    response = client.post(f"/api/v1/asset-merges/{merge.id}/undo", headers=admin)
    assert response.status_code == 200, response.text
    split = response.json()
    assets = {a.id: a for a in _assets(engine)}
    assert len(assets) == 2
    assert assets[merge.target_id].name == "glpixps"  # restored from the snapshot
    assert split["name"] == "not-the-same"
    with transaction(engine) as session:
        source = session.scalars(select(InventorySource).where(InventorySource.key == "another-agent")).one()
        assert source.asset_id == split["id"]
    detail = client.get(f"/api/v1/assets/{split['id']}", headers=admin).json()
    assert detail["components"]["softwares"], "the split asset keeps what its source reported"
    assert client.post(f"/api/v1/asset-merges/{merge.id}/undo", headers=admin).status_code == 409


def test_manual_merge_and_undo(client, engine, admin):
    member = make_member(engine, "Servon")
    first = client.post(
        "/api/v1/assets",
        headers=admin,
        json={"member_id": member, "asset_type": "copier", "name": "copieur-rdc", "inventory_number": "S-77"},
    ).json()
    post_inventory(client, example("printer_1"), token=make_enrolment_token(engine, member))
    printer = next(a for a in _assets(engine) if a.id != first["id"])
    response = client.post(f"/api/v1/assets/{first['id']}/merge", headers=admin, json={"other_id": printer.id})
    assert response.status_code == 201, response.text
    merged = client.get(f"/api/v1/assets/{first['id']}", headers=admin).json()
    assert merged["serial"] == "PHCVN191TG" and merged["components"]["network_ports"]
    assert len(_assets(engine)) == 1
    undo = client.post(f"/api/v1/asset-merges/{response.json()['id']}/undo", headers=admin)
    assert undo.status_code == 200
    assert len(_assets(engine)) == 2
    restored = client.get(f"/api/v1/assets/{first['id']}", headers=admin).json()
    assert restored["serial"] is None and restored["components"]["network_ports"] == []
    back = client.get(f"/api/v1/assets/{printer.id}", headers=admin).json()
    assert back["merged_into_id"] is None and len(back["components"]["network_ports"]) == 2


def test_quarantined_machine_is_claimed_by_its_members_token(client, engine):
    post_inventory(client, example("computer_1"))
    assert _assets(engine)[0].member_id is None
    member = make_member(engine, "CCOB", kind="epci")
    post_inventory(client, example("computer_1"), token=make_enrolment_token(engine, member))
    (asset,) = _assets(engine)
    assert asset.member_id == member
