"""What SSH drivers parse reaches the message and the server: MAC tables and LLDP/CDP neighbours
as the SNMP collector sends them (ports with ``connections``), stack and VSF members as
components; an output a template does not know is a warning (command, line, text) and the device
stays inventoried with everything else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.drivers import DRIVERS
from collector.ssh.inventory import build_message, mac_text
from collector.ssh.parsing import ParseError, parse
from collector.ssh.runner import SshResult, inventory_one
from tests.support.ssh_replay import ReplayDevice, recordings
from tests.utils import make_enrolment_token, make_member, make_user, post_inventory
from wire.glpi_json import parse_sections

# An ArubaOS-Switch 2930M backplane stack: "Stack ID :", a header over two lines, no chassis line.
STACKED_MODULES = """
 Status and Counters - Module Information


  Stack ID       : NO ID - will merge upon connectivity

  Member
  ID     Slot     Module Description                  Serial Number    Status
  ------ -------- ----------------------------------- ---------------- -------
  1      A        Aruba JL083A 4p 10GbE SFP+ Module   SG90GZ62QQ       Up
  1      STK      Aruba JL325A 2p Stacking Module     SG9BJQR1Z7       Up
  2      STK      Aruba JL325A 2p Stacking Module     SG9BJQR2A1       Up
"""
# Its "show system": no contact, no location, one block per member ("Member :N").
STACKED_SYSTEM = """
 Status and Counters - General System Information

  System Name        : SW-STACK-2930M
  System Contact     :
  System Location    :
  MAC Age Time (sec) : 300
  Time Zone          : 0
  Daylight Time Rule : None

  Software revision  : WC.16.07.0003
  Base MAC Addr      : 9020c2-fcddca

  Member :1

  ROM Version        : WC.17.02.0006
  Up Time            : 20 hours
  CPU Util (%)       : 9
  MAC Addr           : 9020c2-fb8080
  Serial Number      : SG98JQNY1Y
  Memory   - Total   : 342,344,192
             Free    : 183,033,720

 Member :2

  ROM Version        : WC.17.02.0006
  Up Time            : 39 mins
  CPU Util (%)       : 0
  MAC Addr           : 9020c2-fcddc0
  Serial Number      : SG98JQNYXR
  Memory   - Total   : 342,344,192
             Free    : 197,818,472
