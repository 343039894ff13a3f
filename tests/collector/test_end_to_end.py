"""``mutuparc collect`` for real: simulated devices polled, sent to a live server, read back.

The server stores each device as an asset of its type (category complex, firmware as its
system), keeps the gauges as time series, records the run, and lists what the sweep found on
the network that is not in the inventory.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import select

from server.collectors.models import SnmpCredential
from tests.support.live import start_server
from tests.support.pgcluster import free_port
from tests.support.snmp_agents import (
    SNMPD_AUTH_KEY,
    SNMPD_PRIV_KEY,
    SNMPD_USER,
    SnmpSimulator,
    free_udp_port,
    recordings,
)
from tests.utils import PROJECT, make_enrolment_token, make_member, make_site, make_user

POLLED = ["synology_dsm", "apc_powernet", "sophos_sfos", "sophos_sfos_peer", "cisco_ios", "fortinet_fortigate"]


@pytest.fixture(scope="module")
def network():  # type: ignore[no-untyped-def]
    """Two devices on their own loopback addresses for the sweep: the NAS (also polled) and a camera."""
    port = free_udp_port()
    found = recordings()
    nas = SnmpSimulator.start([("127.0.0.21", port)], only=[], extra={"public": found["synology_dsm"]})
    camera = SnmpSimulator.start([("127.0.0.22", port)], only=[], extra={"public": found["mib2_generic"]})
    yield port
    nas.stop()
    camera.stop()


def _config(path: Path, server: str, snmpsim, sweep_port: int) -> Path:  # type: ignore[no-untyped-def]
    host, port = snmpsim.endpoints[0]
    config = {
        "server": server,
        "state_dir": str(path.parent / "state"),
        "timeout": 1,
        "retries": 1,
        "credentials": {name: {"version": "2c", "community": name} for name in POLLED}
        | {"public": {"version": "2c", "community": "public"}},
        "targets": [{"host": host, "port": port, "credential": name, "name": name} for name in POLLED]
        + [{"host": "127.0.0.1", "port": free_udp_port(), "credential": "public", "name": "dead"}],
        "discovery": {
            "ranges": ["127.0.0.20-127.0.0.23"],
            "port": sweep_port,
            "credentials": ["public"],
            "icmp": False,
            "timeout": 0.5,
        },
    }
    path.write_text(yaml.safe_dump(config), "utf-8")
    return path


def _collect(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mutuparc", "collect", "--config", str(config)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def test_collect_delivers_inventories_runs_and_discoveries(db, engine, tmp_path, snmpsim, network) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Communauté de communes de l'Orée de la Brie")
    site = make_site(engine, member, "Datacenter")
    token = make_enrolment_token(engine, member, site_id=site, kind="collector")
    headers = make_user(engine, "dsit", role="admin")
    port = free_port()
    config = _config(tmp_path / "collector.yml", f"http://127.0.0.1:{port}/t/{token}/", snmpsim, network)

    # The server is down: the run keeps everything for later.
    first = _collect(config)
    assert first.returncode == 0, first.stderr
    assert "7 devices in" in first.stderr and "6 ok, 1 timeout" in first.stderr
    assert "0 sent to the server, 7 kept for later" in first.stderr

    server = start_server(db.url, tmp_path / "server.log", port=port)
    try:
        second = _collect(config)
        assert second.returncode == 0, second.stderr
        assert "14 sent to the server" in second.stderr  # the first run's 7, then this run's 7
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", headers=headers, timeout=30)
        assets = api.get("/assets", params={"limit": 100}).json()["data"]
        by_name = {a["name"]: a for a in assets}
        assert len(assets) == 6  # two runs, one asset per device; the HA pair is two appliances
        nas = by_name["NAS-DSIT-01"]
        assert (nas["asset_type"], nas["category"], nas["member_id"]) == ("nas", "complex", member)
        assert nas["os"] == "DSM 7.2.1-69057 Update 5"
        assert {by_name[n]["asset_type"] for n in ("fw-dc-1", "fw-dc-2", "FGT-MAIRIE-VJ")} == {"firewall"}
        assert by_name["sw-mairie-bcr"]["asset_type"] == "switch"
        assert by_name["ondu-dc-a"]["asset_type"] == "ups"
        assert by_name["fw-dc-1"]["os"] == "SFOS 20.0.1 MR-1-Build342"

        used = api.get(f"/assets/{nas['id']}/metrics", params={"name": "volume.used_bytes"}).json()
        assert [(m["instance"], m["value"]) for m in used if m["instance"] == "/volume1"] == [
            ("/volume1", 9056733757440.0)
        ] * 2  # one reading per run
        ups = api.get(f"/assets/{by_name['ondu-dc-a']['id']}/metrics", params={"name": "ups.battery.age_days"}).json()
        assert len(ups) == 2 and ups[0]["value"] > 1000  # battery replaced on 2022-03-21

        runs = api.get("/collector/runs").json()
        assert runs["count"] == 2
        assert [(r["ok"], r["timeout"], r["swept_addresses"]) for r in runs["data"]] == [(6, 1, 4)] * 2
        assert runs["data"][0]["problems"][0]["name"] == "dead"

        # The sweep found the NAS (inventoried) and the camera (not): only the camera is to audit.
        unaudited = api.get("/audit/devices").json()["data"]
        assert [(d["address"], d["sys_name"], d["site_id"]) for d in unaudited] == [
            ("127.0.0.22", "cam-parking-mairie", site)
        ]
        # MACs learned on the Cisco access ports that no asset has; the uplink (LLDP) is left out.
        macs = {m["mac"]: m for m in api.get("/audit/macs").json()["data"]}
        assert set(macs) == {"54:bf:64:1a:2b:01", "54:bf:64:1a:2b:02", "00:26:73:5f:aa:01"}
        assert (macs["54:bf:64:1a:2b:01"]["switch_name"], macs["54:bf:64:1a:2b:01"]["port"]) == (
            "sw-mairie-bcr", "Gi1/0/1")  # fmt: skip

        # Another member sees none of it.
        other = make_member(engine, "Servon")
        reader = make_user(engine, "lecteur-servon", role="member_reader", member_id=other)
        for path in ("/collector/runs", "/audit/devices", "/audit/macs", f"/assets/{nas['id']}/metrics"):
            answer = api.get(path, headers=reader)
            assert answer.status_code == 404 or answer.json()["count"] == 0, path
    finally:
        server.stop()


def test_report_endpoint_refuses_agent_tokens_and_bad_reports(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine)
    agent_token = make_enrolment_token(engine, member, kind="agent")
    collector_token = make_enrolment_token(engine, member, kind="collector")
    report = {"action": "collector_report", "collector": "c1", "started_at": "2026-11-23T10:00:00Z",
              "finished_at": "2026-11-23T10:01:00Z"}  # fmt: skip

    assert client.post("/api/v1/collector/reports", json=report).status_code == 401
    refused = client.post("/api/v1/collector/reports", json=report, headers={"X-Mutuparc-Token": agent_token})
    assert refused.status_code == 403 and "collectors need a collector token" in refused.json()["detail"]
    bad = dict(report, discovered=[{"address": "not-an-address", "via": ["snmp"]}])
    answer = client.post("/api/v1/collector/reports", json=bad, headers={"X-Mutuparc-Token": collector_token})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["discovered", 0, "address"]
    garbage = client.post("/api/v1/collector/reports", content=b"\x78\x9c garbage",
                          headers={"X-Mutuparc-Token": collector_token})  # fmt: skip
    assert garbage.status_code == 422

    headers = {"X-Mutuparc-Token": collector_token, "X-Mutuparc-Inventory-Id": "run-1"}
    first = client.post("/api/v1/collector/reports", json=report, headers=headers).json()
    again = client.post("/api/v1/collector/reports", json=report, headers=headers).json()
    assert first["run_id"] == again["run_id"]  # a resend (lost answer) is stored once


def test_collectors_fetch_the_credentials_the_server_keeps_encrypted(db, engine, live_server, snmpd, tmp_path) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Brie-Comte-Robert")
    token = make_enrolment_token(engine, member, kind="collector")
    agent_token = make_enrolment_token(engine, member, kind="agent")
    admin = make_user(engine, "dsit", role="admin")
    reader = make_user(engine, "lecteur", role="member_reader", member_id=member)
    api = httpx.Client(base_url=f"{live_server.url}/api/v1", timeout=30)
    secret = {"member_id": member, "name": "datacenter", "version": "3", "user": SNMPD_USER,
              "auth_protocol": "sha256", "auth_key": SNMPD_AUTH_KEY, "priv_protocol": "aes",
              "priv_key": SNMPD_PRIV_KEY}  # fmt: skip

    assert api.post("/snmp-credentials", json=secret, headers=reader).status_code == 403
    stored = api.post("/snmp-credentials", json=secret, headers=admin)
    assert stored.status_code == 201, stored.text
    assert stored.json()["has_auth_key"] and "auth_key" not in stored.json()
    with engine.connect() as connection:
        row = connection.execute(select(SnmpCredential.__table__)).mappings().one()
    assert SNMPD_AUTH_KEY not in str(dict(row)) and SNMPD_PRIV_KEY not in str(dict(row))  # encrypted at rest
    assert api.post("/collector/credentials", json={}, headers={"X-Mutuparc-Token": agent_token}).status_code == 403

    config = tmp_path / "collector.yml"
    config.write_text(yaml.safe_dump({
        "server": f"{live_server.url}/t/{token}/", "state_dir": str(tmp_path / "state"),
        "credentials_from_server": True,
        "targets": [{"host": "127.0.0.1", "port": snmpd.port, "credential": "datacenter", "asset_type": "server"}],
    }))  # fmt: skip
    done = _collect(config)
    assert done.returncode == 0, done.stderr
    assert "1 devices in" in done.stderr and ": 1 ok" in done.stderr
    assets = api.get("/assets", headers=admin).json()
    assert assets["count"] == 1 and assets["data"][0]["member_id"] == member
