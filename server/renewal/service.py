"""What the API and the web pages compute alike: the assets a principal may see, assessed for a
budget date, and the N+1 plan with its forecast."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from server.accounts.models import Role
from server.assets.models import Asset
from server.core import clock
from server.core.config import Settings
from server.core.errors import Forbidden, Invalid, NotFound
from server.core.scope import MemberScope, Principal
from server.tenancy.models import Member

from . import cache, plan
from .assess import Assessment, Assessor, default_budget_date
from .models import RenewalPlan, SupportExtension


def visible_members(session: Session, scope: MemberScope, member_id: int | None) -> dict[int, str]:
    if member_id is not None:
        scope.check(member_id, "member")
    statement = scope.filter(select(Member), Member.id)
    if member_id is not None:
        statement = statement.where(Member.id == member_id)
    return {m.id: m.name for m in session.scalars(statement)}  # type: ignore[misc]


def assess(session: Session, scope: MemberScope, settings: Settings, member_id: int | None,
           budget_date: dt.date | None) -> tuple[list[Assessment], dict[int, str], dt.date, Assessor]:  # fmt: skip
    """The assessed assets the principal may see (of one member, or of every visible member), from
    the worker's cache of every member's assessment while the database's version has not moved
    (``cache``); the assessor counts exclusions in ``session``."""
    names = visible_members(session, scope, member_id)
    when = budget_date or default_budget_date()
    everyone = scope.member_id is None and member_id is None
    found = cache.assessment(session, when, settings.stale_days)
    items = cache.of_members(found.items, member_id, None if everyone else set(names))
    return items, names, when, found.assessor


def exclusions(assessor: Assessor, scope: MemberScope, member_id: int | None, names: dict[int, str]) -> dict[str, int]:
    """What the plan leaves out for these members, counted by why (quarantine only for all members)."""
    if member_id is not None:
        return assessor.exclusions(member_id=member_id)
    everyone = scope.member_id is None
    return assessor.exclusions(member_ids=None if everyone else set(names))


def renewal_plan(session: Session, scope: MemberScope, settings: Settings, member_id: int | None,
                 budget_date: dt.date | None) -> dict[str, Any]:  # fmt: skip
    """The assessed assets, the plan's lines and forecast; ``per_member()`` gives each member's
    forecast (computed on demand: a forecast per member costs as much again)."""
    items, names, when, assessor = assess(session, scope, settings, member_id, budget_date)
    prices = plan.Prices.load(session)
    battery_years = assessor.policies.battery_years()
    return {"budget_date": when, "year": when.year + 1, "lines": plan.plan_lines(items, prices), "members": names,
            "items": items, "excluded": exclusions(assessor, scope, member_id, names),
            "forecast": plan.forecast(items, prices, when.year + 1, battery_years),
            "per_member": lambda: forecast_per_member(items, names, prices, when.year + 1, battery_years)}  # fmt: skip


def forecast_per_member(items: list[Assessment], names: dict[int, str], prices: plan.Prices, first_year: int,
                        battery_years: int) -> dict[str, dict[int, Decimal]]:  # fmt: skip
    """Each member's forecast cost per year."""
    by_member: dict[int | None, list[Assessment]] = defaultdict(list)
    for item in items:
        by_member[item.member_id].append(item)
    return {name: {year: values["cost"] for year, values in
                   plan.forecast(by_member[member], prices, first_year, battery_years).items()}
            for member, name in names.items()}  # fmt: skip


def visible_plan(session: Session, scope: MemberScope, plan_id: int) -> RenewalPlan:
    found = plan.get_plan(session, plan_id)
    scope.check(found.member_id, "renewal plan")
    return found


def freeze_member_plan(session: Session, scope: MemberScope, settings: Settings, member_id: int,
                       budget_date: dt.date | None, actor: Principal) -> RenewalPlan:  # fmt: skip
    """Freeze a member's N+1 plan as the version the member decides on (DSIT staff only)."""
    actor.require_dsit()
    result = renewal_plan(session, scope, settings, member_id, budget_date)
    return plan.freeze(session, member_id, result["budget_date"], result["lines"], actor.username)


def decide_plan(session: Session, scope: MemberScope, actor: Principal, plan_id: int,
                decisions: list[dict[str, Any]]) -> RenewalPlan:  # fmt: skip
    """Record decisions on a frozen plan: its own member's readers, or DSIT staff on their behalf."""
    found = visible_plan(session, scope, plan_id)
    if actor.role == Role.MEMBER_READER and actor.member_id != found.member_id:
        raise Forbidden("only the member decides on its plan")
    plan.decide(session, found, decisions, actor.username)
    return found


# -- extended support: the DSIT's decision per asset ----------------------------------------------


def check_extension(end_date: dt.date, cost: Decimal) -> None:
    """An extension ends in the future and costs zero or more (the pages' and the API's rule)."""
    if end_date <= clock.today():
        raise Invalid(f"end_date: {end_date.isoformat()} is not in the future")
    if cost < 0:
        raise Invalid("cost: must be zero or more")


def extension_out(row: SupportExtension, asset: Asset) -> dict[str, Any]:
    return {"id": row.id, "asset_id": row.asset_id, "name": asset.name, "member_id": asset.member_id,
            "end_date": row.end_date, "cost": str(row.cost), "note": row.note, "decided_by": row.decided_by,
            "decided_at": row.decided_at}  # fmt: skip


def extensions(session: Session, scope: MemberScope, member_id: int | None = None) -> list[dict[str, Any]]:
    """The decisions on the assets in scope (a member's readers see theirs), latest end first."""
    statement = scope.filter(select(SupportExtension, Asset).join(Asset, Asset.id == SupportExtension.asset_id),
                             Asset.member_id)  # fmt: skip
    if member_id is not None:
        statement = statement.where(Asset.member_id == member_id)
    rows = session.execute(statement.order_by(SupportExtension.end_date.desc(), SupportExtension.id))  # type: ignore[attr-defined]
    return [extension_out(row, asset) for row, asset in rows]


def set_extension(session: Session, scope: MemberScope, actor: Principal, asset_id: int, end_date: dt.date,
                  cost: Decimal, note: str | None) -> tuple[SupportExtension, Asset]:  # fmt: skip
    """Record (or replace) the DSIT's extended support of an asset: admins and technicians, on an
    asset they can see (another member's asset is not found)."""
    asset = scope.get(session, Asset, asset_id, "asset")
    actor.require_dsit()
    check_extension(end_date, cost)
    row = session.scalars(select(SupportExtension).where(SupportExtension.asset_id == asset_id)).first()
    row = row or SupportExtension(asset_id=asset_id, end_date=end_date, cost=cost, decided_by=actor.username)
    row.end_date, row.cost, row.note = end_date, cost.quantize(Decimal("0.01")), (note or "").strip() or None
    row.decided_by, row.decided_at = actor.username, clock.utcnow()
    session.add(row)
    session.flush()
    return row, asset


def delete_extension(session: Session, scope: MemberScope, actor: Principal, asset_id: int) -> None:
    scope.get(session, Asset, asset_id, "asset")
    actor.require_dsit()
    row = session.scalars(select(SupportExtension).where(SupportExtension.asset_id == asset_id)).first()
    if row is None:
        raise NotFound(f"asset {asset_id} has no extended support")
    session.delete(row)
    session.flush()
