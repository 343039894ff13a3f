"""One switch read over SNMP (snmpsim replaying its recording) and over SSH (its CLI replayed):
the server keeps one asset, with what each protocol knows best."""

from __future__ import annotations

import asyncio
from pathlib import Path

from collector.profiles import load_profiles
from collector.runner import poll_all
from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.runner import inventory_one
from tests.collector.conftest import simulated
from tests.support.ssh_replay import ReplayDevice, recordings
from tests.utils import make_enrolment_token, make_member, make_user, post_inventory
from wire.glpi_json import parse_sections


def test_snmp_and_ssh_of_one_switch_are_one_asset(client, engine, snmpsim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Brie-Comte-Robert")
    token = make_enrolment_token(engine, member, kind="collector")
    summary = asyncio.run(poll_all(simulated(snmpsim, "cisco_ios").targets, simulated(snmpsim, "cisco_ios"),
                                   load_profiles()))  # fmt: skip
    (snmp,) = summary.results
    assert snmp.status == "ok", snmp.message
    device = ReplayDevice("sw-mairie-bcr", recordings("cisco_ios")).start()
    try:
        ssh = inventory_one(SshTarget("127.0.0.1", device.port, driver="cisco_ios", timeout=5),
                            SshCredential("admin", "cisco"), tmp_path / "known_hosts")  # fmt: skip
    finally:
        device.stop()
    assert ssh.status == "ok", ssh.message
    # One port map: the same port names, and connections of the same shape, whichever protocol read them.
    ports = {name: {p["name"]: p for p in parse_sections(m["content"])["network_ports"]}  # type: ignore[union-attr,index]
             for name, m in (("snmp", snmp.inventory), ("ssh", ssh.inventory))}  # fmt: skip
    assert {"Gi1/0/1", "Gi1/0/5"} <= set(ports["snmp"]) & set(ports["ssh"])
    neighbour_keys = {"sysname", "sysdescr", "ifdescr", "sysmac"}
    for protocol in ("snmp", "ssh"):
        for port in ports[protocol].values():
            for connection in port.get("connections") or []:
                assert set(connection) == {"mac"} or set(connection) <= neighbour_keys, (protocol, connection)
    assert any(p.get("connections") for p in ports["ssh"].values())
    for message in (snmp.inventory, ssh.inventory):
        answer = post_inventory(client, message, token=token)  # type: ignore[arg-type]
        assert answer.status_code == 200, answer.text

    admin = make_user(engine, "dsit", role="admin")
    assets = client.get("/api/v1/assets", params={"q": "FOC2031X0AB"}, headers=admin).json()["data"]
    assert len(assets) == 1  # one switch, read twice
    detail = client.get(f"/api/v1/assets/{assets[0]['id']}", headers=admin).json()
    assert detail["serial"] == "FOC2031X0AB" and detail["asset_type"] == "switch"
    components = {c["serial"] for c in detail["components"]["network_components"]}
    assert "FOC2031X1CD" in components  # the stack member, whichever protocol reported it
