"""Allocation keys, their values over time, year closures, storage mapping and cost pools."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.core.clock import utcnow
from server.core.types import StrEnumType

from .rounding import Rounding

VALUE = Numeric(18, 4)  # key values: counts, GB with decimals, populations
MONEY = Numeric(14, 2)


class KeySource(StrEnum):
    MEASURED = "measured"  # from the inventory: counts of assets, storage
    IMPORTED = "imported"  # from outside: tickets, population, staff


class Measure(StrEnum):
    COUNT = "count"  # assets in service of the key's types and categories
    STORAGE_GB = "storage_gb"  # GB used on the volumes mapped to the member
    VM_COUNT = "vm_count"  # guests of the hypervisors (Proxmox, libvirt) mapped to the member
    PAGES_PRINTED = "pages_printed"  # pages the member's printers and copiers counted in the year


class MappingKind(StrEnum):
    PATH = "path"  # the volume's label or mount point, exactly or as a prefix
    TAG = "tag"  # a tag of the guest (Proxmox VM tags)
    NAME = "name"  # a naming rule: a shell pattern on the volume's or guest's name ("servon-*")


class AllocationKey(SQLModel, table=True):
    """A quantity per member used to split costs (clé de répartition)."""

    __tablename__ = "allocation_key"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=50, unique=True)  # "workstations", "tickets", "storage_gb"
    name: str = Field(max_length=200)  # "Postes de travail"
    unit: str = Field(default="", max_length=20)  # "postes", "tickets", "Go"
    source: KeySource = Field(sa_type=StrEnumType(KeySource, 20))
    measure: Measure | None = Field(default=None, sa_type=StrEnumType(Measure, 20))
    asset_types: list[str] = Field(default_factory=list, sa_type=JSON)  # empty: every type
    categories: list[str] = Field(default_factory=list, sa_type=JSON)  # empty: normal and complex
    description: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow)


class ImportedValue(SQLModel, table=True):
    """An imported key's value for a member and a year (tickets 2022, population...)."""

    __tablename__ = "allocation_key_import"
    __table_args__ = (UniqueConstraint("key_id", "member_id", "year", name="uq_allocation_key_import"),)

    id: int | None = Field(default=None, primary_key=True)
    key_id: int = Field(foreign_key="allocation_key.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id")
    year: int
    value: Decimal = Field(sa_type=VALUE)
    origin: str | None = Field(default=None, max_length=255)  # the file it came from
    # a measured key's value typed in by the DSIT instead of the measurement: why (shown on statements)
    reason: str | None = Field(default=None, sa_type=Text)
    imported_at: dt.datetime = Field(default_factory=utcnow)
    imported_by: str | None = Field(default=None, max_length=150)


