"""Shared fixtures: both databases (SQLite and a real PostgreSQL), the app, a live server.

Every test that uses ``db`` (directly or through ``client``/``app``) runs twice, once per
database: ``test_x[sqlite]`` and ``test_x[postgresql]``. Set MUTUPARC_TEST_PG_URL to use an
existing cluster (``make test`` starts one); otherwise a private cluster is started here.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from server import migrations
from server.core.config import Settings
from server.core.db import make_engine
from tests.support.pgcluster import Cluster, find_bin_dir, free_port
from tests.utils import SCHEMA

REQUIRE_ALL = os.environ.get("MUTUPARC_REQUIRE_ALL") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip when a real component is missing, or fail when ``make test`` promised it (CI)."""
    if not condition:
        if REQUIRE_ALL:
            pytest.fail(f"required component missing: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def glpi_schema() -> dict:
    """The reference GLPI inventory schema every agent and collector message must validate against."""
    return json.loads(SCHEMA.read_text())


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = os.environ.get("MUTUPARC_TEST_PG_URL")
    if url:
        yield _database_of_this_worker(url)
        return
    need(find_bin_dir() is not None, "PostgreSQL server binaries not installed")
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port())
    cluster.start()
    try:
        yield _database_of_this_worker(cluster.url)
    finally:
        cluster.stop()


def _database_of_this_worker(url: str) -> str:
    """Under pytest-xdist every worker gets a database of its own on the one cluster, so that two
    workers never empty each other's tables; a plain run uses the cluster's database as is."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    name = f"mutuparc_{worker}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


@dataclass
class Database:
    backend: str
    url: str
    engine: Engine


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    workdir = None
    if request.param == "sqlite":
        workdir = Path(tempfile.mkdtemp(prefix="mutuparc-sqlite-"))
        url = f"sqlite:///{workdir / 'test.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    engine = make_engine(Settings(database_url=url, _env_file=None))
    if request.param == "postgresql":
        with engine.begin() as connection:  # a clean schema even if a previous run left one
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrations.upgrade(engine)
    yield Database(request.param, url, engine)
    engine.dispose()
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def _empty(engine: Engine) -> None:
    from server.audit.protection import lifted

    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            with lifted(connection):
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names


@pytest.fixture
def db(database: Database) -> Database:
    _empty(database.engine)
    return database


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(database_url=db.url, _env_file=None)


@pytest.fixture
def engine(db: Database) -> Engine:
    return db.engine


@pytest.fixture
def app(settings: Settings, engine: Engine):  # type: ignore[no-untyped-def]
    from server.main import create_app

    return create_app(settings, engine)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def admin(engine: Engine) -> dict[str, str]:
    """Authorization headers of a DSIT admin."""
    from tests.utils import make_user

    return make_user(engine, "admin", role="admin")


@pytest.fixture
def live_server(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``mutuparc server`` running on the test database, on a loopback port."""
    from tests.support.live import start_server

    server = start_server(db.url, tmp_path / "server.log")
    yield server
    server.stop()
