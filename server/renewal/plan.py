"""The N+1 renewal plan a member budgets in October, and the multi-year forecast.

Each asset with a renewal reason is a line with its remedy, priced by remedy:

- ``replace``: the cycle is over, the model is at end of support, or the OS/firmware product has
  ended (Windows 10, Windows 7...): the unit price of its type (and category);
- ``upgrade_os`` / ``update_firmware``: only the release ended and a newer one of the same line is
  supported (a Windows 11 feature update, Debian 11): the price set for ``upgrade_os`` (or
  ``update_firmware``) with the catalogue product as category (``windows``, ``debian``), else the
  one without a category, else 0 (labour done by the DSIT);
- ``replace_battery``: a UPS whose battery is due and whose hardware stays: the ``ups_battery``
  price; the line is due when the battery is (its replacement date plus the battery cycle). A
  UPS replaced (model at end of support, cycle over) gets a new battery with it: one
  ``replace`` line; a UPS whose firmware also needs an update keeps its battery line, the update
  listed in ``also`` and its price added;
- ``extend_support``: the DSIT decided to keep the asset on paid extended support
  (``SupportExtension``) until a date after the budget date: the decision's cost instead of a
  replacement or an upgrade, due at the decision's end; after that date the normal remedy is
  back (a battery line stays a battery line).

Whether an upgrade or a firmware update will do is the readiness question (``readiness``):
ready, the upgrade; not ready or unknown ("à vérifier"), a replacement is budgeted.

Totals per member, per type and per remedy; the forecast
counts what falls due in each of the next years (overdue assets in N+1). A plan can be frozen as
a version the member decides on, line by line: accept, postpone one year, refuse.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from server.core.clock import utcnow
from server.core.errors import Invalid, NotFound

from .assess import RENEWAL_REASONS, Assessment, bulk
from .catalogue import Cycle
from .models import Decision, PlanDecision, PlanStatus, RenewalPlan, UnitPrice

BATTERY = "ups_battery"
FORECAST_YEARS = 7
REPLACE, UPGRADE_OS, UPDATE_FIRMWARE, REPLACE_BATTERY = "replace", "upgrade_os", "update_firmware", "replace_battery"
EXTEND_SUPPORT = "extend_support"
REMEDIES = (REPLACE, UPGRADE_OS, UPDATE_FIRMWARE, REPLACE_BATTERY, EXTEND_SUPPORT)
HARDWARE_REASONS = frozenset({"overdue", "model_eos", "renew_next_year"})


class Prices:
    def __init__(self, rows: list[UnitPrice]) -> None:
        self._prices = {(r.asset_type, r.category): Decimal(r.price) for r in rows}

    def of(self, asset_type: str, category: str | None = None) -> Decimal | None:
        return self._prices.get((asset_type, category), self._prices.get((asset_type, None)))

    @classmethod
    def load(cls, session: Session) -> Prices:
        return cls(list(session.scalars(select(UnitPrice))))


def normal_remedies(item: Assessment) -> list[str]:
    """What fixes an asset to renew, the DSIT's extension aside: the line's remedy first, then
    what the same line also does (see the module docstring)."""
    reasons = set(item.reasons)
    if reasons & HARDWARE_REASONS:
        return [REPLACE]  # a new device: new battery, supported OS and firmware with it
    fixes = []
    if reasons & {"os_eol", "firmware_eol"}:
        ready = item.upgrade_to is not None if item.readiness is None else item.readiness.ready
        if "firmware_eol" not in reasons and item.upgrade_to is None:
            ready = False  # an OS upgrade needs a release to upgrade to (a firmware: the model's support)
        if not ready:  # the product or this line has ended, the hardware cannot take it, or unknown
            return [REPLACE]
        fixes.append(UPDATE_FIRMWARE if "firmware_eol" in reasons else UPGRADE_OS)
    if "battery_due" in reasons:
        fixes.insert(0, REPLACE_BATTERY)
    return fixes


def remedies(item: Assessment) -> list[str]:
    found = normal_remedies(item)
    if item.extension is not None and found and found[0] != REPLACE_BATTERY:
        return [EXTEND_SUPPORT]
    return found


def remedy(item: Assessment) -> str:
    return remedies(item)[0]


@dataclass
class PlanLine:
    assessment: Assessment
    cost: Decimal | None  # None: no unit price for this type yet
    remedy: str
    also: tuple[str, ...] = ()  # what the same line also does (a UPS's firmware update with its battery)

    @property
    def battery_only(self) -> bool:
        return self.remedy == REPLACE_BATTERY

    @property
    def to_check(self) -> list[str]:
        """ "À vérifier": what the inventory lacks to say whether an OS upgrade would do."""
        readiness = self.assessment.readiness
        if readiness is None or readiness.ready is not None or self.remedy == EXTEND_SUPPORT:
            return []  # known, or the DSIT decided to extend its support meanwhile
        return list(readiness.missing)

    @property
    def due(self) -> dt.date | None:
        """When this line's remedy is due: the battery's own date, the end of the release, or the cycle."""
        item = self.assessment
        if self.battery_only:
            return item.battery_due
        if self.remedy == EXTEND_SUPPORT and item.extension is not None:
            return item.extension.end_date
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
                "also": list(self.also), "extension": _extension(item, self.remedy),
                "cost": None if self.cost is None else str(self.cost)}  # fmt: skip


def _extension(item: Assessment, fix: str) -> dict[str, Any] | None:
    """The DSIT's decision a line follows, and the remedy that comes back after it."""
    found = item.extension
    if found is None or fix != EXTEND_SUPPORT:
        return None
    return {"id": found.id, "end_date": found.end_date.isoformat(), "cost": str(found.cost), "note": found.note,
            "decided_by": found.decided_by, "then": normal_remedies(item)[0]}  # fmt: skip


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _cite(cycle: Cycle | None) -> dict[str, Any] | None:
    return None if cycle is None else cycle.cite() | {"security_end": _iso(cycle.security_end)}


