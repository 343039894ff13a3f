"""The agent against a real server: spool while it is down, exactly-once delivery, partial inventories."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from agent import _windows
from agent.config import AgentConfig
from agent.runner import run_once
from agent.transport import ServerTarget
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset, InventorySource
from server.core.db import transaction
from tests.agent.conftest import RECORDINGS
from tests.support.live import start_server
from tests.support.pgcluster import free_port
from tests.utils import EXAMPLES, PROJECT, make_enrolment_token, make_member

LAPTOP = RECORDINGS / "windows" / "win11-dell-latitude-5440"


def _agent(*args: str, state: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agent", "--state-dir", str(state), *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def _sources(engine) -> list[InventorySource]:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return list(session.scalars(select(InventorySource)))


def test_server_down_then_up_inventory_spooled_and_delivered_once(db, engine, tmp_path):
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/t/{token}/"
    state = tmp_path / "state"

    down = _agent("--server", url, state=state)
    assert down.returncode == 0, down.stderr
    assert down.stdout.startswith("spooled:") and "cannot reach" in down.stdout
    spooled = list((state / "spool").rglob("*.json.z"))
    assert len(spooled) == 1

    server = start_server(db.url, tmp_path / "server.log", port=port)
    try:
        up = _agent("--server", url, state=state)
    finally:
        server.stop()
    assert up.returncode == 0 and up.stdout.startswith("sent:"), up.stdout + up.stderr
    assert list((state / "spool").rglob("*.json.z")) == []
    (source,) = _sources(engine)
    assert source.inventory_count == 2  # the spooled inventory, then this run's (partial) one
    with transaction(engine) as session:
        asset = session.scalars(select(Asset)).one()
    assert asset.member_id is not None and asset.name


def test_a_resent_inventory_is_applied_once(live_server, engine, tmp_path):
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    message = json.loads((EXAMPLES / "computer_1.json").read_text())
    target = ServerTarget(f"{live_server.url}/t/{token}/")
    target.send_inventory(message, "5e0b6c1e-inventory-1")
    target.send_inventory(message, "5e0b6c1e-inventory-1")  # the answer was lost: the agent sends it again
    assert _sources(engine)[0].inventory_count == 1
    target.send_inventory(message, "5e0b6c1e-inventory-2")
    assert _sources(engine)[0].inventory_count == 2


def test_software_change_sends_a_partial_inventory_merged_by_the_server(live_server, engine, tmp_path):
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    machine = tmp_path / "machine"
    shutil.copytree(LAPTOP, machine)
    config = AgentConfig(server=f"{live_server.url}/t/{token}/", state_dir=tmp_path / "state")

    first = run_once(config, module=_windows, sources=_windows.RecordedWindowsSources(machine))
    assert (first.status, first.partial) == ("sent", False)
    cpus = _rows(engine, "cpus")

    registry = json.loads((machine / "registry.json").read_text())
    registry["HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\VLC media player"] = {
        "DisplayName": "VLC media player", "DisplayVersion": "3.0.21", "Publisher": "VideoLAN"}  # fmt: skip
    (machine / "registry.json").write_text(json.dumps(registry))
    second = run_once(config, module=_windows, sources=_windows.RecordedWindowsSources(machine))
    assert (second.status, second.partial) == ("sent", True)

    assert "VLC media player" in {s["name"] for s in _rows(engine, "softwares")}
    assert _rows(engine, "cpus") == cpus  # not in the partial inventory, kept as it was
    with transaction(engine) as session:
        asset = session.scalars(select(Asset)).one()
    assert asset.os_label == "Windows 11 Pro 23H2 build 22631.4460"


def test_a_refused_inventory_is_not_spooled_and_the_next_one_is_full(live_server, engine, tmp_path):
    config = AgentConfig(server=f"{live_server.url}/t/mpe_revoked-or-unknown/", state_dir=tmp_path / "state")
    result = run_once(config, module=_windows, sources=_windows.RecordedWindowsSources(LAPTOP))
    assert result.status == "refused" and "401" in result.message
    assert not list((tmp_path / "state" / "spool").rglob("*.json.z"))
    saved = json.loads(next((tmp_path / "state" / "servers").iterdir()).read_text())
    assert saved["force_full"] is True


def _rows(engine, section: str) -> list[dict]:  # type: ignore[no-untyped-def]
    table = COMPONENT_TABLES[section]
    with transaction(engine) as session:
        return [
            {k: v for k, v in r._mapping.items() if k != "id"}
            for r in session.execute(select(table).order_by(table.c.id))
        ]
