"""An asset edited from its page by the DSIT: lifecycle status with its reason (and a document,
such as a recycling certificate), category, purchase data; a quarantined asset given to a member.
Every change goes through ``server.assets.crud`` (history rows) and the request is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from server.api.deps import SessionDep, SettingsDep
from server.assets import crud
from server.assets.models import Asset
from server.assets.vocab import Category, DocumentKind, LifecycleStatus
from server.audit.requests import capture_body
from server.core.scope import MemberScope, Principal
from server.tenancy.models import Member, Site

from .auth import PagePrincipal
from .csrf import csrf_protect
from .pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
MAX_PRICE = Decimal("9999999999.99")


def _page(request: Request, session: SessionDep, settings: SettingsDep, principal: Principal, asset: Asset,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:  # fmt: skip
    members = dict(session.execute(select(Member.id, Member.name).order_by(Member.name)).all())  # type: ignore[arg-type]
    sites = session.execute(select(Site.id, Site.name, Site.member_id).order_by(Site.name)).all()
    return render(request, settings, "asset_edit.html", principal, asset=asset, errors=errors or {}, form=form or {},
                  statuses=[s.value for s in LifecycleStatus], categories=[c.value for c in Category],
                  kinds=[k.value for k in DocumentKind], members=members, sites=sites,
                  status_code=status_code)  # fmt: skip


def parse_price(text: str) -> Decimal | None:
    """``1 234,50``, ``1234.50`` or ``1 234,50 €``; raises ValueError when it is no amount."""
    cleaned = text.replace("€", "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite() or value < 0 or value > MAX_PRICE or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text.strip() else None  # browsers send date inputs as ISO


def check_edit(form: dict[str, str], asset: Asset) -> tuple[dict[str, Any], dict[str, str]]:
    """The changed record fields, and the errors by field (message keys of ``text``)."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if form["category"] not in {c.value for c in Category}:
        errors["category"] = "err_choice"
    elif form["category"] != asset.category.value:
        changes["category"] = Category(form["category"])
    for field in ("purchase_date", "warranty_end"):
        try:
            value = _date(form[field])
        except ValueError:
            errors[field] = "err_date"
            continue
        if value != getattr(asset, field):
            changes[field] = value
    try:
        price = parse_price(form["purchase_price"])
        if price != asset.purchase_price:
            changes["purchase_price"] = price
    except ValueError:
        errors["purchase_price"] = "err_price"
    for field, limit in (("supplier", 255), ("inventory_number", 100)):
        value = form[field].strip() or None
        if value and len(value) > limit:
            errors[field] = "err_too_long"
        elif value != getattr(asset, field):
            changes[field] = value
    if "purchase_date" in changes or "warranty_end" in changes:
        bought = changes.get("purchase_date", asset.purchase_date)
        ends = changes.get("warranty_end", asset.warranty_end)
        if bought and ends and ends < bought and "warranty_end" not in errors:
            errors["warranty_end"] = "err_warranty_before_purchase"
    if form["status"] not in {s.value for s in LifecycleStatus}:
        errors["status"] = "err_choice"
    elif form["status"] != asset.lifecycle_status.value and not form["reason"].strip():
        errors["reason"] = "err_reason"
    return changes, errors


def _asset(session: SessionDep, principal: Principal, asset_id: int) -> Asset:
    principal.require_dsit()
    return crud.get_asset(session=session, scope=MemberScope(principal), asset_id=asset_id)


@router.get("/assets/{asset_id}/edit")
def edit_page(asset_id: int, request: Request, session: SessionDep, settings: SettingsDep,
              principal: PagePrincipal) -> HTMLResponse:  # fmt: skip
    return _page(request, session, settings, principal, _asset(session, principal, asset_id))


@router.post("/assets/{asset_id}/edit", response_model=None)
async def edit_asset(asset_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                     principal: PagePrincipal, status: Annotated[str, Form()], category: Annotated[str, Form()],
                     reason: Annotated[str, Form(max_length=2000)] = "",
                     purchase_date: Annotated[str, Form()] = "", warranty_end: Annotated[str, Form()] = "",
                     purchase_price: Annotated[str, Form(max_length=40)] = "",
                     supplier: Annotated[str, Form(max_length=1000)] = "",
                     inventory_number: Annotated[str, Form(max_length=1000)] = "",
                     document_kind: Annotated[str, Form()] = DocumentKind.OTHER.value,
                     document: Annotated[UploadFile | None, File()] = None) -> Response:  # fmt: skip
    asset = _asset(session, principal, asset_id)
    form = {"status": status, "category": category, "reason": reason, "purchase_date": purchase_date,
            "warranty_end": warranty_end, "purchase_price": purchase_price, "supplier": supplier,
            "inventory_number": inventory_number, "document_kind": document_kind}  # fmt: skip
    changes, errors = check_edit(form, asset)
    content = await document.read(crud.MAX_DOCUMENT_BYTES + 1) if document is not None and document.filename else b""
    if document is not None and document.filename and not content:
        errors["document"] = "err_document_empty"
    elif len(content) > crud.MAX_DOCUMENT_BYTES:
        errors["document"] = "err_document_big"
    if content and document_kind not in {k.value for k in DocumentKind}:
        errors["document_kind"] = "err_choice"
    if errors:
        return _page(request, session, settings, principal, asset, errors=errors, form=form, status_code=422)
    if changes:
        crud.update_asset(session=session, asset=asset, changes=changes, actor=principal.username)
    if status != asset.lifecycle_status.value:
        crud.change_status(session=session, asset=asset, status=LifecycleStatus(status), comment=reason.strip(),
                           actor=principal.username)  # fmt: skip
    if content and document is not None:
        crud.add_document(session=session, asset=asset, kind=DocumentKind(document_kind),
                          filename=document.filename or "document",
                          content_type=document.content_type or "application/octet-stream", content=content,
                          actor=principal.username)  # fmt: skip
    return RedirectResponse(f"/assets/{asset_id}?saved=1", status_code=303)


@router.post("/assets/{asset_id}/assign", response_model=None)
def assign(asset_id: int, request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
           member_id: Annotated[str, Form()] = "", site_id: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    """Give a quarantined asset to a member (and one of its sites)."""
    asset = _asset(session, principal, asset_id)
    member = int(member_id) if member_id.isdigit() else None
    site = int(site_id) if site_id.isdigit() else None
    errors = {}
    if member is None or session.get(Member, member) is None:
        errors["member_id"] = "err_member_needed_assign"
    elif site is not None and getattr(session.get(Site, site), "member_id", None) != member:
        errors["site_id"] = "err_site_of_member"  # no such site, or another member's
    if errors:
        form = {"member_id": member_id, "site_id": site_id}
        return _page(request, session, settings, principal, asset, errors=errors, form=form, status_code=422)
    crud.update_asset(session=session, asset=asset, changes={"member_id": member, "site_id": site},
                      actor=principal.username)  # fmt: skip
    return RedirectResponse(f"/assets/{asset_id}?saved=1", status_code=303)
