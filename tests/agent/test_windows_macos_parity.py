"""Windows and macOS collect what GLPI Agent collects (issue 19, part 4), from recorded machines.

Each section is checked on the recordings' values (see recordings/*/README.md for where they come
from), the GLPI wording of the values (productState, DigitalProductId, EDID, firewall profiles), the
Mutuparc keys a Windows 11 check reads, and that a source failing costs only the sections it feeds.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from agent import _macos, _windows, inventory
from agent._windows_base import CIMV2
from agent._windows_edid import parse_edid
from agent._windows_security import decode_product_key, product_state
from tests.agent.conftest import RECORDINGS

WIN11 = RECORDINGS / "windows" / "win11-dell-latitude-5440"
WIN10 = RECORDINGS / "windows" / "win10-hp-elitedesk-800g4"
MAC = RECORDINGS / "macos" / "macbookpro18-3"
NEW_WINDOWS_SECTIONS = (
    "monitors",
    "printers",
    "controllers",
    "usbdevices",
    "videos",
    "sounds",
    "inputs",
    "local_users",
    "local_groups",
    "firewalls",
    "antivirus",
    "licenseinfos",
    "firmwares",
)
NEW_MAC_SECTIONS = (
    "monitors",
    "videos",
    "printers",
    "usbdevices",
    "local_users",
    "local_groups",
    "firewalls",
    "firmwares",
)


def _windows_run(path: Path = WIN11, sources: _windows.RecordedWindowsSources | None = None) -> inventory.Collected:
    return inventory.collect(_windows, sources or _windows.RecordedWindowsSources(path))


def _mac_run(path: Path = MAC) -> inventory.Collected:
    return inventory.collect(_macos, _macos.RecordedMacSources(path))


def _copy(recording: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(recording, tmp_path / recording.name))


def _edit_json(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


def _by(records: list[dict], key: str) -> dict:
    return {r[key]: r for r in records}


def _failed(collected: inventory.Collected) -> list[str]:
    return sorted(run.section for run in collected.failed)


# -- Windows ------------------------------------------------------------------------------------


def test_windows_hardware_and_bios_carry_what_glpi_agent_sends():
    sections = _windows_run().sections
    hardware, bios = sections["hardware"], sections["bios"]
    assert hardware["windows_product_id"] == "00330-80000-00000-AA601"
    assert hardware["windows_product_key"] == "NXKVG-8DW3B-QY7RT-HCM2P-T83GX"  # DigitalProductId, Windows 8 "N" form
    assert (hardware["windows_owner"], hardware["windows_company"], hardware["windows_language"]) == (
        "Service informatique",
        "Mairie de Servon",
        "1036",
    )
    assert hardware["description"] == "Portable secrétariat général"
    assert (hardware["default_gateway"], hardware["dns"]) == ("192.168.10.1", "192.168.10.5/192.168.10.6/10.200.0.10")
    assert hardware["swap_mb"] == 2432
    assert (bios["asset_tag"], bios["bios_serial"], bios["enclosure_serial"]) == ("INV-2024-0042", "7BQRKT3", "7BQRKT3")
    assert bios["secure_boot"] == "enabled"
    assert _windows_run(WIN10).sections["bios"]["asset_tag"] is None  # blank SMBIOS asset tag


def test_windows_operating_system_time_zone_and_install_date(tmp_path):
    system = _windows_run().sections["operatingsystem"]
    assert system["timezone"] == {"name": "Romance Standard Time", "offset": "+0100"}
    assert system["install_date"] == dt.datetime(2023, 11, 8, 14, 35, 12)
    assert system["dns_domain"] == "mairie.local"
    machine = _copy(WIN11, tmp_path)  # no InstallDate in WMI: the registry's (UTC seconds), in local time
    _edit_json(machine / "wmi" / "Win32_OperatingSystem.json", lambda rows: rows[0].pop("InstallDate"))
    assert _windows_run(machine).sections["operatingsystem"]["install_date"] == dt.datetime(2023, 11, 8, 14, 35, 12)


def test_windows_interfaces_have_a_type_a_speed_and_a_gateway():
    records = _windows_run().sections["networks"]
    wifi = [r for r in records if r["name"].startswith("Intel(R) Wi-Fi")]
    assert [r.get("ipv4") or r.get("ipv6") for r in wifi] == ["192.168.10.42", "fe80::1c2d:3e4f:5a6b:7c8d"]
    assert {(r["type"], r["speed_mbps"], r["status"]) for r in wifi} == {("wifi", 866, "up")}
    assert (wifi[0]["gateway"], wifi[0]["ipv4_subnet"], wifi[0]["pci_id"]) == (
        "192.168.10.1",
        "192.168.10.0",
        "8086:51F1:0094:8086",
    )
    assert "gateway" not in wifi[1] and wifi[1]["ipv6_mask"] == "ffff:ffff:ffff:ffff::"
    (wired,) = [r for r in records if "I219-LM" in r["name"]]  # unplugged, still a MAC of this PC
    assert (wired["type"], wired["status"], wired["speed_mbps"], wired["mac"]) == (
        "ethernet",
        "down",
        None,
        "B0:4F:13:AB:CD:EF",
    )
    (vpn,) = [r for r in records if "AnyConnect" in r["name"]]
    assert (vpn["virtual"], vpn["type"]) == (True, None)


def test_windows_monitors_are_read_from_their_edid():
    monitors = _by(_windows_run().sections["monitors"], "name")
    assert set(monitors) == {"AUO B140UAN02.1", "DELL P2422H"}
    panel, dell = monitors["AUO B140UAN02.1"], monitors["DELL P2422H"]
    assert (panel["manufacturer"], panel["serial"], panel["description"]) == ("AU Optronics", "00000000", "10/2023")
    assert (dell["manufacturer"], dell["serial"], dell["description"]) == ("Dell Inc.", "3KXR2H3", "40/2022")
    raw = base64.b64decode(dell["edid_base64"])
    assert len(raw) == 128 and sum(raw) % 256 == 0 and parse_edid(raw).serial_number == 0x4C31354A


def test_windows_monitor_without_edid_comes_from_wmimonitorid_and_unplugged_ones_are_left_out():
    (monitor,) = _windows_run(WIN10).sections["monitors"]  # the Samsung's EDID is still in Enum\DISPLAY
    assert monitor == {
        "name": "HP E24 G4",
        "caption": "HP E24 G4",
        "manufacturer": "HPN",
        "serial": "CNC12345XY",
        "description": "12/2021",
    }


def test_windows_monitors_fall_back_on_every_registry_edid_without_root_wmi(tmp_path):
    machine = _copy(WIN10, tmp_path)
    shutil.rmtree(machine / "wmi" / "root" / "wmi")
    (monitor,) = _windows_run(machine).sections["monitors"]
    assert (monitor["name"], monitor["serial"], monitor["manufacturer"]) == (
        "S22D300",
        "H4ZG123456",
        "Samsung Electric Company",
    )


def test_windows_printers():
    printers = _by(_windows_run().sections["printers"], "name")
    queue = printers["\\\\srv-impression\\Copieur-Etage1"]
    assert (queue["network"], queue["shared"], queue["share_name"], queue["server_name"]) == (
        True,
        True,
        "Copieur-Etage1",
        "\\\\srv-impression",
    )
    assert (queue["status"], queue["error_status"], queue["resolution"]) == ("Idle", "No Error", "600x600")
    usb = _by(_windows_run(WIN10).sections["printers"], "name")["HP LaserJet Pro M404-M405"]
    assert (usb["port"], usb["network"], usb["status"], usb["error_status"]) == ("USB001", False, "Offline", "No Paper")


def test_windows_pci_controllers_and_usb_devices():
    controllers = [r["content"] for r in _windows_run().sections["controllers"]]
    by_ids = {(c["vendorid"], c["productid"]): c for c in controllers}
    assert len(controllers) == len(by_ids) == 7  # the second xHCI function is the same controller
    assert by_ids["8086", "51f1"]["pcislot"] == "00:14.3" and by_ids["8086", "a7a1"]["pcislot"] == "00:02.0"
    assert by_ids["8086", "51f1"]["pcisubsystemid"] == "8086:0094"
    assert by_ids["1e0f", "000c"]["manufacturer"] == "KIOXIA Corporation"  # for WMI's "(Contrôleurs ... standard)"
    usb = {(d["vendorid"], d["productid"]): d for d in (r["content"] for r in _windows_run().sections["usbdevices"])}
    assert set(usb) == {("046d", "c52b"), ("0c45", "6a14"), ("27c6", "63ac"), ("8087", "0033"), ("17e9", "6006")}
    assert "serial" not in usb["046d", "c52b"] and usb["046d", "c52b"]["manufacturer"] == "Logitech, Inc."
    assert usb["17e9", "6006"]["serial"] == "1234ABCD5678"  # iSerial written "S/N:..."
    desktop = {
        (d["content"]["vendorid"], d["content"].get("serial")) for d in _windows_run(WIN10).sections["usbdevices"]
    }
    assert ("03f0", "VNB3K12345") in desktop and not any(v == "0000" for v, _ in desktop)


def test_windows_video_sound_and_input_devices():
    sections = _windows_run().sections
    (video,) = [r["content"] for r in sections["videos"]]
    assert video == {
        "name": "Intel(R) Iris(R) Xe Graphics",
        "chipset": "Intel(R) Iris(R) Xe Graphics Family",
        "memory": 2047,
        "resolution": "1920x1200",
    }
    assert [r["content"]["manufacturer"] for r in sections["sounds"]] == ["Realtek", "Intel® Corporation"]
    inputs = _by([r["content"] for r in sections["inputs"]], "name")
    assert inputs["Pavé tactile de précision HID"]["pointingtype"] == "Touch Pad"
    assert inputs["Pavé tactile de précision HID"]["interface"] == "USB"
    assert inputs["Clavier PS/2 standard"]["type"] == "Keyboard"


def test_windows_local_accounts_are_the_enabled_ones():
    users = _windows_run(WIN10).sections["local_users"]
    assert [(u["login"], u["name"]) for u in users] == [("accueil", "Accueil Mairie"), ("support-dsit", "Support DSIT")]
    assert users[0]["user_id"] == "S-1-5-21-2873340016-3925145541-1450389912-1001"
    groups = _by(_windows_run().sections["local_groups"], "name")
    assert groups["Administrateurs"]["group_id"] == "S-1-5-32-544" and len(groups) == 4


def test_windows_firewall_profiles_with_their_connections():
    laptop = _windows_run().sections["firewalls"]
    assert [(f["profile"], f["status"], f["ipv4"] or f["ipv6"]) for f in laptop] == [
        ("DomainProfile", "on", "192.168.10.42"),
        ("DomainProfile", "on", "fe80::1c2d:3e4f:5a6b:7c8d"),
        ("StandardProfile", "on", None),
        ("PublicProfile", "on", None),
    ]
    desktop = _by(_windows_run(WIN10).sections["firewalls"], "profile")
    assert desktop["StandardProfile"]["status"] == "on"  # off locally, on by policy: the policy applies
    assert desktop["StandardProfile"]["description"] == "Intel(R) Ethernet Connection (7) I219-LM"
    assert desktop["PublicProfile"]["status"] == "off"


@pytest.mark.parametrize(
    ("state", "enabled", "up_to_date"),
    [(397568, True, True), (393472, False, True), (266240, True, True), (397584, True, False), (262144, False, True)],
)
def test_security_center_product_state_decoded_as_glpi_agent(state, enabled, up_to_date):
    assert product_state(state) == (enabled, up_to_date)


def test_windows_antivirus_from_security_center_defender_and_uninstall_entries():
    (defender,) = _windows_run().sections["antivirus"]
    assert defender == {
        "name": "Windows Defender",
        "company": "Microsoft Corporation",
        "version": "4.18.24090.11",
        "enabled": True,
        "up_to_date": True,
        "guid": "{D68DDC3A-831F-4fae-9E44-DA132C1ACF46}",
        "expiration": None,
        "base_version": "1.421.1425.0",
        "base_created": None,
    }
    products = _by(_windows_run(WIN10).sections["antivirus"], "name")
    eset = products["ESET Endpoint Antivirus"]
    assert (eset["version"], eset["company"], eset["enabled"]) == ("11.0.2032.0", "ESET, spol. s r.o.", True)
    assert products["Windows Defender"]["enabled"] is False  # passive beside ESET: Defender not asked


def test_windows_server_without_security_center_reports_defender_alone(tmp_path):
    machine = _copy(WIN11, tmp_path)
    shutil.rmtree(machine / "wmi" / "root" / "SecurityCenter2")
    (defender,) = _windows_run(machine).sections["antivirus"]
    assert (defender["name"], defender["version"], defender["enabled"], defender["up_to_date"]) == (
        "Microsoft Defender Antivirus",
        "4.18.24090.11",
        True,
        True,
    )


def test_windows_and_office_licences_with_their_activation_state():
    (windows,) = _windows_run().sections["licenseinfos"]
    assert (windows["key"], windows["product_id"], windows["trial"]) == (
        "XXXXX-XXXXX-XXXXX-XXXXX-T83GX",
        "00330-80000-00000-AA601",
        False,
    )
    licences = _by(_windows_run(WIN10).sections["licenseinfos"], "name")
    office = licences["Office 21, Office21StandardVL_KMS_Client_AE edition"]
    assert office["extra"] == {"mutuparc_status": "notification", "mutuparc_channel": "Volume:GVLK"}
    content = inventory.glpi_content(_windows_run(WIN10))
    assert {item["mutuparc_status"] for item in content["licenseinfos"]} == {"licensed", "notification"}


def test_product_key_decoding():
    raw = json.loads((WIN10 / "registry.json").read_text())["HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"]
    key = base64.b64decode(raw["DigitalProductId"]["base64"])
    assert decode_product_key(key) == "VK7JG-NPHTM-C97JM-9MPGT-3V66T"
    digital_product_id4 = bytearray(1272)  # Office 2010+/DigitalProductId4: the key at bytes 808-822
    digital_product_id4[808:823] = key[52:67]
    assert decode_product_key(bytes(digital_product_id4)) == "VK7JG-NPHTM-C97JM-9MPGT-3V66T"
    assert decode_product_key(bytes(164)) is None and decode_product_key("not binary") is None


def test_windows_11_check_reads_uefi_secure_boot_and_tpm(tmp_path):
    laptop = _windows_run().sections
    assert laptop["bios"]["extra"] == {
        "mutuparc_boot_mode": "uefi",
        "mutuparc_tpm_version": "2.0",
        "mutuparc_tpm_enabled": True,
    }
    assert laptop["firmwares"] == [
        {
            "name": "UEFI",
            "type": "system firmware",
            "version": "1.12.1",
            "manufacturer": "Dell Inc.",
            "release_date": dt.date(2024, 6, 19),
            "description": "Secure Boot enabled",
        },
        {
            "name": "TPM 2.0",
            "type": "tpm",
            "version": "600.18.0.0",
            "manufacturer": "Intel",
            "release_date": None,
            "description": "enabled, activated, owned",
        },
    ]
    desktop = _windows_run(WIN10).sections
    assert desktop["bios"]["secure_boot"] == "disabled"
    assert _by(desktop["firmwares"], "type")["tpm"]["manufacturer"] == "Infineon"
    legacy = _copy(WIN10, tmp_path)  # booted in legacy (CSM) mode: no Secure Boot state at all

    def boot_legacy(registry: dict) -> None:
        registry["HKLM\\SYSTEM\\CurrentControlSet\\Control"]["PEFirmwareType"] = 1
        del registry["HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State"]

    _edit_json(legacy / "registry.json", boot_legacy)
    sections = _windows_run(legacy).sections
    assert sections["bios"]["secure_boot"] == "unsupported"
    assert sections["bios"]["extra"]["mutuparc_boot_mode"] == "legacy"
    assert sections["firmwares"][0]["name"] == "Legacy BIOS"
    built = inventory.glpi_content(_windows_run())
    assert built["bios"]["secure_boot"] == "enabled" and built["bios"]["mutuparc_tpm_version"] == "2.0"


def test_windows_battery_health_from_design_and_full_charge_capacities():
    (battery,) = _windows_run().sections["batteries"]  # Win32_Battery leaves both capacities empty
    assert (battery["capacity_mwh"], battery["real_capacity_mwh"]) == (54000, 48120)
    assert (battery["serial"], battery["manufacturer"], battery["manufacture_date"]) == (
        "1181",
        "SMP",
        dt.date(2023, 3, 14),
    )


def test_last_logged_user_comes_from_logonui_when_nobody_is_at_the_console(tmp_path):
    machine = _copy(WIN11, tmp_path)
    _edit_json(machine / "wmi" / "Win32_ComputerSystem.json", lambda rows: rows[0].update(UserName=None))
    sections = _windows_run(machine).sections
    assert sections["hardware"]["last_logged_user"] == "mdupont"
    assert sections["users"] == [{"login": "mdupont", "domain": "MAIRIE"}]


def test_windows_new_sections_reach_the_wire_and_validate(glpi_schema):
    for path in (WIN11, WIN10):
        content = inventory.glpi_content(_windows_run(path))
        assert set(NEW_WINDOWS_SECTIONS) <= set(content)
        jsonschema.validate(inventory.build_message(content, deviceid="pc-2026-01-05-10-00-00"), glpi_schema)


# -- macOS --------------------------------------------------------------------------------------


def test_macos_hardware_operating_system_and_bios():
    sections = _mac_run().sections
    hardware, system, bios = sections["hardware"], sections["operatingsystem"], sections["bios"]
    assert (hardware["last_logged_user"], hardware["last_logged_user_at"]) == ("cmartin", "Mon Nov 18 08:02")
    assert (hardware["default_gateway"], hardware["dns"]) == ("192.168.30.1", "192.168.30.1/1.1.1.1")
    assert system["timezone"] == {"name": "Europe/Paris", "offset": "+0100"}
    assert system["install_date"] == dt.datetime(2024, 3, 28, 10, 14, 55)  # macOS 14.4.1, 09:14:55 UTC
    assert bios["secure_boot"] == "enabled"
    assert bios["extra"] == {"mutuparc_boot_mode": "iboot", "mutuparc_secure_boot_policy": "Full Security"}
    assert sections["users"] == [{"login": "cmartin"}]


@pytest.mark.parametrize(
    ("bridge", "expected"),
    [
        ([{"ibridge_secure_boot": "Reduced Security"}], "enabled"),
        ([{"ibridge_secure_boot": "Permissive Security"}], "disabled"),
        ([{"ibridge_model_name": "Apple T2 Security Chip", "ibridge_secure_boot": "Medium Security"}], "enabled"),
        ([{"ibridge_model_name": "Apple T2 Security Chip", "ibridge_secure_boot": "No Security"}], "disabled"),
        ([{"ibridge_model_name": "Apple T1 Security Chip"}], "unsupported"),
        ([], "unsupported"),  # an Intel Mac without T2
        ([{"ibridge_secure_boot": "Sécurité maximale"}], None),  # a localised wording is not guessed
    ],
)
def test_macos_secure_boot_wordings(tmp_path, bridge, expected):
    machine = _copy(MAC, tmp_path)
    _edit_json(machine / "system_profiler.json", lambda profile: profile.update(SPiBridgeDataType=bridge))
    assert _mac_run(machine).sections["bios"]["secure_boot"] == expected


def test_macos_t2_chip_is_a_firmware_of_its_own(tmp_path):
    machine = _copy(MAC, tmp_path)

    def intel_t2(profile: dict) -> None:
        profile["SPHardwareDataType"][0].pop("chip_type")
        profile["SPHardwareDataType"][0]["boot_rom_version"] = "2022.100.22.0.0 (iBridge: 21.16.4222.0.0,0)"
        profile["SPiBridgeDataType"] = [
            {
                "ibridge_model_name": "Apple T2 Security Chip",
                "ibridge_build": "21P4222",
                "ibridge_secure_boot": "Full Security",
            }
        ]
        profile["SPSecureElementDataType"] = []

    _edit_json(machine / "system_profiler.json", intel_t2)
    firmwares = _mac_run(machine).sections["firmwares"]
    assert [(f["name"], f["type"], f["version"]) for f in firmwares] == [
        ("UEFI", "system firmware", "2022.100.22.0.0 (iBridge: 21.16.4222.0.0,0)"),
        ("Apple T2 Security Chip", "security chip", "21P4222"),
    ]


def test_macos_monitors_videos_printers_and_usb_devices():
    sections = _mac_run().sections
    monitors = _by(sections["monitors"], "name")
    assert (monitors["Color LCD"]["manufacturer"], monitors["Color LCD"]["serial"]) == (
        "Apple Computer Inc",
        "fd626d62",
    )
    assert monitors["Color LCD"]["type"] == "built-in" and monitors["Color LCD"]["description"] is None
    dell = monitors["DELL P2422H"]
    assert (dell["manufacturer"], dell["serial"], dell["description"]) == ("Dell Inc.", "3KXR2H3", "40/2022")
    assert [v["content"] for v in sections["videos"]] == [
        {"name": "Apple M1 Pro", "chipset": "Apple M1 Pro", "resolution": "3024x1964"}
    ]
    printers = _by(sections["printers"], "name")
    assert printers["HP_LaserJet_MFP_M428fdw"]["network"] is True and printers["Brother_HL_L2350DW"]["network"] is False
    assert printers["HP_LaserJet_MFP_M428fdw"]["driver"] == "HP LaserJet MFP M428f-M429f"
    usb = {(d["content"]["vendorid"], d["content"]["productid"]): d["content"] for d in sections["usbdevices"]}
    assert set(usb) == {("2109", "0817"), ("046d", "c52b"), ("1050", "0407")}
    assert usb["1050", "0407"]["serial"] == "0012345678"


def test_macos_battery_health_from_ioreg():
    (battery,) = _mac_run().sections["batteries"]
    assert (battery["capacity_mwh"], battery["real_capacity_mwh"]) == (71614, 65173)  # mAh x 3 cells x 3.82 V
    assert round(battery["real_capacity_mwh"] / battery["capacity_mwh"], 2) == 0.91  # as macOS shows it: 91 %
    assert battery["voltage_mv"] == 12655


def test_macos_local_accounts_and_firewall(tmp_path):
    sections = _mac_run().sections
    users = _by(sections["local_users"], "login")
    assert set(users) == {"admin-dsit", "cmartin", "daemon", "nobody", "root"}  # no _service accounts
    assert users["cmartin"] == {
        "user_id": "501",
        "login": "cmartin",
        "name": "Claire Martin",
        "home": "/Users/cmartin",
        "shell": "/bin/zsh",
    }
    groups = _by(sections["local_groups"], "name")
    assert groups["admin"]["members"] == ["root", "cmartin", "admin-dsit"]
    assert groups["staff"]["members"] == ["root", "admin-dsit", "cmartin"]  # primary group members added
    assert "everyone" not in groups
    assert sections["firewalls"] == [{"profile": None, "status": "on", "description": None, "ipv4": None, "ipv6": None}]
    machine = _copy(MAC, tmp_path)  # socketfilterfw missing: com.apple.alf's globalstate
    (machine / "commands" / "firewall.txt").unlink()
    (machine / "commands" / "alf.txt").write_text("0\n")
    assert _mac_run(machine).sections["firewalls"][0]["status"] == "off"


def test_macos_interface_types_fit_the_schema_and_ethernet_gives_its_speed(tmp_path):
    machine = _copy(MAC, tmp_path)

    def add_dock(profile: dict) -> None:
        profile["SPNetworkDataType"].append(
            {
                "_name": "USB 10/100/1000 LAN",
                "interface": "en7",
                "type": "Ethernet",
                "hardware": "Ethernet",
                "Ethernet": {"MAC Address": "a0:ce:c8:11:22:33", "MediaSubType": "1000baseT"},
                "IPv4": {"Addresses": ["192.168.30.80"], "Router": "192.168.30.1", "SubnetMasks": ["255.255.255.0"]},
            }
        )

    _edit_json(machine / "system_profiler.json", add_dock)
    interfaces = _by(_mac_run(machine).sections["networks"], "name")
    assert (interfaces["en7"]["type"], interfaces["en7"]["speed_mbps"]) == ("ethernet", 1000)
    assert (interfaces["en0"]["type"], interfaces["bridge0"]["type"]) == ("wifi", "bridge")


def test_macos_new_sections_reach_the_wire_and_validate(glpi_schema):
    content = inventory.glpi_content(_mac_run())
    assert set(NEW_MAC_SECTIONS) <= set(content)
    jsonschema.validate(inventory.build_message(content, deviceid="mac-2026-01-05-10-00-00"), glpi_schema)


# -- a failing source costs only its sections -------------------------------------------------------


def test_a_broken_windows_class_costs_only_the_sections_it_feeds(tmp_path, glpi_schema):
    machine = _copy(WIN11, tmp_path)
    (machine / "wmi" / "Win32_PnPEntity.json").write_text("[{truncated")
    collected = _windows_run(machine)
    assert _failed(collected) == ["controllers", "usbdevices"]
    assert set(_windows_run().sections) - set(collected.sections) == {"controllers", "usbdevices"}
    content = inventory.glpi_content(collected)
    jsonschema.validate(inventory.build_message(content, deviceid="pc-2026-01-05-10-00-00"), glpi_schema)


class _Refusing(_windows.RecordedWindowsSources):
    """A machine where one class raises something else than OSError, and one registry key is denied."""

    def wmi(self, wmi_class, namespace=CIMV2, where=None):  # type: ignore[no-untyped-def]
        if wmi_class == "Win32_Printer":
            raise RuntimeError("RPC server unavailable")
        return super().wmi(wmi_class, namespace, where)

    def registry(self, path):  # type: ignore[no-untyped-def]
        if "FirewallPolicy" in path:
            raise PermissionError("access denied")
        return super().registry(path)


def test_any_error_of_one_collector_leaves_the_others():
    collected = _windows_run(sources=_Refusing(WIN11))
    assert _failed(collected) == ["firewalls", "printers"]
    assert set(_windows_run().sections) - set(collected.sections) == {"firewalls", "printers"}
    assert collected.sections["bios"]["secure_boot"] == "enabled"  # other registry keys are still read


def test_macos_without_the_commands_loses_only_what_they_give(tmp_path):
    machine = _copy(MAC, tmp_path)
    shutil.rmtree(machine / "commands")
    collected = _mac_run(machine)
    assert _failed(collected) == ["firewalls", "local_groups", "local_users"]
    sections = collected.sections
    assert sections["hardware"]["last_logged_user"] == "cmartin"  # from system_profiler's user
    assert sections["operatingsystem"]["timezone"] is None
    assert sections["operatingsystem"]["install_date"] == dt.datetime(2024, 3, 28, 9, 14, 55)  # left in UTC
    assert sections["batteries"][0]["capacity_mwh"] is None and sections["batteries"][0]["serial"]
    assert {"monitors", "printers", "usbdevices", "firmwares"} <= set(sections)


def test_macos_broken_directory_output_costs_only_the_accounts(tmp_path):
    machine = _copy(MAC, tmp_path)
    (machine / "commands" / "users.txt").write_text("dscl: Data source (.) is not valid.\n")
    assert _failed(_mac_run(machine)) == ["local_groups", "local_users"]
