"""Allocation keys: what they measure in the inventory, their values per year, daily snapshots,
year closure.

What counts in a measured key (``counted``): assets in service, with a member (not in quarantine),
not consumables, of the key's types and categories, whatever their source (agent, collector,
manual, CSV import) and last-seen date. Storage: GB used on the volumes a mapping gives to
the member (unmapped volumes are listed, never silently dropped), and the provisioned disks of the
hypervisors' guests a mapping gives to it; hosted VMs: the guests a mapping gives to it. Pages
printed: what the counters of the member's printers and copiers added in the year, to the day
measured (``server.printing``: consumption, so from whichever asset it was then, in service or not).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, and_, delete, func, insert, literal, null, select
from sqlmodel import Session

from server import i18n
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import AssetType, Category, LifecycleStatus
from server.core import catalogue
from server.core.clock import utcnow
from server.core.errors import Conflict, Invalid, NotFound
from server.core.locks import run_alone
from server.printing import service as printing
from server.tenancy.models import Member

from .models import (
    AllocationKey,
    ClosureEvent,
    FrozenItem,
    FrozenValue,
    ImportedValue,
    KeySnapshot,
    KeySource,
    MappingKind,
    Measure,
    StorageMapping,
    YearClosure,
)

GIB = Decimal(2**30)  # "Go" as storage shows it (DSM, Windows, df -h): 2^30 bytes
GB_PLACES = Decimal("0.01")
STORAGE_TYPES = (AssetType.NAS, AssetType.SAN, AssetType.SERVER, AssetType.HYPERVISOR, AssetType.VM)
WORKSTATION_TYPES = [AssetType.WORKSTATION, AssetType.LAPTOP, AssetType.TABLET, AssetType.THIN_CLIENT]
DEFAULT_KEYS: list[dict[str, Any]] = [
    {"code": "workstations", "name": "Postes de travail", "unit": "postes", "asset_types": WORKSTATION_TYPES,
     "description": "fixes, portables, tablettes et clients légers"},
    {"code": "desktops", "name": "Postes fixes", "unit": "postes",
     "asset_types": [AssetType.WORKSTATION, AssetType.THIN_CLIENT]},
    {"code": "laptops", "name": "Postes portables", "unit": "postes", "asset_types": [AssetType.LAPTOP]},
    {"code": "tablets", "name": "Tablettes", "unit": "tablettes", "asset_types": [AssetType.TABLET]},
    {"code": "printers", "name": "Imprimantes", "unit": "imprimantes", "asset_types": [AssetType.PRINTER]},
    {"code": "copiers", "name": "Copieurs", "unit": "copieurs", "asset_types": [AssetType.COPIER]},
    {"code": "phones", "name": "Téléphones", "unit": "téléphones", "asset_types": [AssetType.PHONE]},
    {"code": "servers", "name": "Serveurs physiques", "unit": "serveurs",
     "asset_types": [AssetType.SERVER, AssetType.HYPERVISOR]},
    {"code": "vms", "name": "Machines virtuelles", "unit": "VM", "asset_types": [AssetType.VM]},
    {"code": "network_devices", "name": "Équipements actifs réseau", "unit": "équipements",
     "asset_types": [AssetType.SWITCH, AssetType.ROUTER, AssetType.FIREWALL, AssetType.WIFI_AP]},
    {"code": "storage_gb", "name": "Stockage occupé", "unit": "Go", "measure": Measure.STORAGE_GB},
    {"code": "hosted_vms", "name": "Machines virtuelles hébergées", "unit": "VM", "measure": Measure.VM_COUNT,
     "description": "VM des hyperviseurs (Proxmox, libvirt) attribuées par étiquette ou par nom"},
    {"code": "pages_printed", "name": "Pages imprimées", "unit": "pages", "measure": Measure.PAGES_PRINTED,
     "description": "pages comptées par les imprimantes et copieurs du membre depuis le 1er janvier "
                    "(remises à zéro des compteurs sans effet)"},
    {"code": "tickets", "name": "Tickets", "unit": "tickets", "source": KeySource.IMPORTED},
    {"code": "population", "name": "Population (INSEE)", "unit": "habitants", "source": KeySource.IMPORTED},
    {"code": "agents", "name": "Agents", "unit": "agents", "source": KeySource.IMPORTED},
]  # fmt: skip


def ensure_default_keys(session: Session) -> None:
    """The keys every service uses, created once (the DSIT adds its own beside them)."""
    existing = set(session.scalars(select(AllocationKey.code)))
    for spec in DEFAULT_KEYS:
        if spec["code"] in existing:
            continue
        source = spec.get("source", KeySource.MEASURED)
        measure = spec.get("measure", Measure.COUNT) if source is KeySource.MEASURED else None
        session.add(AllocationKey(**{**spec, "source": source, "measure": measure,
                                     "asset_types": [str(t) for t in spec.get("asset_types", [])]}))  # fmt: skip
    session.flush()


def all_keys(session: Session) -> list[AllocationKey]:
    ensure_default_keys(session)
    return list(session.scalars(select(AllocationKey).order_by(AllocationKey.id)))


def key_by_code(session: Session, code: str) -> AllocationKey:
    ensure_default_keys(session)
    key = session.scalars(select(AllocationKey).where(AllocationKey.code == code)).first()
    if key is None:
        raise NotFound(f"no allocation key {code!r}")
    return key


# -- measuring -----------------------------------------------------------------------------


def counted() -> Any:
    """The one definition of what a measured key counts: an asset in service, with a member (not in
    quarantine), not a consumable, not merged into another, whatever its source (agent, collector,
    manual, CSV import) and however long ago it was last seen: an asset the DSIT has not retired is
    in service and is billed (a stale one is shown on the inventory pages to be checked)."""
    return and_(
        Asset.merged_into_id.is_(None),
        Asset.member_id.is_not(None),
        Asset.lifecycle_status == LifecycleStatus.IN_SERVICE,
        Asset.category != Category.CONSUMABLE,
    )


def _key_filter(key: AllocationKey) -> Any:
    conditions = []
    if key.asset_types:
        conditions.append(Asset.asset_type.in_(key.asset_types))
    if key.categories:
        conditions.append(Asset.category.in_(key.categories))
    return and_(True, *conditions)


def count_by_member(session: Session, stale_before: dt.datetime) -> dict[tuple[int, str, str], int]:
    """(member, type, category) -> assets that count: one query for every count key."""
    statement = (
        select(Asset.member_id, Asset.asset_type, Asset.category, func.count())
        .where(counted())
        .group_by(Asset.member_id, Asset.asset_type, Asset.category)
    )
    return {(m, str(t), str(c)): n for m, t, c, n in session.execute(statement)}


def counts_for(key: AllocationKey, counts: dict[tuple[int, str, str], int]) -> dict[int, Decimal]:
    values: dict[int, Decimal] = defaultdict(Decimal)
    for (member, asset_type, category), number in counts.items():
        if (not key.asset_types or asset_type in key.asset_types) and (
            not key.categories or category in key.categories
        ):
            values[member] += number
    return dict(values)


@dataclass(frozen=True, slots=True)
class Volume:
    asset_id: int
    asset_name: str | None
    owner_id: int | None  # the member the NAS belongs to
    mount: str | None
    label: str | None
    used_bytes: int
    member_id: int | None  # the member the mapping gives it to; None: unmapped
    mapping_id: int | None
    kind: str = "volume"  # or "vm": a hypervisor's guest, used_bytes its provisioned disk
    tags: tuple[str, ...] = ()

    @property
    def used_gb(self) -> Decimal:
        return (Decimal(self.used_bytes) / GIB).quantize(GB_PLACES)


def _hits(mapping: StorageMapping, names: Iterable[str | None], tags: Iterable[str]) -> bool:
    if mapping.kind == MappingKind.TAG:
        return mapping.pattern in tags
    for name in filter(None, names):
        if mapping.kind == MappingKind.NAME:
            if fnmatch.fnmatchcase(name, mapping.pattern):
                return True
        elif name == mapping.pattern or (mapping.prefix and name.startswith(mapping.pattern.rstrip("/") + "/")):
            return True
    return False


def _match(mappings: list[StorageMapping], asset_id: int, names: Iterable[str | None],
           tags: Iterable[str] = ()) -> StorageMapping | None:  # fmt: skip
    best: StorageMapping | None = None
    names, tags = list(names), list(tags)
    for mapping in mappings:
        if mapping.asset_id is not None and mapping.asset_id != asset_id:
            continue
        if _hits(mapping, names, tags) and (best is None or len(mapping.pattern) > len(best.pattern)):
            best = mapping
    return best


def volumes(session: Session, stale_before: dt.datetime, mappings: list[StorageMapping]) -> list[Volume]:
    """Every volume of the storage assets that count, with the member its mapping gives it to."""
    table = COMPONENT_TABLES["drives"]
    statement = (
        select(table.c.asset_id, Asset.name, Asset.member_id, table.c.mount, table.c.label)
        .add_columns(table.c.total_bytes, table.c.free_bytes)
        .join(Asset, Asset.id == table.c.asset_id)
        .where(counted(), Asset.asset_type.in_(STORAGE_TYPES), table.c.total_bytes.is_not(None))
        .order_by(Asset.name, table.c.mount)
    )
    found = []
    for asset_id, name, owner, mount, label, total, free in session.execute(statement):
        mapping = _match(mappings, asset_id, (label, mount))
        used = max(0, int(total) - int(free or 0))
        found.append(Volume(asset_id, name, owner, mount, label, used, mapping.member_id if mapping else None,
                            mapping.id if mapping else None))  # fmt: skip
    return found


def guests(session: Session, stale_before: dt.datetime, mappings: list[StorageMapping]) -> list[Volume]:
    """Every guest of the hypervisors that count, with the member its tags or name give it to."""
    table = COMPONENT_TABLES["virtualmachines"]
    statement = (
        select(table.c.asset_id, Asset.name, Asset.member_id, table.c.name, table.c.tags, table.c.disk_bytes)
        .join(Asset, Asset.id == table.c.asset_id)
        .where(counted(), Asset.asset_type.in_(STORAGE_TYPES))
        .order_by(Asset.name, table.c.name)
    )
    mappings = [m for m in mappings if m.kind != MappingKind.PATH]  # guests have names and tags, no paths
    found = []
    for asset_id, host, owner, name, tags, disk in session.execute(statement):
        tags = tuple(str(t) for t in tags or ())
        mapping = _match(mappings, asset_id, (name,), tags)
        found.append(Volume(asset_id, host, owner, None, name, int(disk or 0), mapping.member_id if mapping else None,
                            mapping.id if mapping else None, kind="vm", tags=tags))  # fmt: skip
    return found


def storage_by_member(all_volumes: list[Volume]) -> dict[int, Decimal]:
    used: dict[int, int] = defaultdict(int)
    for volume in all_volumes:
        if volume.member_id is not None:
            used[volume.member_id] += volume.used_bytes
    return {member: (Decimal(total) / GIB).quantize(GB_PLACES) for member, total in used.items()}


class Measurer:
    """Measures every measured key now, with one query per kind of measure."""

    def __init__(self, session: Session, stale_days: int, now: dt.datetime | None = None,
                 day: dt.date | None = None) -> None:  # fmt: skip
        self.session = session
        self.now = now or utcnow()
        self.stale_before = self.now - dt.timedelta(days=stale_days)
        self.day = day or self.now.date()  # pages printed: from January 1st to the end of this day
        self._counts: dict[tuple[int, str, str], int] | None = None
        self._volumes: list[Volume] | None = None
        self._guests: list[Volume] | None = None
        self._mappings: list[StorageMapping] | None = None

    @property
    def counts(self) -> dict[tuple[int, str, str], int]:
        if self._counts is None:
            self._counts = count_by_member(self.session, self.stale_before)
        return self._counts

    @property
    def mappings(self) -> list[StorageMapping]:
        if self._mappings is None:
            self._mappings = list(self.session.scalars(select(StorageMapping)))
        return self._mappings

    @property
    def guests(self) -> list[Volume]:
        if self._guests is None:
            self._guests = guests(self.session, self.stale_before, self.mappings)
        return self._guests

    @property
    def volumes(self) -> list[Volume]:
        """Volumes, then the guests' disks (mapped or not: unmapped ones are listed to be mapped)."""
        if self._volumes is None:
            mapped = volumes(self.session, self.stale_before, self.mappings)
            self._volumes = mapped + [g for g in self.guests if g.used_bytes]
        return self._volumes

    def behind(self, key: AllocationKey, member_id: int) -> list[Volume] | None:
        """The volumes or guests behind a member's figure; None for keys that count assets."""
        if key.measure is Measure.STORAGE_GB:
            return [v for v in self.volumes if v.member_id == member_id]
        if key.measure is Measure.VM_COUNT:
            return [g for g in self.guests if g.member_id == member_id]
        return None

    def pages_period(self, year: int | None = None) -> tuple[dt.datetime, ...]:
        """The period pages are counted over: ``year`` (whole), else to the end of the day measured."""
        if year is None or year == self.day.year:
            return printing.year_period(self.day.year, self.day, self.now)
        return printing.year_period(year, now=self.now)

    def values(self, key: AllocationKey, year: int | None = None) -> dict[int, Decimal]:
        if key.measure is Measure.PAGES_PRINTED:
            return printing.pages_by_member(self.session, *self.pages_period(year), asset_types=key.asset_types,
                                            categories=key.categories)  # fmt: skip
        if key.measure is Measure.STORAGE_GB:
            return storage_by_member(self.volumes)
        if key.measure is Measure.VM_COUNT:
            counted_guests: dict[int, Decimal] = defaultdict(Decimal)
            for guest in self.guests:
                if guest.member_id is not None:
                    counted_guests[guest.member_id] += 1
            return dict(counted_guests)
        return counts_for(key, self.counts)

    def assets(self, key: AllocationKey, member_id: int) -> list[Asset]:
        """The assets behind a member's count (the drill-down)."""
        if key.measure is Measure.PAGES_PRINTED:
            return printing.printed_assets(self.session, member_id, *self.pages_period(), asset_types=key.asset_types,
                                           categories=key.categories)  # fmt: skip
        statement = select(Asset).where(counted(), _key_filter(key), Asset.member_id == member_id)
        return list(self.session.scalars(statement.order_by(Asset.asset_type, Asset.name)))


