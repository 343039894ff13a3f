"""Renewal policy, end-of-life data, obsolescence of each asset, N+1 plans and their decisions, reports.

DSIT staff see and plan for every member; a member's reader sees its own assets and plans, and
records its own decisions (the decision to renew belongs to the member).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import delete, select
from sqlmodel import Session

from server import i18n
from server.api.deps import PrincipalDep, ScopeDep, SessionDep, SettingsDep
from server.api.pagination import PageDep
from server.core.clock import utcnow
from server.core.errors import NotFound
from server.tenancy.models import Member

from . import catalogue, indicators, plan, reports, service
from .assess import REASONS, Assessment
from .models import Decision, EolOverride, ModelSupport, PlanDecision, RenewalPlan, RenewalPolicy, UnitPrice

router = APIRouter(tags=["renewal"])
BudgetDate = Annotated[dt.date | None, Query(description="default: 1 October of this year (the plan is for N+1)")]
Lang = Annotated[Literal["fr", "en"] | None, Query()]
FILE_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def _public(item: Assessment) -> dict[str, Any]:
    eol = item.eol
    return {"asset_id": item.asset_id, "member_id": item.member_id, "name": item.name, "asset_type": item.asset_type,
            "category": item.category, "model": item.model, "os": item.os_label, "status": item.status,
            "reasons": item.reasons, "reference_date": item.reference_date, "date_basis": item.date_basis,
            "estimated": item.estimated, "age_years": item.age_years, "cycle_years": item.cycle_years,
            "due_date": item.due_date, "battery_date": item.battery_date, "battery_due": item.battery_due,
            "model_end_of_support": item.model_end_of_support,
            "eol": None if eol is None else eol.cite() | {"label": eol.label},
            "upgrade_to": None if item.upgrade_to is None else item.upgrade_to.cite()}  # fmt: skip


@router.get("/renewal/assets")
def assessed_assets(session: SessionDep, scope: ScopeDep, settings: SettingsDep, page: PageDep,
                    member_id: int | None = None, budget_date: BudgetDate = None,
                    status: Annotated[str | None, Query(description=f"ok, {', '.join(REASONS)}")] = None,
                    reason: str | None = None) -> dict[str, Any]:  # fmt: skip
    """Each asset's obsolescence: age (and how it was dated), renewal due date, reasons."""
    items, _, when, _ = service.assess(session, scope, settings, member_id, budget_date)
    if status:
        items = [i for i in items if i.status == status]
    if reason:
        items = [i for i in items if reason in i.reasons]
    shown = items[page.offset : page.offset + page.limit]
    return {"budget_date": when, "plan_year": when.year + 1, "count": len(items), "data": [_public(i) for i in shown]}


@router.get("/renewal/summary")
def renewal_summary(session: SessionDep, scope: ScopeDep, settings: SettingsDep, member_id: int | None = None,
                    budget_date: BudgetDate = None) -> dict[str, Any]:  # fmt: skip
    """Statuses and the seed 001 indicators (obsolete components, average ages, versions, changes)."""
    items, names, when, assessor = service.assess(session, scope, settings, member_id, budget_date)
    year_ago = utcnow() - dt.timedelta(days=365)
    members = None if scope.member_id is None and member_id is None else set(names)
    return {"budget_date": when, "statuses": dict(Counter(i.status for i in items)),
            "excluded": service.exclusions(assessor, scope, member_id, names),
            "indicators": indicators.indicators(items, when),
            "changes_last_12_months": indicators.changes(session, year_ago, utcnow(), members)}  # fmt: skip


@router.get("/renewal/plan")
def renewal_plan(session: SessionDep, scope: ScopeDep, settings: SettingsDep, page: PageDep,
                 member_id: int | None = None, budget_date: BudgetDate = None) -> dict[str, Any]:  # fmt: skip
    """The N+1 plan as it stands: totals per member and type, the 7-year forecast, and the lines
    (``offset``/``limit`` page through them; ``count`` says how many there are)."""
    result = service.renewal_plan(session, scope, settings, member_id, budget_date)
    names, lines = result["members"], result["lines"]
    per_member: dict[int | None, list[plan.PlanLine]] = defaultdict(list)
    for line in lines:
        per_member[line.assessment.member_id].append(line)
    shown = lines[page.offset : page.offset + page.limit]
    return {"budget_date": result["budget_date"], "year": result["year"], "totals": plan.totals(lines),
            "by_member": {names[m]: plan.totals(per_member[m]) for m in names}, "forecast": result["forecast"],
            "excluded": result["excluded"],
            "count": len(lines),
            "lines": [ln.as_dict() | {"member_id": ln.assessment.member_id} for ln in shown]}  # fmt: skip


