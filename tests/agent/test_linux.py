"""The Linux collector, on this machine for real, and on recorded machines for what it lacks (DMI, EDID,
batteries, TPM, LVM, printers...).

The recordings are in ``recordings/linux`` (see its README): real inputs from GLPI Agent's test suite
(dmidecode outputs, EDID blocks, lspci/lsusb outputs, /proc/cpuinfo, LVM reports) with what GLPI Agent 1.11
makes of them (``glpi-expected.json``, written by ``tests.support.glpi_agent``), a machine recorded on this
VM with GLPI Agent's inventory of it, and a hand-written laptop tree for what sysfs alone tells.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from agent import _linux, _linux_devices, _linux_dmi, _linux_edid, _linux_system, inventory
from agent._linux import LinuxSources
from tests.support.glpi_agent import SHARE
from wire.chassis import computer_type
from wire.sections import SECTIONS

RECORDED = Path(__file__).parent / "recordings" / "linux"
LAPTOP = RECORDED / "laptop-handwritten"
VM = RECORDED / "vm-debian12-firecracker"


def _expected(folder: str) -> dict[str, Any]:
    return json.loads((RECORDED / folder / "glpi-expected.json").read_text("utf-8"))


def _recordings(folder: str, pattern: str = "*.txt") -> list[Path]:
    return sorted(p for p in (RECORDED / folder).glob(pattern) if p.name != "glpi-expected.json")


def same(value: Any) -> Any:
    """A GLPI item as compared: empty values left out, scalars as text (GLPI Agent's Perl has no types)."""
    if isinstance(value, dict):
        return {k: same(v) for k, v in sorted(value.items()) if v not in (None, "", [])}
    if isinstance(value, list):
        return [same(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _built(section: str, records: Any) -> Any:
    return SECTIONS[section].build(records)


def _documents(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [record["content"] for record in records]


def _with_commands(tmp_path: Path, **outputs: Path) -> LinuxSources:
    """A machine whose commands printed ``outputs`` (name -> recorded file)."""
    (tmp_path / "commands").mkdir(parents=True, exist_ok=True)
    for name, recorded in outputs.items():
        shutil.copy(recorded, tmp_path / "commands" / f"{name}.txt")
    return LinuxSources(tmp_path)


def _copy(recording: Path, tmp_path: Path, *ids: str) -> LinuxSources:
    """A writable copy of a recorded tree, with its /sys/bus/pci/devices (kept in ``pci-devices.json``: their
    names have colons, which some systems refuse in a checkout) and GLPI Agent's pci.ids / usb.ids."""
    root = tmp_path / recording.name
    shutil.copytree(recording, root, symlinks=True)
    manifest = root / "pci-devices.json"
    for address, files in json.loads(manifest.read_text("utf-8")).items() if manifest.exists() else ():
        folder = root / "sys/bus/pci/devices" / address
        folder.mkdir(parents=True)
        for name, content in files.items():
            if isinstance(content, str):
                (folder / name).write_text(content)
            elif "link" in content:
                (folder / name).symlink_to(content["link"])
            else:
                (folder / name).write_bytes(base64.b64decode(content["base64"]))
    for name in ids:
        (root / "usr/share/misc").mkdir(parents=True, exist_ok=True)
        shutil.copy(SHARE / name, root / "usr/share/misc" / name)
    return LinuxSources(root)


# -- this machine ------------------------------------------------------------------------------------


def test_this_machine_inventory_validates_against_the_glpi_schema(glpi_schema, tmp_path):
    collected = inventory.collect(_linux, LinuxSources("/"))
    assert not collected.failed, collected.failed
    message = inventory.build_message(inventory.glpi_content(collected), deviceid="test-2026-01-01-00-00-00")
    jsonschema.validate(message, glpi_schema)
    content = message["content"]
    assert content["hardware"]["name"] == socket.gethostname().split(".")[0]
    meminfo = Path("/proc/meminfo").read_text().splitlines()[0].split()
    assert abs(content["hardware"]["memory"] - int(meminfo[1]) // 1024) <= 1
    release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
    assert content["operatingsystem"]["full_name"] == release["PRETTY_NAME"].strip('"')
    assert content["operatingsystem"]["boot_time"]
    root = next(d for d in content["drives"] if d["type"] == "/")
    stat = os.statvfs("/")
    assert root["total"] == stat.f_blocks * stat.f_frsize // 2**20
    logins = [line.split(":")[0] for line in Path("/etc/passwd").read_text().splitlines() if line[:1] not in "#+-"]
    assert [user["login"] for user in content["local_users"]] == logins  # system accounts too, as GLPI Agent


@pytest.mark.skipif(not Path("/var/lib/dpkg/status").exists(), reason="not a Debian system")
def test_installed_packages_are_all_reported():
    softwares = _linux.softwares(LinuxSources("/"))
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\\t${Status}\\n"], capture_output=True, text=True)
    installed = {line.split("\t")[0] for line in status.stdout.splitlines() if line.endswith(" installed")}
    assert {s["name"] for s in softwares} == installed
    assert all(s["origin"] == "deb" and s["publisher"] for s in softwares)


def test_a_command_that_hangs_or_is_missing_gives_nothing_in_time():
    src = LinuxSources("/")
    started = time.monotonic()
    assert src.run("sleep", "5", timeout=0.3) is None
    assert time.monotonic() - started < 3
    assert src.run("mutuparc-no-such-command") is None
    assert src.run("false") is None
    assert src.run("sh", "-c", "echo out; exit 3", codes=(0, 3)) == "out\n"


# -- small trees ---------------------------------------------------------------------------------------


def _tree(root: Path, files: dict[str, str | bytes]) -> LinuxSources:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return LinuxSources(root)


BATTERY = "sys/class/power_supply/BAT0"
DELL_LAPTOP = {
    "sys/class/dmi/id/sys_vendor": "Dell Inc.\n",
    "sys/class/dmi/id/product_name": "Latitude 7440\n",
    "sys/class/dmi/id/product_serial": "9ZXKRT3\n",
    "sys/class/dmi/id/product_uuid": "4c4c4544-005a-5810-804b-b9c04f525433\n",
    "sys/class/dmi/id/chassis_type": "10\n",
    "sys/class/dmi/id/bios_vendor": "Dell Inc.\n",
    "sys/class/dmi/id/bios_version": "1.14.0\n",
    "sys/class/dmi/id/bios_date": "06/19/2024\n",
    "sys/class/dmi/id/board_vendor": "Dell Inc.\n",
    "sys/class/dmi/id/board_name": "0V5H43\n",
    "sys/class/dmi/id/chassis_asset_tag": "To Be Filled By O.E.M.\n",
    "etc/os-release": 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\n',
    f"{BATTERY}/type": "Battery\n",
    f"{BATTERY}/present": "1\n",
    f"{BATTERY}/capacity": "92\n",
    f"{BATTERY}/technology": "Li-poly\n",
    f"{BATTERY}/voltage_min_design": "11400000\n",
    f"{BATTERY}/charge_full_design": "4736000\n",
    f"{BATTERY}/charge_full": "4374000\n",
    f"{BATTERY}/model_name": "DELL 7FMXV3A\n",
    f"{BATTERY}/manufacturer": "SMP\n",
    f"{BATTERY}/serial_number": "1181\n",
    "sys/class/power_supply/AC/type": "Mains\n",
    "sys/block/nvme0n1/size": "1000215216\n",
    "sys/block/nvme0n1/removable": "0\n",
    "sys/block/nvme0n1/queue/rotational": "0\n",
    "sys/block/nvme0n1/device/model": "SAMSUNG MZVL2512HCJQ-00BL7\n",
    "sys/block/nvme0n1/device/serial": "S64KNX0T412345\n",
    "sys/block/nvme0n1/device/firmware_rev": "GXA7401Q\n",
    "sys/block/loop0/size": "8\n",
}


def test_dmi_tree_gives_identity_chassis_and_battery(tmp_path):
    src = _tree(tmp_path, DELL_LAPTOP)
    bios = _linux.bios(src)
    assert (bios["system_manufacturer"], bios["system_model"], bios["system_serial"]) == (
        "Dell Inc.", "Latitude 7440", "9ZXKRT3")  # fmt: skip
    assert bios["bios_date"].isoformat() == "2024-06-19"
    assert bios["asset_tag"] is None  # a placeholder GLPI Agent leaves out too
    assert bios["secure_boot"] == "unsupported"  # no /sys/firmware/efi: booted without UEFI
    hardware = _linux.hardware(src)
    assert hardware["chassis_type"] == "Notebook" and hardware["vm_system"] == "Physical"
    assert hardware["uuid"] == "4c4c4544-005a-5810-804b-b9c04f525433"
    assert computer_type(hardware["chassis_type"], vm_system=hardware["vm_system"]) == "laptop"
    (battery,) = _linux.batteries(src)  # charge in µAh: mWh through the design voltage, as GLPI Agent
    assert battery["capacity_mwh"] == 4736 * 11400 // 1000 and battery["real_capacity_mwh"] == 4374 * 11400 // 1000
    assert battery["voltage_mv"] == 11400 and battery["serial"] == "1181"
    (disk,) = _linux.storages(src)
    assert disk["size_bytes"] == 1000215216 * 512 and disk["media_type"] == "disk" and disk["interface"] == "NVME"
    assert _linux.operating_system(src)["full_name"] == "Ubuntu 24.04.1 LTS"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"sys/class/dmi/id/sys_vendor": "QEMU\n", "sys/class/dmi/id/product_name": "Standard PC (Q35 + ICH9, 2009)\n"},
         "QEMU"),
        ({"sys/class/dmi/id/sys_vendor": "Microsoft Corporation\n",
          "sys/class/dmi/id/product_name": "Virtual Machine\n"}, "Hyper-V"),
        ({"sys/class/dmi/id/sys_vendor": "Microsoft Corporation\n", "sys/class/dmi/id/product_name": "Surface Pro 9\n"},
         "Physical"),
        ({"sys/class/dmi/id/sys_vendor": "VMware, Inc.\n", "sys/class/dmi/id/product_name": "VMware7,1\n"}, "VMware"),
        ({".dockerenv": ""}, "Docker"),
        ({"proc/1/environ": "PATH=/bin\0container=systemd-nspawn\0"}, "systemd-nspawn"),
        ({"sys/class/dmi/id/sys_vendor": "LENOVO\n", "proc/cpuinfo": "flags : fpu vme\n"}, "Physical"),
    ],
)  # fmt: skip
def test_virtualisation_detection(tmp_path, files, expected):
    assert _linux.vm_system(_tree(tmp_path, files)) == expected


def test_a_container_without_dmi_gets_glpi_agents_virtual_uuid(tmp_path):
    src = _tree(tmp_path, {"proc/1/environ": "container=lxc\0", "etc/machine-id": "0123456789abcdef\n",
                           "etc/hostname": "ct-mairie\n"})  # fmt: skip
    assert _linux.hardware(src)["uuid"] == hashlib.sha1(b"0123456789abcdefct-mairie", usedforsecurity=False).hexdigest()


def test_a_failing_collector_is_skipped_and_the_rest_is_sent(tmp_path, monkeypatch):
    def broken(src):  # type: ignore[no-untyped-def]
        raise PermissionError("dmidecode: /dev/mem: Permission denied")

    monkeypatch.setitem(_linux.COLLECTORS, "bios", broken)
    collected = inventory.collect(_linux, _tree(tmp_path, DELL_LAPTOP))
    assert [run.section for run in collected.failed] == ["bios"]
    assert "PermissionError" in collected.failed[0].error
    assert "hardware" in collected.sections and "bios" not in collected.sections


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, "unsupported"),
        ({"sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c": b"\x06\0\0\0\x01"}, "enabled"),
        ({"sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c": b"\x06\0\0\0\x00"}, "disabled"),
        ({"sys/firmware/efi/efivars/BootCurrent-8be4df61-93ca-11d2-aa0d-00e098032b8c": b"\x06\0\0\0\0\0"}, "disabled"),
        ({"sys/firmware/efi/vars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c/data": b"\x01"}, "enabled"),
        ({"sys/firmware/efi/systab": "ACPI20=0x7ffe8014\n"}, None),  # UEFI, variables not readable: unknown
    ],
)  # fmt: skip
def test_secure_boot_state(tmp_path, files, expected):
    assert _linux_devices.secure_boot(_tree(tmp_path, files)) == expected


