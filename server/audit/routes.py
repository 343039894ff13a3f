"""The audit chain through the API: list, verify, export as legal proof (DSIT admins only)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from server.api.deps import PrincipalDep, SessionDep
from server.api.pagination import PageDep, count

from . import chain, export
from .models import AuditEvent

router = APIRouter(tags=["audit"])


class AuditEventPublic(BaseModel):
    seq: int
    at: str
    actor: str
    via: str
    action: str
    member_id: int | None
    details: str
    prev_hash: str
    hash: str


class AuditEventsPublic(BaseModel):
    data: list[AuditEventPublic]
    count: int


class VerificationPublic(BaseModel):
    ok: bool
    rows: int
    head_seq: int
    head_hash: str
    problems: list[str]


@router.get("/audit/events", response_model=AuditEventsPublic)
def list_events(session: SessionDep, principal: PrincipalDep, page: PageDep, actor: str | None = None,
                action: str | None = None, member_id: int | None = None) -> AuditEventsPublic:  # fmt: skip
    """Newest first; ``action`` matches a prefix (``PATCH /api/v1/assets``, ``login``)."""
    principal.require_admin()
    statement = select(AuditEvent)
    if actor:
        statement = statement.where(AuditEvent.actor == actor)
    if action:
        statement = statement.where(AuditEvent.action.startswith(action, autoescape=True))
    if member_id is not None:
        statement = statement.where(AuditEvent.member_id == member_id)
    rows = session.scalars(statement.order_by(AuditEvent.seq.desc()).offset(page.offset).limit(page.limit)).all()
    return AuditEventsPublic(data=[AuditEventPublic.model_validate(r, from_attributes=True) for r in rows],
                             count=count(session, statement))  # fmt: skip


@router.get("/audit/verify", response_model=VerificationPublic)
def verify_chain(session: SessionDep, principal: PrincipalDep, head_seq: int | None = None,
                 head_hash: str | None = None) -> VerificationPublic:  # fmt: skip
    """Recompute the whole chain; give an earlier head (``head_seq``, ``head_hash``) to catch a
    deletion of the last rows too."""
    principal.require_admin()
    expected = (head_seq, head_hash) if head_seq is not None and head_hash else None
    report = chain.verify(session.connection(), expected)
    return VerificationPublic(ok=report.ok, rows=report.rows, head_seq=report.head_seq, head_hash=report.head_hash,
                              problems=report.problems)  # fmt: skip


@router.get("/audit/export")
def export_chain(session: SessionDep, principal: PrincipalDep,
                 format: Literal["csv", "jsonl"] = Query("csv")) -> Response:  # fmt: skip
    """Every row with its hashes, then the head: a file anyone can re-check without the server."""
    principal.require_admin()
    body, media_type, name = export.render(session.connection(), format)
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
