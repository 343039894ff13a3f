"""End-of-life catalogue: built from endoflife.date's facts, matched from what agents and collectors report."""

from __future__ import annotations

import datetime as dt

import pytest

from server.renewal.catalogue import Catalogue, shipped
from server.renewal.models import EolOverride

CATALOGUE = Catalogue(shipped())

# OS and firmware labels as Mutuparc's agent, GLPI agents and the collectors report them.
LABELS = [
    ("Windows 10 Pro 22H2 build 19045.5011", "windows", "10-22h2"),
    ("Windows 10 Enterprise 22H2 build 19045.4170", "windows", "10-22h2"),
    ("Windows 10 Home 21H2 build 19044.3086", "windows", "10-21h2-w"),
    ("Windows 10 Enterprise 21H2 build 19044.4894", "windows", "10-21h2-e"),
    ("Windows 10 Enterprise LTSC 2021 21H2 build 19044.5011", "windows", "10-21h2-e-lts"),
    ("Windows 10 IoT Enterprise LTSC 2021 build 19044.5011", "windows", "10-21h2-iot-lts"),
    ("Windows 10 Enterprise LTSC 2019 1809 build 17763.6414", "windows", "10-1809-e-lts"),
    ("Windows 10 Pro 1909 build 18363.1556", "windows", "10-1909-w"),
    ("Windows 7 Professional Service Pack 1 build 7601.24546", "windows", "7-sp1"),
    ("Windows 8.1 Pro build 9600.21620", "windows", "8.1"),
    ("Windows 10 Pro 2004 build 19041.1415", "windows", "10-2004"),
    ("Windows 11 Pro 23H2 build 22631.4460", "windows", "11-23h2-w"),
    ("Windows 11 Enterprise 23H2 build 22631.4460", "windows", "11-23h2-e"),
    ("Windows 11 Education 22H2 build 22621.4317", "windows", "11-22h2-e"),
    ("Windows 11 Home 24H2 build 26100.2314", "windows", "11-24h2-w"),
    ("Windows 11 Pro for Workstations 24H2 build 26100.2314", "windows", "11-24h2-w"),
    ("Windows 11 Enterprise LTSC 2024 24H2 build 26100.2314", "windows", "11-24h2-e-lts"),
    ("Windows Server 2016 Standard 1607 build 14393.7428", "windows-server", "2016"),
    ("Windows Server 2019 Datacenter 1809 build 17763.6414", "windows-server", "2019"),
    ("Windows Server 2022 Standard 21H2 build 20348.2849", "windows-server", "2022"),
    ("Windows Server 2025 Standard 24H2 build 26100.2314", "windows-server", "2025"),
    ("Windows Server 2012 R2 Standard build 9600.21620", "windows-server", "2012-r2"),
    ("Debian GNU/Linux 12 (bookworm) 12.11", "debian", "12"),
    ("Debian GNU/Linux 11 (bullseye) 11.11", "debian", "11"),
    ("Ubuntu 22.04.4 LTS", "ubuntu", "22.04"),
    ("Ubuntu 24.04.1 LTS 24.04", "ubuntu", "24.04"),
    ("Ubuntu 20.04.6 LTS", "ubuntu", "20.04"),
    ("Red Hat Enterprise Linux 9.4 (Plow)", "rhel", "9"),
    ("Red Hat Enterprise Linux Server 7.9 (Maipo)", "rhel", "7"),
    ("Rocky Linux 8.10 (Green Obsidian)", "rocky-linux", "8"),
    ("AlmaLinux 9.5 (Teal Serval)", "almalinux", "9"),
    ("CentOS Linux 7 (Core)", "centos", "7"),
    ("Fedora Linux 40 (Workstation Edition)", "fedora", "40"),
    ("Linux Mint 21.3", "linuxmint", "21.3"),
    ("SUSE Linux Enterprise Server 15 SP5", "sles", "15.5"),
    ("macOS 14.4.1", "macos", "14"),
    ("macOS 13.6.9", "macos", "13"),
    ("macOS 10.15.7", "macos", "10.15"),
    ("macOS Sonoma 14.5", "macos", "14"),
    ("VMware ESXi 7.0.3", "vmware-esxi", "7.0"),
    ("VMware ESXi 8.0 Update 3", "vmware-esxi", "8.0"),
    ("Proxmox VE 8.2.4", "proxmox-ve", "8"),
    ("FortiOS 7.2.8 build1639", "fortios", "7.2"),
    ("FortiOS v6.4.15,build2095", "fortios", "6.4"),
    ("PAN-OS 10.2.9", "pan-os", "10.2"),
    ("PAN-OS 11.1.4-h7", "pan-os", "11.1"),
    ("IOS-XE 17.9.4a", "cisco-ios-xe", "17.9"),
    ("Cisco IOS XE Software, Version 17.12.3", "cisco-ios-xe", "17.12"),
    ("SNS 4.3.21", "sns-firmware", "4.3"),
    ("OPNsense 24.7.9", "opnsense", "24.7"),
]


