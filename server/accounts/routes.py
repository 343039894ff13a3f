from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import PrincipalDep, SessionDep, SettingsDep
from server.api.pagination import PageDep, count

from . import crud
from .models import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    ApiTokensPublic,
    EnrolmentTokenCreate,
    EnrolmentTokenCreated,
    EnrolmentTokenPublic,
    EnrolmentTokensPublic,
    UserAccount,
)

router = APIRouter(tags=["enrolment tokens"])


# -- the signed-in user's own API tokens (GitHub-style personal tokens) ----------------------
# Every POST is audited by the request's session (server.audit.requests), the clear token never.


@router.get("/users/me/tokens", response_model=ApiTokensPublic, tags=["API tokens"])
def list_my_tokens(session: SessionDep, principal: PrincipalDep, page: PageDep) -> ApiTokensPublic:
    statement = crud.list_api_tokens(user_id=principal.user_id)
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return ApiTokensPublic(data=[ApiTokenPublic.model_validate(r) for r in rows], count=count(session, statement))


@router.post("/users/me/tokens", response_model=ApiTokenCreated, status_code=201, tags=["API tokens"])
def create_my_token(
    token_in: ApiTokenCreate, session: SessionDep, settings: SettingsDep, principal: PrincipalDep
) -> ApiTokenCreated:
    user = session.get(UserAccount, principal.user_id)
    days = token_in.expires_in_days or settings.api_token_days
    row, token = crud.create_api_token(session=session, user=user, name=token_in.name, days=days)  # type: ignore[arg-type]
    return ApiTokenCreated(**ApiTokenPublic.model_validate(row).model_dump(), token=token)


@router.post("/users/me/tokens/{token_id}/revoke", response_model=ApiTokenPublic, tags=["API tokens"])
def revoke_my_token(token_id: int, session: SessionDep, principal: PrincipalDep) -> ApiTokenPublic:
    row = crud.revoke_api_token(session=session, token_id=token_id, user_id=principal.user_id)
    return ApiTokenPublic.model_validate(row)


@router.get("/enrolment-tokens", response_model=EnrolmentTokensPublic)
def list_enrolment_tokens(
    session: SessionDep, principal: PrincipalDep, page: PageDep, member_id: int | None = None
) -> EnrolmentTokensPublic:
    principal.require_dsit()
    statement = crud.list_enrolment_tokens(member_id=member_id)
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return EnrolmentTokensPublic(
        data=[EnrolmentTokenPublic.model_validate(r) for r in rows], count=count(session, statement)
    )


@router.post("/enrolment-tokens", response_model=EnrolmentTokenCreated, status_code=201)
def create_enrolment_token(
    token_in: EnrolmentTokenCreate, session: SessionDep, principal: PrincipalDep
) -> EnrolmentTokenCreated:
    principal.require_admin()
    row, token = crud.create_enrolment_token(session=session, token_in=token_in, created_by=principal.username)
    return EnrolmentTokenCreated(**EnrolmentTokenPublic.model_validate(row).model_dump(), token=token)


@router.post("/enrolment-tokens/{token_id}/revoke", response_model=EnrolmentTokenPublic)
def revoke_enrolment_token(token_id: int, session: SessionDep, principal: PrincipalDep) -> EnrolmentTokenPublic:
    principal.require_admin()
    return EnrolmentTokenPublic.model_validate(crud.revoke_enrolment_token(session=session, token_id=token_id))
