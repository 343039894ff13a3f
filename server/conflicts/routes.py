"""``/api/v1/conflicts``: inventories that resembled assets they could not touch (DSIT only)."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import PrincipalDep, SessionDep
from server.api.pagination import PageDep, count

from . import crud, service
from .models import ConflictKind, ConflictStatus
from .schemas import ConflictPublic, ConflictsPublic, ResolveIn

router = APIRouter(tags=["conflicts"])


@router.get("/conflicts", response_model=ConflictsPublic)
def list_conflicts(session: SessionDep, principal: PrincipalDep, page: PageDep,
                   status: ConflictStatus | None = ConflictStatus.OPEN, kind: ConflictKind | None = None,
                   member_id: int | None = None) -> ConflictsPublic:  # fmt: skip
    """Open conflicts by default (``status=`` for the resolved ones), newest first."""
    principal.require_dsit()
    statement = crud.list_statement(status=status, kind=kind, member_id=member_id)
    found = list(session.scalars(statement.offset(page.offset).limit(page.limit)))
    return ConflictsPublic(data=crud.public(session, found), count=count(session, statement))


@router.get("/conflicts/{conflict_id}", response_model=ConflictPublic)
def get_conflict(conflict_id: int, session: SessionDep, principal: PrincipalDep) -> ConflictPublic:
    principal.require_dsit()
    return crud.public(session, [service.get(session, conflict_id)])[0]


@router.post("/conflicts/{conflict_id}/resolve", response_model=ConflictPublic)
def resolve_conflict(conflict_id: int, resolve_in: ResolveIn, session: SessionDep,
                     principal: PrincipalDep) -> ConflictPublic:  # fmt: skip
    """``move`` (the device changed member), ``merge`` (one machine) or ``ignore`` (two machines)."""
    principal.require_dsit()
    conflict = service.resolve(session, service.get(session, conflict_id), resolve_in.action, principal.username,
                               resolve_in.note)  # fmt: skip
    return crud.public(session, [conflict])[0]
