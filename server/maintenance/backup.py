"""``mutuparc backup`` / ``restore``: the whole database in one file, with the engines' own tools.

SQLite: the online backup API (a consistent copy while the server runs). PostgreSQL: ``pg_dump
--format=custom`` and ``pg_restore --clean``. A restore replaces everything (inventories,
accounts, the audit chain) with the backup's content; stop the servers first.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class PostgresTarget:
    """libpq connection settings from the server's SQLAlchemy URL (the password goes by PGPASSWORD)."""

    dsn: str
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> PostgresTarget:
        parsed = make_url(url)
        password = parsed.password
        dsn = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
        return cls(dsn, str(password) if password is not None else None)

    def env(self) -> dict[str, str]:
        return {**os.environ, **({"PGPASSWORD": self.password} if self.password else {})}


def _tool(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore``: Debian's wrapper in PATH, else the versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise BackupError(f"{name} not found: install the postgresql-client package")
    return str(versions[-1])


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def backup(url: str, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")  # never leave a half-written backup behind
    partial.unlink(missing_ok=True)
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(_sqlite_path(url))) as source, closing(sqlite3.connect(partial)) as target:
            source.backup(target)
    else:
        target_db = PostgresTarget.from_url(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", target_db.dsn], target_db.env())
    partial.replace(output)


def _sqlite_backup_problems(source: Path) -> list[str]:
    """What is wrong with a SQLite backup's audit chain, read from the file before it replaces anything."""
    from sqlalchemy import create_engine

    from server.audit.chain import verify
    from server.audit.protection import missing_triggers

    engine = create_engine(f"sqlite:///{source}")
    try:
        with engine.connect() as connection:
            report = verify(connection)
            problems = [f"protection trigger {name} missing" for name in missing_triggers(connection)]
    finally:
        engine.dispose()
    return problems if report.ok else [f"audit chain not intact ({report.rows} rows)", *problems]


def _pg_backup_problems(source: Path, target: PostgresTarget) -> list[str]:
    """A pg_dump archive lists its triggers: one it lacks was dropped before the backup."""
    from server.audit.protection import TRIGGER_NAMES

    listing = _run([_tool("pg_restore"), "--list", str(source)], target.env())
    return [f"protection trigger {name} missing" for name in TRIGGER_NAMES["postgresql"]
            if f"TRIGGER public audit_event {name}" not in listing]  # fmt: skip


def restore(url: str, source: Path, *, force: bool = False) -> None:
    """Replace the database with ``source``. A backup whose audit chain is broken or whose
    protection triggers were dropped is refused unless ``force``; the triggers are re-created
    after every restore, whatever the backup held."""
    head = source.read_bytes()[:16] if source.exists() else b""
    if url.startswith("sqlite"):
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup (the server's database is SQLite)")
        if (problems := _sqlite_backup_problems(source)) and not force:
            raise BackupError(f"{source}: {'; '.join(problems)}: nothing was restored (--force restores it anyway)")
        with closing(sqlite3.connect(source)) as backup_db, closing(sqlite3.connect(_sqlite_path(url))) as live:
            backup_db.backup(live)
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup (pg_dump custom format)")
        target_db = PostgresTarget.from_url(url)
        if (problems := _pg_backup_problems(source, target_db)) and not force:
            raise BackupError(f"{source}: {'; '.join(problems)}: nothing was restored (--force restores it anyway)")
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={target_db.dsn}", str(source)], target_db.env())  # fmt: skip
    _reinstall_triggers(url)


def _reinstall_triggers(url: str) -> None:
    from server.audit.protection import reinstall
    from server.core.config import Settings
    from server.core.db import make_engine

    engine = make_engine(Settings(database_url=url, _env_file=None))
    try:
        with engine.begin() as connection:
            reinstall(connection)
    finally:
        engine.dispose()