def line_cost(item: Assessment, fix: str, prices: Prices) -> Decimal | None:
    if fix == REPLACE:
        return prices.of(item.asset_type, item.category)
    if fix == REPLACE_BATTERY:
        return prices.of(BATTERY)
    if fix == EXTEND_SUPPORT:
        return Decimal(item.extension.cost) if item.extension is not None else None
    family = item.eol.product if item.eol is not None else None
    found = prices.of(fix, family)
    return Decimal("0.00") if found is None else found  # upgrades are DSIT labour unless priced


@bulk()
def plan_lines(assessments: list[Assessment], prices: Prices) -> list[PlanLine]:
    lines = []
    append = lines.append
    known = _Remedies()
    costs: dict[tuple[Any, ...], Decimal | None] = {}  # per remedies, type, category and product
    for item in assessments:
        if RENEWAL_REASONS.isdisjoint(item.reasons):
            continue
        if item.extension is not None:
            fix, *also = remedies(item)
            cost = _cost(item, (fix, *also), prices)
        else:
            fixes = known.normal(item)
            fix, also = fixes[0], fixes[1:]
            key = (fixes, item.asset_type, item.category, None if item.eol is None else item.eol.product)
            if key not in costs:
                costs[key] = _cost(item, fixes, prices)
            cost = costs[key]
        append(PlanLine(item, cost, fix, tuple(also)))
    return lines


def _cost(item: Assessment, fixes: Sequence[str], prices: Prices) -> Decimal | None:
    found = [line_cost(item, one, prices) for one in fixes]
    return None if any(c is None for c in found) else sum(found, Decimal(0))  # type: ignore[arg-type]


class _Remedies:
    """``normal_remedies`` once per kind of asset: what it depends on (its reasons, its readiness,
    whether it has a release to upgrade to) is shared by thousands."""

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], tuple[str, ...]] = {}

    def normal(self, item: Assessment) -> tuple[str, ...]:
        readiness = item.readiness
        key = (tuple(item.reasons), readiness is None, readiness is not None and readiness.ready,
               item.upgrade_to is None)  # fmt: skip
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = tuple(normal_remedies(item))
        return found


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
    known = _Remedies()
    # Counted per kind, then added once per kind: the same sums (Decimal adds exactly), and the
    # kinds meet each year in the same order as asset by asset (a kind's first asset comes first).
    kinds: Counter[tuple[int | None, int, str, str | None]] = Counter()  # first year, cycle, type, category
    for item in assessments:
        in_plan = not RENEWAL_REASONS.isdisjoint(item.reasons) and known.normal(item)[:1] == (REPLACE,)
        first = first_year if in_plan else item.due_date.year if item.due_date else None
        if in_plan and item.extension is not None and remedy(item) == EXTEND_SUPPORT:
            first = max(first_year, item.extension.end_date.year)  # replaced when the extension ends
        kinds[(first, item.cycle_years, item.asset_type, item.category)] += 1
        if item.battery_due:
            kinds[(max(item.battery_due.year, first_year), battery_years, BATTERY, None)] += 1
    for (first, cycle, kind, category), count in kinds.items():
        _recurring(result, first, cycle, last, kind, prices.of(kind, category), count)
    for year in result.values():
        year["by_type"] = dict(year["by_type"])
    return result


def _recurring(result: dict[int, dict[str, Any]], year: int | None, cycle: int, last: int, kind: str,
               price: Decimal | None, count: int = 1) -> None:  # fmt: skip
    while year is not None and year <= last and cycle > 0:
        if year in result:
            _add(result[year], kind, price, count)
        year += cycle


def _add(year: dict[str, Any], kind: str, price: Decimal | None, count: int = 1) -> None:
    year["count"] += count
    year["by_type"][kind] += count
    year["cost"] += (price or 0) * count


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
