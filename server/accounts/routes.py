from __future__ import annotations

from fastapi import APIRouter

from server.api.deps import PrincipalDep, SessionDep
from server.api.pagination import PageDep, count

from . import crud
from .models import EnrolmentTokenCreate, EnrolmentTokenCreated, EnrolmentTokenPublic, EnrolmentTokensPublic

router = APIRouter(tags=["enrolment tokens"])


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