def test_a_tpm_2_is_reported_as_a_firmware(tmp_path):
    src = _tree(tmp_path, {"sys/class/tpm/tpm0/tpm_version_major": "2\n",
                           "sys/class/tpm/tpm0/device/description": "TPM 2.0 Device\n",
                           "sys/class/tpm/tpmrm0/dev": "253:65536\n"})  # fmt: skip
    assert _linux_devices.firmwares(src) == [
        {"name": "TPM", "type": "TPM", "version": "2.0", "manufacturer": None, "description": "TPM 2.0 Device"}
    ]
    assert _linux_devices.firmwares(_tree(tmp_path / "none", {})) == []


def test_interfaces_are_typed_as_glpi_agent_types_them(tmp_path):
    src = _tree(tmp_path, {
        "sys/class/net/enp0s31f6/device/uevent": "DRIVER=e1000e\nPCI_SLOT_NAME=0000:00:1f.6\n",
        "sys/class/net/wlp2s0/device/uevent": "DRIVER=iwlwifi\n", "sys/class/net/wlp2s0/wireless/x": "",
        "sys/class/net/ib0/device/uevent": "", "sys/class/net/ib0/mode": "datagram\n",
        "sys/class/net/br0/brif/enp0s31f6": "", "sys/class/net/br0/lower_enp0s31f6": "",
        "sys/class/net/bond0/bonding/mode": "active-backup 1\n", "sys/class/net/bond0/lower_eth1": "",
        "sys/class/net/bond0/lower_eth2": "", "sys/class/net/eth0.10/flags": "0x1003\n",
        "sys/class/net/ppp0/flags": "0x1\n", "sys/class/net/lo/flags": "0x9\n",
    })  # fmt: skip
    assert _linux._net_type(src, "enp0s31f6") == (False, "ethernet", None, None)
    assert _linux._net_type(src, "wlp2s0") == (False, "wifi", None, None)
    assert _linux._net_type(src, "ib0") == (False, "infiniband", None, None)
    assert _linux._net_type(src, "br0") == (True, "bridge", None, "enp0s31f6")
    assert _linux._net_type(src, "bond0") == (True, "aggregate", None, "eth1,eth2")
    assert _linux._net_type(src, "eth0.10") == (True, "alias", "eth0", None)
    assert _linux._net_type(src, "ppp0") == (True, "dialup", None, None)
    assert _linux._net_type(src, "lo") == (True, "loopback", None, None)


