"""``mutuparc collect`` with an ``ssh:`` section: the replayed switch is inventoried over SSH in the
same run as the SNMP devices, delivered to a live server, and its status is in the run report; the
host key it trusted on first use is pinned on the server, so another collector refuses a changed key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import paramiko
import yaml

from tests.support.live import start_server
from tests.support.pgcluster import free_port
from tests.support.ssh_replay import ReplayDevice, recordings
from tests.utils import PROJECT, make_enrolment_token, make_member, make_user


def test_a_run_inventories_ssh_targets_and_reports_their_status(db, engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Brie-Comte-Robert")
    token = make_enrolment_token(engine, member, kind="collector")
    headers = make_user(engine, "dsit", role="admin")
    port = free_port()
    switch = ReplayDevice("sw-mairie-bcr", recordings("cisco_ios")).start()
    config = tmp_path / "collector.yml"
    config.write_text(yaml.safe_dump({
        "server": f"http://127.0.0.1:{port}/t/{token}/", "state_dir": str(tmp_path / "state"),
        "ssh": {"credentials": {"netadmin": {"username": "admin", "password": "cisco"},
                                "wrong": {"username": "admin", "password": "not-cisco"}},
                "targets": [{"host": "127.0.0.1", "port": switch.port, "credential": "netadmin", "driver": "cisco_ios"},
                            {"host": "127.0.0.1", "port": switch.port, "credential": "wrong", "name": "sw-bis"}],
                "timeout": 5},
    }))  # fmt: skip
    server = start_server(db.url, tmp_path / "server.log", port=port)
    try:
        run = subprocess.run([sys.executable, "-m", "mutuparc", "collect", "--config", str(config)], cwd=PROJECT,
                             capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert "ok over SSH" in run.stderr and "auth_failure over SSH" in run.stderr
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", headers=headers, timeout=30)
        assets = api.get("/assets", params={"q": "FOC2031X0AB"}).json()["data"]
        assert [(a["name"], a["asset_type"], a["member_id"]) for a in assets] == [("sw-mairie-bcr", "switch", member)]
        (last,) = api.get("/collector/runs").json()["data"]
        assert (last["devices"], last["ok"], last["auth_failure"]) == (2, 1, 1)
        assert [p["name"] for p in last["problems"]] == ["sw-bis"]
        textfile = (tmp_path / "state" / "mutuparc_collector.prom").read_text()  # for node_exporter
        assert 'mutuparc_collector_devices{protocol="ssh",status="auth_failure"} 1.0' in textfile
        assert "mutuparc_collector_spooled_messages 0.0" in textfile

        (pinned,) = api.get("/ssh-host-keys").json()["data"]
        assert (pinned["host"], pinned["member_id"]) == (f"[127.0.0.1]:{switch.port}", member)
        assert pinned["fingerprint"].startswith("SHA256:")

        # The switch answers with another key; a new collector (empty known_hosts) gets the pin from the server.
        switch.stop()
        switch = ReplayDevice("sw-mairie-bcr", recordings("cisco_ios"), port=switch.port,
                              key=paramiko.RSAKey.generate(2048)).start()  # fmt: skip
        settings = yaml.safe_load(config.read_text())
        settings["state_dir"] = str(tmp_path / "another-collector")
        config.write_text(yaml.safe_dump(settings))
        run = subprocess.run([sys.executable, "-m", "mutuparc", "collect", "--config", str(config)], cwd=PROJECT,
                             capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert "host_key over SSH" in run.stderr and "CHANGED" in run.stderr and "ok over SSH" not in run.stderr
        assert api.get("/ssh-host-keys").json()["data"][0]["fingerprint"] == pinned["fingerprint"]  # kept
        known = (tmp_path / "another-collector" / "known_hosts").read_text()
        assert f"[127.0.0.1]:{switch.port}" in known
    finally:
        server.stop()
        switch.stop()
