"""The ``mutuparc`` command, run for real in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.utils import PROJECT


def _run(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "MUTUPARC_DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run(
        [sys.executable, "-m", "mutuparc", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_admin_commands_set_up_a_member(tmp_path):
    db = tmp_path / "cli.db"
    assert "database schema at revision" in _run("db", "upgrade", db=db).stdout
    assert "member 1: Redon" in _run("admin", "create-member", "Redon", "--population", "2355", db=db).stdout
    assert "site 1: Mairie" in _run("admin", "create-site", "Redon", "Mairie", db=db).stdout
    user = _run("admin", "create-user", "dsit", "--role", "admin", "--password", "s3cret!", db=db).stdout
    assert "API token: mpa_" in user
    token = _run("admin", "create-enrolment-token", "Redon", "--site", "Mairie", db=db).stdout.strip()
    assert token.startswith("mpe_")
    assert "Redon" in _run("admin", "list-members", db=db).stdout
    duplicate = _run("admin", "create-member", "Redon", db=db, check=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr


def test_server_refuses_to_start_on_a_schema_that_is_behind(tmp_path):
    result = _run("server", "--port", "1", db=tmp_path / "empty.db", check=False)
    assert result.returncode == 1
    assert "run `mutuparc db upgrade` first" in result.stderr


BLOCKER = """
import sys
FORBIDDEN = ("fastapi", "sqlmodel", "sqlalchemy", "pysnmp", "netmiko", "paramiko", "uvicorn", "psycopg")
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in FORBIDDEN:
            raise ImportError(f"the agent imported {name}")
sys.meta_path.insert(0, Blocker())
from mutuparc.cli import main
sys.argv = ["mutuparc", *sys.argv[1:]]
main()
"""


def test_agent_command_imports_no_server_library(tmp_path):
    """A real inventory of this machine through ``mutuparc agent``, with the server's libraries blocked."""
    out = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER, "agent", "--local", str(out), "--state-dir", str(tmp_path / "state")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    message = json.loads(out.read_text())
    assert message["action"] == "inventory" and message["content"]["softwares"]
