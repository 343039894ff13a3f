"""Parity with GLPI Agent: on this machine, the Mutuparc agent reports every section GLPI Agent 1.11 reports
(per-process and per-environment data aside), with the same values where both report a field; and the
``glpi-expected.json`` files of ``recordings/linux`` are what the vendored GLPI Agent really makes of the
recorded inputs (they are re-derived here, so that a fixture cannot drift from GLPI Agent's code).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from agent import _linux, inventory
from agent._linux import LinuxSources
from tests.conftest import need
from tests.support import glpi_agent
from tests.support.glpi_agent import MISSING, glpi_agent_command, run_local

pytestmark = pytest.mark.slow

RECORDED = Path(__file__).parent / "recordings" / "linux"
LEFT_OUT = {"processes", "envs", "versionclient"}  # changes at every run; not inventoried by a DSIT


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value in (None, "")


def _filled(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if v not in (None, "")} for item in items or []]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """(GLPI Agent's content, Mutuparc's content) of this machine, taken one after the other."""
    need(glpi_agent_command() is not None, MISSING)
    folder = tmp_path_factory.mktemp("glpi")
    glpi = run_local(folder / "out", folder / "var")["content"]
    collected = inventory.collect(_linux, LinuxSources("/"))
    assert not collected.failed, collected.failed
    return glpi, inventory.glpi_content(collected)


def test_every_section_glpi_agent_reports_is_reported(both):
    glpi, ours = both
    reported = {name for name, value in glpi.items() if not _empty(value)} - LEFT_OUT
    missing = reported - {name for name, value in ours.items() if not _empty(value)}
    assert not missing, f"GLPI Agent reports {sorted(missing)}, Mutuparc does not"


def test_identity_and_operating_system_agree(both):
    glpi, ours = both
    assert ours["hardware"]["name"] == glpi["hardware"]["name"]
    for key in ("name", "full_name", "version", "kernel_name", "kernel_version", "arch", "fqdn", "hostid", "timezone"):
        if key in glpi["operatingsystem"]:
            assert ours["operatingsystem"].get(key) == glpi["operatingsystem"][key], key
    boot = [dt.datetime.fromisoformat(side["operatingsystem"]["boot_time"]) for side in (glpi, ours)]
    assert abs((boot[0] - boot[1]).total_seconds()) <= 2
    for key in ("vmsystem", "dns", "defaultgateway", "chassis_type", "workgroup"):
        if glpi["hardware"].get(key):
            assert ours["hardware"].get(key) == glpi["hardware"][key], key
    if glpi["hardware"].get("uuid"):
        assert ours["hardware"]["uuid"].lower() == glpi["hardware"]["uuid"].lower()
    if glpi["hardware"].get("lastloggeduser") not in (None, "wtmp"):  # "wtmp": GLPI Agent reading an empty wtmp
        assert ours["hardware"]["lastloggeduser"] == glpi["hardware"]["lastloggeduser"]


def test_memory_agrees_within_a_megabyte_per_gigabyte(both):
    glpi, ours = both
    for key in ("memory", "swap"):
        assert abs(ours["hardware"][key] - glpi["hardware"][key]) <= max(1, glpi["hardware"][key] // 1000), key
    if glpi.get("memories"):
        capacities = [sorted(m.get("capacity", 0) for m in side["memories"]) for side in (glpi, ours)]
        assert capacities[0] == capacities[1]


def test_processors_agree(both):
    glpi, ours = both
    assert len(ours["cpus"]) == len(glpi["cpus"])
    for theirs, mine in zip(glpi["cpus"], ours["cpus"], strict=True):
        for key in ("name", "manufacturer", "core", "thread", "familynumber", "model", "stepping", "id", "familyname"):
            if key in theirs:
                assert str(mine.get(key)) == str(theirs[key]), key
        assert "familyname" not in mine or mine["familyname"] == theirs.get("familyname")  # never the family number


def test_network_interfaces_agree(both):
    glpi, ours = both

    def interfaces(side: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {n["description"]: n for n in side["networks"]}

    theirs, mine = interfaces(glpi), interfaces(ours)
    assert {(name, n.get("mac")) for name, n in mine.items()} == {(name, n.get("mac")) for name, n in theirs.items()}
    for name, interface in theirs.items():
        for key in ("type", "virtualdev", "status", "driver", "pcislot", "pciid"):
            assert mine[name].get(key) == interface.get(key), (name, key)
    addresses = [{(n["description"], n.get("ipaddress"), n.get("ipmask"), n.get("ipgateway"), n.get("ipsubnet"))
                  for n in side["networks"] if n.get("ipaddress")} for side in (glpi, ours)]  # fmt: skip
    assert addresses[0] == addresses[1]
    ipv6 = [{(n["description"], n["ipaddress6"]) for n in side["networks"] if n.get("ipaddress6")} for side in both]
    assert ipv6[0] == ipv6[1]


def test_disks_agree(both):
    glpi, ours = both
    theirs, mine = ({s["name"]: s for s in side.get("storages", [])} for side in (glpi, ours))
    assert mine.keys() == theirs.keys()
    for name, disk in theirs.items():
        assert mine[name].get("type") == disk.get("type"), name  # "disk" / "removable": a virtio disk is no HDD
        for key in ("description", "disksize", "serial", "model", "manufacturer", "firmware", "wwn"):
            if disk.get(key) not in (None, ""):
                assert mine[name].get(key) == disk[key], (name, key)
    volumes = [{(d["type"], d.get("volumn"), d.get("filesystem"), d.get("total")) for d in side["drives"]}
               for side in (glpi, ours)]  # fmt: skip
    assert volumes[0] == volumes[1]


def test_devices_agree(both):
    glpi, ours = both
    keys = ("pcislot", "vendorid", "productid", "pciclass", "name", "caption", "manufacturer", "type", "rev",
            "pcisubsystemid")  # fmt: skip
    controllers = [[{k: c.get(k) for k in keys} for c in side.get("controllers", [])] for side in (glpi, ours)]
    assert controllers[1] == controllers[0]
    # GLPI Agent keeps a driver name up to its first dash (virtio-pci -> virtio): Mutuparc keeps it whole.
    drivers = [[re.match(r"\w*", c.get("driver", "")).group() for c in side.get("controllers", [])] for side in both]  # type: ignore[union-attr]
    assert drivers[1] == drivers[0]
    for section, key in (("usbdevices", ("vendorid", "productid", "serial")), ("monitors", ("serial", "caption")),
                         ("sounds", ("name", "manufacturer")), ("videos", ("pciid", "chipset", "name")),
                         ("batteries", ("serial", "capacity", "real_capacity")), ("printers", ("name", "port")),
                         ("inputs", ("caption", "type"))):  # fmt: skip
        if glpi.get(section):
            found = [sorted(tuple(str(i.get(k)) for k in key) for i in side.get(section, [])) for side in (glpi, ours)]
            assert found[1] == found[0], section


def test_firmware_accounts_and_security_agree(both):
    glpi, ours = both
    for key, value in (glpi.get("bios") or {}).items():
        if value not in (None, "") and key != "bdate":
            assert ours["bios"].get(key) == value, key
    for section in ("local_users", "local_groups"):  # GLPI Agent sends an empty name as ""; Mutuparc leaves it out
        assert _filled(ours.get(section)) == _filled(glpi.get(section)), section
    mine = {(f["description"], f["status"]) for f in ours.get("firewalls", [])}
    assert {(f["description"], f["status"]) for f in glpi.get("firewalls", [])} <= mine
    for section in ("physical_volumes", "volume_groups", "logical_volumes"):
        assert [v.get("size") for v in ours.get(section, [])] == [v.get("size") for v in glpi.get(section, [])]


# -- the recorded fixtures are GLPI Agent's own output ---------------------------------------------------


def _stored(folder: str) -> Any:
    return json.loads((RECORDED / folder / "glpi-expected.json").read_text("utf-8"))


def _inputs(folder: str, pattern: str = "*.txt") -> list[Path]:
    return sorted(p for p in (RECORDED / folder).glob(pattern) if p.name != "glpi-expected.json")


def test_recorded_expectations_are_what_glpi_agent_makes_of_the_inputs():
    need(glpi_agent_command() is not None, MISSING)
    assert glpi_agent.glpi_screens(_inputs("edid", "*")) == _stored("edid")
    assert {p.name: glpi_agent.glpi_dmidecode(p) for p in _inputs("dmidecode")} == _stored("dmidecode")
    assert {p.name: glpi_agent.glpi_pci(p) for p in _inputs("lspci")} == _stored("lspci")
    assert {p.name: glpi_agent.glpi_usb(p) for p in _inputs("lsusb")} == _stored("lsusb")
    lvm = RECORDED / "lvm"
    assert glpi_agent.glpi_lvm(lvm / "pvs-linux-1.txt", lvm / "vgs-linux-1.txt", lvm / "lvs-linux-1.txt") == _stored(
        "lvm"
    )
    pairs = {"linux-hp-dl180.txt": RECORDED / "dmidecode/hp-dl180.txt"}
    cpus = {p.name: glpi_agent.glpi_cpus(p, pairs.get(p.name), arm="armel" in p.name) for p in _inputs("cpuinfo")}
    assert cpus == _stored("cpuinfo")
    laptop = RECORDED / "laptop-handwritten"
    accounts = glpi_agent.glpi_accounts(laptop / "etc/passwd", laptop / "etc/group", laptop / "glpi-inputs/last-w.txt")
    assert {"batteries": [glpi_agent.glpi_battery(laptop / "sys/class/power_supply/BAT0")], **accounts} == _stored(
        "laptop-handwritten"
    )
