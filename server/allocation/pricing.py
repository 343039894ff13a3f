"""The seeds' pricing models, as pure functions of key values (no database here).

- per unit (seed 001: 700 € per workstation and year);
- population tiers: a fixed part by tier plus so much per inhabitant, with an audit fee by the
  same tiers deducted the first year for a commune that had it (seed 003, Redon);
- pro rata of a key, possibly among some members only (seeds 002 and 004);
and the settlement: who invoices whom, from who advanced each pool (seed 004).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from .rounding import HUNDRED, Rounding, Share, half_up, pro_rata

M = TypeVar("M", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Tier:
    """Population from ``minimum`` (included) to ``maximum`` (excluded; None: no bound)."""

    minimum: int
    maximum: int | None
    fixed: Decimal
    per_inhabitant: Decimal = Decimal(0)

    def holds(self, population: int) -> bool:
        return population >= self.minimum and (self.maximum is None or population < self.maximum)


class OutsideTiers(ValueError):
    """Members whose population falls in no tier of a population-tier pool."""

    def __init__(self, members: Sequence[Hashable]) -> None:
        super().__init__(f"populations outside every tier: {members}")
        self.members = list(members)


def tier_for(tiers: Sequence[Tier], population: int) -> Tier | None:
    return next((tier for tier in tiers if tier.holds(population)), None)


def tiered_amount(tiers: Sequence[Tier], population: int, per_inhabitant: Decimal = Decimal(0)) -> Decimal | None:
    """Fixed part of the population's tier + ``per_inhabitant`` (and the tier's own rate) x population."""
    tier = tier_for(tiers, population)
    if tier is None:
        return None
    return half_up(tier.fixed + (per_inhabitant + tier.per_inhabitant) * population)


def tiers_from(spec: Iterable[Mapping[str, Any]]) -> list[Tier]:
    return [Tier(int(t.get("min", 0)), int(t["max"]) if t.get("max") is not None else None, Decimal(str(t["fixed"])),
                 Decimal(str(t.get("per_inhabitant", 0)))) for t in spec]  # fmt: skip


@dataclass
class Allocation(Generic[M]):
    """How one pool is split: each member's share, and who advanced the money."""

    pool: str
    advanced_by: M | None
    shares: dict[M, Share] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.shares.values()), Decimal(0))


def per_unit(quantities: Mapping[M, Decimal], unit_price: Decimal) -> dict[M, Share]:
    total = sum((Decimal(q) for q in quantities.values()), Decimal(0))
    return {m: Share(Decimal(q), half_up(Decimal(q) * HUNDRED / total, Decimal("0.0001")) if total else Decimal(0),
                     half_up(Decimal(q) * unit_price)) for m, q in quantities.items() if q}  # fmt: skip


def population_tiers(populations: Mapping[M, int], tiers: Sequence[Tier], per_inhabitant: Decimal,
                                  *, deduct_tiers: Sequence[Tier] = (),
                                  deduct_for: Iterable[M] = ()) -> dict[M, Share]:  # fmt: skip
    """Seed 003: the socle by population tier; members in ``deduct_for`` joined during the year
    after paying the audit, whose fee (by ``deduct_tiers``) is deducted this first year."""
    deducted = set(deduct_for)
    shares = {}
    outside = [member for member, population in populations.items() if tier_for(tiers, population) is None]
    if outside:  # never silently dropped from the pool
        raise OutsideTiers(outside)
    for member, population in populations.items():
        amount = tiered_amount(tiers, population, per_inhabitant)
        if amount is None:
            continue
        if member in deducted:
            audit = tiered_amount(deduct_tiers, population) or Decimal(0)
            amount = max(Decimal(0), amount - audit)
        shares[member] = Share(Decimal(population), Decimal(0), amount)
    return shares


def split(amount: Decimal, weights: Mapping[M, Decimal], rounding: Rounding, *,
                       only: Iterable[M] | None = None, exclude: Iterable[M] = ()) -> dict[M, Share]:  # fmt: skip
    """Pro rata of ``weights`` among ``only`` (default: everyone) except ``exclude``."""
    allowed = set(only) if only is not None else set(weights)
    allowed -= set(exclude)
    return pro_rata(amount, {m: w for m, w in weights.items() if m in allowed}, rounding)


def settle(allocations: Iterable[Allocation[M]]) -> dict[tuple[M, M], Decimal]:
    """Invoices ("titres à émettre"): (advancer, member) -> what the member owes the advancer.

    Each member owes each advancer its share of every pool that advancer paid; an advancer does
    not invoice itself.
    """
    invoices: dict[tuple[M, M], Decimal] = defaultdict(Decimal)
    for allocation in allocations:
        if allocation.advanced_by is None:
            continue
        for member, share in allocation.shares.items():
            if member != allocation.advanced_by and share.amount:
                invoices[(allocation.advanced_by, member)] += share.amount
    return dict(invoices)


def totals(allocations: Iterable[Allocation[M]]) -> dict[M, Decimal]:
    result: dict[M, Decimal] = defaultdict(Decimal)
    for allocation in allocations:
        for member, share in allocation.shares.items():
            result[member] += share.amount
    return dict(result)
