"""The closure keeps, key by key and member by member, exactly what the drill-down counted then:
the assets of each count key (copied inside the database), the volumes and guests' disks of the
storage key with their GB, the guests of the hosted VMs key; nothing for imported keys or pages
printed. A second closure after a reopening replaces the first's items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from server.allocation import keys
from server.allocation.models import AllocationKey, FrozenItem, KeySource, MappingKind, StorageMapping
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import AssetSource, AssetType, default_category
from tests.utils import make_member

YEAR = 2025


def _asset(session: Session, member: int | None, asset_type: AssetType, name: str | None, **fields: Any) -> int:
    now = dt.datetime.now(dt.UTC)
    row = {"member_id": member, "asset_type": asset_type, "name": name, "category": default_category(asset_type),
           "lifecycle_status": "in_service", "source": AssetSource.AGENT, "last_seen": now, "created_at": now,
           "updated_at": now, "section_hashes": {}, **fields}  # fmt: skip
    return session.execute(insert(Asset).returning(Asset.id), [row]).scalar_one()


def _parc(engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    with Session(engine) as session, session.begin():
        for number in range(4):
            _asset(session, servon, AssetType.WORKSTATION, f"S-{number}")
        _asset(session, servon, AssetType.LAPTOP, "S-1")  # a twin name: both kept
        _asset(session, chevry, AssetType.LAPTOP, None)  # no name
        _asset(session, chevry, AssetType.TABLET, "C-T")
        _asset(session, chevry, AssetType.PRINTER, "C-P")
        _asset(session, chevry, AssetType.SWITCH, "C-SW")
        # not counted: retired, in no member, consumable, merged into another
        _asset(session, servon, AssetType.WORKSTATION, "S-old", lifecycle_status="retired")
        _asset(session, None, AssetType.WORKSTATION, "nobody")
        _asset(session, servon, AssetType.WORKSTATION, "S-kbd", category="consumable")
        kept = _asset(session, servon, AssetType.LAPTOP, "S-kept")
        _asset(session, servon, AssetType.LAPTOP, "S-twin", merged_into_id=kept)
        nas = _asset(session, servon, AssetType.NAS, "NAS-DC", category="complex")
        session.execute(insert(COMPONENT_TABLES["drives"]), [
            {"asset_id": nas, "mount": "/volume1/servon", "label": "servon", "total_bytes": 5 * 2**30,
             "free_bytes": 2**30},
            {"asset_id": nas, "mount": "/volume1/chevry", "label": None, "total_bytes": 3 * 2**29, "free_bytes": None},
            {"asset_id": nas, "mount": "/volume1/tmp", "label": "tmp", "total_bytes": 2**30, "free_bytes": 0},
        ])  # fmt: skip
        host = _asset(session, chevry, AssetType.HYPERVISOR, "PVE-1", category="complex")
        session.execute(insert(COMPONENT_TABLES["virtualmachines"]), [
            {"asset_id": host, "name": "servon-web", "tags": ["servon"], "disk_bytes": 2**31},
            {"asset_id": host, "name": "chevry-ad", "tags": [], "disk_bytes": None},
            {"asset_id": host, "name": "lab", "tags": ["lab"], "disk_bytes": 2**30},
        ])  # fmt: skip
        now = dt.datetime.now(dt.UTC)
        session.add_all([
            StorageMapping(member_id=servon, pattern="/volume1/servon", created_at=now),
            StorageMapping(member_id=chevry, pattern="/volume1/chevry", created_at=now),
            StorageMapping(member_id=servon, pattern="servon", kind=MappingKind.TAG, created_at=now),
            StorageMapping(member_id=chevry, pattern="chevry-*", kind=MappingKind.NAME, created_at=now),
        ])  # fmt: skip
        session.add(AllocationKey(code="complex_kit", name="Matériel complexe", source=KeySource.MEASURED,
                                  categories=["complex"]))  # fmt: skip
    return servon, chevry


def _drill_downs(session: Session, members: list[int]) -> list[tuple[Any, ...]]:
    """What the drill-down shows today for every measured key and member, as frozen items."""
    measurer = keys.Measurer(session, stale_days=30)
    found = []
    for key in keys.all_keys(session):
        if key.source is not KeySource.MEASURED or key.measure == "pages_printed":
            continue
        for member in members:
            behind = measurer.behind(key, member)
            if behind is None:
                found += [(key.code, member, a.id, a.name, str(a.asset_type), None)
                          for a in measurer.assets(key, member)]  # fmt: skip
            else:
                found += [(key.code, member, v.asset_id, v.asset_name, v.mount or v.label,
                           v.used_gb if key.measure == "storage_gb" else None) for v in behind]  # fmt: skip
    return sorted(found, key=repr)


def _frozen(session: Session) -> list[tuple[Any, ...]]:
    codes = {key.id: key.code for key in session.scalars(select(AllocationKey))}
    rows = session.execute(select(FrozenItem.key_id, FrozenItem.member_id, FrozenItem.asset_id, FrozenItem.name,
                                  FrozenItem.detail, FrozenItem.value).where(FrozenItem.year == YEAR))  # fmt: skip
    return sorted(((codes[k], m, a, n, d, None if v is None else Decimal(v)) for k, m, a, n, d, v in rows), key=repr)


def test_the_closure_freezes_exactly_what_each_key_counted(engine) -> None:  # type: ignore[no-untyped-def]
    servon, chevry = _parc(engine)
    with Session(engine) as session, session.begin():
        expected = _drill_downs(session, [servon, chevry])
        keys.close_year(session, YEAR, "dsit", stale_days=30)
    with Session(engine) as session:
        frozen = _frozen(session)
        assert frozen == expected
        by_key: dict[str, set[Any]] = {}
        for code, member, _, name, detail, value in frozen:
            by_key.setdefault(code, set()).add((member, name, detail, value))
        servon_names = sorted(name for member, name, _, _ in by_key["workstations"] if member == servon)
        assert servon_names == ["S-0", "S-1", "S-1", "S-2", "S-3", "S-kept"]  # twin names: both kept
        assert (chevry, None, "laptop", None) in by_key["workstations"]
        assert by_key["storage_gb"] == {(servon, "NAS-DC", "/volume1/servon", Decimal("4.00")),
                                        (chevry, "NAS-DC", "/volume1/chevry", Decimal("1.50")),
                                        (servon, "PVE-1", "servon-web", Decimal("2.00"))}  # fmt: skip
        assert by_key["hosted_vms"] == {(servon, "PVE-1", "servon-web", None), (chevry, "PVE-1", "chevry-ad", None)}
        assert {(n, d) for _, n, d, _ in by_key["complex_kit"]} == {("C-SW", "switch"), ("NAS-DC", "nas"),
                                                                   ("PVE-1", "hypervisor")}  # fmt: skip
        assert not {"tickets", "population", "agents", "pages_printed"} & set(by_key)
        workstations = keys.key_by_code(session, "workstations")
        drill = [(i.name, i.detail) for i in keys.frozen_items(session, workstations, YEAR, servon)]
        assert drill == [("S-0", "workstation"), ("S-1", "laptop"), ("S-1", "workstation"), ("S-2", "workstation"),
                         ("S-3", "workstation"), ("S-kept", "laptop")]  # fmt: skip

    # Reopened, the parc changes, closed again: the items are the new ones, none twice.
    with Session(engine) as session, session.begin():
        keys.reopen_year(session, YEAR, "dsit", "tickets corrigés")
        _asset(session, chevry, AssetType.WORKSTATION, "C-new")
        expected = _drill_downs(session, [servon, chevry])
        keys.close_year(session, YEAR, "dsit", stale_days=30)
    with Session(engine) as session:
        assert _frozen(session) == expected
        assert sum(1 for code, _, _, name, _, _ in expected if name == "C-new") == 2  # workstations, desktops
