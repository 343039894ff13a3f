"""Merges from the pages (administrators): merge a duplicate record into an asset, list the
merges, and undo one after a ticked confirmation. ``server.assets.merges`` does the work; the
request is audited by its session."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from server.api.deps import SessionDep, SettingsDep
from server.assets import crud, merges
from server.assets.models import Asset, AssetMerge
from server.audit.requests import capture_body
from server.conflicts.service import follow_merge
from server.core.errors import NotFound
from server.core.scope import MemberScope, Principal

from .auth import PagePrincipal
from .csrf import csrf_protect
from .pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
SHOWN = 200


def _page(request: Request, session: SessionDep, settings: SettingsDep, principal: Principal,
          error: str | None = None, status_code: int = 200) -> HTMLResponse:  # fmt: skip
    rows = session.scalars(select(AssetMerge).order_by(AssetMerge.id.desc()).limit(SHOWN)).all()
    ids = {i for m in rows for i in (m.target_id, m.merged_asset_id) if i is not None}
    names = dict(session.execute(select(Asset.id, Asset.name).where(Asset.id.in_(ids))).all()) if ids else {}  # type: ignore[union-attr, arg-type]
    return render(request, settings, "merges.html", principal, merges=rows, names=names, error=error,
                  status_code=status_code)  # fmt: skip


@router.get("/merges")
def merges_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal) -> HTMLResponse:
    principal.require_admin()
    return _page(request, session, settings, principal)


@router.post("/merges/{merge_id}/undo", response_model=None)
def undo(merge_id: int, request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
         confirm: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal.require_admin()
    merge = session.get(AssetMerge, merge_id)
    if merge is None:
        raise NotFound(f"merge {merge_id} not found")
    if confirm != "yes":
        return _page(request, session, settings, principal, error="err_confirm", status_code=422)
    if merge.undone_at is not None:
        return _page(request, session, settings, principal, error="err_already_undone", status_code=409)
    split = merges.undo_merge(session=session, merge=merge, actor=principal.username)
    return RedirectResponse(f"/assets/{split.id}?saved=1", status_code=303)


@router.post("/assets/{asset_id}/merge", response_model=None)
def merge(asset_id: int, request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
          other_id: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    """Merge record ``other_id`` (a duplicate of the same machine) into this asset."""
    principal.require_admin()
    scope = MemberScope(principal)
    target = crud.get_asset(session=session, scope=scope, asset_id=asset_id)
    other = session.get(Asset, int(other_id)) if other_id.strip().isdigit() else None
    error = None
    if other is None or other.id == target.id or other.merged_into_id is not None:
        error = "err_merge_other"
    elif confirm != "yes":
        error = "err_confirm"
    if error:
        return _page(request, session, settings, principal, error=error, status_code=422)
    merges.merge_assets(session=session, target=target, other=other, actor=principal.username)  # type: ignore[arg-type]
    follow_merge(session, merged=other.id, into=target.id, actor=principal.username)  # type: ignore[union-attr, arg-type]
    return RedirectResponse("/merges?done=merged", status_code=303)
