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


def test_audit_verify_and_export_catch_tampering(tmp_path):
    import sqlite3

    db = tmp_path / "cli.db"
    _run("db", "upgrade", db=db)
    _run("admin", "create-member", "Redon", db=db)
    _run("admin", "create-member", "Servon", db=db)
    intact = _run("audit", "verify", db=db).stdout
    assert "2 rows; head 2:" in intact and "audit chain intact" in intact
    head = intact.split("head ")[1].split()[0]
    _run("audit", "export", str(tmp_path / "proof.csv"), db=db)
    assert "audit chain intact" in _run("audit", "verify", "--file", str(tmp_path / "proof.csv"), db=db).stdout

    with sqlite3.connect(db) as connection:  # someone with the file drops the protection and edits
        connection.execute("DROP TRIGGER audit_event_no_update")
        connection.execute("DROP TRIGGER audit_event_no_delete")
        connection.execute("UPDATE audit_event SET details = replace(details, 'Redon', 'Rennes') WHERE seq = 1")
        connection.execute("DELETE FROM audit_event WHERE seq = 2")
    tampered = _run("audit", "verify", "--head", head, db=db, check=False)
    assert tampered.returncode == 1
    assert "row 1: its content was changed after it was written" in tampered.stderr
    assert "rows after it, up to 2, were deleted" in tampered.stderr
