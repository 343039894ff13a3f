"""A copier polled through a real snmpsim with the Printer-MIB profile, its inventories stored:
prtMarkerLifeCount becomes the total counter, prtMarkerSuppliesTable the supply levels."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import device_profiles
from collector.config import CollectorConfig, Target
from collector.inventory import supply_levels
from collector.profiles import load_profiles
from collector.runner import poll_all
from collector.snmp.session import Credential
from server.printing.recording import COUNTERS
from tests.conftest import need
from tests.support.snmp_agents import SnmpSimulator, recordings, snmpsim_command
from wire.glpi_json import parse_sections

from .conftest import only_asset, when

RECORDING = "printer_mib_generic"
LIFE_COUNT = "1.3.6.1.2.1.43.10.2.1.4.1.1"
BLACK_LEVEL = "1.3.6.1.2.1.43.11.1.1.9.1.1"


def _later(path: Path) -> Path:
    """The same copier a week later: 368 more pages, less black toner."""
    lines = []
    for line in recordings()[RECORDING].read_text().splitlines():
        oid = line.split("|", 1)[0]
        lines.append(f"{LIFE_COUNT}|65|184900" if oid == LIFE_COUNT else f"{BLACK_LEVEL}|2|9000" if oid == BLACK_LEVEL
                     else line)  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def copier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpSimulator]:
    need(snmpsim_command() is not None, "snmpsim is not installed (make snmpsim)")
    later = _later(tmp_path_factory.mktemp("printer") / "printer_later.snmprec")
    simulator = SnmpSimulator.start(only=[RECORDING], extra={"printer_later": later})
    yield simulator
    simulator.stop()


def poll(simulator: SnmpSimulator, community: str) -> dict:  # type: ignore[type-arg]
    config = CollectorConfig(timeout=1.0, retries=1, deadline=30.0)  # type: ignore[call-arg]
    config.credentials[community] = Credential(version="2c", name=community, community=community)
    host, port = simulator.endpoints[0]
    config.targets.append(Target(host=host, port=port, credential=community, name=community))
    result = asyncio.run(poll_all(config.targets, config, load_profiles())).results[0]
    assert (result.status, result.profile) == ("ok", RECORDING), result.message
    return result.inventory  # type: ignore[return-value]


def test_the_collector_reads_printer_mib(copier, glpi_schema) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    inventory = poll(copier, RECORDING)
    jsonschema.validate(inventory, glpi_schema)
    assert (inventory["itemtype"], inventory["deviceid"]) == ("Printer", "snmp-sn-W4G8Z01234")
    assert inventory["content"]["pagecounters"] == {"total": 184532}
    sections = parse_sections(inventory["content"])
    assert sections["network_device"]["asset_type"] == "printer"
    assert {c["name"]: c["value"] for c in sections["cartridges"]} == {
        "Black Toner TK-8345K": "55",  # 11000 of 20000
        "Cyan Toner TK-8345C": "30",
        "Magenta Toner TK-8345M": "10",
        "Yellow Toner TK-8345Y": "83",
        "Waste Toner Box": "OK",  # level -3: some remaining
        "Drum Unit DK-8350": None,  # level -2: unknown
        "Maintenance Kit MK-8345A": "72",  # counted in percent, no capacity
    }


def test_polled_copier_counters_reach_the_server(client, parc, send, copier) -> None:  # type: ignore[no-untyped-def]
    send(poll(copier, RECORDING), parc["servon_token"], when("2025-09-01 07:00"))
    send(poll(copier, "printer_later"), parc["servon_token"], when("2025-09-08 07:00"))
    asset_id = only_asset(client, parc["admin"], "copieur-mairie-servon")
    counters = client.get(f"/api/v1/assets/{asset_id}/counters", headers=parc["admin"],
                          params={"since": "2025-09-01T00:00:00Z", "until": "2025-10-01T00:00:00Z"}).json()  # fmt: skip
    assert [(p["value"], p["delta"]) for p in counters["points"]] == [(184532, 0), (184900, 368)]
    assert counters["monthly"] == [{"month": "2025-09", "pages": 368, "counters": {"total": 368}}]
    levels = {s["name"]: (s["kind"], s["percent"], s["state"]) for s in counters["supplies"]}
    assert levels["Black Toner TK-8345K"] == ("toner", 45.0, None)
    assert levels["Waste Toner Box"] == ("waste", None, "OK")
    assert "Drum Unit DK-8350" not in levels  # its level is unknown: no reading
    assert levels["Maintenance Kit MK-8345A"] == ("maintenance", 72.0, None)


def test_supply_levels_from_printer_mib_rows() -> None:
    rows = [
        {"name": "Black", "level": 11000, "max": 20000, "unit": 7},
        {"name": "Full", "level": 25000, "max": 20000, "unit": 7},  # more than the capacity: 100
        {"name": "Empty", "level": 0, "max": 20000, "unit": 7},
        {"name": "Waste", "level": -3, "max": -2, "unit": 19},
        {"name": "Unknown", "level": -2, "max": -2, "unit": 7},
        {"name": "Unlimited", "level": -1, "max": -1, "unit": 7},
        {"name": "Percent", "level": 40, "max": -2, "unit": 19},
        {"name": None, "level": 50, "max": 100},
        {"name": "No level", "level": None, "max": 100},
    ]
    assert [(c["name"], c["value"]) for c in supply_levels(rows)] == [
        ("Black", "55"), ("Full", "100"), ("Empty", "0"), ("Waste", "OK"), ("Unknown", None), ("Unlimited", None),
        ("Percent", "40"),
    ]  # fmt: skip


def test_profiles_may_read_every_page_counter() -> None:
    schema = json.loads(device_profiles.SCHEMA.read_text("utf-8"))
    assert schema["properties"]["pagecounters"]["propertyNames"]["enum"] == list(COUNTERS)