"""
VSF_SYSTEM = STACKED_SYSTEM.replace("  Member :", " VSF-Member :").replace(" Member :2", " VSF-Member :2")


def _replay(platform: str, hostname: str, **changes: str | None) -> ReplayDevice:
    outputs = recordings(platform)
    for command, text in changes.items():
        command = command.replace("_", " ")
        if text is None:
            outputs.pop(command, None)
        else:
            outputs[command] = text
    return ReplayDevice(hostname, outputs).start()


def _run(device: ReplayDevice, driver: str, tmp_path: Path) -> SshResult:
    result = inventory_one(SshTarget("127.0.0.1", device.port, driver=driver, timeout=5),
                           SshCredential("admin", "cisco"), tmp_path / "known_hosts")  # fmt: skip
    assert result.status == "ok", result.message
    return result


def _ports(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in parse_sections(message["content"])["network_ports"]}  # type: ignore[union-attr]


def _macs(port: dict[str, Any]) -> set[str]:
    return {c["mac"] for c in port.get("connections") or [] if "mac" in c}


def _neighbours(port: dict[str, Any]) -> set[str]:
    return {c["sysname"] for c in port.get("connections") or [] if "sysname" in c}


@pytest.fixture(scope="module")
def devices():  # type: ignore[no-untyped-def]
    started = {"cisco_ios": _replay("cisco_ios", "sw-mairie-bcr"),
               "hp_procurve": _replay("hp_procurve", "SW-MAIRIE-RDC"),
               "aruba_aoscx": _replay("aruba_aoscx", "SW-COEUR-DC")}  # fmt: skip
    yield started
    for device in started.values():
        device.stop()


# -- the port map ------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["cisco_ios", "hp_procurve", "aruba_aoscx"])
def test_every_parsed_mac_and_neighbour_is_in_the_message(devices, platform: str, tmp_path: Path,
                                                          glpi_schema) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    result = _run(devices[platform], platform, tmp_path)
    jsonschema.validate(result.inventory, glpi_schema)
    ports = _ports(result.inventory)  # type: ignore[arg-type]
    driver = DRIVERS[platform](_Recorded(recordings(platform)))
    expected_macs = {(r["port"], mac_text(r["mac"])) for r in driver.mac_table()
                     if r["port"] != "CPU" and not int(mac_text(r["mac"])[:2], 16) & 1}  # type: ignore[index]  # fmt: skip
    sent_macs = {(name, mac) for name, port in ports.items() for mac in _macs(port)}
    assert sent_macs == expected_macs and len(sent_macs) >= 5
    neighbours = driver.lldp_neighbors()
    assert {(n["local_port"], n["name"]) for n in neighbours} == {
        (name, sysname) for name, port in ports.items() for sysname in _neighbours(port)}  # fmt: skip
    assert all(ports[n["local_port"]]["lldp"] is True for n in neighbours)


def test_the_connections_have_the_snmp_collectors_shape(devices, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ports = _ports(_run(devices["hp_procurve"], "hp_procurve", tmp_path).inventory)  # type: ignore[arg-type]
    uplink = ports["25"]
    assert uplink["lldp"] is True and uplink["oper_status"] == 1
    assert {"sysname": "SW-COEUR-DC", "ifdescr": "1/1/49", "sysmac": "70:10:6f:4a:91:80"} in uplink["connections"]
    assert {"mac": "b0:5c:da:8c:22:10"} in uplink["connections"]  # "aa:bb:..." as SNMP writes them
    cisco = _ports(_run(devices["cisco_ios"], "cisco_ios", tmp_path).inventory)  # type: ignore[arg-type]
    assert "CPU" not in cisco and cisco["Gi1/0/1"]["connections"] == [{"mac": "00:50:56:a1:2b:3c"}]
    assert cisco["Gi1/0/1"]["alias"] == "Accueil PC-01"  # one port: the interface list's and the MAC table's


def test_the_port_map_reaches_the_asset_on_the_server(client, engine, devices, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token = make_enrolment_token(engine, member, kind="collector")
    for platform in ("cisco_ios", "hp_procurve"):
        answer = post_inventory(client, _run(devices[platform], platform, tmp_path).inventory, token=token)  # type: ignore[arg-type]
        assert answer.status_code == 200, answer.text
    admin = make_user(engine, "dsit", role="admin")
    for serial, port, mac, neighbour in (("FOC2031X0AB", "Gi1/0/49", "70:10:5c:3a:9e:f1", "sw-dc-coeur"),
                                         ("SG93KQN1CW", "25", "b0:5c:da:8c:22:10", "SW-COEUR-DC")):  # fmt: skip
        (asset,) = client.get("/api/v1/assets", params={"q": serial}, headers=admin).json()["data"]
        detail = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()
        ports = {p["name"]: p for p in detail["components"]["network_ports"]}
        assert mac in _macs(ports[port]) and neighbour in _neighbours(ports[port]) and ports[port]["lldp"] is True


def test_cdp_neighbours_that_lldp_did_not_see_are_added() -> None:
    cdp = """-------------------------
Device ID: SEP001122334455
Entry address(es):
  IP address: 10.1.20.31
Platform: Cisco IP Phone 8845,  Capabilities: Host Phone Two-port Mac Relay
Interface: GigabitEthernet1/0/2,  Port ID (outgoing port): Port 1
Holdtime : 150 sec

Version :
sip88xx.14-1-1MN2-77