def test_a_long_wtmp_is_read_from_its_end(tmp_path):
    utmp = _linux_system._UTMP

    def entry(kind: int, user: str, seconds: int) -> bytes:
        return utmp.pack(kind, 1, b"pts/0", b"ts/0", user.encode(), b"", 0, 0, 0, seconds, 0, b"", b"")

    records = [entry(7, "mdupont", 1733000000)] + [entry(8, "", 1733000000 + i) for i in range(10000)]
    (tmp_path / "var/log").mkdir(parents=True)
    (tmp_path / "var/log/wtmp").write_bytes(b"".join(records) + b"\0" * 17)  # a torn last write is ignored
    login, _when = _linux_system.last_logged_user(LinuxSources(tmp_path))
    assert login == "mdupont"
    (tmp_path / "var/log/wtmp").write_bytes(b"")
    assert _linux_system.last_logged_user(LinuxSources(tmp_path)) == (None, None)


def test_wtmpdb_gives_the_last_login_where_there_is_no_wtmp(tmp_path):
    import sqlite3

    database = tmp_path / "var/lib/wtmpdb/wtmp.db"
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, "
                   "Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT)")  # fmt: skip
        db.executemany("INSERT INTO wtmp(Type, User, Login) VALUES (?, ?, ?)",
                       [(1, "reboot", 1733300000_000000), (3, "mdupont", 1733300100_000000),
                        (3, "adm-info", 1733200000_000000)])  # fmt: skip
    login, when = _linux_system.last_logged_user(LinuxSources(tmp_path))
    moment = dt.datetime.fromtimestamp(1733300100)
    assert (login, when) == ("mdupont", f"{moment:%a %b} {moment.day} {moment:%H:%M}")


