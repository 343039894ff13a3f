"""API shapes of allocation keys, storage mapping, year closure, cost pools and allocations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from server.assets.vocab import AssetType, Category

from .models import KeySource, MappingKind, Measure, PoolModel
from .rounding import Rounding


class KeyIn(BaseModel):
    code: str = Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="", max_length=20)
    source: KeySource
    measure: Measure | None = None
    asset_types: list[AssetType] = []
    categories: list[Category] = []
    description: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> KeyIn:
        if self.source is KeySource.MEASURED and self.measure is None:
            self.measure = Measure.COUNT
        if self.source is KeySource.IMPORTED and (self.measure or self.asset_types or self.categories):
            raise ValueError("an imported key has no measure, types or categories")
        if Category.CONSUMABLE in self.categories:
            raise ValueError("consumables are never counted")
        return self


class KeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    unit: str
    source: KeySource
    measure: Measure | None
    asset_types: list[str]
    categories: list[str]
    description: str | None


class KeyValue(BaseModel):
    member_id: int
    member: str
    value: Decimal


class KeyValues(BaseModel):
    key: str
    year: int | None = None
    basis: str  # frozen | imported | snapshot | measured now
    data: list[KeyValue]
    total: Decimal


class SnapshotPoint(BaseModel):
    day: dt.date
    member_id: int
    value: Decimal


class CountedAsset(BaseModel):
    id: int
    name: str | None
    asset_type: str
    category: str
    site_id: int | None
    serial: str | None
    last_seen: dt.datetime | None


class VolumePublic(BaseModel):
    asset_id: int
    asset_name: str | None
    owner_id: int | None
    mount: str | None
    label: str | None
    used_gb: Decimal
    member_id: int | None
    mapping_id: int | None
    kind: str = "volume"  # or "vm": a hypervisor's guest, its provisioned disk
    tags: list[str] = []


class MappingIn(BaseModel):
    member_id: int
    pattern: str = Field(min_length=1, max_length=255)
    kind: MappingKind = MappingKind.PATH
    asset_id: int | None = None
    prefix: bool = True
    note: str | None = Field(default=None, max_length=255)


class MappingPublic(MappingIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime


class YearState(BaseModel):
    year: int
    closed: bool
    closed_at: dt.datetime | None
    closed_by: str | None
    events: list[dict[str, Any]]


class ReopenIn(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class PoolIn(BaseModel):
    year: int = Field(ge=2000, le=2100)
    name: str = Field(min_length=1, max_length=200)
    position: int = 0
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    advanced_by_id: int | None = None
    model: PoolModel = PoolModel.PRO_RATA
    key_code: str | None = None
    rounding: Rounding = Rounding.PERCENT
    members: list[int] = []
    exclude: list[int] = []
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    parameters: dict[str, Any] = {}
    note: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> PoolIn:
        if self.model is PoolModel.PRO_RATA and (self.amount is None or not self.key_code):
            raise ValueError("a pro-rata pool needs an amount and a key")
        if self.model is PoolModel.PER_UNIT and (self.unit_price is None or not self.key_code):
            raise ValueError("a per-unit pool needs a unit price and a key")
        if self.model is PoolModel.POPULATION_TIERS and not self.parameters.get("tiers"):
            raise ValueError("a population-tier pool needs parameters.tiers")
        return self


class PoolPublic(PoolIn):
    model_config = ConfigDict(from_attributes=True)

    id: int


class ShareOut(BaseModel):
    member_id: int
    member: str
    value: Decimal
    percent: Decimal
    amount: Decimal


class PoolAllocation(BaseModel):
    pool_id: int
    pool: str
    amount: Decimal | None
    advanced_by_id: int | None
    key: str | None
    rounding: Rounding
    shares: list[ShareOut]
    total: Decimal


class InvoiceOut(BaseModel):
    issuer_id: int
    issuer: str
    debtor_id: int
    debtor: str
    amount: Decimal


class AllocationOut(BaseModel):
    year: int
    closed: bool
    pools: list[PoolAllocation]
    totals: list[KeyValue]
    invoices: list[InvoiceOut]


class DiscrepancyOut(BaseModel):
    line: int
    kind: str
    member: str
    pool: str
    debtor: str
    expected: Decimal | None
    found: Decimal
    description: str


class ComparisonOut(BaseModel):
    year: int
    differences: list[DiscrepancyOut]
    unreadable: list[str]
