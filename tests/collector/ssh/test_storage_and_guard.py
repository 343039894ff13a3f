"""Storage figures as ``df`` and ``lsblk`` give them, against a real OpenSSH server on loopback
(used = df's used, reserved blocks accounted; a share du cannot size is a warning for that share
only); and the read-only guard at the lowest layer: a newline, carriage return, NUL or shell
character outside quotes never leaves the collector, whichever driver or caller sends it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from collector.errors import NotAllowed
from collector.ssh.connection import CliSession, ExecSession, SshCredential, SshTarget, check_command
from collector.ssh.drivers import DRIVERS
from collector.ssh.runner import inventory_one
from tests.conftest import need
from tests.support.sshd import Sshd, available, start_sshd
from wire.glpi_json import parse_sections

MIB, MB = 2**20, 10**6


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    need(available(), "OpenSSH server not installed (Debian openssh-server)")
    server = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield server
    server.stop()


def _linux(sshd: Sshd, tmp_path: Path, shares: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    target = SshTarget("127.0.0.1", sshd.port, driver="linux", timeout=10, shares=shares)
    return inventory_one(target, SshCredential(sshd.user, key_file=str(sshd.client_key)), tmp_path / "known_hosts")


def _df(mount: str) -> tuple[int, int]:
    lines = subprocess.run(["df", "-B1", "--output=size,used", mount], capture_output=True, text=True,
                           check=True).stdout.splitlines()  # fmt: skip
    size, used = lines[1].split()
    return int(size), int(used)


def _metrics(sections: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(m["name"], m["instance"]): m["value"] for m in sections["mutuparc_metrics"]}


def test_used_is_what_df_says_and_sizes_are_bytes(sshd: Sshd, tmp_path: Path) -> None:
    result = _linux(sshd, tmp_path)
    assert result.status == "ok" and not result.warnings, (result.message, result.warnings)
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    total, used = _df("/")
    metrics = _metrics(sections)
    assert metrics[("volume.total_bytes", "/")] == total
    assert abs(metrics[("volume.used_bytes", "/")] - used) < 256 * MIB  # other tests write meanwhile
    root = next(d for d in sections["drives"] if d["mount"] == "/")  # type: ignore[union-attr]
    assert abs(root["total_bytes"] - total) < MIB  # the GLPI drive record is in MiB
    assert abs((root["total_bytes"] - root["free_bytes"]) - used) < 256 * MIB  # what the server bills
    disks = json.loads(subprocess.run(["lsblk", "-J", "-b", "-d", "-o", "NAME,SIZE,TYPE"], capture_output=True,
                                      text=True, check=True).stdout)["blockdevices"]  # fmt: skip
    sizes = {d["name"]: d["size"] for d in disks if d["type"] == "disk"}
    sent = {s["name"]: s["size_bytes"] for s in sections.get("storages") or []}  # type: ignore[union-attr]
    assert set(sent) == set(sizes)
    for name, size in sizes.items():
        assert abs((sent[name] or 0) - size) < MB, name  # the GLPI storage record is in MB


def test_a_missing_share_is_a_warning_for_that_share_only(sshd: Sshd, tmp_path: Path) -> None:
    share = tmp_path / "servon"
    share.mkdir()
    (share / "budget.ods").write_bytes(b"x" * 300_000)
    result = _linux(sshd, tmp_path, shares=(str(share), "/nonexistent/chalifert"))
    assert result.status == "ok", result.message
    (warning,) = result.warnings
    assert "/nonexistent/chalifert" in warning and "No such file" in warning
    sections = parse_sections(result.inventory["content"])  # type: ignore[index]
    mounts = {d["mount"] for d in sections["drives"]}  # type: ignore[union-attr]
    assert "/" in mounts and str(share) in mounts and "/nonexistent/chalifert" not in mounts
    assert _metrics(sections)[("volume.used_bytes", str(share))] >= 300_000


def test_a_share_path_with_a_newline_given_through_the_api_is_never_sent(sshd: Sshd, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("still here")
    result = _linux(sshd, tmp_path, shares=(f"/x'\nrm {victim}\n'",))
    assert victim.exists() and result.status == "ok", result.message
    assert any("control character" in w for w in result.warnings), result.warnings


# -- the guard, at the lowest layer ------------------------------------------------------------

PAYLOADS = ["\nrm -f ~/victim", "\rreload", "\x00; reboot", "\n", "\r\n", "\x00"]


class _NoClient:
    """Stands for paramiko's client and netmiko's connection: anything reaching it is a failure."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def exec_command(self, command: str, **_: Any) -> Any:
        self.sent.append(command)
        raise AssertionError(f"sent: {command!r}")

    def invoke_shell(self) -> Any:
        self.sent.append("<shell>")
        raise AssertionError("a shell was opened")

    def send_command(self, command: str, **_: Any) -> Any:
        return self.exec_command(command)