# -- values per year, snapshots, closure ---------------------------------------------------


def is_closed(session: Session, year: int) -> bool:
    closure = session.get(YearClosure, year)
    return bool(closure and closure.closed)


def check_open(session: Session, year: int) -> None:
    """409 for any write on a closed year's pools, shares, prices, key values or statements."""
    closure = session.get(YearClosure, year)
    if closure is not None and closure.closed:
        when = f" on {closure.closed_at:%d/%m/%Y}" if closure.closed_at else ""
        by = f" by {closure.closed_by}" if closure.closed_by else ""
        raise Conflict(f"year {year} is closed{when}{by}: its pools, key values and statements are frozen "
                       "(an admin may reopen it, giving a reason)")  # fmt: skip


def imported_values(session: Session, key: AllocationKey, year: int) -> dict[int, Decimal]:
    statement = select(ImportedValue.member_id, ImportedValue.value).where(
        ImportedValue.key_id == key.id, ImportedValue.year == year
    )
    return {member: Decimal(value) for member, value in session.execute(statement)}


def _last_snapshots(session: Session, key: AllocationKey, year: int) -> list[tuple[int, Decimal, dt.date, dt.datetime]]:
    in_year = and_(KeySnapshot.day >= dt.date(year, 1, 1), KeySnapshot.day <= dt.date(year, 12, 31))
    last = (
        select(KeySnapshot.member_id, func.max(KeySnapshot.day).label("day"))
        .where(KeySnapshot.key_id == key.id, in_year)
        .group_by(KeySnapshot.member_id)
        .subquery()
    )
    statement = (
        select(KeySnapshot.member_id, KeySnapshot.value, KeySnapshot.day, KeySnapshot.taken_at)
        .join(last, and_(KeySnapshot.member_id == last.c.member_id, KeySnapshot.day == last.c.day))
        .where(KeySnapshot.key_id == key.id)
    )
    return [(member, Decimal(value), day, taken) for member, value, day, taken in session.execute(statement)]


