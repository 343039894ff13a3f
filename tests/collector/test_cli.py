"""``mutuparc collect`` from the command line: probe, dry runs to a folder, errors, ICMP sweep."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from collector.config import parse_config
from collector.discovery import sweep
from collector.icmp import Pinger
from collector.profiles import load_profiles
from tests.conftest import need
from tests.support.snmp_agents import free_udp_port
from tests.utils import PROJECT


def mutuparc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mutuparc", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_probe_prints_what_would_be_sent(snmpsim, glpi_schema) -> None:  # type: ignore[no-untyped-def]
    host, port = snmpsim.endpoints[0]
    done = mutuparc("collect", "probe", host, "--port", str(port), "--community", "apc_powernet")
    assert done.returncode == 0, done.stderr
    assert "profile apc_powernet" in done.stderr
    message = json.loads(done.stdout)
    jsonschema.validate(message, glpi_schema)
    assert message["content"]["network_device"]["serial"] == "AS1922152233"


def test_probe_of_a_silent_device_says_so() -> None:
    done = mutuparc("collect", "probe", "127.0.0.1", "--port", str(free_udp_port()), "--timeout", "0.3")
    assert done.returncode == 1
    assert "timeout" in done.stderr and done.stdout == ""


def test_a_run_can_write_its_messages_instead_of_sending_them(snmpsim, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    host, port = snmpsim.endpoints[0]
    config = tmp_path / "collector.yml"
    config.write_text(yaml.safe_dump({
        "credentials": {"ups": {"community": "eaton_xups"}},
        "targets": [{"host": host, "port": port, "credential": "ups"}],
    }))  # fmt: skip
    done = mutuparc("collect", "--config", str(config), "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "1 devices in" in done.stderr and "1 ok" in done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["report.json", "snmp-sn-G118K32011.json"]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["devices"][0]["status"] == "ok"


def test_configuration_problems_stop_before_any_polling(tmp_path: Path) -> None:
    assert mutuparc("collect").returncode == 2
    missing = mutuparc("collect", "--config", str(tmp_path / "nope.yml"))
    assert missing.returncode == 2 and "configuration error" in missing.stderr
    config = tmp_path / "collector.yml"
    config.write_text("credentials: {a: {community: x}}\ntargets: [{host: 10.0.0.1, credential: a}]\n")
    no_server = mutuparc("collect", "--config", str(config))
    assert no_server.returncode == 2 and "no server to send to" in no_server.stderr


def test_icmp_sweep_finds_loopback_addresses_that_answer() -> None:
    pinger = Pinger.open()
    need(pinger is not None, "this user may not send ICMP (not root, ping_group_range)")
    asyncio.run(pinger.close())  # type: ignore[union-attr]
    config = parse_config({"discovery": {"ranges": ["127.0.0.1-127.0.0.3"], "timeout": 1}})
    result = asyncio.run(sweep(config.discovery_addresses(), config, load_profiles()))
    assert result.icmp
    assert [(d.address, d.via) for d in result.found] == [(f"127.0.0.{n}", ["icmp"]) for n in (1, 2, 3)]