# -- GLPI Agent's recorded inputs -----------------------------------------------------------------------


def test_edid_blocks_read_as_glpi_agent_reads_them():
    """129 monitors of GLPI Agent's test suite: maker, model, serial (with each maker's quirks), week/year."""
    expected = _expected("edid")
    keys = {"caption": "caption", "description": "description", "manufacturer": "manufacturer", "serial": "serial",
            "altserial": "alt_serial", "base64": "edid_base64"}  # fmt: skip
    differences = []
    for path in _recordings("edid", "*"):
        ours = _linux_edid.monitor(path.read_bytes()) or {}
        glpi = expected[path.name] or {}
        for glpi_key, key in keys.items():
            if same(glpi.get(glpi_key)) != same(ours.get(key)):
                differences.append(f"{path.name} {glpi_key}: GLPI {glpi.get(glpi_key)!r}, ours {ours.get(key)!r}")
    assert not differences, "\n".join(differences)
    assert len(expected) == 129


@pytest.mark.parametrize("recording", _recordings("dmidecode"), ids=lambda p: p.stem)
def test_dmidecode_outputs_read_as_glpi_agent_reads_them(recording, tmp_path):
    expected = _expected("dmidecode")[recording.name]
    src = _with_commands(tmp_path, dmidecode=recording)
    bios = _built("bios", _linux.bios(src))
    bios.pop("secure_boot"), bios.pop("enclosureserial", None)  # not GLPI Agent's on Linux
    glpi_bios = dict(expected["bios"] or {})
    if glpi_bios.get("bdate"):  # GLPI Agent's JSON has the date as the DMI table words it
        glpi_bios["bdate"] = dt.datetime.strptime(glpi_bios["bdate"], "%m/%d/%Y").date().isoformat()
    assert same(bios) == same(glpi_bios)
    memories = _built("memories", _linux_dmi.memories(src))
    assert same([{k: v for k, v in m.items() if k != "formfactor"} for m in memories]) == same(
        expected["memories"] or []
    )
    cpus = _built("cpus", _linux_dmi.cpus(src))  # name and speed: from /proc/cpuinfo, as GLPI Agent takes them
    assert same(cpus) == same([{k: v for k, v in c.items() if k not in ("name", "speed")} for c in expected["cpus"]])
    assert same(_documents(_linux_dmi.ports(src))) == same(expected["ports"] or [])
    assert same(_documents(_linux_dmi.slots(src))) == same(expected["slots"] or [])
    # GLPI Agent's JSON turns "Yes" and "No" alike into true (Perl truth of a string): Mutuparc's booleans are right.
    supplies = [{k: ("Yes" if v else "No") if k in ("plugged", "hotreplaceable") else v for k, v in item.items()}
                for item in _documents(_linux_dmi.power_supplies(src))]  # fmt: skip
    assert same(supplies) == same(expected["powersupplies"] or [])


