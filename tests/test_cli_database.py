"""Which database the ``mutuparc`` command uses, run for real in subprocesses from folders that are
not the checkout: it refuses when nothing names a database (and creates nothing), takes the data
directory from ``--data-dir``, ``MUTUPARC_DATA_DIR`` or a configuration file, says which database
it used, refuses several workers on SQLite, and says a database it cannot reach in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from server.core.config import Settings, is_checkout
from tests.utils import PROJECT


def _env(**settings: str) -> dict[str, str]:
    """This environment without its Mutuparc settings (nor /etc/mutuparc/server.env), plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTUPARC_")}
    return {**env, "MUTUPARC_CONFIG": "", **settings}


def _mutuparc(*args: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mutuparc", *args], cwd=cwd, env=_env(**settings),
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "current"], ["admin", "list-members"],
                                     ["admin", "create-member", "Servon"], ["server", "--port", "1"],
                                     ["backup", "saved.db"], ["keys", "snapshot"]], ids=" ".join)  # fmt: skip
def test_outside_a_checkout_nothing_configured_is_refused(tmp_path: Path, command: list[str]) -> None:
    result = _mutuparc(*command, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "\n" not in message, message  # one paragraph
    assert message.startswith(f"No database configured: {tmp_path} is not a Mutuparc checkout, and this command "
                              f"would create {tmp_path / 'var' / 'mutuparc.db'} here.")  # fmt: skip
    for way in ("MUTUPARC_DATABASE_URL", "--data-dir DIR", "MUTUPARC_DATA_DIR=DIR", "/etc/mutuparc/server.env",
                "MUTUPARC_CONFIG"):  # fmt: skip
        assert way in message
    assert _files(tmp_path) == []  # no var/, no database, no secret key


def test_the_data_directory_from_the_option_the_environment_or_the_configuration_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    upgraded = _mutuparc("--data-dir", "data", "db", "upgrade", cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"database: sqlite:///{data / 'mutuparc.db'} (new file)" in upgraded.stderr
    assert "database schema at revision" in upgraded.stdout
    assert _files(tmp_path) == ["data", "data/mutuparc.db"]

    member = _mutuparc("admin", "create-member", "Servon", cwd=tmp_path, MUTUPARC_DATA_DIR=str(data))
    assert member.returncode == 0 and "member 1: Servon" in member.stdout, member.stderr
    assert "database:" not in member.stderr  # said where it helps (db, server, backup), not on every command

    config = tmp_path / "server.env"
    config.write_text(f"MUTUPARC_DATA_DIR={data}\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = _mutuparc("admin", "list-members", cwd=elsewhere, MUTUPARC_CONFIG=str(config))
    assert listed.returncode == 0 and "Servon" in listed.stdout, listed.stderr
    current = _mutuparc("db", "current", cwd=elsewhere, MUTUPARC_CONFIG=str(config))
    revision = upgraded.stdout.split()[-1]  # stdout as the Ansible role reads it; the database on stderr
    assert current.stdout.split() == ["database:", revision, "code:", revision], current.stdout
    assert f"database: sqlite:///{data / 'mutuparc.db'}" in current.stderr
    assert _files(elsewhere) == []

    missing = _mutuparc("db", "current", cwd=tmp_path, MUTUPARC_CONFIG=str(tmp_path / "nowhere.env"))
    assert (missing.returncode, missing.stderr.strip()) == (
        1,
        f"MUTUPARC_CONFIG={tmp_path / 'nowhere.env'}: no such file",
    )


def test_the_database_url_needs_no_data_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parc.db'}"
    assert _mutuparc("db", "upgrade", cwd=tmp_path, MUTUPARC_DATABASE_URL=url).returncode == 0
    backup = _mutuparc("backup", "saved.db", cwd=tmp_path, MUTUPARC_DATABASE_URL=url)
    assert backup.returncode == 0 and f"from {url}" in backup.stdout, backup.stderr


def test_a_wrong_sqlite_path_is_not_created_except_by_db_upgrade(tmp_path: Path) -> None:
    data = tmp_path / "typo"
    listed = _mutuparc("admin", "list-members", cwd=tmp_path, MUTUPARC_DATA_DIR=str(data))
    assert listed.returncode == 1
    assert listed.stderr.strip().startswith(f"no database at {data / 'mutuparc.db'}: run `mutuparc db upgrade` first")
    current = _mutuparc("db", "current", cwd=tmp_path, MUTUPARC_DATA_DIR=str(data))
    assert current.returncode == 0 and current.stdout.startswith("database: None  code: ")  # what Ansible expects
    assert not data.exists()


def test_in_the_checkout_the_database_is_its_var_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("MUTUPARC_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(PROJECT)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_configured and settings.database_url == f"sqlite:///{PROJECT / 'var' / 'mutuparc.db'}"
    assert settings.secret_key_file == PROJECT / "var" / "secret.key"

    monkeypatch.chdir(tmp_path)  # a folder a server ran in before (var/mutuparc.db): still used
    assert not is_checkout(tmp_path) and not Settings(_env_file=None).database_configured  # type: ignore[call-arg]
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "mutuparc.db").touch()
    assert is_checkout(tmp_path) and Settings(_env_file=None).database_configured  # type: ignore[call-arg]

    settings = Settings(_env_file=None, data_dir="data", database_url="postgresql://u:secret@db.example/parc")  # type: ignore[call-arg]
    assert settings.database_label == "postgresql+psycopg://u:***@db.example/parc"
    assert settings.secret_key_file == tmp_path / "data" / "secret.key"


def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    result = _mutuparc("server", "--workers", "4", "--port", str(_closed_port()), cwd=tmp_path,
                       MUTUPARC_DATA_DIR=str(tmp_path))  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().startswith("--workers 4: SQLite serves one writer at a time")
    assert "PostgreSQL" in result.stderr and _files(tmp_path) == []


@pytest.mark.parametrize(("url", "said"), [
    ("postgresql://nobody@127.0.0.1:{port}/x", 'connection to server at "127.0.0.1", port {port} failed'),
    ("postgresql://nobody:pw@127.0.0.1:{port}/x", "nobody:***@"),  # the password is not shown
    ("nonsense", "Could not parse SQLAlchemy URL"),
    ("oracle9://x/y", "Can't load plugin: sqlalchemy.dialects:oracle9"),
    ("sqlite:////proc/mutuparc/parc.db", "cannot create /proc/mutuparc"),
], ids=["refused", "password", "not-a-url", "unknown-dialect", "no-folder"])  # fmt: skip
@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "current"], ["admin", "list-members"],
                                     ["server", "--port", "1"]], ids=" ".join)  # fmt: skip
def test_a_wrong_database_url_is_one_line(tmp_path: Path, url: str, said: str, command: list[str]) -> None:
    port = _closed_port()
    url, said = url.format(port=port), said.format(port=port)
    if "/proc/" in url and command != ["db", "upgrade"]:
        said = "no database at /proc/mutuparc/parc.db"  # only db upgrade creates a database
        if command == ["db", "current"]:  # no database yet: revision None, what the Ansible role expects
            current = _mutuparc(*command, cwd=tmp_path, MUTUPARC_DATABASE_URL=url)
            assert current.returncode == 0 and current.stdout.startswith("database: None  code: ")
            return
    result = _mutuparc(*command, cwd=tmp_path, MUTUPARC_DATABASE_URL=url)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert said in result.stderr and "pw" not in result.stderr
    assert _files(tmp_path) == []
