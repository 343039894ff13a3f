"""Faults under load: the server SIGKILLed mid-stream, PostgreSQL restarted mid-stream. Agent
processes (real transport, real spool, idempotency key per inventory) keep sending; at the end
every inventory was applied exactly once and the server recovered by itself."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from server import migrations
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset, InventorySource
from server.core.config import Settings
from server.core.db import make_engine
from tests.conftest import need
from tests.support.live import LiveServer, start_server
from tests.support.pgcluster import Cluster, find_bin_dir, free_port
from tests.utils import PROJECT, make_enrolment_token, make_member, make_user

MACHINES = 8
INVENTORIES = 12

pytestmark = pytest.mark.slow


def _start_fleet(url: str, state: Path) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.agent_fleet",
                "--server",
                url,
                "--state",
                str(state / f"machine-{n}"),
                "--machine",
                str(n),
                "--count",
                str(INVENTORIES),
            ],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(MACHINES)
    ]


def _finish(fleet: list[subprocess.Popen]) -> list[dict]:
    results = []
    for process in fleet:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _applied(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.coalesce(func.sum(InventorySource.inventory_count), 0))).scalar_one()


def _wait_until_applied(engine: Engine, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _applied(engine) < count:
        assert time.monotonic() < deadline, "the fleet did not get going"
        time.sleep(0.05)


def _assert_exactly_once(engine: Engine, results: list[dict]) -> None:
    assert [r["spooled_left"] for r in results] == [0] * MACHINES, results
    assert sum(r["delivered"] for r in results) == MACHINES * INVENTORIES, results
    softwares = COMPONENT_TABLES["softwares"]
    with engine.connect() as connection:
        counts = connection.execute(select(InventorySource.key, InventorySource.inventory_count)).all()
        assets = connection.execute(select(func.count()).select_from(Asset)).scalar_one()
        last = set(connection.execute(select(softwares.c.name).where(softwares.c.name.like("inventory-%"))).scalars())
    assert len(counts) == MACHINES and assets == MACHINES  # no machine created twice
    assert {count for _, count in counts} == {INVENTORIES}, counts  # each inventory applied once, none lost
    assert last == {f"inventory-{INVENTORIES - 1:04d}"}  # and the last one is what each machine shows


def test_server_killed_mid_stream_loses_and_duplicates_nothing(db, tmp_path):
    token = make_enrolment_token(db.engine, make_member(db.engine, "Servon"))
    port = free_port()
    server = start_server(db.url, tmp_path / "server.log", port=port)
    fleet = _start_fleet(f"http://127.0.0.1:{port}/t/{token}/", tmp_path)
    try:
        _wait_until_applied(db.engine, MACHINES * 2)
        server.process.kill()  # SIGKILL: no shutdown, answers in flight are lost
        server.process.wait()
        applied_at_kill = _applied(db.engine)
        time.sleep(1.0)
        server = start_server(db.url, tmp_path / "server.log", port=port)
        results = _finish(fleet)
    finally:
        server.stop()
        for process in fleet:
            process.kill()
    assert applied_at_kill < MACHINES * INVENTORIES  # the kill did land mid-stream
    assert any("cannot reach" in error for r in results for error in r["errors"]), results
    _assert_exactly_once(db.engine, results)
    print(f"\n{MACHINES * INVENTORIES} inventories sent, {_applied(db.engine)} stored once each "
          f"({applied_at_kill} before the SIGKILL)")  # fmt: skip


def test_postgresql_restarted_under_load(tmp_path):
    need(find_bin_dir() is not None, "PostgreSQL server binaries not installed")
    # Its own folder: the postgres user cannot enter pytest's tmp_path.
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port(), durable=True)
    cluster.start()
    server: LiveServer | None = None
    engine = make_engine(Settings(database_url=cluster.url, _env_file=None))
    try:
        migrations.upgrade(engine)
        token = make_enrolment_token(engine, make_member(engine, "Servon"))
        admin = make_user(engine, "admin", role="admin")
        server = start_server(cluster.url, tmp_path / "server.log", workers=2)
        fleet = _start_fleet(f"{server.url}/t/{token}/", tmp_path)
        _wait_until_applied(engine, MACHINES * 2)
        cluster.pause("immediate")  # a crash of the database server, connections cut
        time.sleep(3)
        cluster.resume()
        results = _finish(fleet)
        import httpx

        assert httpx.get(f"{server.url}/api/v1/members", headers=admin, timeout=10).status_code == 200
        engine.dispose()
        _assert_exactly_once(engine, results)
        # While the database was down the server was up and said so: 503, which the agents retried.
        assert any(error.startswith("server answered 503") for r in results for error in r["errors"]), results
        print(f"\n{MACHINES * INVENTORIES} inventories sent, {_applied(engine)} stored once each; errors seen: "
              f"{[r['errors'] for r in results]}")  # fmt: skip
    finally:
        if server:
            server.stop()
        engine.dispose()
        cluster.stop()
