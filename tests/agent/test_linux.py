"""The Linux collector, on this machine for real, and on fake /sys trees for what it lacks (DMI)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import jsonschema
import pytest

from agent import _linux, inventory
from agent._linux import LinuxSources
from wire.chassis import computer_type


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


@pytest.mark.skipif(not Path("/var/lib/dpkg/status").exists(), reason="not a Debian system")
def test_installed_packages_are_all_reported():
    softwares = _linux.softwares(LinuxSources("/"))
    status = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\\t${Status}\\n"], capture_output=True, text=True)
    installed = {line.split("\t")[0] for line in status.stdout.splitlines() if line.endswith(" installed")}
    assert {s["name"] for s in softwares} == installed
    assert all(s["origin"] == "deb" and s["publisher"] for s in softwares)


def _tree(root: Path, files: dict[str, str]) -> LinuxSources:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return LinuxSources(root)


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
    "etc/os-release": 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\n',
    "sys/class/power_supply/BAT0/uevent": "POWER_SUPPLY_NAME=BAT0\nPOWER_SUPPLY_TYPE=Battery\n"
    "POWER_SUPPLY_TECHNOLOGY=Li-poly\nPOWER_SUPPLY_VOLTAGE_MIN_DESIGN=11400000\n"
    "POWER_SUPPLY_ENERGY_FULL_DESIGN=54000000\nPOWER_SUPPLY_ENERGY_FULL=49870000\n"
    "POWER_SUPPLY_MODEL_NAME=DELL 7FMXV3A\nPOWER_SUPPLY_MANUFACTURER=SMP\nPOWER_SUPPLY_SERIAL_NUMBER=1181\n",
    "sys/class/power_supply/AC/uevent": "POWER_SUPPLY_NAME=AC\nPOWER_SUPPLY_TYPE=Mains\n",
    "sys/block/nvme0n1/size": "1000215216\n",
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
    hardware = _linux.hardware(src)
    assert hardware["chassis_type"] == "Notebook" and hardware["vm_system"] == "Physical"
    assert computer_type(hardware["chassis_type"], vm_system=hardware["vm_system"]) == "laptop"
    (battery,) = _linux.batteries(src)
    assert battery["capacity_mwh"] == 54000 and battery["real_capacity_mwh"] == 49870
    assert battery["voltage_mv"] == 11400 and battery["serial"] == "1181"
    (disk,) = _linux.storages(src)
    assert disk["size_bytes"] == 1000215216 * 512 and disk["media_type"] == "SSD" and disk["interface"] == "NVMe"
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
        ({"sys/class/dmi/id/sys_vendor": "LENOVO\n", "proc/cpuinfo": "flags : fpu vme\n"}, "Physical"),
    ],
)  # fmt: skip
def test_virtualisation_detection(tmp_path, files, expected):
    assert _linux.vm_system(_tree(tmp_path, files)) == expected


def test_a_failing_collector_is_skipped_and_the_rest_is_sent(tmp_path, monkeypatch):
    def broken(src):  # type: ignore[no-untyped-def]
        raise PermissionError("dmidecode: /dev/mem: Permission denied")

    monkeypatch.setitem(_linux.COLLECTORS, "bios", broken)
    collected = inventory.collect(_linux, _tree(tmp_path, DELL_LAPTOP))
    assert [run.section for run in collected.failed] == ["bios"]
    assert "PermissionError" in collected.failed[0].error
    assert "hardware" in collected.sections and "bios" not in collected.sections