advertisement version: 2
Duplex: full
"""
    outputs = recordings("cisco_ios") | {"show cdp neighbors detail": cdp}
    found = DRIVERS["cisco_ios"](_Recorded(outputs)).inventory()
    message = build_message(found, SshTarget("10.0.0.2"))
    assert _neighbours(_ports(message)["Gi1/0/2"]) == {"SEP001122334455"}  # the long name is the short port


# -- stack and VSF members ---------------------------------------------------------------------


def test_a_cisco_stack_without_show_inventory_keeps_every_member_serial(tmp_path: Path) -> None:
    device = _replay("cisco_ios", "sw-mairie-bcr", show_inventory=None)  # "% Invalid input" instead
    try:
        result = _run(device, "cisco_ios", tmp_path)
    finally:
        device.stop()
    components = parse_sections(result.inventory["content"])["network_components"]  # type: ignore[index]
    members = {c["serial"]: c for c in components if c["type"] == "stack_member"}  # type: ignore[union-attr]
    assert set(members) == {"FOC2031X0AB", "FOC2031X1CD"}
    assert members["FOC2031X1CD"]["stack_number"] == 2 and members["FOC2031X1CD"]["mac"] == "70:10:5c:3a:a1:00"


def test_show_inventory_members_are_not_listed_twice(devices, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    components = parse_sections(_run(devices["cisco_ios"], "cisco_ios", tmp_path).inventory["content"])  # type: ignore[index]
    serials = [c["serial"] for c in components["network_components"]]  # type: ignore[union-attr]
    assert serials.count("FOC2031X1CD") == 1 and len(serials) == 6


@pytest.mark.parametrize("system", [STACKED_SYSTEM, VSF_SYSTEM], ids=["stack", "vsf"])
def test_arubaos_switch_members_of_show_system_are_components(system: str, tmp_path: Path) -> None:
    device = _replay("hp_procurve", "SW-STACK-2930M", show_system=system, show_modules=STACKED_MODULES)
    try:
        result = _run(device, "hp_procurve", tmp_path)
    finally:
        device.stop()
    assert not result.warnings, result.warnings
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    device_section = sections["network_device"]
    assert (device_section["name"], device_section["serial"]) == ("SW-STACK-2930M", "SG98JQNY1Y")  # type: ignore[index]
    components = sections["network_components"]
    members = {c["serial"]: c.get("stack_number") for c in components if c["type"] == "stack_member"}  # type: ignore[union-attr]
    assert members == {"SG98JQNY1Y": 1, "SG98JQNYXR": 2}
    modules = {c["name"]: c["serial"] for c in components if c["type"] == "module"}  # type: ignore[union-attr]
    assert modules == {"1/A": "SG90GZ62QQ", "1/STK": "SG9BJQR1Z7", "2/STK": "SG9BJQR2A1"}


# -- documented variants of our own templates, and partial results ------------------------------


def test_the_modules_template_reads_a_stacked_show_modules() -> None:
    rows = parse("hp_procurve_show_modules", STACKED_MODULES)
    assert [(r["member"], r["slot"], r["serial"]) for r in rows] == [
        ("1", "A", "SG90GZ62QQ"), ("1", "STK", "SG9BJQR1Z7"), ("2", "STK", "SG9BJQR2A1")]  # fmt: skip
    assert rows[0]["stack_id"] == "NO ID - will merge upon connectivity"


def test_the_system_template_reads_an_empty_contact() -> None:
    text = recordings("hp_procurve")["show system"].replace("dsit@agglo-exemple.fr", "")
    (row,) = parse("hp_procurve_show_system", text)
    assert (row["contact"], row["serial"], row["name"]) == ("", "SG93KQN1CW", "SW-MAIRIE-RDC")
    (bare,) = parse("hp_procurve_show_system", text.replace("System Contact     : ", "System Contact     :"))
    assert bare["serial"] == "SG93KQN1CW"


def test_an_empty_contact_does_not_lose_the_device(tmp_path: Path) -> None:
    text = recordings("hp_procurve")["show system"].replace("dsit@agglo-exemple.fr", "")
    device = _replay("hp_procurve", "SW-MAIRIE-RDC", show_system=text)
    try:
        result = _run(device, "hp_procurve", tmp_path)
    finally:
        device.stop()
    assert result.inventory["deviceid"] == "snmp-sn-SG93KQN1CW" and not result.warnings  # type: ignore[index]


def test_a_getter_that_fails_to_parse_is_a_warning_and_the_device_is_kept(tmp_path: Path) -> None:
    odd = recordings("hp_procurve")["show modules"].replace(
        "  STK   Aruba", "  %% firmware says: module table being refreshed %%\n  STK   Aruba")  # fmt: skip
    device = _replay("hp_procurve", "SW-MAIRIE-RDC", show_modules=odd)
    try:
        result = _run(device, "hp_procurve", tmp_path)
    finally:
        device.stop()
    (warning,) = result.warnings
    line = odd.splitlines().index("  %% firmware says: module table being refreshed %%") + 1
    assert warning.startswith(f"inventory_items: show modules: line {line}: ") and "module table being" in warning
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    assert sections["network_device"]["serial"] == "SG93KQN1CW"  # type: ignore[index]
    assert len(sections["network_ports"]) == 28 and any(p.get("lldp") for p in sections["network_ports"])  # type: ignore[union-attr]


def test_a_parse_error_quotes_at_most_200_characters() -> None:
    garbage = "unexpected " + "x" * 500
    with pytest.raises(ParseError) as caught:
        parse("hp_procurve_show_modules", f"\n{garbage}\n", command="show modules")
    assert caught.value.line == 2 and caught.value.excerpt == garbage[:200] and caught.value.command == "show modules"
    assert garbage[:200] in str(caught.value) and garbage[:201] not in str(caught.value)


class _Recorded:
    """A session answering from recordings, without SSH (the parsers' side of the tests)."""

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs = outputs

    def run(self, command: str) -> str:
        return self.outputs.get(command, "")

    def close(self) -> None:
        pass
