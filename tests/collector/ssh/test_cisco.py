"""The Cisco IOS driver through netmiko against a replayed Catalyst 2960-X stack; garbage output,
a wrong password and an unknown host key each give their status; SSH and SNMP of the same switch
end as one asset on the server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import paramiko
import pytest

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.runner import inventory_all, inventory_one
from tests.support.ssh_replay import ReplayDevice, recordings
from tests.utils import PROJECT
from wire.glpi_json import parse_sections


@pytest.fixture(scope="module")
def switch():  # type: ignore[no-untyped-def]
    device = ReplayDevice("sw-mairie-bcr", recordings("cisco_ios")).start()
    yield device
    device.stop()


def _target(device: ReplayDevice, driver: str = "cisco_ios") -> SshTarget:
    return SshTarget(host="127.0.0.1", port=device.port, driver=driver, timeout=5)


def test_a_cisco_stack_is_inventoried(switch: ReplayDevice, tmp_path: Path) -> None:
    result = inventory_one(_target(switch), SshCredential("admin", "cisco"), tmp_path / "known_hosts")
    assert result.status == "ok", result.message
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    device = sections["network_device"]
    assert (device["model"], device["serial"], device["firmware"]) == ("WS-C2960X-48FPD-L", "FOC2031X0AB",  # type: ignore[index]
                                                                       "15.2(7)E9")  # fmt: skip
    assert result.inventory["deviceid"] == "snmp-sn-FOC2031X0AB"  # type: ignore[index]  # as the SNMP collector names it
    serials = {c["serial"] for c in sections["network_components"]}  # type: ignore[union-attr]
    assert {"FOC2031X1CD", "LIT20311XA4"} <= serials  # the second stack member and its power supply
    ports = {p["name"]: p for p in sections["network_ports"]}  # type: ignore[union-attr]
    assert ports["Gi1/0/1"]["alias"] == "Accueil PC-01" and ports["Gi1/0/3"]["oper_status"] == 2


def test_the_replayed_device_pages_until_netmiko_turns_paging_off(switch: ReplayDevice) -> None:
    """Without ``terminal length 0`` the replay pages like a real switch (so the inventory above,
    whose ``show version`` is 90 lines long, proves netmiko turned paging off)."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507 - a loopback test device
    client.connect("127.0.0.1", port=switch.port, username="admin", password="cisco", look_for_keys=False,
                   allow_agent=False, timeout=5)  # fmt: skip
    shell = client.invoke_shell()
    shell.settimeout(5)
    shell.send(b"show version\n")
    received = b""
    while b"--More--" not in received:
        received += shell.recv(4096)
    assert received.count(b"\n") < 30  # the first page only
    client.close()


def test_failures_are_per_device(switch: ReplayDevice, tmp_path: Path) -> None:
    garbage = ReplayDevice("sw-garbage", {"show version": "\x00\x13 %%% ERROR: flash corrupted %%%\n"}).start()
    try:
        results = inventory_all([(_target(switch), SshCredential("admin", "wrong")),
                                 (_target(garbage), SshCredential("admin", "cisco")),
                                 (_target(switch), SshCredential("admin", "cisco"))],
                                tmp_path / "known_hosts", concurrency=3)  # fmt: skip
    finally:
        garbage.stop()
    assert [r.status for r in results] == ["auth_failure", "parse_error", "ok"], [r.message for r in results]
    assert "show version" in results[1].message
    strict = inventory_one(_target(switch), SshCredential("admin", "cisco"), tmp_path / "none",
                           trust_on_first_use=False)  # fmt: skip
    assert strict.status == "host_key"


def test_the_cli_identifies_the_platform_and_prints_the_inventory(switch: ReplayDevice, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mutuparc", "collect", "ssh", "127.0.0.1", "--port", str(switch.port),
               "--driver", "auto", "--user", "admin", "--known-hosts", str(tmp_path / "known_hosts")]  # fmt: skip
    env = {**os.environ, "MUTUPARC_SSH_PASSWORD": "cisco"}
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["deviceid"] == "snmp-sn-FOC2031X0AB" and "cisco_ios" in result.stderr
    wrong = subprocess.run([*command[:-2], "--known-hosts", str(tmp_path / "k2"), "--strict"], cwd=PROJECT, env=env,
                           capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert wrong.returncode == 1 and "host_key" in wrong.stderr


def test_messages_validate_against_the_glpi_schema(switch: ReplayDevice, tmp_path: Path, glpi_schema) -> None:  # type: ignore[no-untyped-def]
    result = inventory_one(_target(switch), SshCredential("admin", "cisco"), tmp_path / "known_hosts")
    jsonschema.validate(result.inventory, glpi_schema)
