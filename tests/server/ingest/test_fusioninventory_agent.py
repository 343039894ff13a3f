"""Round trip with the real FusionInventory agent (Debian package), unchanged.

The agent is run against a live ``mutuparc server``; the expected facts are read from this
machine independently (os-release, /proc/meminfo, statvfs, dpkg, lsblk, DMI).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset, InventorySource
from server.core.db import transaction
from tests.conftest import need
from tests.support import fusioninventory
from tests.utils import make_enrolment_token, make_member, make_site

pytestmark = pytest.mark.slow


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text().strip() or None
    except OSError:
        return None


def _os_pretty_name() -> str:
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    raise AssertionError("no PRETTY_NAME in /etc/os-release")


def _memory_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no MemTotal")


def _installed_packages() -> int:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Status}\\n"], capture_output=True, text=True, check=True)
    return sum(1 for line in out.stdout.splitlines() if line == "install ok installed")


def _block_devices() -> dict[str, int]:
    out = subprocess.run(["lsblk", "-J", "-b", "-d", "-o", "NAME,SIZE,TYPE"], capture_output=True, text=True)
    devices = json.loads(out.stdout or '{"blockdevices": []}')["blockdevices"]
    return {d["name"]: int(d["size"]) for d in devices if d.get("type") == "disk" and int(d["size"] or 0) > 0}


def test_fusioninventory_agent_inventories_this_machine(live_server, engine, tmp_path):
    need(fusioninventory.installed(), "Debian package fusioninventory-agent")
    member = make_member(engine, "Brie-Comte-Robert")
    site = make_site(engine, member, "Hôtel de ville")
    token = make_enrolment_token(engine, member, site_id=site)

    result = fusioninventory.run(f"{live_server.url}/t/{token}/", tmp_path / "agent")
    log = result.stdout + result.stderr
    assert "sending prolog request" in log, log
    assert "Inventory task execution not requested" not in log, log
    assert "communication error" not in log, log

    with transaction(engine) as session:
        asset = session.scalars(select(Asset)).one()
        source = session.scalars(select(InventorySource)).one()
        rows = {
            name: [dict(r._mapping) for r in session.execute(select(t).where(t.c.asset_id == asset.id))]
            for name, t in COMPONENT_TABLES.items()
        }
    assert (asset.member_id, asset.site_id, asset.source) == (member, site, "agent")
    assert source.raw_format == "xml" and source.agent_version.startswith("FusionInventory-Agent_v2.6")
    assert asset.name == socket.gethostname().split(".")[0]
    # Identity: what DMI says, when this machine has DMI (a VM without it has neither).
    assert asset.serial == _read("/sys/class/dmi/id/product_serial")
    expected_uuid = _read("/sys/class/dmi/id/product_uuid")
    assert (asset.uuid or "").lower() == (expected_uuid or "").lower()
    assert rows["operatingsystem"][0]["full_name"] == _os_pretty_name()
    assert abs(rows["hardware"][0]["memory_mb"] - _memory_mb()) <= 1
    stat = os.statvfs("/")
    root = next(v for v in rows["drives"] if v["mount"] == "/")
    assert abs(root["total_bytes"] - stat.f_blocks * stat.f_frsize) < 1024 * 1024
    disks = {d["name"]: d["size_bytes"] for d in rows["storages"]}
    for name, size in _block_devices().items():
        assert abs(disks[name] - size) < 1_000_000, f"disk {name}"
    assert len(rows["softwares"]) == _installed_packages()
    assert any(s["name"] == "fusioninventory-agent" for s in rows["softwares"])


def test_fusioninventory_agent_with_unknown_token_sends_nothing(live_server, engine, tmp_path):
    need(fusioninventory.installed(), "Debian package fusioninventory-agent")
    result = fusioninventory.run(f"{live_server.url}/t/mpe_unknown/", tmp_path / "agent")
    assert "authentication required" in result.stderr  # how FusionInventory logs a 401
    with transaction(engine) as session:
        assert session.scalars(select(Asset)).all() == []
