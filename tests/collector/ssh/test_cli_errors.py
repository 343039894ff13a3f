"""``mutuparc collect ssh`` run for real against hosts that fail: each failure is one line on the
console (what went wrong, and the status when it is not a plain error), exit status 1, and no
traceback of paramiko's. Everything is on loopback: a closed port, sockets that accept and close,
send garbage or say nothing, a replayed device with another password or another host key; the
name that does not resolve is refused by a patched resolver, without a DNS query."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paramiko
import pytest

from tests.support.ssh_replay import ReplayDevice, host_key, recordings
from tests.utils import PROJECT


def _collect_ssh(host: str, port: int, tmp_path: Path, *extra: str, wrong_password: bool = False,
                 prelude: str = "") -> tuple[int, str]:  # fmt: skip
    args = ["collect", "ssh", host, "--port", str(port), "--user", "admin", "--timeout", "2",
            "--known-hosts", str(tmp_path / "known_hosts"), *extra]  # fmt: skip
    command = [sys.executable, "-m", "mutuparc", *args]
    if prelude:  # the same command, after ``prelude``
        command[1:3] = ["-c", f"{prelude}\nimport sys\nfrom mutuparc.cli import main\nsys.argv[0] = 'mutuparc'\nmain()"]
    env = {**os.environ, "MUTUPARC_SSH_PASSWORD": "wrong" if wrong_password else ReplayDevice.password}
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60, check=False)
    return result.returncode, result.stdout + result.stderr


def _one_line(output: str) -> str:
    assert "Traceback" not in output and "paramiko" not in output, output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    return lines[0]


@contextlib.contextmanager
def _listener(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    """A loopback port whose connections ``handle`` answers (in a thread each)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        with contextlib.suppress(OSError):
            server.shutdown(socket.SHUT_RDWR)
        server.close()


def _close(connection: socket.socket) -> None:
    connection.close()


def _http(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    time.sleep(0.2)
    connection.close()


def _garbage(connection: socket.socket) -> None:
    connection.sendall(b"\x00\xff\xfe\x17 garbage\r\n")
    time.sleep(0.2)
    connection.close()


def _silence(connection: socket.socket) -> None:
    time.sleep(8)  # longer than the client's --timeout
    connection.close()


def test_a_closed_port_is_connection_refused(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, output = _collect_ssh("127.0.0.1", port, tmp_path)
    assert code == 1
    assert _one_line(output) == f"127.0.0.1:{port}: connection refused"


CLOSED = "the connection was closed without an SSH banner (not an SSH server?)"


@pytest.mark.parametrize(("handle", "said"), [(_close, CLOSED), (_http, CLOSED),
                                              (_garbage, "not an SSH server (what it sent is no SSH banner)")],
                         ids=["accepts-and-closes", "http-then-closes", "sends-garbage"])  # fmt: skip
def test_something_that_is_not_an_ssh_server(tmp_path: Path, handle: Callable[[socket.socket], None],
                                             said: str) -> None:  # fmt: skip
    with _listener(handle) as port:
        code, output = _collect_ssh("127.0.0.1", port, tmp_path)
    assert code == 1
    assert _one_line(output) == f"127.0.0.1:{port}: {said}"


def test_a_silent_port_times_out(tmp_path: Path) -> None:
    with _listener(_silence) as port:
        started = time.monotonic()
        code, output = _collect_ssh("127.0.0.1", port, tmp_path)
    assert code == 1 and time.monotonic() - started < 30
    assert _one_line(output) == f"127.0.0.1:{port}: no SSH answer within 2 s [timeout]"


def test_a_name_that_does_not_resolve(tmp_path: Path) -> None:
    no_dns = ("import socket\n"
              "def _unknown(*args, **kwargs):\n"
              "    raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')\n"
              "socket.getaddrinfo = _unknown\n")  # fmt: skip
    code, output = _collect_ssh("switch.example.invalid", 22, tmp_path, prelude=no_dns)
    assert code == 1
    assert _one_line(output) == "switch.example.invalid: unknown host name (Name or service not known)"


@pytest.fixture(scope="module")
def switch() -> Iterator[ReplayDevice]:
    device = ReplayDevice("sw-mairie-bcr", recordings("cisco_ios")).start()
    yield device
    device.stop()


def test_a_wrong_password(switch: ReplayDevice, tmp_path: Path) -> None:
    code, output = _collect_ssh("127.0.0.1", switch.port, tmp_path, wrong_password=True)
    assert code == 1
    assert _one_line(output) == "127.0.0.1: authentication failed for admin [auth_failure]"


def test_a_host_key_that_changed(switch: ReplayDevice, tmp_path: Path) -> None:
    pinned = paramiko.HostKeys()  # the switch was replaced: the key pinned is another one
    pinned.add(f"[127.0.0.1]:{switch.port}", "ssh-rsa", paramiko.RSAKey.generate(2048))
    pinned.save(str(tmp_path / "known_hosts"))
    assert pinned.lookup(f"[127.0.0.1]:{switch.port}")["ssh-rsa"] != host_key()
    code, output = _collect_ssh("127.0.0.1", switch.port, tmp_path)
    assert code == 1
    line = _one_line(output)
    assert line.startswith("127.0.0.1: the host key CHANGED (ssh-rsa): refused") and line.endswith("[host_key]")


def test_a_collector_run_says_each_failure_in_one_line(tmp_path: Path) -> None:
    """``mutuparc collect`` (what the timer runs): the same statuses, one line each, no traceback."""
    import yaml

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with _listener(_close) as closing:
        config = tmp_path / "collector.yml"
        config.write_text(yaml.safe_dump({
            "state_dir": str(tmp_path / "state"),
            "ssh": {"credentials": {"netadmin": {"username": "admin", "password": "cisco"}},
                    "targets": [{"host": "127.0.0.1", "port": closed, "credential": "netadmin"},
                                {"host": "127.0.0.1", "port": closing, "credential": "netadmin", "name": "nas"}],
                    "timeout": 2},
        }))  # fmt: skip
        run = subprocess.run([sys.executable, "-m", "mutuparc", "collect", "--config", str(config), "--output",
                              str(tmp_path / "out")], cwd=PROJECT, capture_output=True, text=True, timeout=120,
                             check=False)  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Traceback" not in output and "paramiko" not in output, output
    assert f"127.0.0.1:{closed}: connection refused" in output
    assert f"127.0.0.1:{closing}: the connection was closed without an SSH banner" in output
    assert len(output.strip().splitlines()) <= 5, output  # the two devices, the SNMP summary, the files written


class _MuteCli(ReplayDevice):
    """Logs in, opens a shell, then never shows a prompt."""

    def _shell(self, channel: paramiko.Channel) -> None:
        time.sleep(30)


@pytest.mark.parametrize("driver", ["cisco_ios", "aruba_aoscx", "hp_procurve"])
def test_a_cli_that_never_shows_a_prompt_times_out_in_one_line(tmp_path: Path, driver: str) -> None:
    device = _MuteCli("mute", {}).start()
    try:
        started = time.monotonic()
        code, output = _collect_ssh("127.0.0.1", device.port, tmp_path, "--driver", driver)
        elapsed = time.monotonic() - started
    finally:
        device.stop()
    assert code == 1
    line = _one_line(output)
    assert line.startswith(f"127.0.0.1:{device.port}: no CLI prompt within 2 s") and line.endswith("[timeout]")
    assert elapsed < 12  # was 21 s; the interpreter's start and netmiko's import take a few seconds
