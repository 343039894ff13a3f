"""The N+1 renewal plan a member budgets in October, and the multi-year forecast.

Each asset with a renewal reason is a line with its remedy, priced by remedy:

- ``replace``: the cycle is over, the model is at end of support, or the OS/firmware product has
  ended (Windows 10, Windows 7...): the unit price of its type (and category);
- ``upgrade_os`` / ``update_firmware``: only the release ended and a newer one of the same line is
  supported (a Windows 11 feature update, Debian 11): the price set for ``upgrade_os`` (or
  ``update_firmware``) with the catalogue product as category (``windows``, ``debian``), else the
  one without a category, else 0 (labour done by the DSIT);
- ``replace_battery``: a UPS whose only reason is its battery: the ``ups_battery`` price; the line
  is due when the battery is (its replacement date plus the battery cycle).

Totals per member, per type and per remedy; the forecast
counts what falls due in each of the next years (overdue assets in N+1). A plan can be frozen as
a version the member decides on, line by line: accept, postpone one year, refuse.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from server.core.clock import utcnow
from server.core.errors import Invalid, NotFound

from .assess import Assessment
from .catalogue import Cycle
from .models import Decision, PlanDecision, PlanStatus, RenewalPlan, UnitPrice

BATTERY = "ups_battery"
FORECAST_YEARS = 7
REPLACE, UPGRADE_OS, UPDATE_FIRMWARE, REPLACE_BATTERY = "replace", "upgrade_os", "update_firmware", "replace_battery"
REMEDIES = (REPLACE, UPGRADE_OS, UPDATE_FIRMWARE, REPLACE_BATTERY)
HARDWARE_REASONS = frozenset({"overdue", "model_eos", "renew_next_year"})


class Prices:
    def __init__(self, rows: list[UnitPrice]) -> None:
        self._prices = {(r.asset_type, r.category): Decimal(r.price) for r in rows}

    def of(self, asset_type: str, category: str | None = None) -> Decimal | None:
        return self._prices.get((asset_type, category), self._prices.get((asset_type, None)))

    @classmethod
    def load(cls, session: Session) -> Prices:
        return cls(list(session.scalars(select(UnitPrice))))


def remedy(item: Assessment) -> str:
    """What fixes an asset to renew (see the module docstring)."""
    reasons = set(item.reasons)
    if reasons & HARDWARE_REASONS:
        return REPLACE
    if reasons & {"os_eol", "firmware_eol"}:
        if item.upgrade_to is None:
            return REPLACE  # the product, or the last release this line allows, has ended
        return UPDATE_FIRMWARE if "firmware_eol" in reasons else UPGRADE_OS
    return REPLACE_BATTERY


@dataclass
class PlanLine:
    assessment: Assessment
    cost: Decimal | None  # None: no unit price for this type yet
    remedy: str

    @property
    def battery_only(self) -> bool:
        return self.remedy == REPLACE_BATTERY

    @property
    def to_check(self) -> list[str]:
        """ "À vérifier": what the inventory lacks to say whether an OS upgrade would do."""
        readiness = self.assessment.readiness
        return list(readiness.missing) if readiness is not None and readiness.ready is None else []

    @property
    def due(self) -> dt.date | None:
        """When this line's remedy is due: the battery's own date, the end of the release, or the cycle."""
        item = self.assessment
        if self.battery_only:
            return item.battery_due
        if self.remedy in (UPGRADE_OS, UPDATE_FIRMWARE) and item.eol is not None and item.eol.security_end:
            return item.eol.security_end
        return item.due_date

    def as_dict(self) -> dict[str, Any]:
        item = self.assessment
        return {"asset_id": item.asset_id, "name": item.name, "asset_type": item.asset_type,
                "manufacturer": item.manufacturer, "model": item.model, "reasons": item.reasons,
                "remedy": self.remedy, "due": _iso(self.due), "age_years": item.age_years,
                "estimated_age": item.estimated, "os": item.os_label, "battery_only": self.battery_only,
                "eol": _cite(item.eol), "upgrade_to": _cite(item.upgrade_to), "to_check": self.to_check,
                "readiness": None if item.readiness is None else item.readiness.as_dict(),
                "cost": None if self.cost is None else str(self.cost)}  # fmt: skip


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _cite(cycle: Cycle | None) -> dict[str, Any] | None:
    return None if cycle is None else cycle.cite() | {"security_end": _iso(cycle.security_end)}


def line_cost(item: Assessment, fix: str, prices: Prices) -> Decimal | None:
    if fix == REPLACE:
        return prices.of(item.asset_type, item.category)
    if fix == REPLACE_BATTERY:
        return prices.of(BATTERY)
    family = item.eol.product if item.eol is not None else None
    found = prices.of(fix, family)
    return Decimal("0.00") if found is None else found  # upgrades are DSIT labour unless priced


def plan_lines(assessments: list[Assessment], prices: Prices) -> list[PlanLine]:
    lines = []
    for item in assessments:
        if not item.to_renew:
            continue
        fix = remedy(item)
        lines.append(PlanLine(item, line_cost(item, fix, prices), fix))
    return lines


def totals(lines: list[PlanLine]) -> dict[str, Any]:
    by_type: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "cost": Decimal(0), "unpriced": 0})
    by_remedy: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "cost": Decimal(0), "unpriced": 0})
    total = Decimal(0)
    for line in lines:
        kind = BATTERY if line.battery_only else line.assessment.asset_type
        for group in (by_type[kind], by_remedy[line.remedy]):
            group["count"] += 1
            if line.cost is None:
                group["unpriced"] += 1
            else:
                group["cost"] += line.cost
        if line.cost is not None:
            total += line.cost
    ordered = {fix: by_remedy[fix] for fix in REMEDIES if fix in by_remedy}
    return {"count": len(lines), "cost": total, "by_type": dict(by_type), "by_remedy": ordered}


def forecast(assessments: list[Assessment], prices: Prices, first_year: int, battery_years: int,
             years: int = FORECAST_YEARS) -> dict[int, dict[str, Any]]:  # fmt: skip
    """Renewals in each year from ``first_year``, with costs.

    What the N+1 plan replaces (overdue, ended product, end of support) counts in ``first_year``,
    the rest (an OS upgrade included) in the year its cycle ends; a replacement comes back one
    cycle after it was renewed, so short cycles (laptops, UPS batteries) appear more than once in the forecast.
    """
    result: dict[int, dict[str, Any]] = {y: {"count": 0, "cost": Decimal(0), "by_type": defaultdict(int)}
                                         for y in range(first_year, first_year + years)}  # fmt: skip
    last = first_year + years - 1
    for item in assessments:
        in_plan = item.to_renew and remedy(item) == REPLACE
        first = first_year if in_plan else item.due_date.year if item.due_date else None
        _recurring(result, first, item.cycle_years, last, item.asset_type, prices.of(item.asset_type, item.category))
        battery = item.battery_due.year if item.battery_due else None
        _recurring(result, battery and max(battery, first_year), battery_years, last, BATTERY, prices.of(BATTERY))
    for year in result.values():
        year["by_type"] = dict(year["by_type"])
    return result


def _recurring(result: dict[int, dict[str, Any]], year: int | None, cycle: int, last: int, kind: str,
               price: Decimal | None) -> None:  # fmt: skip
    while year is not None and year <= last and cycle > 0:
        if year in result:
            _add(result[year], kind, price)
        year += cycle


def _add(year: dict[str, Any], kind: str, price: Decimal | None) -> None:
    year["count"] += 1
    year["by_type"][kind] += 1
    year["cost"] += price or 0


def freeze(session: Session, member_id: int, budget_date: dt.date, lines: list[PlanLine], actor: str) -> RenewalPlan:
    """Store the plan as the version the member will decide on."""
    plan = RenewalPlan(member_id=member_id, year=budget_date.year + 1, budget_date=budget_date, created_by=actor,
                       lines=[line.as_dict() for line in lines],
                       total=sum((line.cost for line in lines if line.cost is not None), Decimal(0)))  # fmt: skip
    session.add(plan)
    session.flush()
    return plan


def decide(session: Session, plan: RenewalPlan, decisions: list[dict[str, Any]], actor: str) -> list[PlanDecision]:
    """Record the member's decisions; every line decided makes the plan ``decided``."""
    in_plan = {line["asset_id"] for line in plan.lines}
    existing = {d.asset_id: d for d in session.scalars(select(PlanDecision).where(PlanDecision.plan_id == plan.id))}
    for entry in decisions:
        if entry["asset_id"] not in in_plan:
            raise Invalid(f"asset {entry['asset_id']} is not in plan {plan.id}")
        decision = Decision(entry["decision"])
        if decision is not Decision.ACCEPT and not (entry.get("comment") or "").strip():
            raise Invalid(f"asset {entry['asset_id']}: say why it is {decision.value}d")
        row = existing.get(entry["asset_id"]) or PlanDecision(plan_id=plan.id, asset_id=entry["asset_id"],  # type: ignore[arg-type]
                                                              decision=decision, decided_by=actor)  # fmt: skip
        row.decision, row.comment, row.decided_by, row.decided_at = decision, entry.get("comment"), actor, utcnow()
        existing[entry["asset_id"]] = row
        session.add(row)
    if in_plan and in_plan <= set(existing):
        plan.status = PlanStatus.DECIDED
        session.add(plan)
    session.flush()
    return sorted(existing.values(), key=lambda d: d.asset_id)


def get_plan(session: Session, plan_id: int) -> RenewalPlan:
    plan = session.get(RenewalPlan, plan_id)
    if plan is None:
        raise NotFound(f"renewal plan {plan_id} not found")
    return plan