def _session(kind: str) -> tuple[Any, _NoClient]:
    fake = _NoClient()
    if kind == "exec":
        session: Any = ExecSession.__new__(ExecSession)
        session.client = fake
    else:
        session = CliSession.__new__(CliSession)
        session.connection = fake
    session.target = SshTarget("127.0.0.1")
    return session, fake


@pytest.mark.parametrize("name", sorted(DRIVERS))
@pytest.mark.parametrize("payload", PAYLOADS, ids=["newline", "cr", "nul", "lf", "crlf", "bare-nul"])
def test_no_driver_sends_a_command_with_a_newline_cr_or_nul(name: str, payload: str) -> None:
    driver_class = DRIVERS[name]
    session, fake = _session(driver_class.session_kind)
    for command in sorted(driver_class.commands):
        # even when a (buggy) allow-list declares it: the session refuses the exact string
        sloppy = type("Sloppy", (driver_class,), {"commands": driver_class.commands | {command + payload}})
        with pytest.raises(NotAllowed):
            sloppy(session).run(command + payload)
        with pytest.raises(NotAllowed):
            session.run(command + payload)  # the session alone, whatever the caller
    if hasattr(driver_class, "shares"):  # Linux and NAS drivers: du of a share path
        driver = driver_class(session, (f"/volume1/x'{payload}rm ~/victim{payload}'",))
        assert driver.shares() == [] and driver.warnings  # refused, reported, nothing sent
    assert fake.sent == []


@pytest.mark.parametrize("command", ["show version; reload", "cat /etc/os-release && reboot", "uname -r | sh",
                                     "hostname $(reboot)", "hostname `reboot`", "du -sb '/a'b'", "cat /x > /y",
                                     "du -sb \"/a\"", "cat /proc/*", "df \\\n"])  # fmt: skip
def test_shell_characters_outside_quotes_are_refused(command: str) -> None:
    with pytest.raises(NotAllowed):
        check_command(command)


def test_every_declared_command_passes_the_guard() -> None:
    from collector.ssh.runner import LINUX_FLAVOURS

    for driver in DRIVERS.values():
        for command in driver.commands:
            assert check_command(command) == command
    for probe, _, _ in LINUX_FLAVOURS:
        check_command(probe)
    assert check_command("du -sb '/volume1/Mairie; budget $2026 (v2)'")  # inside the quotes: literal to sh


def test_authentication_methods_exhausted_is_one_status_line(sshd: Sshd, tmp_path: Path) -> None:
    """The sshd takes keys only: a password credential has no method left."""
    import time

    started = time.monotonic()
    result = inventory_one(SshTarget("127.0.0.1", sshd.port, driver="linux", timeout=3),
                           SshCredential(sshd.user, password="not-a-key"), tmp_path / "known_hosts")  # fmt: skip
    assert result.status == "auth_failure" and "\n" not in result.message, result.message
    assert time.monotonic() - started < 3
