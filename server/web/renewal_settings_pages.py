"""Renewal settings in the pages (what only the API set before): unit prices per type and
category (and per remedy: ``upgrade_os``, ``update_firmware``, ``ups_battery``), renewal cycles
per type, category and member, the model end-of-support table, the end-of-life overrides and the
DSIT's extended-support decisions per asset (``extend_support``: an end date in the future and a
cost of zero or more; the plan's line links here with its asset filled in).

DSIT staff (admins and technicians) set prices, models and overrides; cycles are the admins'
(as in the API). Each form is checked by the API's own schemas: a bad value re-shows the page
with the field named (422). Changes go through the request audit like every other form; the
router is included by ``plan_pages`` and inherits its CSRF check and request capture.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlmodel import Session

from server.api.deps import SessionDep, SettingsDep
from server.assets.vocab import AssetType, Category
from server.core.config import Settings
from server.core.errors import Invalid, NotFound
from server.core.scope import MemberScope, Principal
from server.core.tabular import parse_decimal
from server.renewal import service
from server.renewal.models import EolOverride, ModelSupport, RenewalPolicy, UnitPrice
from server.renewal.routes import ExtensionIn, ModelIn, OverrideIn, PolicyIn, PriceIn
from server.tenancy.models import Member

from .auth import PagePrincipal, PageScope
from .pages import render

router = APIRouter(include_in_schema=False)
PRICE_KINDS = [t.value for t in AssetType] + ["ups_battery", "upgrade_os", "update_firmware"]
TABLES: dict[str, tuple[type, type[BaseModel]]] = {
    "prices": (UnitPrice, PriceIn), "policies": (RenewalPolicy, PolicyIn), "models": (ModelSupport, ModelIn),
    "overrides": (EolOverride, OverrideIn)}  # fmt: skip
FormText = Annotated[str, Form()]


def _page(request: Request, session: Session, settings: Settings, principal: Principal, *, error: str | None = None,
          status_code: int = 200, asset_id: int | None = None) -> HTMLResponse:  # fmt: skip
    members = {m.id: m.name for m in session.scalars(select(Member).order_by(Member.name))}
    return render(request, settings, "renewal_settings.html", principal, status_code=status_code, error=error,
                  extensions=service.extensions(session, MemberScope(principal)), extension_asset=asset_id,
                  prices=session.scalars(select(UnitPrice).order_by(UnitPrice.asset_type, UnitPrice.id)).all(),
                  policies=session.scalars(select(RenewalPolicy).order_by(RenewalPolicy.id)).all(),
                  models=session.scalars(select(ModelSupport).order_by(ModelSupport.id)).all(),
                  overrides=session.scalars(select(EolOverride).order_by(EolOverride.id)).all(),
                  members=members, price_kinds=PRICE_KINDS, types=[t.value for t in AssetType],
                  categories=[c.value for c in Category])  # fmt: skip


def _allowed(principal: Principal, table: str) -> None:
    if table == "policies":
        principal.require_admin()
    else:
        principal.require_dsit()


def _blank(values: dict[str, str]) -> dict[str, Any]:
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}


def _validated(schema: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Invalid(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


@router.get("/renewal/settings")
def settings_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                  asset_id: int | None = None) -> HTMLResponse:  # fmt: skip
    """The settings; ``asset_id`` fills the extended-support form in (the plan line's link)."""
    principal.require_dsit()
    return _page(request, session, settings, principal, asset_id=asset_id)


def _save(request: Request, session: Session, settings: Settings, principal: Principal, table: str,
          values: dict[str, Any], unique: tuple[str, ...] = ()) -> HTMLResponse | RedirectResponse:  # fmt: skip
    """Add a row, or replace the one with the same ``unique`` fields (a type's price, a cycle)."""
    _allowed(principal, table)
    model, schema = TABLES[table]
    try:
        row = _validated(schema, _blank(values))
        member_id = getattr(row, "member_id", None)
        if member_id is not None and session.get(Member, member_id) is None:
            raise Invalid(f"member_id: no member {member_id}")
        if unique:
            same = select(model).where(*(getattr(model, f).is_(None) if getattr(row, f) is None
                                         else getattr(model, f) == getattr(row, f) for f in unique))  # fmt: skip
            for old in session.scalars(same):
                session.delete(old)
            session.flush()
        session.add(model(**row.model_dump()))
        session.flush()
    except Invalid as exc:
        return _page(request, session, settings, principal, error=exc.message, status_code=422)
    return RedirectResponse(f"/renewal/settings#{table}", status_code=303)


@router.post("/renewal/settings/prices", response_model=None)
def save_price(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
               asset_type: FormText, price: FormText, category: FormText = "",
               label: FormText = "") -> HTMLResponse | RedirectResponse:  # fmt: skip
    try:
        amount: Any = parse_decimal(price)
    except ValueError:
        amount = price  # the schema names the field
    if asset_type not in PRICE_KINDS:
        return _page(request, session, settings, principal, error=f"asset_type: unknown type {asset_type!r}",
                     status_code=422)  # fmt: skip
    return _save(request, session, settings, principal, "prices",
                 {"asset_type": asset_type, "category": category, "price": amount, "label": label},
                 ("asset_type", "category"))  # fmt: skip


@router.post("/renewal/settings/policies", response_model=None)
def save_policy(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                years: FormText, asset_type: FormText = "", category: FormText = "",
                member_id: FormText = "") -> HTMLResponse | RedirectResponse:  # fmt: skip
    return _save(request, session, settings, principal, "policies",
                 {"asset_type": asset_type, "category": category, "member_id": member_id, "years": years},
                 ("asset_type", "category", "member_id"))  # fmt: skip


@router.post("/renewal/settings/models", response_model=None)
def save_model(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
               model_pattern: FormText, manufacturer: FormText = "", end_of_sale: FormText = "",
               end_of_support: FormText = "", source: FormText = "") -> HTMLResponse | RedirectResponse:  # fmt: skip
    return _save(request, session, settings, principal, "models",
                 {"manufacturer": manufacturer, "model_pattern": model_pattern, "end_of_sale": end_of_sale,
                  "end_of_support": end_of_support, "source": source})  # fmt: skip


@router.post("/renewal/settings/overrides", response_model=None)
def save_override(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                  product: FormText, cycle: FormText, pattern: FormText, label: FormText = "",
                  release_date: FormText = "", active_end: FormText = "", security_end: FormText = "",
                  note: FormText = "") -> HTMLResponse | RedirectResponse:  # fmt: skip
    return _save(request, session, settings, principal, "overrides",
                 {"product": product, "cycle": cycle, "pattern": pattern, "label": label,
                  "release_date": release_date, "active_end": active_end, "security_end": security_end,
                  "note": note})  # fmt: skip


@router.post("/renewal/settings/delete")
def delete_row(session: SessionDep, principal: PagePrincipal, table: FormText,
               row_id: Annotated[int, Form()]) -> RedirectResponse:  # fmt: skip
    """One row of a settings table (the table and the row are form fields, as the page sends them)."""
    if table not in TABLES:
        raise NotFound(f"no settings table {table!r}")
    _allowed(principal, table)
    row = session.get(TABLES[table][0], row_id)
    if row is None:
        raise NotFound(f"{table} {row_id} not found")
    session.delete(row)
    session.flush()
    return RedirectResponse(f"/renewal/settings#{table}", status_code=303)


@router.post("/renewal/settings/extensions", response_model=None)
def save_extension(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                   scope: PageScope, asset_id: FormText, end_date: FormText, cost: FormText,
                   note: FormText = "") -> HTMLResponse | RedirectResponse:  # fmt: skip
    """The DSIT's extended support of one asset (a new decision replaces the asset's previous one)."""
    principal.require_dsit()
    try:
        amount: Any = parse_decimal(cost)
    except ValueError:
        amount = cost  # the schema names the field
    try:
        if not asset_id.strip().isdigit():
            raise Invalid("asset_id: an asset number is needed")
        row = _validated(ExtensionIn, _blank({"end_date": end_date, "cost": amount, "note": note}))
        assert isinstance(row, ExtensionIn)
        service.set_extension(session, scope, principal, int(asset_id), row.end_date, Decimal(row.cost), row.note)
    except Invalid as exc:
        return _page(request, session, settings, principal, error=exc.message, status_code=422)
    except NotFound as exc:
        return _page(request, session, settings, principal, error=f"asset_id: {exc.message}", status_code=422)
    return RedirectResponse("/renewal/settings#extensions", status_code=303)


@router.post("/renewal/settings/extensions/delete")
def delete_extension(session: SessionDep, principal: PagePrincipal, scope: PageScope,
                     asset_id: Annotated[int, Form()]) -> RedirectResponse:  # fmt: skip
    service.delete_extension(session, scope, principal, asset_id)
    return RedirectResponse("/renewal/settings#extensions", status_code=303)
