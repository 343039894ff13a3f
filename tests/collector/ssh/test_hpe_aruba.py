"""The HPE Aruba drivers through netmiko: an ArubaOS-Switch 2930F (ProCurve CLI: banner asking to
press a key, ``no page``) and an AOS-CX 6300M VSF stack, both replayed."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.runner import inventory_one
from tests.support.ssh_replay import ReplayDevice, recordings
from wire.glpi_json import parse_sections

PROCURVE_BANNER = """
Aruba JL259A 2930F-24G-4SFP+ Switch
Software revision WC.16.10.0009

(C) Copyright 2020 Hewlett Packard Enterprise Development LP

                       RESTRICTED RIGHTS LEGEND
 Confidential computer software. Valid license from Hewlett Packard Enterprise
 Development LP required for possession, use or copying.

Press any key to continue
"""


@pytest.fixture(scope="module")
def procurve():  # type: ignore[no-untyped-def]
    device = ReplayDevice("SW-MAIRIE-RDC", recordings("hp_procurve"), banner=PROCURVE_BANNER).start()
    yield device
    device.stop()


@pytest.fixture(scope="module")
def aoscx():  # type: ignore[no-untyped-def]
    device = ReplayDevice("SW-COEUR-DC", recordings("aruba_aoscx")).start()
    yield device
    device.stop()


def _inventory(device: ReplayDevice, driver: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    result = inventory_one(SshTarget("127.0.0.1", device.port, driver=driver, timeout=5),
                           SshCredential("admin", "cisco"), tmp_path / "known_hosts")  # fmt: skip
    assert result.status == "ok", result.message
    assert result.driver in ("hp_procurve", "aruba_aoscx") and not result.warnings, result.warnings
    return result.inventory  # type: ignore[return-value]


@pytest.mark.parametrize("driver", ["hp_procurve", "auto"])
def test_an_arubaos_switch_is_inventoried(procurve: ReplayDevice, tmp_path: Path, driver: str,
                                          glpi_schema) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    message = _inventory(procurve, driver, tmp_path)
    jsonschema.validate(message, glpi_schema)
    sections = parse_sections(message["content"])
    device = sections["network_device"]
    assert (device["name"], device["model"], device["serial"], device["firmware"]) == (  # type: ignore[index]
        "SW-MAIRIE-RDC", "JL259A 2930F-24G-4SFP+", "SG93KQN1CW", "WC.16.10.0009")  # fmt: skip
    assert message["deviceid"] == "snmp-sn-SG93KQN1CW"
    assert [c["serial"] for c in sections["network_components"]] == ["SG95GSF0B2"]  # type: ignore[union-attr]
    ports = {p["name"]: p["oper_status"] for p in sections["network_ports"]}  # type: ignore[union-attr]
    assert len(ports) == 28 and ports["1"] == 1 and ports["20"] == 2 and ports["25"] == 1


@pytest.mark.parametrize("driver", ["aruba_aoscx", "auto"])
def test_an_aos_cx_stack_is_inventoried_with_its_members(aoscx: ReplayDevice, tmp_path: Path, driver: str,
                                                         glpi_schema) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    message = _inventory(aoscx, driver, tmp_path)
    jsonschema.validate(message, glpi_schema)
    sections = parse_sections(message["content"])
    device = sections["network_device"]
    assert (device["model"], device["serial"], device["firmware"], device["os_name"]) == (  # type: ignore[index]
        "R8N87A 6300M 48SR5 CL6 PoE 4SFP56 Swch", "SG2ZKN309H", "FL.10.13.1040", "AOS-CX")  # fmt: skip
    members = {c["name"]: c["serial"] for c in sections["network_components"]}  # type: ignore[union-attr]
    assert members == {"1/1": "SG2ZKN309H", "2/1": "SG2ZKN30C4"}  # the management module is not a third one


def test_the_getters_read_mac_tables_and_lldp(aoscx: ReplayDevice, procurve: ReplayDevice, tmp_path: Path) -> None:
    from collector.ssh.drivers import DRIVERS
    from collector.ssh.runner import open_session

    for device, name, neighbour in ((aoscx, "aruba_aoscx", "SW-MAIRIE-RDC"), (procurve, "hp_procurve", "SW-COEUR-DC")):
        target = SshTarget("127.0.0.1", device.port, driver=name, timeout=5)
        session = open_session(target, SshCredential("admin", "cisco"), DRIVERS[name], tmp_path / "kh", True)
        try:
            driver = DRIVERS[name](session)
            assert len(driver.mac_table()) in (5, 8)
            assert neighbour in {n["name"] for n in driver.lldp_neighbors()}
        finally:
            session.close()