@router.get("/renewal/reports/{report}")
def renewal_report(report: Literal["plan", "obsolescence"], session: SessionDep, scope: ScopeDep,
                   settings: SettingsDep, member_id: int | None = None, budget_date: BudgetDate = None,
                   format: Literal["csv", "xlsx", "pdf"] = "pdf", lang: Lang = None) -> Response:  # fmt: skip
    """The plan or the obsolescence report as a file (charts in XLSX and PDF)."""
    language = lang or settings.language
    if report == "plan":
        result = service.renewal_plan(session, scope, settings, member_id, budget_date)
        names, lines, year, forecast = result["members"], result["lines"], result["year"], result["forecast"]
        data = {"csv": lambda: reports.plan_csv(lines, names, year, language),
                "xlsx": lambda: reports.plan_xlsx(lines, names, forecast, year, language),
                "pdf": lambda: reports.plan_pdf(lines, names, forecast, result["per_member"](), year,
                                                language)}[format]()  # fmt: skip
    else:
        items, names, budget, _ = service.assess(session, scope, settings, member_id, budget_date)
        when, year = i18n.format_value(budget, language), budget.year + 1
        data = {"csv": lambda: reports.obsolescence_csv(items, names, when, language),
                "xlsx": lambda: reports.obsolescence_xlsx(items, names, when, language),
                "pdf": lambda: reports.obsolescence_pdf(items, when, language)}[format]()  # fmt: skip
    filename = f"{'plan-renouvellement' if report == 'plan' else 'obsolescence'}-{year}.{format}"
    return Response(data, media_type=FILE_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


# -- frozen plans and decisions -------------------------------------------------------------


class FreezeIn(BaseModel):
    member_id: int
    budget_date: dt.date | None = None


class DecisionIn(BaseModel):
    asset_id: int
    decision: Decision
    comment: str | None = Field(default=None, max_length=2000)


def _plan_out(session: Session, item: RenewalPlan) -> dict[str, Any]:
    decisions = session.scalars(select(PlanDecision).where(PlanDecision.plan_id == item.id))
    return {"id": item.id, "member_id": item.member_id, "year": item.year, "budget_date": item.budget_date,
            "status": item.status, "total": item.total, "created_at": item.created_at, "created_by": item.created_by,
            "lines": item.lines, "decisions": [{"asset_id": d.asset_id, "decision": d.decision, "comment": d.comment,
                                                "decided_by": d.decided_by, "decided_at": d.decided_at}
                                               for d in decisions]}  # fmt: skip


@router.post("/renewal/plans", status_code=201)
def freeze_plan(freeze_in: FreezeIn, session: SessionDep, scope: ScopeDep, principal: PrincipalDep,
                settings: SettingsDep) -> dict[str, Any]:  # fmt: skip
    """Freeze a member's N+1 plan as the version the member decides on."""
    frozen = service.freeze_member_plan(session, scope, settings, freeze_in.member_id, freeze_in.budget_date,
                                        principal)  # fmt: skip
    return _plan_out(session, frozen)


@router.get("/renewal/plans")
def list_plans(session: SessionDep, scope: ScopeDep, member_id: int | None = None) -> list[dict[str, Any]]:
    statement = scope.filter(select(RenewalPlan), RenewalPlan.member_id)
    if member_id is not None:
        statement = statement.where(RenewalPlan.member_id == member_id)
    return [_plan_out(session, p) for p in session.scalars(statement.order_by(RenewalPlan.id.desc()))]  # type: ignore[union-attr]


@router.get("/renewal/plans/{plan_id}")
def get_plan(plan_id: int, session: SessionDep, scope: ScopeDep) -> dict[str, Any]:
    return _plan_out(session, service.visible_plan(session, scope, plan_id))


@router.post("/renewal/plans/{plan_id}/decisions")
def decide(plan_id: int, decisions: Annotated[list[DecisionIn], Body(min_length=1)], session: SessionDep,
           scope: ScopeDep, principal: PrincipalDep) -> dict[str, Any]:  # fmt: skip
    """The member's decisions: accept, postpone (one year) or refuse each line, with a comment."""
    found = service.decide_plan(session, scope, principal, plan_id, [d.model_dump() for d in decisions])
    return _plan_out(session, found)


class ExtensionIn(BaseModel):
    end_date: dt.date
    cost: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    note: str | None = Field(default=None, max_length=2000)


@router.get("/renewal/extensions")
def list_extensions(session: SessionDep, scope: ScopeDep, member_id: int | None = None) -> list[dict[str, Any]]:
    """The DSIT's extended-support decisions on the assets in scope."""
    return service.extensions(session, scope, member_id)


@router.put("/renewal/extensions/{asset_id}")
def set_extension(asset_id: int, body: ExtensionIn, session: SessionDep, scope: ScopeDep,
                  principal: PrincipalDep) -> dict[str, Any]:  # fmt: skip
    """Keep an asset on paid extended support until ``end_date`` (in the future), at ``cost``: while
    ``end_date`` is after a plan's budget date, its line is ``extend_support`` at this cost instead of a
    replacement or an upgrade. A new decision replaces the asset's previous one. DSIT staff only."""
    row, asset = service.set_extension(session, scope, principal, asset_id, body.end_date, body.cost, body.note)
    return service.extension_out(row, asset)


@router.delete("/renewal/extensions/{asset_id}", status_code=204)
def delete_extension(asset_id: int, session: SessionDep, scope: ScopeDep, principal: PrincipalDep) -> Response:
    service.delete_extension(session, scope, principal, asset_id)
    return Response(status_code=204)


@router.get("/renewal/reen")
def reen_report(session: SessionDep, scope: ScopeDep, year: Annotated[int, Query(ge=2000, le=2100)],
                member_id: int | None = None) -> dict[str, Any]:  # fmt: skip
    """REEN / AGEC: retired equipment reused or donated vs recycled, and certificates missing."""
    names = service.visible_members(session, scope, member_id)
    members = None if scope.member_id is None and member_id is None else set(names)
    return indicators.reen(session, year, members)


# -- policy, prices, end-of-life data --------------------------------------------------------


class PolicyIn(BaseModel):
    asset_type: str | None = Field(default=None, max_length=20)
    category: str | None = Field(default=None, max_length=20)
    member_id: int | None = None
    years: int = Field(ge=1, le=30)


class PriceIn(BaseModel):
    asset_type: str = Field(max_length=20)
    category: str | None = Field(default=None, max_length=20)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    label: str | None = Field(default=None, max_length=200)


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


Pattern = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_regex)]


