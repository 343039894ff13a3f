"""Which asset is this: the identity ladder of collected devices (serial, chassis MAC, SNMP engine
id, then the polled endpoint), so that placeholder values never merge devices and devices behind
one address stay apart."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest
import yaml

from collector.config import Target
from collector.inventory import address_id, device_identity, device_key, engine_id_key
from collector.profiles import load_profiles
from collector.runner import poll_all
from collector.snmp.extract import IDENTITY_FIELDS, DeviceData
from collector.snmp.session import Channels, Credential, SnmpSession
from collector.ssh.connection import SshTarget
from collector.ssh.drivers.base import DeviceInventory, Facts
from collector.ssh.inventory import device_key as ssh_device_key
from tests.conftest import need
from tests.support.snmp_agents import SnmpSimulator, snmpsim_command
from tests.utils import PROJECT

from .conftest import add_target, simulated

RECORDINGS = Path(__file__).parent / "recordings"
TARGET = Target(host="10.0.0.10", credential="public")
NET_SNMP_ENGINE = "80001f8880c41a9e523d7e2166"  # enterprise 8072 (Net-SNMP), format 128, random octets


def key(target: Target = TARGET, **read: object) -> str:
    """The device id of a device that answered ``read`` (network_device fields and identity fields)."""
    identity = {k: v for k, v in read.items() if k in IDENTITY_FIELDS}
    device = {k: v for k, v in read.items() if k not in IDENTITY_FIELDS}
    return device_key(DeviceData(network_device=device, identity=identity), target)


# The ladder, rung by rung.


def test_a_real_serial_is_the_id_as_it_always_was() -> None:
    assert key(serial="FOC2031X0AB", mac="00:26:73:5f:aa:00", engine_id=NET_SNMP_ENGINE) == "snmp-sn-FOC2031X0AB"
    assert key(serial="VMware-56 4d 2b") == "snmp-sn-VMware-56_4d_2b"  # not normalised: existing ids stay


@pytest.mark.parametrize("serial", ["<private>", "To Be Filled By O.E.M.", "0", "N/A", "", "000000", "Default string"])
def test_placeholder_serials_are_skipped(serial: str) -> None:
    assert key(serial=serial, mac="00:26:73:5f:aa:00") == "snmp-mac-00:26:73:5f:aa:00"
    assert key(serial=serial).startswith("snmp-ip-")


@pytest.mark.parametrize("mac", ["00:00:00:00:00:00", "02:42:ac:11:00:02", "52:54:00:12:34:56", "ff:ff:ff:ff:ff:ff",
                                 "01:00:5e:00:00:01", "00:50:56:c0:00:08", "not a mac"])  # fmt: skip
def test_placeholder_and_local_macs_are_skipped(mac: str) -> None:
    assert key(mac=mac, bridge_address="a0:f3:c1:22:55:00") == "snmp-mac-a0:f3:c1:22:55:00"
    assert key(mac=mac) == "snmp-ip-10.0.0.10:161@public"


def test_the_device_mac_comes_first_then_the_bridge_address_then_the_lldp_chassis_mac() -> None:
    macs = {"mac": "00:20:85:fb:22:18", "bridge_address": "a0:f3:c1:22:55:00", "lldp_chassis_id_subtype": 4,
            "lldp_chassis_id": "d0:94:66:5b:1c:20"}  # fmt: skip
    assert key(**macs) == "snmp-mac-00:20:85:fb:22:18"
    del macs["mac"]
    assert key(**macs) == "snmp-mac-a0:f3:c1:22:55:00"  # bridge address used when the device MAC is missing
    del macs["bridge_address"]
    assert key(**macs) == "snmp-mac-d0:94:66:5b:1c:20"
    assert key(mac="00:20:85:FB:22:18") == "snmp-mac-00:20:85:fb:22:18"  # one spelling


def test_the_lldp_chassis_id_counts_only_when_its_subtype_says_it_is_a_mac() -> None:
    for subtype in (7, 5, 2, None):  # local name, network address, interface alias, unknown
        assert key(lldp_chassis_id_subtype=subtype, lldp_chassis_id="d0:94:66:5b:1c:20").startswith("snmp-ip-")


def test_the_engine_id_is_used_when_nothing_else_identifies_the_device() -> None:
    assert (
        key(serial="<private>", mac="00:00:00:00:00:00", engine_id=NET_SNMP_ENGINE) == f"snmp-engine-{NET_SNMP_ENGINE}"
    )
    assert key(engine_id=bytes.fromhex(NET_SNMP_ENGINE)) == f"snmp-engine-{NET_SNMP_ENGINE}"
    assert key(mac="00:26:73:5f:aa:00", engine_id=NET_SNMP_ENGINE) == "snmp-mac-00:26:73:5f:aa:00"


@pytest.mark.parametrize(
    "engine_id",
    [
        "", "00000000000000000000", "ffffffffffffffffffff", "80001f8880",  # empty, all zero, all FF, no value
        "80001f88", "0102",  # shorter than RFC 3411's 5 octets
        "80001f8880000000000000000000",  # Net-SNMP's format, zero value
        "80000009" "01" "c0a80101",  # IPv4 format: 192.168.1.1, the address again
        "8000000902" "fe800000000000000000000000000001",  # IPv6 format
        "80" * 33, "zz",  # longer than 32 octets, not hex
    ],
)  # fmt: skip
def test_placeholder_engine_ids_are_skipped(engine_id: str) -> None:
    assert engine_id_key(engine_id) is None
    assert key(engine_id=engine_id).startswith("snmp-ip-")


def test_engine_ids_that_identify_an_agent() -> None:
    assert engine_id_key(bytes.fromhex("800000090300000c29a1b2c3")) == "800000090300000c29a1b2c3"  # Cisco, MAC format
    assert engine_id_key("0x80:00:1F:88:80:C4:1A:9E:52") == "80001f8880c41a9e52"
    assert engine_id_key("000000090000000c29a1b2c3") == "000000090000000c29a1b2c3"  # SNMPv2 (RFC 1910) 12 octets


def test_the_address_fallback_names_the_port_and_the_credential() -> None:
    assert key() == "snmp-ip-10.0.0.10:161@public"
    behind_one_address = {
        key(Target(host="192.168.1.1", credential="public", port=161)),
        key(Target(host="192.168.1.1", credential="public", port=1161)),
        key(Target(host="192.168.1.1", credential="onduleurs", port=161)),
    }
    assert behind_one_address == {"snmp-ip-192.168.1.1:161@public", "snmp-ip-192.168.1.1:1161@public",
                                  "snmp-ip-192.168.1.1:161@onduleurs"}  # fmt: skip
    assert address_id("snmp", "fe80::1", 161, "salle serveur/2") == "snmp-ip-[fe80::1]:161@salle_serveur_2"
    assert address_id("ssh", "10.0.0.2", 22, None) == "ssh-ip-10.0.0.2:22"


def test_ssh_follows_the_same_ladder_and_meets_snmp_on_the_serial() -> None:
    target = SshTarget("10.0.0.2", 2222, credential="netadmin")

    def ssh_key(**facts: object) -> str:
        return ssh_device_key(DeviceInventory(Facts(**facts), "switch", "Networking"), target)  # type: ignore[arg-type]

    assert ssh_key(serial="FOC2031X0AB") == key(serial="FOC2031X0AB") == "snmp-sn-FOC2031X0AB"
    assert ssh_key(serial="<private>") == ssh_key() == "ssh-ip-10.0.0.2:2222@netadmin"
    assert ssh_key(serial="To Be Filled By O.E.M.", hostname="switch") == "ssh-ip-10.0.0.2:2222@netadmin"
    assert device_identity(macs=["00:26:73:5f:aa:00"]) == key(mac="00:26:73:5f:aa:00")  # a MAC, whoever read it


# Real agents: snmpsim serving several devices on one host:port, one community each.

DEVICES = {  # recording -> the id it must get (the address ones with the simulator's port)
    "identity_ups": "snmp-mac-00:20:85:fb:22:18",  # serial <private>: its card's MAC
    "identity_switch": "snmp-mac-a0:f3:c1:22:55:00",  # chassis serial To Be Filled By O.E.M.: the bridge address
    "identity_firewall": "snmp-mac-00:08:a2:0c:0d:0e",  # locally administered port MACs: the bridge address
    "identity_lldp": "snmp-mac-d0:94:66:5b:1c:20",  # a QEMU guest's MAC: the LLDP local chassis MAC
    "identity_engine": f"snmp-engine-{NET_SNMP_ENGINE}",  # no MAC at all: the SNMP engine id
    "identity_bare": "snmp-ip-{endpoint}@identity_bare",  # all-zero engine id, local MACs: the endpoint
    "identity_bare_copy": "snmp-ip-{endpoint}@identity_bare_copy",  # the same answers under another community
}


@pytest.fixture(scope="module")
def one_endpoint() -> Iterator[SnmpSimulator]:
    """Every device of DEVICES behind one host:port, told apart by the community only."""
    need(snmpsim_command() is not None, "snmpsim is not installed (make snmpsim)")
    recordings = {name: RECORDINGS / f"{name.removesuffix('_copy')}.snmprec" for name in DEVICES}
    simulator = SnmpSimulator.start(only=[], extra=recordings)
    yield simulator
    simulator.stop()


def _collect(config: Path, output: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """One ``mutuparc collect --output`` run: the messages it wrote, by deviceid."""
    command = [sys.executable, "-m", "mutuparc", "collect", "--config", str(config), "--output", str(output)]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert f"{len(DEVICES)} devices in" in done.stderr, done.stderr
    messages = [json.loads(p.read_text()) for p in sorted(output.glob("*.json")) if p.name != "report.json"]
    assert len(messages) == len(DEVICES), sorted(p.name for p in output.iterdir())  # no file overwrote another
    report = json.loads((output / "report.json").read_text())
    assert {d["status"] for d in report["devices"]} == {"ok"}, report["devices"]
    return {m["deviceid"]: m for m in messages}


@pytest.mark.slow
def test_devices_behind_one_endpoint_get_distinct_stable_ids(one_endpoint: SnmpSimulator, tmp_path: Path,
                                                             glpi_schema: dict) -> None:  # type: ignore[type-arg]  # fmt: skip
    host, port = one_endpoint.endpoints[0]
    config = tmp_path / "collector.yml"
    config.write_text(yaml.safe_dump({
        "timeout": 1, "retries": 1,
        "credentials": {name: {"version": "2c", "community": name} for name in DEVICES},
        "targets": [{"host": host, "port": port, "credential": name} for name in DEVICES],  # no names: sysName it is
    }))  # fmt: skip
    first = _collect(config, tmp_path / "first")
    second = _collect(config, tmp_path / "second")

    expected = {name: wanted.format(endpoint=f"{host}:{port}") for name, wanted in DEVICES.items()}
    assert sorted(first) == sorted(expected.values())  # one id per device, each the one its values give
    assert sorted(second) == sorted(first)  # and the same ids the next run
    for message in first.values():
        jsonschema.validate(message, glpi_schema)
        device = message["content"]["network_device"]
        assert device["name"] == "<private>"  # placeholder names are sent as they are, never used as ids
        assert not set(IDENTITY_FIELDS) & set(device), device  # read for the id only, not sent
    ups = first[expected["identity_ups"]]["content"]["network_device"]
    assert (ups["serial"], ups["mac"]) == ("<private>", "00:20:85:fb:22:18")


# The shipped profiles' recordings keep the ids they had before the ladder (none is a placeholder).

SHIPPED_IDS = {
    "apc_powernet": "snmp-sn-AS1922152233",
    "aruba_aoscx": "snmp-sn-SG2ZKN40B7",
    "cisco_ios": "snmp-sn-FOC2031X0AB",
    "cisco_iosxe": "snmp-sn-FOC2348L0XY",
    "eaton_xups": "snmp-sn-G118K32011",
    "fortinet_fortigate": "snmp-sn-FGT60FTK2109B3XY",
    "generic_switch": "snmp-mac-1c:7e:e5:10:20:30",
    "hpe_aruba_procurve": "snmp-sn-SG09KP0123",
    "linux_net_snmp": "snmp-mac-d0:94:66:4a:0b:10",
    "mib2_generic": "snmp-mac-00:40:8c:e1:22:31",
    "netgear_prosafe": "snmp-sn-5S31875FA0123",
    "opnsense": "snmp-mac-a0:36:9f:44:55:01",
    "pfsense": "snmp-mac-00:08:a2:12:34:01",
    "qnap_qts": "snmp-sn-Q22AI12345",
    "sophos_sfos": "snmp-sn-X23001ZQ4KXR7C9",
    "sophos_sfos_peer": "snmp-sn-X23001ZQ7M2PD40",
    "stormshield_sns": "snmp-sn-SN310A17C0123A9",
    "synology_dsm": "snmp-sn-2150PDN512347",
    "ups_mib_generic": "snmp-mac-00:e0:d8:11:7a:9c",
}


def test_shipped_recordings_keep_their_ids(snmpsim) -> None:  # type: ignore[no-untyped-def]
    config = simulated(snmpsim, *SHIPPED_IDS)
    summary = asyncio.run(poll_all(config.targets, config, load_profiles()))
    got = {r.target.name: (r.inventory or {}).get("deviceid", r.message) for r in summary.results}
    assert got == SHIPPED_IDS


def test_snmpv1_agents_get_the_ids_v2c_gives(snmpsim) -> None:  # type: ignore[no-untyped-def]
    """SNMPv1 answers decode to SMIv1 types: the serial and the identity values are read all the same."""
    names = ["eaton_xups", "cisco_ios", "pfsense", *(n for n in DEVICES if not n.endswith("_copy"))]
    ids = {}
    for version in ("2c", "1"):
        config = simulated(snmpsim)
        for name in names:
            add_target(config, snmpsim.endpoints[0], name, Credential(version=version, name=name, community=name))
        summary = asyncio.run(poll_all(config.targets, config, load_profiles()))
        ids[version] = {r.target.name: (r.inventory or {}).get("deviceid", r.message) for r in summary.results}
    assert ids["1"] == ids["2c"]
    assert ids["1"]["eaton_xups"] == "snmp-sn-G118K32011"


def test_snmpv1_absent_oids_cost_one_request_each(snmpsim) -> None:  # type: ignore[no-untyped-def]
    """SNMPv1 fails a GET for one absent OID and names it: it is dropped and the rest asked again."""
    present = [f"1.3.6.1.2.1.1.{n}.0" for n in (1, 2, 3, 4, 5, 6, 7)]
    absent = ["1.3.6.1.6.3.10.2.1.1.0", "1.0.8802.1.1.2.1.3.2.0"]

    async def get() -> tuple[dict, int]:  # type: ignore[type-arg]
        channels = Channels()
        try:
            host, port = snmpsim.endpoints[0]
            session = SnmpSession(channels, host, Credential(version="1", community="eaton_xups"), port=port)
            return await session.get([*present[:3], absent[0], *present[3:], absent[1]]), session.requests
        finally:
            channels.close()

    found, requests = asyncio.run(get())
    assert sorted(found) == sorted(present) and found["1.3.6.1.2.1.1.5.0"] == b"ondu-dc-b"
    assert requests == 1 + len(absent)


@pytest.mark.slow
def test_devices_behind_one_endpoint_are_one_asset_each_on_the_server(one_endpoint: SnmpSimulator, live_server,
                                                                      engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """The same seven <private> devices sent to a real server twice: seven assets, and the second
    run adds nothing to their history (no merge churning on every run)."""
    from tests.utils import make_enrolment_token, make_member, make_user

    host, port = one_endpoint.endpoints[0]
    token = make_enrolment_token(engine, make_member(engine, "CCOB"), kind="collector")
    admin = make_user(engine, "dsit")
    config = tmp_path / "collector.yml"
    config.write_text(yaml.safe_dump({
        "server": f"{live_server.url}/t/{token}/", "state_dir": str(tmp_path / "state"), "timeout": 1, "retries": 1,
        "credentials": {name: {"version": "2c", "community": name} for name in DEVICES},
        "targets": [{"host": host, "port": port, "credential": name} for name in DEVICES],
    }))  # fmt: skip
    command = [sys.executable, "-m", "mutuparc", "collect", "--config", str(config), "--no-discovery"]

    def run_and_read() -> dict[int, int]:
        done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0 and f"{len(DEVICES) + 1} sent to the server" in done.stderr, (
            done.stderr
        )  # + the run report
        with httpx.Client(base_url=live_server.url, headers=admin) as client:
            assets = client.get("/api/v1/assets", params={"limit": 100}).json()["data"]
            return {a["id"]: len(client.get(f"/api/v1/assets/{a['id']}").json()["history"]) for a in assets}

    first = run_and_read()
    assert len(first) == len(DEVICES)
    assert run_and_read() == first
