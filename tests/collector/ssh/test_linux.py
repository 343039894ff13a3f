"""The Linux driver against a real OpenSSH server on loopback: this machine inventoried over
SSH, and the failures a run must survive (wrong key, changed host key, silence) each reported."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import jsonschema
import pytest

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.runner import inventory_all, inventory_one
from tests.conftest import need
from tests.support.sshd import Sshd, available, start_sshd
from wire.glpi_json import parse_sections


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    need(available(), "OpenSSH server not installed (Debian openssh-server)")
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


def _target(sshd: Sshd, **changes) -> SshTarget:  # type: ignore[no-untyped-def]
    return SshTarget(host="127.0.0.1", port=sshd.port, driver=changes.pop("driver", "linux"), timeout=5, **changes)


def test_this_machine_is_inventoried_over_ssh(sshd: Sshd, tmp_path: Path, glpi_schema) -> None:  # type: ignore[no-untyped-def]
    known_hosts = tmp_path / "known_hosts"
    result = inventory_one(_target(sshd), SshCredential(sshd.user, key_file=str(sshd.client_key)), known_hosts)
    assert result.status == "ok", result.message
    jsonschema.validate(result.inventory, glpi_schema)
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    device = sections["network_device"]
    pretty = next(line.split("=", 1)[1].strip('"') for line in Path("/etc/os-release").read_text().splitlines()
                  if line.startswith("PRETTY_NAME="))  # fmt: skip
    assert device["os_name"] == pretty and device["name"] == socket.gethostname()  # type: ignore[index]
    mounts = {v["mount"]: v for v in sections["drives"]}  # type: ignore[index]
    assert "/" in mounts and mounts["/"]["total_bytes"] > mounts["/"]["free_bytes"] > 0
    assert sshd.host_public_key in known_hosts.read_text()  # trusted on first use, and pinned


def test_auto_detects_a_linux_host(sshd: Sshd, tmp_path: Path) -> None:
    result = inventory_one(_target(sshd, driver="auto"), SshCredential(sshd.user, key_file=str(sshd.client_key)),
                           tmp_path / "known_hosts")  # fmt: skip
    assert (result.status, result.driver) == ("ok", "linux"), result.message


def test_each_failure_has_its_status_and_the_run_goes_on(sshd: Sshd, tmp_path: Path) -> None:
    good = SshCredential(sshd.user, key_file=str(sshd.client_key))
    other_key = tmp_path / "other"
    other_key.write_text(Path(str(sshd.client_key)).read_text())  # same format, but rewritten below
    import subprocess

    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "stranger")], check=True)
    changed = tmp_path / "changed_known_hosts"
    stranger = (tmp_path / "stranger.pub").read_text().split()
    changed.write_text(f"[127.0.0.1]:{sshd.port} {stranger[0]} {stranger[1]}\n")  # a different host key

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    mute = SshTarget(host="127.0.0.1", port=silent.getsockname()[1], driver="linux", timeout=1.5)

    results = inventory_all([(_target(sshd), SshCredential(sshd.user, key_file=str(tmp_path / "stranger"))),
                             (mute, good), (_target(sshd), good)], tmp_path / "known_hosts", concurrency=3)  # fmt: skip
    assert [r.status for r in results] == ["auth_failure", "timeout", "ok"], [r.message for r in results]
    refused = inventory_one(_target(sshd), good, changed)
    assert refused.status == "host_key" and "CHANGED" in refused.message
    strict = inventory_one(_target(sshd), good, tmp_path / "empty_known_hosts", trust_on_first_use=False)
    assert strict.status == "host_key" and "unknown host key" in strict.message
    silent.close()
