"""Two server instances on two ports, one PostgreSQL: ingest spread over both, the same machines
reported at the same moment through both (a reinstalled agent and the old one, say), scheduled
jobs fired on both. Consistency comes from advisory locks and constraints, not timing luck."""

from __future__ import annotations

import copy
import datetime as dt
import json
import zlib
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from server.allocation.models import KeySnapshot
from server.assets.models import Asset, InventorySource
from tests.support.live import start_server
from tests.utils import example, make_enrolment_token, make_member, make_user

MACHINES = 24
ROUNDS = 3


def _inventory(machine: int, agent: str) -> bytes:
    message = copy.deepcopy(example("computer_1"))
    message["deviceid"] = f"pc-{machine:03d}-{agent}-2026-11-23-10-00-00"
    message["content"]["bios"]["ssn"] = f"TWIN{machine:05d}"
    message["content"]["hardware"]["uuid"] = f"00000000-0000-4000-8000-{machine:012d}"
    message["content"]["hardware"]["name"] = f"pc-{machine:03d}"
    return zlib.compress(json.dumps(message).encode())


def test_two_instances_share_one_postgresql_without_duplicates(db, tmp_path):
    if db.backend != "postgresql":
        pytest.skip("several instances share a PostgreSQL; SQLite serves one process")
    token = make_enrolment_token(db.engine, make_member(db.engine, "Servon"))
    make_member(db.engine, "Redon")
    admin = make_user(db.engine, "admin", role="admin")
    servers = [start_server(db.url, tmp_path / f"server-{n}.log") for n in range(2)]
    try:
        with httpx.Client(timeout=60) as client:

            def send(job: tuple[int, int, str]) -> int:
                machine, server, agent = job
                url = f"{servers[server].url}/t/{token}/front/inventory.php"
                body = _inventory(machine, agent)
                return client.post(
                    url, content=body, headers={"Content-Type": "application/x-compress-zlib"}
                ).status_code

            # Each machine through both instances at once, under two agent ids: both must land
            # on one asset, whichever instance reconciles first.
            jobs = [(m, n, agent) for _ in range(ROUNDS) for m in range(MACHINES) for n, agent in ((0, "a"), (1, "b"))]
            with ThreadPoolExecutor(16) as pool:
                statuses = list(pool.map(send, jobs))
            assert set(statuses) == {200}

            counts = [client.get(f"{s.url}/api/v1/assets", headers=admin).json()["count"] for s in servers]
            assert counts == [MACHINES, MACHINES]

            day = dt.date.today().isoformat()
            snapshot = f"/api/v1/keys/snapshots?day={day}"
            with ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(lambda s: client.post(f"{s.url}{snapshot}", headers=admin), servers))
            assert {a.status_code for a in answers} <= {200, 409}
            assert any(a.status_code == 200 for a in answers)
            for answer in answers:
                if answer.status_code == 409:
                    assert "already running on another server instance" in answer.json()["detail"]
    finally:
        for server in servers:
            server.stop()

    with db.engine.connect() as connection:
        assets = connection.execute(select(func.count()).select_from(Asset)).scalar_one()
        sources = connection.execute(select(InventorySource.asset_id, func.count()).group_by(InventorySource.asset_id))
        per_asset = dict(sources.all())
        snapshots = connection.execute(
            select(KeySnapshot.key_id, KeySnapshot.member_id, func.count()).group_by(
                KeySnapshot.key_id, KeySnapshot.member_id
            )
        ).all()
    assert assets == MACHINES  # not one machine created twice
    assert sorted(per_asset.values()) == [2] * MACHINES  # both agents of each machine on its asset
    assert snapshots and {count for *_, count in snapshots} == {1}  # one value per key and member


def test_a_scheduled_job_runs_on_one_instance_at_a_time(db):
    if db.backend != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite transactions are serial")
    from server.core.locks import JobBusy, run_alone

    with db.engine.connect() as first, db.engine.connect() as second:
        with first.begin():
            run_alone(first, "keys snapshot 2026-11-23")
            with pytest.raises(JobBusy, match="already running on another server instance"), second.begin():
                run_alone(second, "keys snapshot 2026-11-23")
            with second.begin():
                run_alone(second, "keys snapshot 2026-11-24")  # another job is free
        with second.begin():
            run_alone(second, "keys snapshot 2026-11-23")  # released with the first transaction
