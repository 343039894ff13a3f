"""The agent's lean readers (issue 27): pci.ids / usb.ids looked up in the text, dpkg install dates
from one folder listing, ``which`` without shutil. Each is checked against what it replaces."""

from __future__ import annotations

import os
import shutil

import pytest

from agent import _linux
from agent._linux_devices import IdsDatabase
from tests.utils import PROJECT

IDS = """# pci.ids excerpt
#	Syntax:
#	vendor  vendor_name
#		subvendor subdevice  subsystem_name

8086  Intel Corporation
	1237  440FX - 82441FX PMC [Natoma]
	7000  82371SB PIIX3 ISA [Natoma/Triton II]
# a comment inside a vendor block does not end it
		1af4 1100  Qemu virtual machine
		10de 0001  With  two   spaces
	7010  82371SB PIIX3 IDE [Natoma/Triton II]
10de  NVIDIA Corporation
	1eb8  TU104GL [Tesla T4]
		10de 12a2  T4 16GB
zz99  not a vendor (not hex)
ABCD  not a vendor (upper case)

C 01  Mass storage controller
	01  IDE interface
		8a  ISA Compatibility mode
	06  SATA controller
C 03  Display controller
	00  VGA compatible controller
AT 0409  a list that is no vendors
	0001  under it: no device either
"""


def test_ids_lookups():
    ids = IdsDatabase(IDS)
    assert ids.vendor("8086") == "Intel Corporation" and ids.vendor("10de") == "NVIDIA Corporation"
    assert ids.device("8086", "1237") == ("440FX - 82441FX PMC [Natoma]", {})
    # subdevices belong to their device only, across a comment line; the name keeps inner spaces
    name, subdevices = ids.device("8086", "7000")  # type: ignore[misc]
    assert name == "82371SB PIIX3 ISA [Natoma/Triton II]"
    assert subdevices == {"1af4:1100": "Qemu virtual machine", "10de:0001": "With  two   spaces"}
    assert ids.device("8086", "7010") == ("82371SB PIIX3 IDE [Natoma/Triton II]", {})
    # a device id of another vendor is not found under this one
    assert ids.device("8086", "1eb8") is None and ids.device("10de", "1eb8") == (
        "TU104GL [Tesla T4]",
        {"10de:12a2": "T4 16GB"},
    )
    assert ids.class_name("01", "06") == "SATA controller"
    assert ids.class_name("01", "07") == "Mass storage controller"  # unknown subclass: the class
    assert ids.class_name("03", "00") == "VGA compatible controller"
    assert ids.class_name("01", "8a") == "Mass storage controller"  # a prog-if is no subclass
    assert ids.class_name("02", "00") is None


@pytest.mark.parametrize("vendor", ["zz99", "ABCD", "AT 0", "0409", "0001", "1237", "", "8086 "])
def test_ids_unknown_or_malformed_vendors(vendor):
    ids = IdsDatabase(IDS)
    assert ids.vendor(vendor) is None and ids.device(vendor, "0001") is None


@pytest.mark.parametrize("name", ["pci.ids", "usb.ids"])
def test_ids_lookups_match_a_full_parse(name):
    """On GLPI Agent's databases (vendored), every vendor and device is found as a full parse of
    the file finds it (the reader GLPI Agent's _loadDatabase describes)."""
    path = PROJECT / "vendor" / "glpi-agent" / "share" / name
    text = path.read_text("utf-8", "replace")
    ids = IdsDatabase(text)
    vendors: dict[str, str] = {}
    devices: dict[tuple[str, str], str] = {}
    vendor = None
    for line in text.splitlines():
        if not line or line[0] == "#" or line.startswith("\t\t"):
            continue
        if line[0] == "\t":
            key, _, label = line[1:].partition(" ")
            if vendor and len(key) == 4:
                devices.setdefault((vendor, key), label.strip())
            continue
        key, _, label = line.partition(" ")
        vendor = key if len(key) == 4 and all(c in "0123456789abcdef" for c in key) else None
        if vendor:
            vendors[vendor] = label.strip()
    assert len(vendors) > 1000
    assert all(ids.vendor(key) == label for key, label in list(vendors.items())[::4])
    sample = list(devices.items())[::60]  # every lookup scans the text: a spread sample keeps this fast
    assert all(ids.device(v, d)[0] == device for (v, d), device in sample)  # type: ignore[index]


def test_install_dates_from_one_listing(tmp_path):
    info = tmp_path / "var/lib/dpkg/info"
    info.mkdir(parents=True)
    for name, mtime in (("bash.list", 1_700_000_000), ("libc6:amd64.list", 1_710_000_000), ("bash.md5sums", 5)):
        (info / name).write_text("")
        os.utime(info / name, (mtime, mtime))
    src = _linux.LinuxSources(tmp_path)
    assert src.mtimes("var/lib/dpkg/info", ".list") == {"bash.list": 1_700_000_000, "libc6:amd64.list": 1_710_000_000}
    assert src.mtimes("var/lib/dpkg/missing", ".list") == {}


def test_which_finds_what_shutil_finds():
    for command in ("sh", "ls", "python3", "no-such-command-here"):
        expected = shutil.which(command, path=f"{os.environ.get('PATH', '')}:{_linux._SEARCH_PATH}")
        assert _linux._which(command) == expected
