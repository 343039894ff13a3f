"""Users and roles, for administrators: create an account, disable or enable it (its sessions end),
give it a new password (shown once), create an API token for it (shown once, e.g. for a script's
service account) and revoke anyone's token. Destructive actions ask for a ticked confirmation; every POST
is audited by the request's session, passwords masked."""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from server.accounts import crud as accounts
from server.accounts import sessions
from server.accounts.models import ApiToken, Role, UserAccount
from server.api.deps import SessionDep, SettingsDep
from server.audit.requests import capture_body
from server.core.errors import NotFound
from server.core.scope import Principal
from server.tenancy.models import Member

from .auth import PagePrincipal
from .csrf import csrf_protect
from .pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")
MIN_PASSWORD = 8


def _page(request: Request, session: SessionDep, settings: SettingsDep, principal: Principal,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          new_password: tuple[str, str] | None = None, new_token: tuple[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:  # fmt: skip
    users = session.scalars(select(UserAccount).order_by(UserAccount.username)).all()
    unrevoked = select(ApiToken).where(ApiToken.revoked_at.is_(None)).order_by(ApiToken.user_id, ApiToken.id)  # type: ignore[union-attr]
    live = [token for token in session.scalars(unrevoked) if accounts.token_is_live(token)]
    members = dict(session.execute(select(Member.id, Member.name).order_by(Member.name)).all())  # type: ignore[arg-type]
    return render(request, settings, "users.html", principal, users=users, members=members,
                  roles=[r.value for r in Role], errors=errors or {}, form=form or {}, new_password=new_password,
                  tokens=live, usernames={u.id: u.username for u in users}, new_token=new_token,
                  done=request.query_params.get("done"), status_code=status_code)  # fmt: skip


def _user(session: SessionDep, user_id: int) -> UserAccount:
    user = session.get(UserAccount, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


@router.get("/users")
def users_page(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal) -> HTMLResponse:
    principal.require_admin()
    return _page(request, session, settings, principal)


@router.post("/users", response_model=None)
def create_user(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                username: Annotated[str, Form(max_length=200)] = "", role: Annotated[str, Form()] = "",
                member_id: Annotated[str, Form()] = "", display_name: Annotated[str, Form(max_length=200)] = "",
                password: Annotated[str, Form(max_length=200)] = "") -> Response:  # fmt: skip
    principal.require_admin()
    username, errors = username.strip().lower(), {}
    if not USERNAME.match(username):
        errors["username"] = "err_username"
    elif session.scalars(select(UserAccount.id).where(UserAccount.username == username)).first() is not None:
        errors["username"] = "err_username_taken"
    if role not in {r.value for r in Role}:
        errors["role"] = "err_role"
    member = int(member_id) if member_id.isdigit() else None
    if role == Role.MEMBER_READER and (member is None or session.get(Member, member) is None):
        errors["member_id"] = "err_member_needed"
    if len(password) < MIN_PASSWORD:
        errors["password"] = "err_password"  # noqa: S105 - a message key, not a password
    if errors:
        form = {"username": username, "role": role, "member_id": member_id, "display_name": display_name}
        return _page(request, session, settings, principal, errors=errors, form=form, status_code=422)
    accounts.create_user(session=session, username=username, role=Role(role), password=password,
                         member_id=member if role == Role.MEMBER_READER else None,
                         display_name=display_name.strip() or None)  # fmt: skip
    return RedirectResponse("/users?done=created", status_code=303)


@router.post("/users/{user_id}/active", response_model=None)
def set_active(user_id: int, request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
               active: Annotated[str, Form()], confirm: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    """Disable (its sessions end, its API tokens stop working) or enable again an account."""
    principal.require_admin()
    user = _user(session, user_id)
    enable = active == "1"
    if user.id == principal.user_id and not enable:
        return _page(request, session, settings, principal, errors={f"user-{user_id}": "err_disable_self"},
                     status_code=409)  # fmt: skip
    if not enable and confirm != "yes":
        return _page(request, session, settings, principal, errors={f"user-{user_id}": "err_confirm"},
                     status_code=422)  # fmt: skip
    user.is_active = enable
    session.add(user)
    session.flush()
    if not enable:
        sessions.end_all(session, user.id)  # type: ignore[arg-type]
    return RedirectResponse(f"/users?done={'enabled' if enable else 'disabled'}#user-{user_id}", status_code=303)


@router.post("/users/{user_id}/password", response_model=None)
def reset_password(user_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                   principal: PagePrincipal, confirm: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    """A new random password, shown once to the administrator; the user's sessions end."""
    principal.require_admin()
    user = _user(session, user_id)
    if confirm != "yes":
        return _page(request, session, settings, principal, errors={f"user-{user_id}": "err_confirm"},
                     status_code=422)  # fmt: skip
    password = secrets.token_urlsafe(12)
    accounts.set_password(session=session, user=user, password=password)
    return _page(request, session, settings, principal, new_password=(user.username, password))


@router.post("/users/tokens", response_model=None)
def create_token(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
                 user_id: Annotated[int, Form()],
                 name: Annotated[str, Form(max_length=100)] = "") -> Response:  # fmt: skip
    """An API token acting as that user, shown once to the administrator who made it."""
    principal.require_admin()
    user = _user(session, user_id)
    if not name.strip():
        return _page(request, session, settings, principal, errors={"token-name": "err_token_name"},
                     form={"token_user": str(user_id)}, status_code=422)  # fmt: skip
    if not user.is_active:
        return _page(request, session, settings, principal, errors={"token-name": "err_token_disabled_user"},
                     form={"token_user": str(user_id), "token_name": name}, status_code=422)  # fmt: skip
    _, token = accounts.create_api_token(session=session, user=user, name=name.strip(), days=settings.api_token_days)
    return _page(request, session, settings, principal, new_token=(user.username, token))


@router.post("/users/tokens/{token_id}/revoke", response_model=None)
def revoke_token(token_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                 principal: PagePrincipal, confirm: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal.require_admin()
    if confirm != "yes":
        return _page(request, session, settings, principal, errors={f"token-{token_id}": "err_confirm"},
                     status_code=422)  # fmt: skip
    accounts.revoke_api_token(session=session, token_id=token_id)
    return RedirectResponse("/users?done=token_revoked#user-tokens", status_code=303)