class KeySnapshot(SQLModel, table=True):
    """A key's value for a member on a day: the J+1 dashboards and the history."""

    __tablename__ = "allocation_key_snapshot"
    __table_args__ = (
        UniqueConstraint("key_id", "member_id", "day", name="uq_allocation_key_snapshot"),
        Index("ix_allocation_key_snapshot_day", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key_id: int = Field(foreign_key="allocation_key.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id")
    day: dt.date
    value: Decimal = Field(sa_type=VALUE)
    taken_at: dt.datetime = Field(default_factory=utcnow)


class YearClosure(SQLModel, table=True):
    """A year the DSIT closed: its key values are validated and frozen."""

    __tablename__ = "allocation_year"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    closed: bool = False
    closed_at: dt.datetime | None = None
    closed_by: str | None = Field(default=None, max_length=150)


class ClosureEvent(SQLModel, table=True):
    """Every closure and reopening, who did it and why (reopening is an audited admin act)."""

    __tablename__ = "allocation_year_event"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    action: str = Field(max_length=10)  # close | reopen
    actor: str = Field(max_length=150)
    reason: str | None = Field(default=None, sa_type=Text)
    at: dt.datetime = Field(default_factory=utcnow)


class FrozenValue(SQLModel, table=True):
    """A key's validated value for a member in a closed year."""

    __tablename__ = "allocation_key_frozen"
    __table_args__ = (UniqueConstraint("key_id", "member_id", "year", name="uq_allocation_key_frozen"),)

    id: int | None = Field(default=None, primary_key=True)
    key_id: int = Field(foreign_key="allocation_key.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id")
    year: int
    value: Decimal = Field(sa_type=VALUE)


class FrozenItem(SQLModel, table=True):
    """What a measured key counted for a member when its year was closed: an asset, or a volume or
    guest with its GB (the drill-down of a closed year, whatever the parc became since)."""

    __tablename__ = "allocation_key_frozen_item"
    __table_args__ = (Index("ix_allocation_key_frozen_item_year_key_member", "year", "key_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    key_id: int = Field(foreign_key="allocation_key.id", ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id")
    asset_id: int | None = None  # no foreign key: the item outlives the asset's deletion
    name: str | None = Field(default=None, max_length=255)  # the asset's name then
    detail: str | None = Field(default=None, max_length=255)  # its type, or the volume's mount or guest's name
    value: Decimal | None = Field(default=None, sa_type=VALUE)  # GB of a volume; none for a counted asset


class StorageMapping(SQLModel, table=True):
    """Which member a volume, share, datastore or hosted VM belongs to: its GB go to that member's
    storage key, and a VM counts in its hosted VMs key.

    By ``kind``: ``path`` matches the volume's label and mount point, exactly or as a prefix
    (``/volume1/servon`` takes ``/volume1/servon/archives``); ``tag`` a guest's tag; ``name`` a
    shell pattern on names (``servon-*``). The longest pattern wins. ``asset_id`` restricts the rule
    to one NAS, server or hypervisor. Map a datastore or the VMs on it, not both: both would count.
    """

    __tablename__ = "storage_mapping"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    asset_id: int | None = Field(default=None, foreign_key="asset.id", ondelete="CASCADE")
    pattern: str = Field(max_length=255)
    kind: str = Field(default=MappingKind.PATH, max_length=10)
    prefix: bool = True
    note: str | None = Field(default=None, max_length=255)
    created_at: dt.datetime = Field(default_factory=utcnow)


class PoolModel(StrEnum):
    PRO_RATA = "pro_rata"  # the amount split by a key
    PER_UNIT = "per_unit"  # so much per unit of a key (700 € per workstation)
    POPULATION_TIERS = "population_tiers"  # fixed part by population tier + € per inhabitant


class CostPool(SQLModel, table=True):
    """A cost of a year, advanced by one member, split among members by a model."""

    __tablename__ = "cost_pool"
    __table_args__ = (UniqueConstraint("year", "name", name="uq_cost_pool_year_name"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    name: str = Field(max_length=200)
    position: int = 0  # order in statements
    amount: Decimal | None = Field(default=None, sa_type=MONEY)  # None for per-unit and tier models
    advanced_by_id: int | None = Field(default=None, foreign_key="member.id")
    model: PoolModel = Field(sa_type=StrEnumType(PoolModel, 20))
    key_code: str | None = Field(default=None, max_length=50)
    rounding: Rounding = Field(default=Rounding.PERCENT, sa_type=StrEnumType(Rounding, 20))
    members: list[int] = Field(default_factory=list, sa_type=JSON)  # only these (empty: every member)
    exclude: list[int] = Field(default_factory=list, sa_type=JSON)  # never these
    unit_price: Decimal | None = Field(default=None, sa_type=MONEY)
    # population_tiers: {"tiers": [{"min", "max" (excluded), "fixed", "per_inhabitant"}],
    #                    "per_inhabitant": 1.5, "deduct_tiers": [...], "deduct_for": [member ids]}
    parameters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    note: str | None = Field(default=None, sa_type=Text)


class StatementVersion(SQLModel, table=True):
    """A member's statement as published when its year was closed: v1, then v2 after a reopening
    and a new closure... kept forever, so what was sent to a member can always be shown again."""

    __tablename__ = "allocation_statement_version"
    __table_args__ = (UniqueConstraint("year", "member_id", "version", name="uq_allocation_statement_version"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    member_id: int = Field(foreign_key="member.id")
    version: int
    published_at: dt.datetime = Field(default_factory=utcnow)
    published_by: str = Field(max_length=150)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # the statement in each language
