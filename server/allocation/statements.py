"""A year's allocation: every pool split among members, the totals, the invoices between members.

The pools and their models are data (``CostPool``); the keys' values come from ``keys`` (frozen
for a closed year); the arithmetic is ``pricing``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from server.core.errors import Invalid
from server.tenancy.models import Member

from . import pricing
from .keys import Basis, Measurer, key_by_code, overrides, year_basis, year_values
from .models import CostPool, PoolModel
from .rounding import Share


@dataclass
class PoolResult:
    pool: CostPool
    key_name: str | None
    key_unit: str | None
    allocation: pricing.Allocation[int]
    overrides: dict[int, str] = field(default_factory=dict)  # member -> why its measured value was typed in
    basis: Basis | None = None  # where the key's values come from (said when not the year's own)


@dataclass
class YearAllocation:
    year: int
    members: dict[int, str]  # id -> name, every member that appears
    pools: list[PoolResult] = field(default_factory=list)
    totals: dict[int, Decimal] = field(default_factory=dict)
    invoices: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (issuer, debtor) -> amount

    def member_lines(self, member_id: int) -> list[tuple[PoolResult, Share]]:
        return [(result, result.allocation.shares[member_id]) for result in self.pools
                if member_id in result.allocation.shares]  # fmt: skip


def pools_of(session: Session, year: int) -> list[CostPool]:
    return list(session.scalars(select(CostPool).where(CostPool.year == year).order_by(CostPool.position, CostPool.id)))


KeyedShares = tuple[dict[int, Share], str | None, str | None]  # shares, the key's name and unit


def _shares(session: Session, pool: CostPool, measurer: Measurer, populations: dict[int, int]) -> KeyedShares:
    if pool.model is PoolModel.POPULATION_TIERS:
        parameters = pool.parameters or {}
        key = key_by_code(session, pool.key_code or "population")
        imported = {m: int(v) for m, v in year_values(session, key, pool.year, measurer).items()}
        values = {m: p for m, p in ({**populations, **imported}).items() if _included(pool, m)}
        try:
            shares = pricing.population_tiers(
                values, pricing.tiers_from(parameters.get("tiers", [])),
                Decimal(str(parameters.get("per_inhabitant", 0))),
                deduct_tiers=pricing.tiers_from(parameters.get("deduct_tiers", [])),
                deduct_for=[int(m) for m in parameters.get("deduct_for", [])],
            )  # fmt: skip
        except pricing.OutsideTiers as exc:
            names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(exc.members))).all())  # type: ignore[attr-defined]
            outside = ", ".join(f"{names.get(m, m)} ({values[m]} inhabitants)" for m in exc.members)
            raise Invalid(f"pool {pool.name!r}: parameters.tiers: no tier holds {outside}") from None
        return shares, key.name, key.unit
    if not pool.key_code:
        raise Invalid(f"pool {pool.name!r}: a key is needed for the {pool.model} model")
    key = key_by_code(session, pool.key_code)
    weights = {m: v for m, v in year_values(session, key, pool.year, measurer).items() if _included(pool, m)}
    if pool.model is PoolModel.PER_UNIT:
        if pool.unit_price is None:
            raise Invalid(f"pool {pool.name!r}: a unit price is needed for the per-unit model")
        return pricing.per_unit(weights, Decimal(pool.unit_price)), key.name, key.unit
    if pool.amount is None:
        raise Invalid(f"pool {pool.name!r}: an amount is needed for the pro-rata model")
    return pricing.split(Decimal(pool.amount), weights, pool.rounding), key.name, key.unit


def check_pool(session: Session, pool: CostPool, stale_days: int) -> None:
    """Split the pool once, so that a pool that cannot be split is refused when it is written."""
    known = select(Member.id, Member.population).where(Member.population.is_not(None))  # type: ignore[union-attr]
    populations = dict(session.execute(known).all())
    _shares(session, pool, Measurer(session, stale_days), populations)  # type: ignore[arg-type]


def _included(pool: CostPool, member_id: int) -> bool:
    return (not pool.members or member_id in pool.members) and member_id not in (pool.exclude or [])


def allocate(session: Session, year: int, stale_days: int, bases: dict[str, Basis] | None = None) -> YearAllocation:
    """The year's split; ``bases`` (key code -> where its values came from) replaces what
    ``year_basis`` finds, so that statements published at a closure say what was frozen."""
    members = {m.id: m for m in session.scalars(select(Member))}
    populations = {m.id: m.population for m in members.values() if m.population is not None}
    measurer = Measurer(session, stale_days)
    result = YearAllocation(year, {})
    for pool in pools_of(session, year):
        shares, key_name, key_unit = _shares(session, pool, measurer, populations)  # type: ignore[arg-type]
        allocation = pricing.Allocation(pool.name, pool.advanced_by_id, shares)
        key = key_by_code(session, pool.key_code) if pool.key_code else None
        corrected = overrides(session, key, pool.year) if key else {}
        basis = None
        if key is not None:
            basis = (bases or {}).get(key.code) or year_basis(session, key, pool.year, measurer)
        result.pools.append(PoolResult(pool, key_name, key_unit, allocation,
                                       {m: r for m, r in corrected.items() if m in shares}, basis))  # fmt: skip
    allocations = [p.allocation for p in result.pools]
    result.totals = pricing.totals(allocations)
    result.invoices = pricing.settle(allocations)
    involved = set(result.totals) | {m for pair in result.invoices for m in pair}
    involved |= {p.pool.advanced_by_id for p in result.pools if p.pool.advanced_by_id}
    result.members = {m: members[m].name for m in sorted(involved, key=lambda i: members[i].name) if m in members}
    return result
