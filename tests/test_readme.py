"""Every shell command of README.md works as written.

Each line of the README's ``sh`` blocks is run in order with bash, in an empty folder, with the
checkout's commands in PATH, against a PostgreSQL database of its own, as a new user would: its
``export`` lines carry over to the next ones, ``mutuparc server`` is started in the background
for the commands after it, tokens the commands print are the tokens the later commands use. What
differs from the text is only what cannot exist here, replaced by the table ``PLACEHOLDERS``
(the database host, the server's public name, addresses of network devices: loopback ones).

A line runs unless a rule of ``ELSEWHERE`` says which test runs it instead (long-running
commands, programs tested on their own); a rule that matches no line fails, so the table follows
the README.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import need
from tests.support.pgcluster import free_port
from tests.support.snmp_agents import SnmpSimulator, free_udp_port, recordings, snmpsim_command
from tests.utils import PROJECT

README = PROJECT / "README.md"
BIN = Path(sys.executable).parent

# Lines run by another test (or that run until stopped), with the reason.
ELSEWHERE = {
    r"^make (demo|test)\b": "tests/test_self_contained.py runs the demo from a copy alone; make test is this run",
    r"^make dist\b|^pip install": "tests/test_packaging.py builds the wheel and installs it in a fresh venv",
    r"--daemon\b|--every\b": "runs until stopped (tests/agent/test_service.py, collector runner tests)",
    r"^(glpi-agent|fusioninventory-agent)\b": "tests/server/ingest/test_fusioninventory_agent.py runs a real agent",
    r"^mutuparc collect ssh\b": "tests/collector/ssh/ drives it against a real sshd",
    r"^make (venv|format|lint)\b|^scripts/run-tests\.sh|^mutuparc db revision": "developer workflow",
}

# Files the README's commands take as given.
GIVEN_FILES = {"eol-2027.json": PROJECT / "server" / "renewal" / "data" / "eol.json"}


@dataclass
class Session:
    """The shell state the README's lines share."""

    work: Path
    env: dict[str, str]
    placeholders: dict[str, str]
    server: subprocess.Popen | None = None
    outputs: list[str] = field(default_factory=list)

    def substitute(self, line: str) -> str:
        for placeholder, value in self.placeholders.items():
            line = line.replace(placeholder, value)
        return line

    def run(self, line: str) -> str:
        env_file = self.work / ".env-after"
        script = f"{line}\n__rc=$?; env -0 > {env_file}; exit $__rc\n"
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            input="y\n",
            timeout=300,
            check=False,
        )  # fmt: skip  (y: what a user answers)
        output = done.stdout + done.stderr
        print(f"$ {line}\n{output}")  # shown when the test fails
        assert done.returncode == 0, f"README line failed ({done.returncode}): {line}\n{output}"
        assert "Traceback" not in output, f"{line}\n{output}"
        self.env = dict(item.split("=", 1) for item in env_file.read_text().split("\0") if "=" in item)
        self.capture(line, output)
        return output

    def capture(self, line: str, output: str) -> None:
        """Tokens a command printed become the ones the next lines use (what a user would paste)."""
        if token := re.search(r"\bmpa_[\w-]+", output):
            self.env["TOKEN"] = token.group()
        if token := re.search(r"\bmpe_[\w-]+", output):
            self.placeholders["mpe_xxxx"] = token.group()

    def start_server(self, line: str) -> None:
        log = (self.work / "server.log").open("ab")
        self.server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=self.work, env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 60
        url = self.placeholders["https://parc.example"]
        while time.monotonic() < deadline:
            assert self.server.poll() is None, (self.work / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/api/v1/health", timeout=1):  # noqa: S310 - loopback
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"the server did not answer: {(self.work / 'server.log').read_text()}")

    def stop_server(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(30)


def readme_lines() -> list[str]:
    """The commands of the README's ``sh`` blocks, continuation lines joined, comments kept."""
    lines: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", README.read_text("utf-8"), re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append(line.strip())
    return lines


def collector_yaml(session: Session) -> str:
    """The README's collector.yml example, its network addresses moved to loopback."""
    block = next(b for b in re.findall(r"^```yaml\n(.*?)^```", README.read_text("utf-8"), re.S | re.M)
                 if "targets:" in b)  # fmt: skip
    return session.substitute(block).replace("10.0.", "127.0.")


@pytest.fixture
def database(pg_url: str) -> Iterator[str]:
    """A database of its own in the test cluster, as the README's PostgreSQL."""
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS mutuparc_readme WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE mutuparc_readme"))
    yield pg_url.rsplit("/", 1)[0] + "/mutuparc_readme"
    engine.dispose()


@pytest.mark.slow
def test_every_readme_command_works_as_written(database: str, tmp_path: Path) -> None:
    need(snmpsim_command() is not None, "snmpsim is not installed (make snmpsim)")
    lines = readme_lines()
    unused = [rule for rule in ELSEWHERE if not any(re.search(rule, line) for line in lines)]
    assert not unused, f"rules matching no README line (remove them): {unused}"

    port, snmp_port = free_port(), free_udp_port()
    simulator = SnmpSimulator.start([("127.0.0.1", snmp_port)], only=[],
                                    extra={"public": recordings()["cisco_ios"]})  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTUPARC_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    env["MUTUPARC_AGENT_STATE_DIR"] = str(tmp_path / "agent-state")  # not this machine's /var/lib
    for name, source in GIVEN_FILES.items():  # what the README's commands take as given
        shutil.copy(source, tmp_path / name)
    session = Session(tmp_path, env, placeholders={
        "postgresql://mutuparc:secret@db.example/mutuparc": database,
        "https://parc.example": f"http://127.0.0.1:{port}",
        "--host 0.0.0.0 --port 8000": f"--host 127.0.0.1 --port {port}",
        "localhost:8000": f"127.0.0.1:{port}",
        "probe 10.0.0.10": f"probe 127.0.0.1 --port {snmp_port}",
    })  # fmt: skip
    ran = []
    try:
        for line in lines:
            if any(re.search(rule, line) for rule in ELSEWHERE):
                continue
            command = session.substitute(line)
            if "collector.yml" in command and not (tmp_path / "collector.yml").exists():
                (tmp_path / "collector.yml").write_text(collector_yaml(session), "utf-8")
            if re.match(r"mutuparc server\b", command):
                session.start_server(command)
            else:
                if re.match(r"mutuparc restore\b", command):  # the README says: stop the servers first
                    session.stop_server()
                session.run(command)
            ran.append(line)
    finally:
        session.stop_server()
        simulator.stop()
    for expected in ("mutuparc db upgrade", "mutuparc-agent --local", "mutuparc collect probe", "mutuparc eol",
                     "/api/v1/eol/match", "mutuparc audit verify", "mutuparc backup", "mutuparc restore",
                     "mutuparc keys snapshot", "mutuparc server"):  # fmt: skip
        assert any(expected in line for line in ran), f"no README line with {expected!r} ran"