def last_snapshot_values(session: Session, key: AllocationKey, year: int) -> dict[int, Decimal]:
    """Each member's last snapshot of ``year`` (what the year ended with)."""
    return {member: value for member, value, _, _ in _last_snapshots(session, key, year)}


@dataclass(frozen=True, slots=True)
class Basis:
    """Where a key's values for a year come from, to say so on the page and the statements.

    ``frozen``: validated at the closure (``day``: the closure); ``imported``: typed in or imported;
    ``readings``: pages printed, counted over the year from the counters' readings; ``snapshot``:
    the last snapshot of the year (``day``; ``taken``: when it was measured, if after its day);
    ``measured``: no snapshot of the year, so the measurement of ``day`` (today)."""

    kind: str
    day: dt.date | None = None
    taken: dt.date | None = None

    def other_day(self, year: int) -> bool:
        """The values are a measurement of another day than the year's: say it wherever they are shown."""
        if self.kind == "measured":
            return self.day is not None and self.day.year != year
        return self.kind == "snapshot" and self.taken is not None

    def describe(self, lang: str, year: int) -> str:
        """ "mesure du 07/12/2026 (aucun instantané de l'année)" and the like."""
        words = BASIS_WORDS.get(lang, BASIS_WORDS["fr"])
        if self.kind == "snapshot" and self.taken is not None and self.day is not None:
            return words["late"].format(
                day=i18n.format_value(self.day, lang), taken=i18n.format_value(self.taken, lang)
            )
        if self.kind in ("snapshot", "measured", "frozen") and self.day is not None:
            return words[self.kind].format(day=i18n.format_value(self.day, lang), year=year)
        return words["frozen_undated" if self.kind == "frozen" else self.kind].format(year=year)


