"""Allocation speed: daily snapshot and year statements for 100 members and 100,000 assets.

Builds the parc in a fresh database (SQLite and PostgreSQL): 100 members, 100,000 assets of every
type, a NAS with a volume per member, tickets imported, five pools (pro rata of tickets and GB,
700 € per workstation, travel among all but one member), then ANALYZE (PostgreSQL), as an operator
runs it after a bulk load. Then measures, median of several runs:

- ``take_snapshot`` for a day (every key x every member);
- ``allocate`` for the year plus each member's statement as CSV, and as PDF (one file, as
  GET /allocation/{year}/statements sends it);
- ``allocate`` plus one member's statement as CSV, XLSX and PDF (GET .../statements/{member});
- closing the year: freezing every key and publishing every member's statement as a version
  (rolled back after each run), next to the statements' CSV as its reference;
- the reference: the bare GROUP BY counting the assets, the floor any snapshot pays.

Target: under 2 s for each figure (the snapshot, the statements, the closure).

    python bench/allocation.py [--members 100] [--assets 100000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from common import (  # first: it puts the project on sys.path
    analyze,
    fresh_engine,
    insert_communes,
    insert_in_batches,
    main,
    timed,
)
from sqlalchemy import func, insert, select
from sqlmodel import Session

from server.allocation import closure, exports, keys
from server.allocation.models import CostPool, ImportedValue, PoolModel, StorageMapping
from server.allocation.statements import allocate
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import AssetSource, AssetType, default_category

YEAR = 2026
TYPES = [AssetType.WORKSTATION] * 50 + [AssetType.LAPTOP] * 20 + [AssetType.TABLET] * 5 + [AssetType.PRINTER] * 8 + [
    AssetType.PHONE] * 10 + [AssetType.COPIER, AssetType.SWITCH, AssetType.SERVER, AssetType.VM, AssetType.WIFI_AP,
    AssetType.UPS, AssetType.CAMERA]  # fmt: skip


def build(engine, members: int, assets: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        ids = insert_communes(connection, members, now)
        rows = []
        for number in range(assets):
            asset_type = rng.choice(TYPES)
            rows.append({"member_id": ids[number % members], "asset_type": asset_type, "name": f"A{number}",
                         "category": default_category(asset_type), "lifecycle_status": "in_service",
                         "source": AssetSource.AGENT, "last_seen": now - dt.timedelta(days=rng.randint(0, 40)),
                         "created_at": now, "updated_at": now, "section_hashes": {}})  # fmt: skip
        insert_in_batches(connection, Asset, rows)
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


def measure(url: str, members: int, assets: int, runs: int) -> None:
    settings, engine = fresh_engine(url)
    started = time.perf_counter()
    build(engine, members, assets)
    analyze(engine)  # planner statistics after the bulk load, as an operator runs it
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

    def one_member(format_: str) -> int:
        """What GET /allocation/{year}/statements/{member}?format=... sends: one member's statement."""
        with Session(engine) as session:
            allocation = allocate(session, YEAR, settings.stale_days)
            member = next(iter(allocation.members))
            item = exports.statement(allocation, member, "fr")
            return len({"csv": exports.to_csv, "xlsx": exports.to_xlsx, "pdf": exports.to_pdf}[format_](item, "fr"))

    def close() -> int:
        with Session(engine) as session:
            closure.close(session, YEAR, "bench", settings.stale_days, before_year_end=True)
            published = len(closure.versions(session, YEAR, 1))
            session.rollback()
            return published

    floor, _ = timed(reference, runs)
    seconds, values = timed(snapshot, runs)
    print(f"  snapshot of a day: {seconds:.3f} s for {values} key values (target < 2 s); "
          f"reference GROUP BY alone: {floor:.3f} s")  # fmt: skip
    for format_ in ("csv", "pdf"):
        seconds, size = timed(lambda f=format_: statements(f), runs)
        print(f"  allocation + {members} statements as {format_.upper()}: {seconds:.3f} s ({size / 1e6:.1f} MB) "
              f"(target < 2 s)")  # fmt: skip
        if format_ == "csv":
            csv_seconds = seconds
    for format_ in ("csv", "xlsx", "pdf"):
        seconds, size = timed(lambda f=format_: one_member(f), runs)
        print(f"  allocation + one member's statement as {format_.upper()}: {seconds:.3f} s ({size / 1e3:.0f} kB) "
              f"(target < 2 s)")  # fmt: skip
    seconds, _ = timed(close, runs)
    print(f"  closing the year (freeze + {members} statements published in 2 languages): {seconds:.3f} s "
          f"(target < 2 s); reference, the {members} statements as CSV: {csv_seconds:.3f} s")  # fmt: skip
    engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main(__doc__, measure))
