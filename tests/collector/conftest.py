"""Real SNMP agents for the collector tests: snmpsim with the profiles' recordings, net-snmp snmpd."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.config import CollectorConfig, Target
from collector.snmp.session import Credential
from tests.conftest import need
from tests.support.snmp_agents import Snmpd, SnmpSimulator, snmpd_command, snmpsim_command

BAD_AGENTS = Path(__file__).parent / "recordings"  # broken agents, not devices to profile
BIG_SWITCH_PORTS = 1500


def _write_big_switch(path: Path) -> Path:
    """A switch with 1,500 interfaces (a chassis full of line cards), to hit the row limit."""
    lines = ["1.3.6.1.2.1.1.1.0|4|Big chassis", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.2",
             "1.3.6.1.2.1.1.5.0|4|big-switch", "1.3.6.1.2.1.17.1.1.0|4x|0026735fcc00"]  # fmt: skip
    for column, tag, value in (("2", "4", "Ethernet{i}"), ("3", "2", "6"), ("8", "2", "1")):
        lines += [f"1.3.6.1.2.1.2.2.1.{column}.{i}|{tag}|{value.format(i=i)}" for i in range(1, BIG_SWITCH_PORTS + 1)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="session")
def snmpsim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpSimulator]:
    """One simulator for the session: every shipped recording, plus the broken agents of these tests."""
    need(snmpsim_command() is not None, "snmpsim is not installed (make snmpsim)")
    extra = {path.stem: path for path in BAD_AGENTS.glob("*.snmprec")}
    extra["big_switch"] = _write_big_switch(tmp_path_factory.mktemp("agents") / "big_switch.snmprec")
    simulator = SnmpSimulator.start(extra=extra)
    yield simulator
    simulator.stop()


@pytest.fixture(scope="session")
def snmpd() -> Iterator[Snmpd]:
    need(snmpd_command() is not None, "net-snmp snmpd is not installed (Debian package snmpd)")
    agent = Snmpd.start()
    yield agent
    agent.stop()


def simulated(simulator: SnmpSimulator, *recordings: str, **overrides: object) -> CollectorConfig:
    """A configuration polling the given recordings of ``simulator`` (community = recording name)."""
    config = CollectorConfig(**{"timeout": 1.0, "retries": 1, "deadline": 30.0, **overrides})  # type: ignore[arg-type]
    for name in recordings:
        add_target(config, simulator.endpoints[0], name, Credential(version="2c", name=name, community=name))
    return config


def add_target(config: CollectorConfig, endpoint: tuple[str, int], name: str, credential: Credential) -> None:
    config.credentials[credential.name] = credential
    config.targets.append(Target(host=endpoint[0], port=endpoint[1], credential=credential.name, name=name))