BASIS_WORDS = catalogue.by_language("allocation.basis")


def year_basis(session: Session, key: AllocationKey, year: int, measurer: Measurer) -> Basis:
    """Where ``year_values`` takes the key's values from."""
    closure = session.get(YearClosure, year)
    if closure is not None and closure.closed:
        return Basis("frozen", closure.closed_at.date() if closure.closed_at else None)
    if key.source is KeySource.IMPORTED:
        return Basis("imported")
    if key.measure is Measure.PAGES_PRINTED:
        return Basis("readings")
    snapshots = _last_snapshots(session, key, year)
    if snapshots:
        day = max(s[2] for s in snapshots)
        taken = max(s[3] for s in snapshots if s[2] == day).date()
        return Basis("snapshot", day, taken if taken > day else None)
    return Basis("measured", measurer.day)


def year_values(session: Session, key: AllocationKey, year: int, measurer: Measurer) -> dict[int, Decimal]:
    """The key's values for ``year``: frozen if the year is closed; else imported values, or for a
    measured key its last snapshot in the year, else what it measures now (``year_basis`` says
    which, and a past year shown with today's measurement says so); pages printed are measured
    over the year from the readings (exact whatever snapshots were taken)."""
    if is_closed(session, year):
        statement = select(FrozenValue.member_id, FrozenValue.value).where(
            FrozenValue.key_id == key.id, FrozenValue.year == year
        )
        return {member: Decimal(value) for member, value in session.execute(statement)}
    if key.source is KeySource.IMPORTED:
        return imported_values(session, key, year)
    overridden = imported_values(session, key, year)  # the DSIT's corrections of the measurement
    if key.measure is Measure.PAGES_PRINTED:
        return {**measurer.values(key, year), **overridden}
    return {**(last_snapshot_values(session, key, year) or measurer.values(key)), **overridden}


