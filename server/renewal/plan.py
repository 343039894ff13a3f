"""The N+1 renewal plan a member budgets in October, and the multi-year forecast.

Each asset with a renewal reason is a line, priced with the DSIT's unit prices (a UPS whose only
reason is its battery is priced as a battery). Totals per member and per type; the forecast
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
from .models import Decision, PlanDecision, PlanStatus, RenewalPlan, UnitPrice

BATTERY = "ups_battery"
FORECAST_YEARS = 7
WHOLE_ASSET_REASONS = frozenset({"overdue", "os_eol", "firmware_eol", "model_eos", "renew_next_year"})


class Prices:
    def __init__(self, rows: list[UnitPrice]) -> None:
        self._prices = {(r.asset_type, r.category): Decimal(r.price) for r in rows}

    def of(self, asset_type: str, category: str | None = None) -> Decimal | None:
        return self._prices.get((asset_type, category), self._prices.get((asset_type, None)))

    @classmethod
    def load(cls, session: Session) -> Prices:
        return cls(list(session.scalars(select(UnitPrice))))


@dataclass
class PlanLine:
    assessment: Assessment
    cost: Decimal | None  # None: no unit price for this type yet
    battery_only: bool

    def as_dict(self) -> dict[str, Any]:
        item = self.assessment
        return {"asset_id": item.asset_id, "name": item.name, "asset_type": item.asset_type,
                "manufacturer": item.manufacturer, "model": item.model, "reasons": item.reasons,
                "due": item.due_date.isoformat() if item.due_date else None,
                "age_years": item.age_years, "estimated_age": item.estimated,
                "os": item.os_label, "battery_only": self.battery_only,
                "cost": None if self.cost is None else str(self.cost)}  # fmt: skip


def plan_lines(assessments: list[Assessment], prices: Prices) -> list[PlanLine]:
    lines = []
    for item in assessments:
        if not item.to_renew:
            continue
        battery_only = not set(item.reasons) & WHOLE_ASSET_REASONS
        cost = prices.of(BATTERY) if battery_only else prices.of(item.asset_type, item.category)
        lines.append(PlanLine(item, cost, battery_only))
    return lines


def totals(lines: list[PlanLine]) -> dict[str, Any]:
    by_type: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "cost": Decimal(0), "unpriced": 0})
    total = Decimal(0)
    for line in lines:
        kind = BATTERY if line.battery_only else line.assessment.asset_type
        by_type[kind]["count"] += 1
        if line.cost is None:
            by_type[kind]["unpriced"] += 1
        else:
            by_type[kind]["cost"] += line.cost
            total += line.cost
    return {"count": len(lines), "cost": total, "by_type": dict(by_type)}


def forecast(assessments: list[Assessment], prices: Prices, first_year: int, battery_years: int,
             years: int = FORECAST_YEARS) -> dict[int, dict[str, Any]]:  # fmt: skip
    """Renewals in each year from ``first_year``, with costs.

    What the N+1 plan renews (overdue, end of life, end of support) counts in ``first_year``, the
    rest in the year its cycle ends; a replacement comes back one cycle after it was renewed, so
    short cycles (laptops, UPS batteries) appear more than once in the forecast.
    """
    result: dict[int, dict[str, Any]] = {y: {"count": 0, "cost": Decimal(0), "by_type": defaultdict(int)}
                                         for y in range(first_year, first_year + years)}  # fmt: skip
    last = first_year + years - 1
    for item in assessments:
        in_plan = bool(set(item.reasons) & WHOLE_ASSET_REASONS)
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