class ModelIn(BaseModel):
    manufacturer: str | None = Field(default=None, max_length=100)
    model_pattern: Pattern
    end_of_sale: dt.date | None = None
    end_of_support: dt.date | None = None
    source: str | None = Field(default=None, max_length=255)


class OverrideIn(BaseModel):
    product: str = Field(min_length=1, max_length=100)
    cycle: str = Field(min_length=1, max_length=50)
    label: str | None = Field(default=None, max_length=100)
    pattern: Pattern
    release_date: dt.date | None = None
    active_end: dt.date | None = None
    security_end: dt.date | None = None
    note: str | None = None


def _replace_all(session: Session, model: type, rows: list[BaseModel]) -> list[Any]:
    members = {getattr(row, "member_id", None) for row in rows} - {None}
    known = set(session.scalars(select(Member.id).where(Member.id.in_(members)))) if members else set()
    if members - known:
        raise NotFound(f"no member {', '.join(map(str, sorted(members - known)))}")
    session.execute(delete(model))
    created = [model(**row.model_dump()) for row in rows]
    session.add_all(created)
    session.flush()
    return created


@router.get("/renewal/policies")
def list_policies(session: SessionDep, principal: PrincipalDep) -> list[RenewalPolicy]:
    return list(session.scalars(select(RenewalPolicy).order_by(RenewalPolicy.id)))


@router.put("/renewal/policies")
def replace_policies(rows: list[PolicyIn], session: SessionDep, principal: PrincipalDep) -> list[RenewalPolicy]:
    """The renewal cycles (years) per type, category and member; 7 years where nothing says otherwise.
    ``asset_type: ups_battery`` sets the UPS battery cycle (default 4)."""
    principal.require_admin()
    return _replace_all(session, RenewalPolicy, rows)  # type: ignore[arg-type]


@router.get("/renewal/prices")
def list_prices(session: SessionDep, principal: PrincipalDep) -> list[UnitPrice]:
    return list(session.scalars(select(UnitPrice).order_by(UnitPrice.asset_type)))


@router.put("/renewal/prices")
def replace_prices(rows: list[PriceIn], session: SessionDep, principal: PrincipalDep) -> list[UnitPrice]:
    """Replacement cost per type (and category) for the plan's estimates; ``ups_battery`` for batteries."""
    principal.require_dsit()
    return _replace_all(session, UnitPrice, rows)  # type: ignore[arg-type]


@router.get("/renewal/models")
def list_models(session: SessionDep, principal: PrincipalDep) -> list[ModelSupport]:
    return list(session.scalars(select(ModelSupport).order_by(ModelSupport.id)))


@router.put("/renewal/models")
def replace_models(rows: list[ModelIn], session: SessionDep, principal: PrincipalDep) -> list[ModelSupport]:
    """End of sale and of support per hardware model (regular expression on the model)."""
    principal.require_dsit()
    return _replace_all(session, ModelSupport, rows)  # type: ignore[arg-type]


@router.get("/eol/overrides")
def list_overrides(session: SessionDep, principal: PrincipalDep) -> list[EolOverride]:
    return list(session.scalars(select(EolOverride).order_by(EolOverride.id)))


@router.put("/eol/overrides")
def replace_overrides(rows: list[OverrideIn], session: SessionDep, principal: PrincipalDep) -> list[EolOverride]:
    """The DSIT's own end-of-life entries for what the catalogue lacks; tried before it."""
    principal.require_dsit()
    return _replace_all(session, EolOverride, rows)  # type: ignore[arg-type]


@router.get("/eol/match")
def eol_match(label: str, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    """Which end-of-life cycle a label finds (to check a rule or an override)."""
    found = catalogue.load(session).match(label)
    if found is None:
        raise NotFound(f"no end-of-life cycle for {label!r}")
    return {"product": found.product, "title": found.title, "cycle": found.cycle, "label": found.label,
            "release": found.release, "security_end": found.security_end, "active_end": found.active_end,
            "extended_end": found.extended_end, "ended": found.unsupported_by(dt.date.today()),
            "source": found.source}  # fmt: skip
