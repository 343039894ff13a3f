"""The pages: thin routes that gather what a template shows, always through the member scope of
the signed-in user (a member's reader gets a 404 for anything of another member, as in the API)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from server.accounts import crud as accounts_crud
from server.accounts import throttle
from server.accounts.models import EnrolmentToken, EnrolmentTokenCreate, Role, TokenKind, UserAccount
from server.allocation.models import ClosureEvent, KeySnapshot
from server.api.deps import SessionDep, SettingsDep, client_address
from server.api.pagination import count
from server.assets import crud as assets_crud
from server.assets.filters import AssetFilter
from server.assets.models import Asset, AssetChange, AssetStatusChange
from server.assets.section_labels import section_views
from server.assets.vocab import AssetSource, AssetType, LifecycleStatus
from server.audit import chain as audit_chain
from server.audit.chain import append
from server.audit.models import AuditEvent
from server.audit.requests import capture_body
from server.collectors import crud as collectors_crud
from server.conflicts import crud as conflicts_crud
from server.conflicts.models import ConflictStatus
from server.core.catalogue import by_language as catalogue_words
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.errors import TooManyAttempts
from server.core.scope import MemberScope, Principal
from server.core.security import verify_password
from server.renewal import catalogue
from server.renewal import plan as renewal_plan
from server.renewal import reports as renewal_reports
from server.renewal import service as renewal
from server.renewal.assess import Assessor, default_budget_date
from server.tenancy.models import Member, Site

from . import device_views, gettext_jinja
from .auth import PagePrincipal, PageScope, authenticate, safe_next, sign_in, sign_out
from .csrf import csrf_field, csrf_protect
from .text import TEXT, Words

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["csrf_field"] = csrf_field  # the hidden token field of every POST form
gettext_jinja.install(TEMPLATES.env)  # {{ _("...") }} and {% trans %} from the gettext catalogues
TEMPLATES.env.globals["words"] = catalogue_words  # a namespace of the catalogue: words("renewal.settings")[lang]
LANG_COOKIE = "mutuparc_lang"
PAGE_SIZE = 50
PLAN_LINES_SHOWN = 500  # the page shows the first ones; the exports have them all

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])


def language(request: Request, settings: Settings) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in TEXT else settings.language


def render(request: Request, settings: Settings, template: str, principal: Principal | None = None,
           status_code: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:  # fmt: skip
    lang = language(request, settings)
    return TEMPLATES.TemplateResponse(request, template, {"t": Words(lang), "lang": lang, "principal": principal,
                                                          "path": request.url.path, **context},
                                      status_code=status_code, headers=headers)  # fmt: skip


def _number(text: str | None) -> int | None:
    """A form's optional number: an empty field (or garbage) is no filter, as in a browser's eyes."""
    return int(text) if text and text.strip().isdigit() else None


def page_filters(request: Request) -> AssetFilter:
    """The asset filters of the list form; empty fields mean "any"."""
    params = request.query_params
    statuses = {s.value for s in LifecycleStatus}
    return AssetFilter(member_id=_number(params.get("member_id")), site_id=_number(params.get("site_id")),
                       types=tuple(t for t in params.getlist("type") if t in {k.value for k in AssetType}),
                       status=params.get("status") if params.get("status") in statuses else None,
                       q=(params.get("q") or "").strip()[:200] or None,
                       stale=True if params.get("stale") == "true" else None)  # fmt: skip


def members_of(session: SessionDep, scope: MemberScope) -> dict[int, str]:
    return dict(session.execute(scope.filter(select(Member.id, Member.name), Member.id).order_by(Member.name)).all())  # type: ignore[arg-type]


# -- sign-in and language -------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, settings: SettingsDep, next: str | None = None) -> HTMLResponse:
    return render(request, settings, "login.html", next=safe_next(next), failed=False)


@router.post("/login", response_model=None)
def login(request: Request, session: SessionDep, settings: SettingsDep, username: Annotated[str, Form()],
          password: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:  # fmt: skip
    client = client_address(request)
    try:
        throttle.check(session, "login", client, username)
    except TooManyAttempts as exc:
        return render(request, settings, "login.html", next=safe_next(next), failed=True, username=username,
                      throttled=True, status_code=429, headers={"Retry-After": str(exc.retry_after)})  # fmt: skip
    user = authenticate(session, username, password)
    audit_details = {"client": client}
    if user is None:
        throttle.record_failure(session, "login", client, username)
        append(session.connection(), actor=username[:150], via="web login", action="login failed",
               details=audit_details)  # fmt: skip
        return render(request, settings, "login.html", next=safe_next(next), failed=True, username=username,
                      status_code=401)  # fmt: skip
    append(session.connection(), actor=user.username, via="web login", action="login", details=audit_details,
           member_id=user.member_id)  # fmt: skip
    sign_in(request, session, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> RedirectResponse:
    sign_out(request, session)  # the server forgets the session: a copy of the cookie is worth nothing
    return RedirectResponse("/login", status_code=303)


# -- the signed-in user's account: password and personal API tokens --------------------------
# The POSTs are audited by the request's session (server.audit.requests), passwords masked.


@router.get("/account")
def account_page(request: Request, session: SessionDep, settings: SettingsDep,
                 principal: PagePrincipal) -> HTMLResponse:  # fmt: skip
    return _account(request, session, settings, principal)


def _account(request: Request, session: SessionDep, settings: Settings, principal: Principal,
             new_token: str | None = None, bad_password: bool = False,
             status_code: int = 200) -> HTMLResponse:  # fmt: skip
    tokens = session.scalars(accounts_crud.list_api_tokens(user_id=principal.user_id).limit(200)).all()
    expired = {t.id for t in tokens if t.revoked_at is None and not accounts_crud.token_is_live(t)}
    return render(request, settings, "account.html", principal, tokens=tokens, expired=expired, new_token=new_token,
                  changed=request.query_params.get("changed") == "1", bad_password=bad_password,
                  status_code=status_code)  # fmt: skip


@router.post("/account/password", response_model=None)
def change_password(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                    current_password: Annotated[str, Form()],
                    new_password: Annotated[str, Form()]) -> Response:  # fmt: skip
    """A new password ends every session of the user; this browser signs in again with a new one."""
    user = session.get(UserAccount, principal.user_id)
    if user is None or not verify_password(user.password_hash, current_password) or len(new_password) < 8:
        return _account(request, session, settings, principal, bad_password=True, status_code=422)
    accounts_crud.set_password(session=session, user=user, password=new_password)
    sign_in(request, session, user)
    return RedirectResponse("/account?changed=1#password", status_code=303)


@router.post("/account/tokens")
def create_my_token(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                    name: Annotated[str, Form(min_length=1, max_length=100)]) -> HTMLResponse:  # fmt: skip
    """A new personal API token (default lifetime), shown once on the page that answers."""
    user = session.get(UserAccount, principal.user_id)
    _, token = accounts_crud.create_api_token(session=session, user=user, name=name.strip(),  # type: ignore[arg-type]
                                              days=settings.api_token_days)  # fmt: skip
    return _account(request, session, settings, principal, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_my_token(token_id: int, session: SessionDep, principal: PagePrincipal) -> RedirectResponse:
    accounts_crud.revoke_api_token(session=session, token_id=token_id, user_id=principal.user_id)
    return RedirectResponse("/account#api-tokens", status_code=303)


@router.get("/lang/{code}")
def choose_language(code: str, next: str | None = None) -> RedirectResponse:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in TEXT:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


# -- dashboard ------------------------------------------------------------------------------


@router.get("/")
def dashboard(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
              scope: PageScope) -> HTMLResponse:  # fmt: skip
    members = members_of(session, scope)
    in_service = scope.filter(select(Asset.member_id, Asset.asset_type, func.count()).where(
        Asset.merged_into_id.is_(None), Asset.lifecycle_status == LifecycleStatus.IN_SERVICE),
        Asset.member_id)  # fmt: skip
    counts: dict[int | None, Counter[str]] = defaultdict(Counter)
    for member_id, asset_type, number in session.execute(in_service.group_by(Asset.member_id, Asset.asset_type)):
        counts[member_id][str(asset_type)] += number
    types = sorted({kind for row in counts.values() for kind in row})
    stale_before = utcnow() - dt.timedelta(days=settings.stale_days)
    stale = session.scalar(scope.filter(select(func.count()).select_from(Asset).where(
        Asset.merged_into_id.is_(None), Asset.source != AssetSource.MANUAL, Asset.last_seen < stale_before),
        Asset.member_id)) or 0  # fmt: skip
    to_audit = len(collectors_crud.unaudited_devices(session=session, scope=scope))
    conflicts = session.scalar(conflicts_crud.count_statement(ConflictStatus.OPEN)) if principal.is_dsit else 0
    items, _, budget, _ = renewal.assess(session, scope, settings, None, None)
    to_renew = sum(1 for item in items if item.to_renew)
    last_snapshot = session.scalar(scope.filter(select(func.max(KeySnapshot.day)), KeySnapshot.member_id))
    return render(request, settings, "dashboard.html", principal, members=members, counts=counts, types=types,
                  stale=stale, to_audit=to_audit, to_renew=to_renew, conflicts=conflicts, plan_year=budget.year + 1,
                  statuses=renewal_reports.statuses(items, language(request, settings)),
                  last_snapshot=last_snapshot, total=sum(sum(c.values()) for c in counts.values()))  # fmt: skip


# -- assets ---------------------------------------------------------------------------------


@router.get("/assets")
def asset_list(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
               scope: PageScope, filters: Annotated[AssetFilter, Depends(page_filters)],
               page: Annotated[int, Query(ge=1)] = 1,
               sort: Annotated[str, Query(pattern=r"^-?(name|asset_type|member_id|model|last_seen)$")] = "name",
               ) -> HTMLResponse:  # fmt: skip
    if filters.member_id is not None:
        scope.check(filters.member_id, "member")
    statement = assets_crud.list_assets(scope=scope, filters=filters,
                                        stale_before=utcnow() - dt.timedelta(days=settings.stale_days))  # fmt: skip
    total = count(session, statement)
    column = {"name": func.lower(Asset.name), "asset_type": Asset.asset_type, "member_id": Asset.member_id,
              "model": func.lower(Asset.model), "last_seen": Asset.last_seen}[sort.lstrip("-")]  # fmt: skip
    ordered = statement.order_by(column.desc() if sort.startswith("-") else column, Asset.id)
    rows = session.scalars(ordered.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "sort")]
    return render(request, settings, "assets.html", principal, assets=rows, total=total, page=page,
                  pages=max(1, math.ceil(total / PAGE_SIZE)), sort=sort, query=query, filters=filters,
                  members=members_of(session, scope), types=[t.value for t in AssetType],
                  stale_before=utcnow() - dt.timedelta(days=settings.stale_days))  # fmt: skip


@router.get("/assets/{asset_id}")
def asset_page(asset_id: int, request: Request, session: SessionDep, settings: SettingsDep,
               principal: PagePrincipal, scope: PageScope) -> HTMLResponse:  # fmt: skip
    asset = assets_crud.get_asset(session=session, scope=scope, asset_id=asset_id)  # 404 beyond the scope
    detail = assets_crud.detail(session=session, asset=asset, history_limit=50)
    assessment = None
    if asset.member_id:  # this asset alone, not its member's whole parc
        assessor = Assessor(session, catalogue.load(session), budget_date=default_budget_date(),
                            stale_days=settings.stale_days)  # fmt: skip
        assessment = next(iter(assessor.assess(asset_id=asset_id)), None)
    members = members_of(session, scope)
    site = session.get(Site, asset.site_id) if asset.site_id else None
    lang = language(request, settings)
    sections = section_views(detail["components"], lang)
    pictures = device_views.device_views(asset.asset_type.value, detail["components"],
                                         device_views.latest_metrics(session, asset_id), lang, today=dt.date.today(),
                                         cycle_years=device_views.battery_cycle_years(session))  # fmt: skip
    return render(request, settings, "asset.html", principal, asset=asset, detail=detail, assessment=assessment,
                  member=members.get(asset.member_id), site=site, sections=sections,  # type: ignore[arg-type]
                  pictures=pictures)  # fmt: skip


# -- renewal --------------------------------------------------------------------------------


@router.get("/renewal")
def renewal_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                 scope: PageScope, member: Annotated[str | None, Query(alias="member_id")] = None,
                 budget_date: Annotated[str | None, Query()] = None) -> HTMLResponse:  # fmt: skip
    member_id = _number(member)
    try:
        when = dt.date.fromisoformat(budget_date) if budget_date else None
    except ValueError:
        when = None
    result = renewal.renewal_plan(session, scope, settings, member_id, when)
    names, lines = result["members"], result["lines"]
    ordered = renewal_reports.ordered(lines, names)
    lang = language(request, settings)
    per_member = sorted(((name, float(cost)) for name, cost in renewal_reports.cost_per_member(lines, names)),
                        key=lambda pair: -pair[1])  # fmt: skip
    forecast = result["forecast"]
    return render(request, settings, "renewal.html", principal, result=result, lines=ordered[:PLAN_LINES_SHOWN],
                  more=max(0, len(lines) - PLAN_LINES_SHOWN), totals=renewal_plan.totals(lines),
                  members=members_of(session, scope), member_id=member_id, per_member=per_member,
                  pyramid=renewal_reports.age_pyramid(result["items"], lang),
                  versions=renewal_reports.versions(result["items"]),
                  budget_date=result["budget_date"] or default_budget_date(),
                  statuses=renewal_reports.statuses(result["items"], lang),
                  forecast_counts=[(str(year), values["count"]) for year, values in forecast.items()],
                  forecast_costs=[(str(year), float(values["cost"])) for year, values in forecast.items()])  # fmt: skip


# -- members and collectors -----------------------------------------------------------------


@router.get("/members")
def members_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                 scope: PageScope, new_token: str | None = None) -> HTMLResponse:  # fmt: skip
    members = session.scalars(scope.filter(select(Member), Member.id).order_by(Member.name)).all()
    sites: dict[int, list[Site]] = defaultdict(list)
    for site in session.scalars(scope.filter(select(Site), Site.member_id).order_by(Site.name)):
        sites[site.member_id].append(site)
    tokens = []
    if principal.is_dsit:
        tokens = session.scalars(select(EnrolmentToken).order_by(EnrolmentToken.id.desc()).limit(200)).all()  # type: ignore[union-attr]
    return render(request, settings, "members.html", principal, members=members, sites=sites, tokens=tokens,
                  names={m.id: m.name for m in members}, new_token=new_token)  # fmt: skip


@router.post("/members/tokens")
def create_token(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                 member_id: Annotated[int, Form()], label: Annotated[str, Form(min_length=1, max_length=200)],
                 kind: Annotated[TokenKind, Form()] = TokenKind.AGENT) -> HTMLResponse:  # fmt: skip
    """A new enrolment token, shown once on the page that answers (only its hash is kept)."""
    principal.require_admin()
    token_in = EnrolmentTokenCreate(member_id=member_id, kind=kind, label=label.strip())
    _, token = accounts_crud.create_enrolment_token(session=session, token_in=token_in, created_by=principal.username)
    session.flush()
    return members_page(request, session, settings, principal, MemberScope(principal), new_token=token)


@router.post("/members/tokens/{token_id}/revoke")
def revoke_token(token_id: int, session: SessionDep, principal: PagePrincipal) -> RedirectResponse:
    principal.require_admin()
    accounts_crud.revoke_enrolment_token(session=session, token_id=token_id)
    return RedirectResponse("/members#tokens", status_code=303)


@router.get("/collectors")
def collectors_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                    scope: PageScope) -> HTMLResponse:  # fmt: skip
    runs = session.scalars(collectors_crud.list_runs(scope=scope).limit(100)).all()
    devices = collectors_crud.unaudited_devices(session=session, scope=scope)
    return render(request, settings, "collectors.html", principal, runs=runs, devices=devices[:200],
                  names=members_of(session, scope),
                  types={device.id: collectors_crud.likely_type(device) for device in devices[:200]})  # fmt: skip


# -- audit log ------------------------------------------------------------------------------

AUDIT_ROWS = 200


@router.get("/audit")
def audit_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
               scope: PageScope, actor: str | None = None, verify: bool = False) -> HTMLResponse:  # fmt: skip
    """Who changed what: asset edits and inventory changes, lifecycle statuses, year closures, and
    for admins the audit chain (verified on demand: it reads every row)."""
    changes = select(AssetChange, Asset.name).join(Asset, Asset.id == AssetChange.asset_id)
    statuses = select(AssetStatusChange, Asset.name).join(Asset, Asset.id == AssetStatusChange.asset_id)
    if actor:
        changes = changes.where(AssetChange.actor == actor)
        statuses = statuses.where(AssetStatusChange.actor == actor)
    changes = scope.filter(changes, Asset.member_id).order_by(AssetChange.at.desc()).limit(AUDIT_ROWS)
    statuses = scope.filter(statuses, Asset.member_id).order_by(AssetStatusChange.at.desc()).limit(AUDIT_ROWS)
    closures = session.scalars(select(ClosureEvent).order_by(ClosureEvent.at.desc())).all() if principal.is_dsit else []
    chain, verification = [], None
    if principal.role is Role.ADMIN:  # the audit chain: admins only, as in the API
        events = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(AUDIT_ROWS)
        chain = session.scalars(events.where(AuditEvent.actor == actor) if actor else events).all()
        verification = audit_chain.verify(session.connection()) if verify else None
    return render(request, settings, "audit.html", principal, changes=session.execute(changes).all(),
                  statuses=session.execute(statuses).all(), closures=closures, actor=actor, chain=chain,
                  verification=verification)  # fmt: skip
