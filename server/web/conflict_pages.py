"""The conflicts page (DSIT staff): inventories that resembled assets they could not touch, both
records side by side, and the decision (move, merge, ignore) recorded with who took it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from server.api.deps import SessionDep, SettingsDep
from server.audit.requests import capture_body
from server.conflicts import crud, service
from server.conflicts.models import ConflictAction, ConflictStatus

from .auth import PagePrincipal
from .csrf import csrf_protect
from .pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
SHOWN = 200


@router.get("/conflicts")
def conflicts_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                   status: ConflictStatus = ConflictStatus.OPEN) -> HTMLResponse:  # fmt: skip
    principal.require_dsit()
    statement = crud.list_statement(status=status, kind=None, member_id=None).limit(SHOWN)
    found = crud.public(session, list(session.scalars(statement)))
    counts = {s: session.scalar(crud.count_statement(s)) or 0 for s in ConflictStatus}
    return render(request, settings, "conflicts.html", principal, conflicts=found, status=status, counts=counts,
                  statuses=list(ConflictStatus), actions=list(ConflictAction))  # fmt: skip


@router.post("/conflicts/{conflict_id}/resolve")
def resolve(conflict_id: int, session: SessionDep, principal: PagePrincipal, action: Annotated[ConflictAction, Form()],
            note: Annotated[str, Form(max_length=2000)] = "") -> RedirectResponse:  # fmt: skip
    principal.require_dsit()
    service.resolve(session, service.get(session, conflict_id), action, principal.username, note.strip() or None)
    return RedirectResponse(f"/conflicts#conflict-{conflict_id}", status_code=303)
