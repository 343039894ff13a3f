"""GLPI Agent, FusionInventory and Mutuparc's agent, all real, on one PC (this machine, under a
host name of its own), over three rounds against a live server: one asset with three sources,
and after the first round nothing flips and the history does not grow.

A machine with DMI is matched by its serial; this test machine may have none (a container: no
DMI, a locally administered MAC), so the three records only share a name: the reconciliation
proposes them as suspected duplicates, which the DSIT merges, as on the conflicts page.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import need
from tests.support import fusioninventory, glpi_agent
from tests.support.namespaces import can_set_hostname, with_hostname
from tests.utils import PROJECT, make_enrolment_token, make_member, make_user

pytestmark = pytest.mark.slow
PC = "pc-servon-accueil-03"
# What changes by itself between two runs a few seconds apart: free space, uptime, sessions.
VOLATILE = {"free_bytes", "boot_time", "last_boot", "lastloggeduser", "datelastloggeduser", "uptime"}
# What the machine is doing at the time of the run, not what it is: differs at every run.
VOLATILE_SECTIONS = {"processes", "envs", "versionprovider", "accesslog"}


def _mutuparc_agent(url: str, state: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "agent", "--server", url, "--state-dir", str(state)]
    return subprocess.run(with_hostname(command, PC), cwd=PROJECT, capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip


def _round(url: str, tmp_path: Path) -> None:
    # Each agent names itself <host>-<date to the second> at its first run: installed in one
    # second, two would share a device id (one source), which no real installation does.
    first = not (tmp_path / "mutuparc").exists()
    runs = {}
    for name, run in (("glpi", lambda: glpi_agent.run_server(url, tmp_path / "glpi", hostname=PC)),
                      ("fusion", lambda: fusioninventory.run(url, tmp_path / "fusion", hostname=PC)),
                      ("mutuparc", lambda: _mutuparc_agent(url, tmp_path / "mutuparc"))):  # fmt: skip
        runs[name] = run()
        if first:
            time.sleep(1.1)
    for name, run in runs.items():
        log = run.stdout + run.stderr
        assert run.returncode == 0 and "communication error" not in log and "rror while" not in log, f"{name}: {log}"


def _shown(client, admin, asset_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    detail = client.get(f"/api/v1/assets/{asset_id}", headers=admin).json()

    def steady(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k not in VOLATILE and k != "id"}

    components = {name: [steady(r) for r in (rows if isinstance(rows, list) else [rows])]
                  for name, rows in detail["components"].items() if rows and name not in VOLATILE_SECTIONS}  # fmt: skip
    fields = {k: detail[k] for k in ("name", "manufacturer", "model", "serial", "uuid", "asset_type", "os")}
    return {"fields": fields, "components": components,
            "history": [(h["field"], h["old_value"], h["new_value"]) for h in detail["history"]]}  # fmt: skip


def test_three_real_agents_on_one_pc(live_server, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    need(glpi_agent.glpi_agent_command() is not None, glpi_agent.MISSING)
    need(fusioninventory.installed(), "Debian package fusioninventory-agent")
    need(can_set_hostname(), "unshare --uts (a host name of the test's own) is not allowed here")
    member = make_member(engine, "Servon")
    url, admin = f"{live_server.url}/t/{make_enrolment_token(engine, member)}/", make_user(engine, "dsit")
    client = httpx.Client(base_url=live_server.url, timeout=60)

    _round(url, tmp_path)
    assets = client.get("/api/v1/assets", headers=admin).json()["data"]
    if len(assets) > 1:  # no hardware identity here: the same name, proposed as suspected duplicates
        conflicts = client.get("/api/v1/conflicts", headers=admin).json()["data"]
        assert {c["kind"] for c in conflicts} == {"name"} and len(conflicts) == 3, conflicts  # 2nd: 1, 3rd: 2
        while conflicts:  # the DSIT merges the first; the merge settles or re-points the others
            merged = client.post(f"/api/v1/conflicts/{conflicts[-1]['id']}/resolve", json={"action": "merge"},
                                 headers=admin)  # fmt: skip
            assert merged.status_code == 200, merged.text
            conflicts = client.get("/api/v1/conflicts", headers=admin).json()["data"]
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    detail = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()
    agents = sorted(s["agent_version"].split("_v")[0] for s in detail["sources"])
    assert agents == ["FusionInventory-Agent", "GLPI-Agent", "Mutuparc-Agent"], agents
    assert asset["name"] == PC
    after_first = _shown(client, admin, asset["id"])

    for _ in range(2):
        _round(url, tmp_path)
        (again,) = client.get("/api/v1/assets", headers=admin).json()["data"]
        assert again["id"] == asset["id"]
        shown = _shown(client, admin, asset["id"])
        assert shown["fields"] == after_first["fields"]
        assert shown["components"] == after_first["components"], "a section flipped between the agents"
        assert shown["history"] == after_first["history"], "the history grew without a real change"