def overrides(session: Session, key: AllocationKey, year: int) -> dict[int, str]:
    """Member -> why the DSIT typed in this measured key's value for ``year`` instead of the measurement."""
    if key.source is KeySource.IMPORTED:
        return {}
    statement = select(ImportedValue.member_id, ImportedValue.reason).where(
        ImportedValue.key_id == key.id, ImportedValue.year == year
    )
    return {member: reason or "" for member, reason in session.execute(statement)}


def take_snapshot(session: Session, day: dt.date, stale_days: int) -> int:
    """Every key's value for every member on ``day`` (idempotent: a second run replaces the first)."""
    run_alone(session.connection(), f"keys snapshot {day.isoformat()}")
    check_open(session, day.year)
    keys = all_keys(session)
    members = list(session.scalars(select(Member.id)))
    measurer = Measurer(session, stale_days, day=day)
    rows = []
    now = utcnow()
    for key in keys:
        values = imported_values(session, key, day.year) if key.source is KeySource.IMPORTED else measurer.values(key)
        rows += [{"key_id": key.id, "member_id": m, "day": day, "value": values.get(m, Decimal(0)), "taken_at": now}
                 for m in members if key.source is KeySource.MEASURED or m in values]  # fmt: skip
    session.execute(delete(KeySnapshot).where(KeySnapshot.day == day))
    if rows:
        session.execute(insert(KeySnapshot), rows)
    return len(rows)


