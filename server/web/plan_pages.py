"""Frozen renewal plans: the DSIT freezes a member's N+1 plan, the member decides line by line
(accept, postpone one year, refuse — with a comment unless accepted)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from server.api.deps import SessionDep, SettingsDep
from server.audit.requests import capture_body
from server.core.errors import Invalid
from server.renewal import service
from server.renewal.models import Decision, PlanDecision, RenewalPlan

from .auth import PagePrincipal, PageScope
from .csrf import csrf_protect
from .pages import members_of, render
from .renewal_settings_pages import router as settings_router

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
router.include_router(settings_router)  # the renewal settings pages, with the same CSRF check and audit


@router.post("/renewal/plans")
def freeze(session: SessionDep, settings: SettingsDep, principal: PagePrincipal, scope: PageScope,
           member_id: Annotated[int, Form()], budget_date: Annotated[dt.date, Form()]) -> RedirectResponse:  # fmt: skip
    frozen = service.freeze_member_plan(session, scope, settings, member_id, budget_date, principal)
    return RedirectResponse(f"/renewal/plans/{frozen.id}", status_code=303)


@router.get("/renewal/plans")
def plans(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
          scope: PageScope) -> HTMLResponse:  # fmt: skip
    found = session.scalars(scope.filter(select(RenewalPlan), RenewalPlan.member_id)
                            .order_by(RenewalPlan.id.desc()).limit(200)).all()  # type: ignore[union-attr]  # fmt: skip
    return render(request, settings, "plans.html", principal, plans=found, names=members_of(session, scope))


@router.get("/renewal/plans/{plan_id}")
def plan_page(plan_id: int, request: Request, session: SessionDep, settings: SettingsDep,
              principal: PagePrincipal, scope: PageScope, error: str | None = None) -> HTMLResponse:  # fmt: skip
    found = service.visible_plan(session, scope, plan_id)
    decisions = {d.asset_id: d for d in session.scalars(select(PlanDecision).where(PlanDecision.plan_id == plan_id))}
    may_decide = principal.is_dsit or principal.member_id == found.member_id
    return render(request, settings, "plan.html", principal, plan=found, decisions=decisions, error=error,
                  member=members_of(session, scope).get(found.member_id), may_decide=may_decide,
                  choices=[d.value for d in Decision])  # fmt: skip


@router.post("/renewal/plans/{plan_id}/decisions", response_model=None)
async def decide(plan_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                 principal: PagePrincipal, scope: PageScope) -> HTMLResponse | RedirectResponse:  # fmt: skip
    """One form for the whole plan: ``decision-<asset>`` and ``comment-<asset>`` per line."""
    form = await request.form()
    entries = []
    for key, value in form.multi_items():
        if key.startswith("decision-") and value:
            asset_id = int(key.removeprefix("decision-"))
            entries.append({"asset_id": asset_id, "decision": value,
                            "comment": str(form.get(f"comment-{asset_id}") or "").strip() or None})  # fmt: skip
    try:
        with session.begin_nested():  # all the lines or none
            service.decide_plan(session, scope, principal, plan_id, entries)
    except Invalid as exc:
        return plan_page(plan_id, request, session, settings, principal, scope, error=exc.message)
    return RedirectResponse(f"/renewal/plans/{plan_id}", status_code=303)
