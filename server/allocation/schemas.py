"""API shapes of allocation keys, storage mapping, year closure, cost pools and allocations."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    basis: str  # frozen | imported | measured
    # where a year's values come from: frozen | imported | readings | snapshot | measured (today's
    # measurement: a past year without a snapshot), its day, and in words
    provenance: str | None = None
    day: dt.date | None = None
    note: str | None = None
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


class StatementVersionOut(BaseModel):
    version: int
    published_at: dt.datetime
    published_by: str
    total: Decimal
    draft: bool = False  # a provisional version of the open year; the closure's is final


class PublishedOut(BaseModel):
    year: int
    version: int
    draft: bool


class ReopenIn(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class Tier(BaseModel):
    """A population tier: members from ``min`` (included) to ``max`` (excluded) inhabitants pay
    ``fixed`` plus ``per_inhabitant`` for each inhabitant."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"min": 1500, "max": 3000,
                                                                               "fixed": "2000"}]})  # fmt: skip

    min: int = Field(default=0, ge=0, description="population from (included)")
    max: int | None = Field(default=None, gt=0, description="population up to (excluded); none: no upper bound")
    fixed: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="fixed part of the tier (€)")
    per_inhabitant: Decimal = Field(default=Decimal(0), ge=0, max_digits=10, decimal_places=4,
                                    description="the tier's own € per inhabitant, added to the pool's")  # fmt: skip

    @model_validator(mode="after")
    def _ordered(self) -> Tier:
        if self.max is not None and self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be above min ({self.min})")
        return self


def _no_overlap(tiers: list[Tier], field: str) -> list[Tier]:
    bounds = sorted((t.min, t.max if t.max is not None else 10**12) for t in tiers)
    for (_, high), (low, _) in itertools.pairwise(bounds):
        if low < high:
            raise ValueError(f"{field}: tiers overlap at {low} inhabitants")
    return tiers


class PopulationTiersParameters(BaseModel):
    """Parameters of the ``population_tiers`` model (seed 003): a fixed part by population tier
    plus so much per inhabitant; for the members in ``deduct_for`` (they joined this year and paid
    the audit), the audit fee by ``deduct_tiers`` is deducted."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "tiers": [{"min": 0, "max": 1500, "fixed": "1500"}, {"min": 1500, "max": 3000, "fixed": "2000"},
                  {"min": 3000, "max": 8001, "fixed": "2500"}],
        "per_inhabitant": "1.5",
        "deduct_tiers": [{"min": 0, "max": 1500, "fixed": "990"}, {"min": 1500, "max": 3000, "fixed": "3500"},
                         {"min": 3000, "max": 8001, "fixed": "7000"}],
        "deduct_for": [3]}]})  # fmt: skip

    tiers: list[Tier] = Field(min_length=1, description="the tiers; every member's population must fall in one")
    per_inhabitant: Decimal = Field(default=Decimal(0), ge=0, max_digits=10, decimal_places=4,
                                    description="€ per inhabitant for every member, beside the fixed part")  # fmt: skip
    deduct_tiers: list[Tier] = Field(default=[], description="the audit fee by tier, deducted for deduct_for")
    deduct_for: list[int] = Field(default=[], description="members (ids) whose audit fee is deducted this year")

    @model_validator(mode="after")
    def _disjoint(self) -> PopulationTiersParameters:
        _no_overlap(self.tiers, "tiers")
        _no_overlap(self.deduct_tiers, "deduct_tiers")
        return self


class PoolIn(BaseModel):
    """A cost pool and its model: ``pro_rata`` (``amount`` split by ``key_code``), ``per_unit``
    (``unit_price`` per unit of ``key_code``) or ``population_tiers`` (``parameters``); ``members``
    restricts it to some members, ``exclude`` leaves some out, ``advanced_by_id`` is who paid it."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"year": 2022, "name": "Service commun BCR", "amount": "179103", "advanced_by_id": 1, "key_code": "tickets"},
        {"year": 2026, "name": "Socle (700 € par poste)", "model": "per_unit", "key_code": "workstations",
         "unit_price": "700"},
    ]})  # fmt: skip

    year: int = Field(ge=2000, le=2100, description="the year the cost is for")
    name: str = Field(min_length=1, max_length=200, description="shown on statements (unique in the year)")
    position: int = Field(default=0, description="order in statements")
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2,
                                   description="pro_rata: the amount split (€)")  # fmt: skip
    advanced_by_id: int | None = Field(default=None, description="the member who paid it and invoices the others")
    model: PoolModel = Field(default=PoolModel.PRO_RATA, description="pro_rata, per_unit or population_tiers")
    key_code: str | None = Field(default=None, description="the allocation key (population_tiers: population)")
    rounding: Rounding = Field(default=Rounding.PERCENT, description="percent (seeds) or exact (largest remainder)")
    members: list[int] = Field(default=[], description="only these members (empty: every member)")
    exclude: list[int] = Field(default=[], description="never these members")
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2,
                                       description="per_unit: € per unit of the key")  # fmt: skip
    parameters: PopulationTiersParameters | None = Field(default=None, description="population_tiers only")
    note: str | None = None

    @field_validator("parameters", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == {} else value

    @model_validator(mode="after")
    def _complete(self) -> PoolIn:
        if self.model is PoolModel.PRO_RATA and (self.amount is None or not self.key_code):
            raise ValueError("a pro-rata pool needs an amount and a key_code")
        if self.model is PoolModel.PER_UNIT and (self.unit_price is None or not self.key_code):
            raise ValueError("a per-unit pool needs a unit_price and a key_code")
        if self.model is PoolModel.POPULATION_TIERS and self.parameters is None:
            raise ValueError("a population-tier pool needs parameters.tiers")
        if self.model is not PoolModel.POPULATION_TIERS and self.parameters is not None:
            raise ValueError(f"parameters are for the population_tiers model, not {self.model.value}")
        return self

    def stored(self) -> dict[str, Any]:
        """The columns of ``CostPool`` (parameters as JSON, {} when none)."""
        data = self.model_dump(exclude={"parameters"})
        data["parameters"] = self.parameters.model_dump(mode="json") if self.parameters else {}
        return data


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
    basis: str | None = Field(
        default=None,
        description="where the key's values come from, when not the year's own "
        '("mesure du 07/12/2026 (aucun instantané de l\'année)")',
    )


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
    expected: Decimal | None  # computed; none: the computation has no such cell
    found: Decimal | None  # in the table; none: the table misses the cell
    problem: str = Field(description="differs, missing (not in the table), extra (not computed) or unknown_member")
    description: str


class ComparisonOut(BaseModel):
    year: int
    differences: list[DiscrepancyOut]
    unreadable: list[str]