@pytest.mark.parametrize(("label", "product", "cycle"), LABELS)
def test_reported_labels_find_their_cycle(label: str, product: str, cycle: str) -> None:
    found = CATALOGUE.match(label)
    assert found is not None, label
    assert (found.product, found.cycle) == (product, cycle)


def test_there_are_enough_real_labels() -> None:
    assert len(LABELS) >= 40


UNKNOWN = ["DSM 7.2.1-69057 Update 5", "IOS 15.2(7)E9", "ArubaOS-Switch WC.16.11.0016", "",
           "Debian GNU/Linux 99 (future) 99.1", "Windows 10 Pro 9999 build 1"]  # fmt: skip


@pytest.mark.parametrize("label", UNKNOWN)
def test_unknown_labels_match_nothing(label: str) -> None:
    assert CATALOGUE.match(label) is None


def test_windows_10_22h2_security_support_ended_on_14_october_2025() -> None:
    windows10 = CATALOGUE.match("Windows 10 Pro 22H2 build 19045.5011")
    assert windows10.security_end == dt.date(2025, 10, 14)  # type: ignore[union-attr]
    assert windows10.extended_end == dt.date(2028, 10, 10)  # type: ignore[union-attr]  # paid ESU only
    assert not windows10.unsupported_by(dt.date(2025, 10, 13))  # type: ignore[union-attr]
    assert windows10.unsupported_by(dt.date(2025, 10, 14))  # type: ignore[union-attr]


def test_the_dsit_overrides_come_first() -> None:
    dsm = EolOverride(product="synology-dsm", cycle="7.1", pattern=r"^DSM 7\.1\b", security_end=dt.date(2025, 6, 1))
    catalogue = Catalogue(shipped(), [dsm])
    found = catalogue.match("DSM 7.1.1-42962 Update 6")
    assert (found.product, found.cycle, found.source) == ("synology-dsm", "7.1", "override")  # type: ignore[union-attr]
    assert catalogue.match("DSM 7.2.1-69057 Update 5") is None


def test_every_cycle_whose_end_is_past_is_ended() -> None:
    """Over the whole shipped catalogue, read from the raw file: a cycle whose security end date
    is past, or that says ``eol: true``, is ended; one ending later, or not announced, is not."""
    today = dt.date.today()
    checked = 0
    for product, data in shipped()["products"].items():
        for entry in data["cycles"]:
            cycle = CATALOGUE.cycle(product, str(entry["cycle"]))
            assert cycle is not None, (product, entry["cycle"])
            eol = entry.get("eol")
            if eol is True or (isinstance(eol, str) and eol[:10] <= today.isoformat()):
                assert cycle.unsupported_by(today), (product, entry["cycle"], eol)
            elif eol is False or eol is None or (isinstance(eol, str) and eol[:10] > today.isoformat()):
                assert not cycle.unsupported_by(today), (product, entry["cycle"], eol)
            checked += 1
    assert checked > 1000


ENDED_PRODUCTS = ["Windows 7 Professional Service Pack 1 build 7601.24546", "Windows 8.1 Pro build 9600.21620",
                  "Windows XP Professional SP3", "Windows Vista Business", "Windows Server 2008 R2 Standard",
                  "Windows Server 2008 Standard", "Windows Server 2012 Standard", "Windows Server 2012 R2 Standard",
                  "Windows 10 Pro 22H2 build 19045.5011", "CentOS Linux release 7.9.2009"]  # fmt: skip


@pytest.mark.parametrize("label", ENDED_PRODUCTS)
def test_ended_products_have_no_upgrade_in_place(label: str) -> None:
    """The end of the product: the fix is new hardware (Windows 10 -> 11 is a readiness question)."""
    found = CATALOGUE.match(label)
    assert found is not None and found.unsupported_by(dt.date(2026, 10, 1)), label
    assert CATALOGUE.upgrade_target(found, dt.date(2027, 12, 31)) is None


UPGRADES = [("Windows 11 Pro 24H2 build 26100.4061", "11-26h1-w"), ("Windows 11 Education 23H2 build 22631.4317",
            "11-26h1-e"), ("Debian GNU/Linux 11 (bullseye) 11.11", "13"), ("Ubuntu 20.04.6 LTS", "26.04"),
            ("FortiOS 6.4.15 build2095", "8.0")]  # fmt: skip


@pytest.mark.parametrize(("label", "target"), UPGRADES)
def test_the_end_of_a_release_is_fixed_by_an_upgrade(label: str, target: str) -> None:
    found = CATALOGUE.match(label)
    upgrade = CATALOGUE.upgrade_target(found, dt.date(2027, 12, 31))  # type: ignore[arg-type]
    assert upgrade is not None and upgrade.cycle == target and upgrade.product == found.product  # type: ignore[union-attr]


def test_the_api_says_ended_for_windows_7(client, admin) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/eol/match", params={"label": "Windows 7 Professional build 7601"}, headers=admin)
    assert answer.status_code == 200 and answer.json()["ended"] is True
    current = client.get("/api/v1/eol/match", params={"label": "Debian GNU/Linux 13 (trixie) 13.1"}, headers=admin)
    assert current.json()["ended"] is False