@pytest.mark.parametrize("recording", _recordings("cpuinfo"), ids=lambda p: p.stem)
def test_cpuinfo_read_as_glpi_agent_reads_it(recording, tmp_path):
    expected = _expected("cpuinfo")[recording.name]
    (tmp_path / "proc").mkdir()
    shutil.copy(recording, tmp_path / "proc/cpuinfo")
    src = LinuxSources(tmp_path)
    if recording.name == "linux-hp-dl180.txt":  # recorded on the same server
        src = _with_commands(tmp_path, dmidecode=RECORDED / "dmidecode/hp-dl180.txt")
    ours = _built("cpus", _linux.cpus(src))
    # GLPI Agent's Linux::i386 names every x86 processor "i386"; Mutuparc gives the machine's architecture.
    glpi = [{k: v for k, v in cpu.items() if k != "arch" or str(v).startswith("arm")} for cpu in expected]
    assert same(ours) == same(glpi)
    if "2-thread" in recording.name:  # an Atom with 1 core and hyper-threading: 2 threads per core
        assert ours[0]["core"] == 1 and ours[0]["thread"] == 2


def sysfs_from_lspci(text: str) -> dict[str, Any]:
    """The /sys/bus/pci/devices tree of what ``lspci -v -nn`` showed of each device."""
    files: dict[str, Any] = {}
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        head = re.match(r"^(\S+) .*?\[([0-9a-f]{4})\]: .*\[([0-9a-f]{4}):([0-9a-f]{4})\](?: \(rev ([0-9a-f]{2})\))?"
                        r"(?: \(prog-if ([0-9a-f]{2}))?", lines[0])  # fmt: skip
        if not head:
            continue
        slot, pci_class, vendor, device, rev, prog_if = head.groups()
        base = f"sys/bus/pci/devices/{slot if slot.count(':') == 2 else '0000:' + slot}"
        subsystem = next((re.search(r"\[([0-9a-f]{4}):([0-9a-f]{4})\]", line) for line in lines
                          if line.startswith("\tSubsystem:")), None)  # fmt: skip
        config = bytearray(64)
        config[0x0E] = 1 if pci_class == "0604" else 0  # bridges have no subsystem in their header
        files |= {f"{base}/vendor": f"0x{vendor}\n", f"{base}/device": f"0x{device}\n",
                  f"{base}/class": f"0x{pci_class}{prog_if or '00'}\n", f"{base}/revision": f"0x{rev or '00'}\n",
                  f"{base}/subsystem_vendor": f"0x{subsystem.group(1) if subsystem else '0000'}\n",
                  f"{base}/subsystem_device": f"0x{subsystem.group(2) if subsystem else '0000'}\n",
                  f"{base}/config": bytes(config)}  # fmt: skip
        resources = []
        for line in lines:
            memory = re.match(r"^\tMemory at ([0-9a-f]+) \((?:32|64)-bit, (non-)?prefetchable\).*\[size=(\d+)([KMG])\]",
                              line)  # fmt: skip
            if memory:
                start, size = int(memory.group(1), 16), int(memory.group(3)) << {"K": 10, "M": 20, "G": 30}[memory[4]]
                flags = 0x200 | (0 if memory.group(2) else 0x2000)
                resources.append(f"0x{start:016x} 0x{start + size - 1:016x} 0x{flags:016x}")
            driver = re.match(r"^\tKernel driver in use: (\S+)", line)
            if driver:
                files[f"{base}/driver"] = ("link", f"../../../bus/pci/drivers/{driver.group(1)}")
        resources += ["0x0000000000000000 0x0000000000000000 0x0000000000000000"] * (7 - len(resources))
        files[f"{base}/resource"] = "\n".join(resources) + "\n"
    return files


