"""Real SNMP agents on loopback for tests, benchmarks and the demo.

- ``SnmpSimulator``: snmpsim serving the profiles' ``.snmprec`` recordings; each recording is
  answered under the community named after it (``cisco_ios``, ``sophos_sfos_peer``...).
- ``Snmpd``: net-snmp's snmpd with a temporary configuration: SNMPv2c community ``public`` and an
  SNMPv3 authPriv user (SHA-256 + AES), inventorying this very machine.

snmpsim needs a Python with a working ``dbm`` (Debian's python3 + python3-gdbm), so it runs
from its own virtualenv (``make snmpsim`` builds ``.venv-snmpsim``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import device_profiles

PROJECT = Path(__file__).resolve().parents[2]
SNMPSIM_ENV = "MUTUPARC_SNMPSIM"  # path of snmpsim-command-responder, to override the default
SNMPD_USER = "mutuparc"
SNMPD_AUTH_KEY = "authpass-mutuparc"
SNMPD_PRIV_KEY = "privpass-mutuparc"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snmpsim_command() -> str | None:
    candidates = [os.environ.get(SNMPSIM_ENV), str(PROJECT / ".venv-snmpsim/bin/snmpsim-command-responder"),
                  shutil.which("snmpsim-command-responder")]  # fmt: skip
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def snmpd_command() -> str | None:
    return next((c for c in (shutil.which("snmpd"), "/usr/sbin/snmpd") if c and os.access(c, os.X_OK)), None)


def recordings() -> dict[str, Path]:
    """Every recording shipped with the profiles, by community (its file name without .snmprec)."""
    found: dict[str, Path] = {}
    for path in sorted(device_profiles.SNMP.rglob("*.snmprec")):
        if path.stem in found:
            raise ValueError(f"two recordings named {path.stem}: {found[path.stem]} and {path}")
        found[path.stem] = path
    return found


def _wait_for_udp_agent(host: str, port: int, community: str, process: subprocess.Popen, log: Path,
                        timeout: float = 60.0) -> None:  # fmt: skip
    """Until the agent answers a GET of sysObjectID (snmpsim indexes its recordings first)."""
    request = _get_sysobjectid_request(community)
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"SNMP agent exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            sock.sendto(request, (host, port))
            try:
                sock.recvfrom(65535)
                return
            except OSError:
                continue
    output = log.read_text(errors="replace")
    raise RuntimeError(f"SNMP agent on {host}:{port} did not answer in {timeout:.0f} s:\n{output}")


def _get_sysobjectid_request(community: str) -> bytes:
    """A hand-encoded SNMPv2c GET of sysObjectID.0 (BER), to probe readiness without pysnmp."""
    oid = bytes([0x06, 0x08, 0x2B, 6, 1, 2, 1, 1, 2, 0])
    varbind = bytes([0x30, len(oid) + 2]) + oid + b"\x05\x00"
    varbinds = bytes([0x30, len(varbind)]) + varbind
    pdu_body = b"\x02\x01\x01" + b"\x02\x01\x00" + b"\x02\x01\x00" + varbinds
    pdu = bytes([0xA0, len(pdu_body)]) + pdu_body
    name = community.encode()
    message = b"\x02\x01\x01" + bytes([0x04, len(name)]) + name + pdu
    return bytes([0x30, len(message)]) + message


@dataclass
class SnmpSimulator:
    """snmpsim answering on ``endpoints`` (host, port) with every recording (or those given)."""

    endpoints: list[tuple[str, int]]
    process: subprocess.Popen
    directory: Path
    log: Path
    communities: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, endpoints: Iterable[tuple[str, int]] | None = None, *, only: Iterable[str] | None = None,
              extra: dict[str, Path] | None = None) -> SnmpSimulator:  # fmt: skip
        command = snmpsim_command()
        if command is None:
            raise FileNotFoundError("snmpsim is not installed: run `make snmpsim`")
        directory = Path(tempfile.mkdtemp(prefix="mutuparc-snmpsim-"))
        data = directory / "data"
        data.mkdir()
        wanted = recordings()
        if only is not None:
            wanted = {name: wanted[name] for name in only}
        wanted.update(extra or {})
        for name, path in wanted.items():  # copies: snmpsim names a symlinked file after its target
            shutil.copyfile(path, data / f"{name}.snmprec")
        points = list(endpoints or [("127.0.0.1", free_udp_port())])
        log = directory / "snmpsim.log"
        args = [command, f"--data-dir={data}", f"--cache-dir={directory / 'cache'}", "--log-level=error",
                "--logging-method=stderr"]  # fmt: skip
        args += [f"--agent-udpv4-endpoint={host}:{port}" for host, port in points]
        env = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}  # snmpsim refuses root unless told
        with log.open("ab") as out:
            process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        simulator = cls(points, process, directory, log, sorted(wanted))
        try:
            _wait_for_udp_agent(*points[0], next(iter(wanted)), process, log)
        except BaseException:
            simulator.stop()
            raise
        return simulator

    def stop(self) -> None:
        _terminate(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class Snmpd:
    """net-snmp's snmpd on a loopback port, v2c community ``public`` and an SNMPv3 authPriv user."""

    port: int
    process: subprocess.Popen
    directory: Path
    log: Path

    @classmethod
    def start(cls) -> Snmpd:
        command = snmpd_command()
        if command is None:
            raise FileNotFoundError("snmpd is not installed (Debian package snmpd)")
        directory = Path(tempfile.mkdtemp(prefix="mutuparc-snmpd-"))
        persist = directory / "persist"
        persist.mkdir()
        config = directory / "snmpd.conf"
        config.write_text(
            "rocommunity public 127.0.0.1\n"
            f'createUser {SNMPD_USER} SHA-256 "{SNMPD_AUTH_KEY}" AES "{SNMPD_PRIV_KEY}"\n'
            f"rouser {SNMPD_USER} authpriv\n"
            "sysLocation Salle de test\nsysContact tests@mutuparc.invalid\n"
        )
        port = free_udp_port()
        log = directory / "snmpd.log"
        env = {**os.environ, "SNMP_PERSISTENT_DIR": str(persist), "MIBS": ""}
        args = [command, "-f", "-Lf", str(log), "-C", "-c", str(config), "-p", str(directory / "pid"),
                f"udp:127.0.0.1:{port}"]  # fmt: skip
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)  # fmt: skip
        log.touch()
        agent = cls(port, process, directory, log)
        try:
            _wait_for_udp_agent("127.0.0.1", port, "public", process, log, timeout=20)
        except BaseException:
            agent.stop()
            raise
        return agent

    def stop(self) -> None:
        _terminate(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