def close_year(session: Session, year: int, actor: str, stale_days: int) -> YearClosure:
    check_open(session, year)
    measurer = Measurer(session, stale_days)
    every_key = all_keys(session)
    session.execute(delete(FrozenValue).where(FrozenValue.year == year))
    rows = []
    for key in every_key:
        rows += [{"key_id": key.id, "member_id": m, "year": year, "value": v}
                 for m, v in year_values(session, key, year, measurer).items()]  # fmt: skip
    if rows:  # Core, not the ORM's bulk path: one multi-row statement per chunk
        session.execute(insert(FrozenValue.__table__), rows)
    session.execute(delete(FrozenItem).where(FrozenItem.year == year))
    for key in every_key:  # key by key, so items keep the order (and ids) they always had
        _freeze_items(session, key, year, measurer)
    closure = session.get(YearClosure, year) or YearClosure(year=year)
    closure.closed, closure.closed_at, closure.closed_by = True, utcnow(), actor
    session.add(closure)
    session.add(ClosureEvent(year=year, action="close", actor=actor))
    session.flush()
    return closure


def _freeze_items(session: Session, key: AllocationKey, year: int, measurer: Measurer) -> None:
    """Store what a measured key counts now, member by member (kept at the closure: the drill-down
    of a closed year). Pages printed are counted from readings, kept by ``server.printing`` already.

    Counted assets are copied inside the database (``INSERT … SELECT``: 100,000 assets never cross
    to Python); volumes and guests, matched to members in Python, go in one multi-row insert."""
    if key.source is not KeySource.MEASURED or key.measure is Measure.PAGES_PRINTED:
        return
    table = FrozenItem.__table__
    if key.measure in (Measure.STORAGE_GB, Measure.VM_COUNT):
        found = measurer.volumes if key.measure is Measure.STORAGE_GB else measurer.guests
        items = [{"year": year, "key_id": key.id, "member_id": v.member_id, "asset_id": v.asset_id,
                  "name": v.asset_name, "detail": v.mount or v.label,
                  "value": v.used_gb if key.measure is Measure.STORAGE_GB else None}
                 for v in found if v.member_id is not None]  # fmt: skip
        if items:
            session.execute(insert(table), items)
        return
    assets = select(
        literal(year, Integer), literal(key.id, Integer), Asset.member_id, Asset.id, Asset.name,
        Asset.asset_type, null(),
    ).where(counted(), _key_filter(key))  # fmt: skip
    columns = ["year", "key_id", "member_id", "asset_id", "name", "detail", "value"]
    session.execute(insert(table).from_select(columns, assets))


def frozen_items(session: Session, key: AllocationKey, year: int, member_id: int) -> list[FrozenItem]:
    """What the key counted for the member when ``year`` was closed."""
    statement = select(FrozenItem).where(FrozenItem.year == year, FrozenItem.key_id == key.id,
                                         FrozenItem.member_id == member_id)  # fmt: skip
    return list(session.scalars(statement.order_by(FrozenItem.name, FrozenItem.detail, FrozenItem.id)))


def reopen_year(session: Session, year: int, actor: str, reason: str) -> YearClosure:
    if not reason.strip():
        raise Invalid("say why the year is reopened: it is recorded")
    closure = session.get(YearClosure, year)
    if closure is None or not closure.closed:
        raise Conflict(f"year {year} is not closed")
    closure.closed = False
    session.execute(delete(FrozenValue).where(FrozenValue.year == year))
    session.execute(delete(FrozenItem).where(FrozenItem.year == year))
    session.add(ClosureEvent(year=year, action="reopen", actor=actor, reason=reason.strip()))
    session.flush()
    return closure


def check_importable(session: Session, key: AllocationKey, year: int, reason: str | None) -> None:
    """An imported key takes values for any open year; a measured one only as an override, with a reason."""
    check_open(session, year)
    if key.source is not KeySource.IMPORTED and not (reason or "").strip():
        raise Invalid(f"key {key.code!r} is measured from the inventory: overriding its values needs a reason "
                      "(shown on the statements)")  # fmt: skip


def set_imported(session: Session, key: AllocationKey, year: int, values: dict[int, Decimal], *, origin: str | None,
                 actor: str, reason: str | None = None) -> None:  # fmt: skip
    check_importable(session, key, year, reason)
    existing = {row.member_id: row for row in session.scalars(
        select(ImportedValue).where(ImportedValue.key_id == key.id, ImportedValue.year == year))}  # fmt: skip
    for member, value in values.items():
        row = existing.get(member) or ImportedValue(key_id=key.id, member_id=member, year=year, value=value)  # type: ignore[arg-type]
        row.value, row.origin, row.imported_by, row.imported_at = value, origin, actor, utcnow()
        row.reason = reason.strip() if reason and key.source is KeySource.MEASURED else None
        session.add(row)
    session.flush()