def sysfs_from_lsusb(text: str) -> dict[str, Any]:
    """The /sys/bus/usb/devices tree of what ``lsusb -v`` showed: a folder per device (<bus>-<number>, root
    hubs usb<bus>) and per interface."""
    files: dict[str, Any] = {}
    for block in re.split(r"\n(?=Bus \d+ Device \d+:)", text.strip()):
        head = re.match(r"^Bus (\d+) Device (\d+):", block)
        if not head:
            continue
        bus, number = int(head.group(1)), int(head.group(2))
        name = f"usb{bus}" if number == 1 else f"{bus}-{number}"
        base = f"sys/bus/usb/devices/{name}"
        values = dict(re.findall(r"^\s*(idVendor|idProduct|bDeviceClass|bConfigurationValue)\s+(\S+)", block, re.M))
        files |= {f"{base}/busnum": f"{bus}\n", f"{base}/devnum": f"{number}\n",
                  f"{base}/idVendor": values["idVendor"][2:] + "\n",
                  f"{base}/idProduct": values["idProduct"][2:] + "\n",
                  f"{base}/bDeviceClass": f"{int(values['bDeviceClass']):02x}\n"}  # fmt: skip
        attributes = re.search(r"^\s*bmAttributes\s+(0x[0-9a-f]+)", block, re.M)
        if attributes:
            files[f"{base}/bmAttributes"] = f"{int(attributes.group(1), 16):2x}\n"
        for field, file in (("iManufacturer", "manufacturer"), ("iProduct", "product"), ("iSerial", "serial")):
            found = re.search(rf"^\s*{field}\s+(\d+) ?(.*)$", block, re.M)
            if found and found.group(1) != "0":
                files[f"{base}/{file}"] = found.group(2) + "\n"
        prefix = f"{bus}-0" if number == 1 else name
        for interface, usb_class, subclass in re.findall(
            r"^\s*bInterfaceNumber\s+(\d+)\n(?:.*\n)*?\s*bInterfaceClass\s+(\d+).*\n\s*bInterfaceSubClass\s+(\d+)",
            block, re.M,
        ):  # fmt: skip
            folder = f"sys/bus/usb/devices/{prefix}:{values.get('bConfigurationValue', '1')}.{interface}"
            files[f"{folder}/bInterfaceClass"] = f"{int(usb_class):02x}\n"
            files[f"{folder}/bInterfaceSubClass"] = f"{int(subclass):02x}\n"
    return files


