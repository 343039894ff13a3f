"""The real GLPI Agent, vendored in ``vendor/glpi-agent``, runs on this machine: a local JSON inventory that
validates against the GLPI schema, and one inventory sent to a live ``mutuparc server``.

This is the reference the tests compare Mutuparc's agent and server with: what GLPI Agent really produces here.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from server.assets.models import Asset
from server.core.db import transaction
from tests.conftest import need
from tests.support.glpi_agent import MISSING, glpi_agent_command, run_local, run_server
from tests.utils import make_enrolment_token, make_member, make_site

pytestmark = pytest.mark.slow

DMI = Path("/sys/class/dmi/id")


def _hostname() -> str:
    return socket.gethostname().split(".")[0]


def _os_pretty_name() -> str:
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    raise AssertionError("no PRETTY_NAME in /etc/os-release")


def _dpkg_packages() -> set[str]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}\\t${Package}\\n"], capture_output=True, text=True, check=True
    )
    return {line.split("\t")[1] for line in out.stdout.splitlines() if line.startswith("install ok installed\t")}


def test_local_inventory_validates_and_describes_this_machine(tmp_path: Path, glpi_schema: dict) -> None:
    need(glpi_agent_command() is not None, MISSING)
    inventory = run_local(tmp_path / "out", tmp_path / "var")

    jsonschema.validate(inventory, glpi_schema)
    assert inventory["action"] == "inventory" and inventory["itemtype"] == "Computer"
    assert "partial" not in inventory  # a whole inventory
    content = inventory["content"]
    expected = {"hardware", "operatingsystem", "cpus", "networks", "softwares"} | ({"bios"} if DMI.is_dir() else set())
    assert expected <= content.keys(), sorted(content)
    assert content["versionclient"] == "GLPI-Agent_v1.11"
    assert content["hardware"]["name"] == _hostname()
    assert content["operatingsystem"]["full_name"] == _os_pretty_name()
    assert content["cpus"] and content["networks"]
    if DMI.is_dir() and (DMI / "product_uuid").exists():
        uuid = (DMI / "product_uuid").read_text().strip()
        assert content["hardware"].get("uuid", "").lower() == uuid.lower()
    software = {s["name"] for s in content["softwares"] if s.get("from") == "deb"}
    assert _dpkg_packages() <= software
    assert not {"processes", "envs"} & content.keys()  # left out by default (--no-category)


def test_inventory_sent_to_a_live_server_stores_this_machine(live_server, engine, tmp_path: Path) -> None:
    need(glpi_agent_command() is not None, MISSING)
    member = make_member(engine, "Brie-Comte-Robert")
    site = make_site(engine, member, "Hôtel de ville")
    token = make_enrolment_token(engine, member, site_id=site)

    result = run_server(f"{live_server.url}/t/{token}/", tmp_path / "var")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "communication error" not in log and "server error" not in log, log
    assert "Inventory task execution not requested" not in log, log

    with transaction(engine) as session:
        assets = session.scalars(select(Asset)).all()
    assert [asset.name for asset in assets] == [_hostname()], log
    assert assets[0].member_id == member
