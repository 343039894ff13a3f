"""Synology, Proxmox VE and libvirt hosts over SSH exec channels, replayed from recorded outputs:
auto-detection, DSM facts and shares sized with du (opt-in), guests with their tags and disks; on
the server, guests are mapped to members by tag or naming rule for the VM and storage keys."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from collector.errors import ConfigError, NotAllowed
from collector.ssh.config import parse_ssh
from collector.ssh.connection import ExecSession, SshCredential, SshTarget
from collector.ssh.drivers import DRIVERS
from collector.ssh.runner import inventory_one
from tests.support.ssh_replay import ReplayDevice, recordings
from tests.utils import make_enrolment_token, make_member, make_user, post_inventory
from wire.glpi_json import parse_sections

SHARES = ("/volume1/servon", "/volume1/chalifert", "/volume2/agglo archives")
GIB = 2**30


@pytest.fixture(scope="module")
def hosts():  # type: ignore[no-untyped-def]
    devices = {name: ReplayDevice(name, recordings(name), exec_commands=True, exec_unknown="").start()
               for name in ("synology", "proxmox", "libvirt")}  # fmt: skip
    yield devices
    for device in devices.values():
        device.stop()


def _inventory(device: ReplayDevice, tmp_path: Path, shares: tuple[str, ...] = ()) -> dict:  # type: ignore[type-arg]
    result = inventory_one(SshTarget("127.0.0.1", device.port, timeout=5, shares=shares),  # driver: auto
                           SshCredential("admin", "cisco"), tmp_path / "known_hosts")  # fmt: skip
    assert result.status == "ok", result.message
    assert result.driver == device.hostname and not result.warnings, result.warnings
    return result.inventory  # type: ignore[return-value]


def test_a_synology_nas_is_detected_with_its_volumes_and_opted_in_shares(hosts, tmp_path: Path,
                                                                         glpi_schema) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    message = _inventory(hosts["synology"], tmp_path, SHARES)
    jsonschema.validate(message, glpi_schema)
    sections = parse_sections(message["content"])
    device = sections["network_device"]
    assert (device["manufacturer"], device["model"], device["serial"], device["asset_type"]) == (  # type: ignore[index]
        "Synology", "DS920+", "2150PDN615203", "nas")  # fmt: skip
    assert device["os_name"] == "Synology DSM 7.2.1-69057 Update 5"  # type: ignore[index]
    drives = {d["mount"]: d for d in sections["drives"]}  # type: ignore[union-attr]
    assert set(drives) == {"/volume1", "/volume2", *SHARES}  # DSM's system partition is not storage
    assert drives["/volume1/servon"]["total_bytes"] == 2 * 2**40 and drives["/volume1/servon"]["label"] == "servon"
    metrics = message["content"]["mutuparc_metrics"]
    used = {m["instance"]: m["value"] for m in metrics if m["name"] == "volume.used_bytes"}
    assert used["/volume1"] == 7211473637376 and used["/volume2/agglo archives"] == 536870912000


def test_without_shares_no_du_is_run_and_an_unlisted_folder_is_refused(hosts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sections = parse_sections(_inventory(hosts["synology"], tmp_path)["content"])
    assert {d["mount"] for d in sections["drives"]} == {"/volume1", "/volume2"}  # type: ignore[union-attr]
    session = ExecSession(SshTarget("127.0.0.1", hosts["synology"].port, timeout=5), SshCredential("admin", "cisco"),
                          tmp_path / "known_hosts")  # fmt: skip
    try:
        driver = DRIVERS["synology"](session, ("/volume1/servon",))
        assert driver.run("du -sb '/volume1/servon'").startswith("2199023255552")
        with pytest.raises(NotAllowed):
            driver.run("du -sb '/volume1/chalifert'")  # not in this target's list
    finally:
        session.close()


@pytest.mark.parametrize("path", ["volume1/relative", "/volume1/x'; rm -rf /", "/volume1/$(reboot)", "/a\nb"])
def test_share_paths_that_could_escape_the_quotes_are_refused(path: str, tmp_path: Path) -> None:
    target = {"host": "10.0.0.30", "credential": "nas", "driver": "synology", "shares": [path]}
    config = {"credentials": {"nas": {"username": "inventaire", "password": "x"}}, "targets": [target]}
    with pytest.raises(ConfigError, match="shares"):
        parse_ssh(config, tmp_path)


def test_a_proxmox_node_lists_its_own_guests_with_tags_and_disks(hosts, tmp_path: Path,
                                                                 glpi_schema) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    message = _inventory(hosts["proxmox"], tmp_path)
    jsonschema.validate(message, glpi_schema)
    sections = parse_sections(message["content"])
    device = sections["network_device"]
    assert (device["model"], device["serial"], device["os_name"], device["asset_type"]) == (  # type: ignore[index]
        "PowerEdge R650xs", "7XK2LM3", "Proxmox VE 8.2.4", "hypervisor")  # fmt: skip
    guests = {g["name"]: g for g in sections["virtualmachines"]}  # type: ignore[union-attr]
    # not the template, not the other node's guest
    assert set(guests) == {"servon-ad01", "servon-fic01", "chalifert-metier01", "agglo-dns01"}
    assert guests["servon-ad01"]["tags"] == ["servon", "prod"] and guests["servon-ad01"]["disk_bytes"] == 100 * GIB
    assert (guests["chalifert-metier01"]["status"], guests["agglo-dns01"]["subsystem"]) == ("off", "lxc")
    assert guests["servon-ad01"]["memory_mb"] == 8192 and guests["servon-ad01"]["vcpu"] == 4


def test_a_libvirt_host_lists_every_domain(hosts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sections = parse_sections(_inventory(hosts["libvirt"], tmp_path)["content"])
    guests = {g["name"]: g["status"] for g in sections["virtualmachines"]}  # type: ignore[union-attr]
    assert guests == {"chalifert-ad01": "running", "chalifert-gf01": "running", "chalifert-test": "off"}


def test_guests_are_mapped_to_members_by_tag_and_by_name(client, engine, hosts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dsit, servon, chalifert = (make_member(engine, name) for name in ("Agglomération", "Servon", "Chalifert"))
    token = make_enrolment_token(engine, dsit, kind="collector")
    for name in ("proxmox", "libvirt"):
        answer = post_inventory(client, _inventory(hosts[name], tmp_path), token=token)
        assert answer.status_code == 200, answer.text
    admin = make_user(engine, "dsit", role="admin")
    for mapping in ({"member_id": servon, "pattern": "servon", "kind": "tag"},
                    {"member_id": chalifert, "pattern": "chalifert-*", "kind": "name"}):  # fmt: skip
        assert client.post("/api/v1/storage/mappings", json=mapping, headers=admin).status_code == 201

    vms = client.get("/api/v1/keys/hosted_vms/values", headers=admin).json()["data"]
    assert {v["member"]: Decimal(v["value"]) for v in vms} == {"Servon": 2, "Chalifert": 4}  # 1 Proxmox + 3 libvirt
    storage = client.get("/api/v1/keys/storage_gb/values", headers=admin).json()["data"]
    assert {v["member"]: Decimal(v["value"]) for v in storage} == {"Servon": 150, "Chalifert": 200}  # provisioned
    behind = client.get("/api/v1/keys/hosted_vms/assets", params={"member_id": servon}, headers=admin).json()
    assert [(g["label"], g["kind"], g["tags"]) for g in behind] == [("servon-ad01", "vm", ["servon", "prod"]),
                                                                    ("servon-fic01", "vm", ["servon"])]  # fmt: skip
    unmapped = client.get("/api/v1/storage/volumes", params={"unmapped": True}, headers=admin).json()
    assert "agglo-dns01" in {v["label"] for v in unmapped if v["kind"] == "vm"}  # listed, never dropped
