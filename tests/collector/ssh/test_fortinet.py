"""The FortiGate driver on SSH exec channels against a replayed FortiGate-60F of an HA pair."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.runner import inventory_one
from tests.support.ssh_replay import ReplayDevice, recordings
from wire.glpi_json import parse_sections


@pytest.fixture(scope="module")
def fortigate():  # type: ignore[no-untyped-def]
    device = ReplayDevice("FGT-MAIRIE-VJ", recordings("fortinet"), exec_commands=True).start()
    yield device
    device.stop()


@pytest.mark.parametrize("driver", ["fortinet", "auto"])
def test_a_fortigate_ha_pair_is_inventoried(fortigate: ReplayDevice, tmp_path: Path, driver: str,
                                            glpi_schema) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    result = inventory_one(SshTarget("127.0.0.1", fortigate.port, driver=driver, timeout=5),
                           SshCredential("admin", "cisco"), tmp_path / "known_hosts")  # fmt: skip
    assert (result.status, result.driver) == ("ok", "fortinet"), result.message
    jsonschema.validate(result.inventory, glpi_schema)
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    device = sections["network_device"]
    assert (device["model"], device["serial"], device["firmware"], device["asset_type"]) == (  # type: ignore[index]
        "FortiGate-60F", "FGT60FTK2109B3XY", "7.2.8", "firewall")  # fmt: skip
    assert result.inventory["deviceid"] == "snmp-sn-FGT60FTK2109B3XY"  # type: ignore[index]  # the SNMP collector's id
    members = {c["serial"]: c["description"] for c in sections["network_components"]}  # type: ignore[union-attr]
    assert members == {"FGT60FTK2109B3XY": "HA HA A-P, primary", "FGT60FTK2109C4ZW": "HA HA A-P, secondary"}
