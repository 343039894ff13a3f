"""Allocation speed: daily snapshot and year statements for 100 members and 100,000 assets.

Builds the parc in a fresh database (SQLite and PostgreSQL): 100 members, 100,000 assets of every
type, a NAS with a volume per member, tickets imported, five pools (pro rata of tickets and GB,
700 € per workstation, travel among all but one member). Then measures, median of several runs:

- ``take_snapshot`` for a day (every key x every member);
- ``allocate`` for the year plus each member's statement as CSV, and as PDF;
- the reference: the bare GROUP BY counting the assets, the floor any snapshot pays.

Target: under 2 s for the snapshot and for the statements.

    python bench/allocation.py [--members 100] [--assets 100000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from server import migrations  # noqa: E402
from server.allocation import exports, keys  # noqa: E402
from server.allocation.models import CostPool, ImportedValue, PoolModel, StorageMapping  # noqa: E402
from server.allocation.statements import allocate  # noqa: E402
from server.assets.components import COMPONENT_TABLES  # noqa: E402
from server.assets.models import Asset  # noqa: E402
from server.assets.vocab import AssetSource, AssetType, default_category  # noqa: E402
from server.core.config import Settings  # noqa: E402
from server.core.db import make_engine  # noqa: E402
from server.tenancy.models import Member  # noqa: E402
from tests.support.pgcluster import Cluster, free_port  # noqa: E402

YEAR = 2026
TYPES = [AssetType.WORKSTATION] * 50 + [AssetType.LAPTOP] * 20 + [AssetType.TABLET] * 5 + [AssetType.PRINTER] * 8 + [
    AssetType.PHONE] * 10 + [AssetType.COPIER, AssetType.SWITCH, AssetType.SERVER, AssetType.VM, AssetType.WIFI_AP,
    AssetType.UPS, AssetType.CAMERA]  # fmt: skip


def build(engine, members: int, assets: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        communes = [{"name": f"Commune {i:03d}", "kind": "commune", "population": 500 + 97 * i,
                     "subscribed_services": [], "created_at": now} for i in range(members)]  # fmt: skip
        connection.execute(insert(Member), communes)
        ids = list(connection.execute(select(Member.id)).scalars())
        rows = []
        for number in range(assets):
            asset_type = rng.choice(TYPES)
            rows.append({"member_id": ids[number % members], "asset_type": asset_type, "name": f"A{number}",
                         "category": default_category(asset_type), "lifecycle_status": "in_service",
                         "source": AssetSource.AGENT, "last_seen": now - dt.timedelta(days=rng.randint(0, 40)),
                         "created_at": now, "updated_at": now, "section_hashes": {}})  # fmt: skip
        for start in range(0, len(rows), 10_000):
            connection.execute(insert(Asset), rows[start : start + 10_000])
        nas = connection.execute(insert(Asset).returning(Asset.id), [{
            "member_id": ids[0], "asset_type": AssetType.NAS, "name": "NAS-DC", "category": "complex",
            "lifecycle_status": "in_service", "source": AssetSource.COLLECTOR, "last_seen": now, "created_at": now,
            "updated_at": now, "section_hashes": {}}]).scalar_one()  # fmt: skip
        connection.execute(insert(COMPONENT_TABLES["drives"]), [
            {"asset_id": nas, "mount": f"/volume1/m{i}", "label": f"m{i}", "total_bytes": (i + 2) * 2**40,
             "free_bytes": 2**40} for i in range(members)])  # fmt: skip
        connection.execute(insert(StorageMapping), [{"member_id": m, "pattern": f"/volume1/m{i}", "prefix": True,
                                                     "created_at": now} for i, m in enumerate(ids)])  # fmt: skip
    with Session(engine) as session, session.begin():
        tickets = keys.key_by_code(session, "tickets")
        session.execute(insert(ImportedValue), [{"key_id": tickets.id, "member_id": m, "year": YEAR,
                                                 "value": Decimal(10 + i), "imported_at": now}
                                                for i, m in enumerate(ids)])  # fmt: skip
        session.add_all([
            CostPool(year=YEAR, name="Service commun", amount=Decimal("2500000"), advanced_by_id=ids[0],
                     model=PoolModel.PRO_RATA, key_code="tickets", position=0),
            CostPool(year=YEAR, name="Infrastructure", amount=Decimal("390000"), advanced_by_id=ids[0],
                     model=PoolModel.PRO_RATA, key_code="storage_gb", position=1),
            CostPool(year=YEAR, name="Socle postes", model=PoolModel.PER_UNIT, key_code="workstations",
                     unit_price=Decimal(700), advanced_by_id=ids[1], position=2),
            CostPool(year=YEAR, name="Déplacements", amount=Decimal("16200"), advanced_by_id=ids[0],
                     model=PoolModel.PRO_RATA, key_code="tickets", exclude=[ids[0]], position=3),
            CostPool(year=YEAR, name="Réseau", amount=Decimal("120000"), advanced_by_id=ids[2],
                     model=PoolModel.PRO_RATA, key_code="network_devices", position=4),
        ])  # fmt: skip


def timed(function, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(url: str, members: int, assets: int, runs: int) -> None:
    settings = Settings(database_url=url, _env_file=None)
    engine = make_engine(settings)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrations.upgrade(engine)
    started = time.perf_counter()
    build(engine, members, assets)
    print(f"{engine.dialect.name}: {members} members, {assets} assets built in {time.perf_counter() - started:.1f} s")

    def snapshot() -> int:
        with Session(engine) as session, session.begin():
            return keys.take_snapshot(session, dt.date(YEAR, 6, 30), settings.stale_days)

    def reference() -> int:
        with Session(engine) as session:
            return len(session.execute(select(Asset.member_id, Asset.asset_type, func.count())
                                       .group_by(Asset.member_id, Asset.asset_type)).all())  # fmt: skip

    def statements(format_: str) -> int:
        with Session(engine) as session:
            allocation = allocate(session, YEAR, settings.stale_days)
            items = [exports.statement(allocation, member, "fr") for member in allocation.members]
            if format_ == "pdf":  # what GET /allocation/{year}/statements?format=pdf sends: a page per member
                return len(exports.to_pdf_many(items, "fr"))
            return sum(len(exports.to_csv(item, "fr")) for item in items)

    floor, _ = timed(reference, runs)
    seconds, values = timed(snapshot, runs)
    print(f"  snapshot of a day: {seconds:.3f} s for {values} key values (target < 2 s); "
          f"reference GROUP BY alone: {floor:.3f} s")  # fmt: skip
    for format_ in ("csv", "pdf"):
        seconds, size = timed(lambda f=format_: statements(f), runs)
        print(f"  allocation + {members} statements as {format_.upper()}: {seconds:.3f} s ({size / 1e6:.1f} MB) "
              f"(target < 2 s)")  # fmt: skip
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mutuparc-bench-"))
    cluster = None
    try:
        for backend in args.backends.split(","):
            if backend == "postgresql":  # its own folder: the postgres user cannot enter ``work``
                cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port())
                cluster.start()
                url = cluster.url
            else:
                url = f"sqlite:///{work / 'bench.db'}"
            measure(url, args.members, args.assets, args.runs)
    finally:
        if cluster:
            cluster.stop()
            shutil.rmtree(cluster.directory, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
