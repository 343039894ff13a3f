"""SNMP credentials from the pages (administrators): the list says which secrets each one has,
never the secrets; a form adds or replaces one (its community and keys are write-only: typed,
sealed, never shown or sent back, even on an error); a ticked confirmation deletes one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from server.api.deps import SessionDep, SettingsDep
from server.audit.requests import capture_body
from server.collectors import crud
from server.collectors.schemas import SnmpCredentialIn
from server.core.scope import MemberScope, Principal
from server.core.secretbox import SecretBox
from server.tenancy.models import Member

from .auth import PagePrincipal
from .csrf import csrf_protect
from .pages import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
SECRET_FIELDS = ("community", "auth_key", "priv_key")
# pydantic's whole-model errors (a v3 credential without a user...) as the field they are about.
MODEL_ERRORS = {"user": "err_snmp_user", "community": "err_snmp_community", "priv_key": "err_snmp_priv"}


def _page(request: Request, session: SessionDep, settings: SettingsDep, principal: Principal,
          errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:  # fmt: skip
    members = dict(session.execute(select(Member.id, Member.name).order_by(Member.name)).all())  # type: ignore[arg-type]
    credentials = crud.list_credentials(session=session, scope=MemberScope(principal))
    return render(request, settings, "credentials.html", principal, credentials=credentials, members=members,
                  errors=errors or {}, form=form or {}, done=request.query_params.get("done"),
                  status_code=status_code)  # fmt: skip


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The form fields a refused credential got wrong (message keys of ``text``)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        if loc:
            errors[loc[0]] = "err_snmp_" + loc[0]
            continue
        message = str(error.get("msg", ""))
        field = "user" if "user" in message else "priv_key" if "priv_key" in message else "community"
        errors[field] = MODEL_ERRORS[field]
    return errors


@router.get("/collectors/credentials")
def credentials_page(request: Request, session: SessionDep, settings: SettingsDep,
                     principal: PagePrincipal) -> HTMLResponse:  # fmt: skip
    principal.require_admin()
    return _page(request, session, settings, principal)


@router.post("/collectors/credentials", response_model=None)
def save(request: Request, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
         member_id: Annotated[str, Form()] = "", name: Annotated[str, Form(max_length=200)] = "",
         version: Annotated[str, Form()] = "2c", community: Annotated[str, Form(max_length=500)] = "",
         user: Annotated[str, Form(max_length=200)] = "", auth_protocol: Annotated[str, Form()] = "sha",
         auth_key: Annotated[str, Form(max_length=500)] = "", priv_protocol: Annotated[str, Form()] = "aes",
         priv_key: Annotated[str, Form(max_length=500)] = "") -> Response:  # fmt: skip
    principal.require_admin()
    values = {"member_id": member_id, "name": name.strip(), "version": version, "community": community or None,
              "user": user.strip() or None, "auth_protocol": auth_protocol, "auth_key": auth_key or None,
              "priv_protocol": priv_protocol, "priv_key": priv_key or None}  # fmt: skip
    errors: dict[str, str] = {}
    if not member_id.isdigit() or session.get(Member, int(member_id)) is None:
        errors["member_id"] = "err_member_needed_assign"
    # The whole-credential rules, checked here too so that one answer names every wrong field.
    if version == "3" and not values["user"]:
        errors["user"] = "err_snmp_user"
    if version != "3" and not community:
        errors["community"] = "err_snmp_community"
    try:
        credential_in = SnmpCredentialIn.model_validate(values)
    except ValidationError as exc:
        errors = field_errors(exc) | errors
    if errors:  # the secrets typed are not sent back into the form
        form = {k: str(v or "") for k, v in values.items() if k not in SECRET_FIELDS}
        return _page(request, session, settings, principal, errors=errors, form=form, status_code=422)
    crud.save_credential(session=session, box=SecretBox(settings), credential_in=credential_in)
    return RedirectResponse("/collectors/credentials?done=saved", status_code=303)


@router.post("/collectors/credentials/{credential_id}/delete", response_model=None)
def delete(credential_id: int, request: Request, session: SessionDep, settings: SettingsDep,
           principal: PagePrincipal, confirm: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal.require_admin()
    if confirm != "yes":
        return _page(request, session, settings, principal, errors={f"credential-{credential_id}": "err_confirm"},
                     status_code=422)  # fmt: skip
    crud.delete_credential(session=session, scope=MemberScope(principal), credential_id=credential_id)
    return RedirectResponse("/collectors/credentials?done=deleted", status_code=303)