def _sysfs(root: Path, files: dict[str, Any], *ids: str) -> LinuxSources:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):
            path.symlink_to(content[1])
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    for name in ids:
        (root / "usr/share/misc").mkdir(parents=True, exist_ok=True)
        shutil.copy(SHARE / name, root / "usr/share/misc" / name)
    return LinuxSources(root)


def _truncated_driver(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """GLPI Agent keeps a driver name up to its first dash (``virtio-pci`` -> ``virtio``): Mutuparc keeps it whole."""
    return [{**i, "driver": re.match(r"\w+", i["driver"]).group()} if "driver" in i else i for i in items]  # type: ignore[union-attr]


@pytest.mark.parametrize("recording", _recordings("lspci"), ids=lambda p: p.stem)
def test_pci_devices_read_from_sysfs_as_glpi_agent_reads_lspci(recording, tmp_path):
    expected = _expected("lspci")[recording.name]
    src = _sysfs(tmp_path, sysfs_from_lspci(recording.read_text()), "pci.ids")
    assert same(_truncated_driver(_documents(_linux_devices.controllers(src)))) == same(expected["controllers"])
    for section in ("sounds", "videos", "modems"):
        assert same(_documents(getattr(_linux_devices, section)(src))) == same(expected[section]), section


def test_a_graphics_card_is_named_and_sized_as_glpi_agent_does(tmp_path):
    src = _sysfs(tmp_path, sysfs_from_lspci((RECORDED / "lspci/nvidia-1.txt").read_text()), "pci.ids")
    (video,) = _documents(_linux_devices.videos(src))
    assert video == {"pciid": "10de:1f06", "pcislot": "09:00.0", "chipset": "NVIDIA Corporation TU106",
                     "name": "PNY GeForce RTX 2060 SUPER", "memory": 288}  # fmt: skip


@pytest.mark.parametrize("recording", _recordings("lsusb"), ids=lambda p: p.stem)
def test_usb_devices_read_from_sysfs_as_glpi_agent_reads_lsusb(recording, tmp_path):
    expected = _expected("lsusb")[recording.name]
    src = _sysfs(tmp_path, sysfs_from_lsusb(recording.read_text()), "usb.ids")
    assert same(_documents(_linux_devices.usb_devices(src))) == same(expected)


def test_lvm_reports_read_as_glpi_agent_reads_them(tmp_path):
    folder = RECORDED / "lvm"
    src = _with_commands(tmp_path, pvs=folder / "pvs-linux-1.txt", vgs=folder / "vgs-linux-1.txt",
                         lvs=folder / "lvs-linux-1.txt")  # fmt: skip
    expected = _expected("lvm")
    for section in ("physical_volumes", "volume_groups", "logical_volumes"):
        ours = _built(section, getattr(_linux_system, section)(src))
        if section == "logical_volumes":  # GLPI Agent leaves the group's name out: Mutuparc adds it
            assert {v.pop("vg_name") for v in ours} == {"lvm", "lvm2"}
        assert same(ours) == same(expected[section]), section


# -- whole recorded machines ------------------------------------------------------------------------------


@pytest.fixture
def utc(monkeypatch):
    """Local time is UTC: the last login is worded in local time, as ``last`` printed it when recorded."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_handwritten_laptop(utc, glpi_schema):
    laptop = LinuxSources(LAPTOP)
    collected = inventory.collect(_linux, laptop)
    content = inventory.glpi_content(collected)
    assert not collected.failed, collected.failed
    jsonschema.validate(inventory.build_message(content, deviceid="pc-mairie-01-2026-01-01-00-00-00"), glpi_schema)
    expected = _expected("laptop-handwritten")
    assert same(content["batteries"]) == same(expected["batteries"])
    assert same(content["local_users"]) == same(expected["local_users"])
    glpi_groups = [{("members" if k == "member" else k): v for k, v in g.items()} for g in expected["local_groups"]]
    assert same(content["local_groups"]) == same(glpi_groups)
    hardware = content["hardware"]
    assert (hardware["lastloggeduser"], hardware["datelastloggeduser"]) == (
        expected["last"]["lastloggeduser"], expected["last"]["datelastloggeduser"])  # fmt: skip
    assert hardware == {
        "name": "pc-mairie-01", "uuid": "725ba801-507b-11cb-95e6-c66052aac597", "chassis_type": "Notebook",
        "vmsystem": "Physical", "memory": 7811, "swap": 2047, "workgroup": "mairie.local", "dns": "127.0.0.53",
        "defaultgateway": "192.168.10.1", "lastloggeduser": "adm-info", "datelastloggeduser": "Wed Dec 4 08:22",
    }  # fmt: skip
    assert content["bios"]["smodel"] == "ThinkPad Edge E320" and content["bios"]["secure_boot"] == "enabled"
    system = content["operatingsystem"]
    assert system["timezone"]["name"] == "Europe/Paris" and system["timezone"]["offset"] in ("+0100", "+0200")
    assert system["install_date"] == f"{dt.datetime.fromtimestamp(1700000000):%Y-%m-%d %H:%M:%S}"
    assert (system["hostid"], system["ssh_key"]) == ("a8c01e02", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx")
    assert system["dns_domain"] == "mairie.local" and system["kernel_version"] == "6.8.0-49-generic"
    assert [(s["name"], s["type"], s["description"], s.get("interface")) for s in content["storages"]] == [
        ("sda", "disk", "SATA", "SATA"), ("sr0", "removable", "SCSI", None)]  # fmt: skip
    assert content["storages"][0]["manufacturer"] == "Samsung" and content["storages"][0]["wwn"].startswith("wwn-")
    monitors = [(m["port"], m["manufacturer"], m["caption"], m["serial"]) for m in content["monitors"]]
    assert monitors == [("LVDS", "Lenovo Group Limited", "LTN154U2-L05", "00000000"),
                        ("DP", "Dell Inc.", "DELL U2413", "84K96386ACRL")]  # fmt: skip
    assert content["firmwares"] == [{"name": "TPM", "type": "TPM", "version": "1.2", "manufacturer": "STM",
                                     "description": "TPM 1.2 Device; firmware 13.12"}]  # fmt: skip
    printers = {p["name"]: p for p in content["printers"]}
    assert printers["Accueil-RICOH"]["network"] is True and printers["Accueil-RICOH"]["shared"] is False
    assert (
        printers["HP_LaserJet_M404"]["serial"] == "PHBLK12345" and printers["HP_LaserJet_M404"]["status"] == "Stopped"
    )
    assert content["firewalls"] == [
        {"status": "off", "description": "ufw"},
        {"status": "on", "description": "nftables"},
    ]
    assert [i["type"] for i in content["inputs"]] == ["sysrq", "Pointing"]  # GLPI Agent: the first handler's name
    assert len(content["memories"]) == 4 and content["memories"][0]["manufacturer"] == "Samsung"
    assert _linux_devices.usb_devices(laptop) == [] and "drives" not in content  # not recorded


def test_recorded_vm_matches_glpi_agents_inventory_of_it(tmp_path):
    """This VM, recorded (files, and GLPI Agent 1.11's own inventory of it the same day)."""
    glpi = json.loads((VM / "glpi-agent.json").read_text("utf-8"))["content"]
    content = inventory.glpi_content(inventory.collect(_linux, _copy(VM, tmp_path, "pci.ids")))
    assert same(content["cpus"]) == same([{**c, "arch": "x86_64", "speed": 2599} for c in glpi["cpus"]])
    assert same(content["storages"]) == same(glpi["storages"])
    assert same(_truncated_driver(content["controllers"])) == same(glpi["controllers"])
    assert same(content["local_users"]) == same(glpi["local_users"])
    assert same(content["local_groups"]) == same(glpi["local_groups"])
    assert content["firewalls"] == glpi["firewalls"]
    for key in ("name", "full_name", "version", "kernel_name", "kernel_version", "hostid", "timezone", "fqdn"):
        assert content["operatingsystem"][key] == glpi["operatingsystem"][key], key
    for key in ("name", "memory", "swap", "vmsystem", "dns", "defaultgateway"):
        assert content["hardware"][key] == glpi["hardware"][key], key
    # Where GLPI Agent says what is not: an empty wtmp read as the login "wtmp", and a birth time of 0 read as
    # an installation in 1970. Mutuparc leaves both out.
    assert glpi["hardware"]["lastloggeduser"] == "wtmp" and "lastloggeduser" not in content["hardware"]
    assert (
        glpi["operatingsystem"]["install_date"].startswith("1970") and "install_date" not in content["operatingsystem"]
    )
