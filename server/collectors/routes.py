"""Collectors: their run reports and credentials (with a collector enrolment token), the "to audit" lists."""

from __future__ import annotations

import json
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError

from server.accounts.models import TokenKind
from server.api.deps import PrincipalDep, ScopeDep, SessionDep, SettingsDep
from server.api.pagination import PageDep, count
from server.core.errors import Forbidden, Invalid, Unauthorized
from server.core.secretbox import SecretBox
from server.ingest.auth import Reporter, resolve_reporter, token_from_request
from wire.compression import decompress, sniff
from wire.errors import WireError

from . import crud
from .schemas import (
    CollectorReportIn,
    CollectorRunPublic,
    CollectorRunsPublic,
    HostKeyPublic,
    HostKeysIn,
    HostKeysPublic,
    SnmpCredentialIn,
    SnmpCredentialPublic,
    SnmpCredentialsPublic,
    UnauditedDevice,
    UnauditedDevices,
    UnknownMacs,
)

router = APIRouter(tags=["discovery"])


def _collector(request: Request, session: SessionDep, settings: SettingsDep) -> Reporter:
    """The collector calling, by its enrolment token (``X-Mutuparc-Token``), as for its inventories."""
    token = token_from_request(None, request.headers)
    if token is None:
        raise Unauthorized("a collector enrolment token is required (X-Mutuparc-Token)")
    reporter = resolve_reporter(session.connection(), token, settings)
    if reporter.kind != TokenKind.COLLECTOR:
        raise Forbidden(f"enrolment token '{reporter.label}' is for agents; collectors need a collector token")
    return reporter


CollectorDep = Annotated[Reporter, Depends(_collector)]


M = TypeVar("M", bound=BaseModel)


async def _message(request: Request, settings: SettingsDep, schema: type[M], what: str) -> M:
    """A collector's message (body: JSON, zlib or gzip), validated, or 422 saying what is wrong."""
    body = await request.body()
    try:
        data = json.loads(decompress(body, sniff(body, request.headers.get("content-type")),
                                     settings.max_inventory_bytes))  # fmt: skip
        return schema.model_validate(data)
    except (WireError, ValueError) as exc:
        details = exc.errors(include_url=False, include_context=False) if isinstance(exc, ValidationError) else None
        raise Invalid(f"invalid {what}: {exc if details is None else 'see errors'}", details=details) from None
    except RecursionError:
        raise Invalid(f"invalid {what}: JSON nested too deep") from None


@router.post("/collector/reports", status_code=200)
async def receive_report(request: Request, session: SessionDep, settings: SettingsDep,
                         reporter: CollectorDep) -> dict[str, object]:  # fmt: skip
    """A collector's run: device statuses and sweep results (body: JSON, zlib or gzip)."""
    report = await _message(request, settings, CollectorReportIn, "collector report")
    run = crud.store_report(session=session, report=report, reporter=reporter,
                            report_id=request.headers.get("x-mutuparc-inventory-id"))  # fmt: skip
    return {"status": "ok", "run_id": run.id}


@router.post("/collector/credentials")
def collector_credentials(session: SessionDep, settings: SettingsDep, reporter: CollectorDep) -> dict[str, object]:
    """The SNMP credentials of the collector's member, in clear: collectors fetch them at each run."""
    box = SecretBox(settings)
    credentials = crud.credentials_for_collector(session=session, box=box, member_id=reporter.member_id)  # type: ignore[arg-type]
    return {"status": "ok", "credentials": credentials}


@router.post("/collector/host-keys")
async def sync_host_keys(request: Request, session: SessionDep, settings: SettingsDep,
                         reporter: CollectorDep) -> dict[str, object]:  # fmt: skip
    """SSH host keys: the collector's first-use pins in, every key pinned for its member out."""
    keys_in = await _message(request, settings, HostKeysIn, "host key list")
    pinned, conflicts = crud.sync_host_keys(session=session, member_id=reporter.member_id, keys_in=keys_in)  # type: ignore[arg-type]
    return {"status": "ok", "conflicts": conflicts,
            "keys": [{"host": k.host, "key_type": k.key_type, "key": k.key} for k in pinned]}  # fmt: skip


@router.get("/ssh-host-keys", response_model=HostKeysPublic)
def list_host_keys(session: SessionDep, scope: ScopeDep, principal: PrincipalDep, page: PageDep,
                   member_id: int | None = None) -> HostKeysPublic:  # fmt: skip
    """The SSH host keys pinned by the collectors (trust on first use), with their fingerprints."""
    principal.require_dsit()
    statement = crud.list_host_keys(scope=scope, member_id=member_id)
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return HostKeysPublic(data=[HostKeyPublic.model_validate(r) for r in rows], count=count(session, statement))


@router.delete("/ssh-host-keys/{key_id}", status_code=204)
def delete_host_key(key_id: int, session: SessionDep, scope: ScopeDep, principal: PrincipalDep) -> None:
    """Forget a pinned key (the device was replaced): collectors trust its next key on first use."""
    principal.require_admin()
    crud.delete_host_key(session=session, scope=scope, key_id=key_id)


@router.post("/snmp-credentials", response_model=SnmpCredentialPublic, status_code=201)
def save_credential(credential_in: SnmpCredentialIn, session: SessionDep, settings: SettingsDep,
                    principal: PrincipalDep) -> SnmpCredentialPublic:  # fmt: skip
    """Store (or replace) a member's SNMP credential; its secrets are encrypted and never shown again."""
    principal.require_admin()
    return crud.save_credential(session=session, box=SecretBox(settings), credential_in=credential_in)


@router.get("/snmp-credentials", response_model=SnmpCredentialsPublic)
def list_credentials(session: SessionDep, scope: ScopeDep, principal: PrincipalDep,
                     member_id: int | None = None) -> SnmpCredentialsPublic:  # fmt: skip
    principal.require_dsit()
    rows = crud.list_credentials(session=session, scope=scope, member_id=member_id)
    return SnmpCredentialsPublic(data=rows, count=len(rows))


@router.delete("/snmp-credentials/{credential_id}", status_code=204)
def delete_credential(credential_id: int, session: SessionDep, scope: ScopeDep, principal: PrincipalDep) -> None:
    principal.require_admin()
    crud.delete_credential(session=session, scope=scope, credential_id=credential_id)


@router.get("/collector/runs", response_model=CollectorRunsPublic)
def list_runs(session: SessionDep, scope: ScopeDep, page: PageDep, member_id: int | None = None) -> CollectorRunsPublic:
    statement = crud.list_runs(scope=scope, member_id=member_id)
    rows = session.scalars(statement.offset(page.offset).limit(page.limit)).all()
    return CollectorRunsPublic(
        data=[CollectorRunPublic.model_validate(r) for r in rows], count=count(session, statement)
    )


@router.get("/audit/devices", response_model=UnauditedDevices)
def unaudited_devices(session: SessionDep, scope: ScopeDep, page: PageDep, member_id: int | None = None,
                      site_id: int | None = None) -> UnauditedDevices:  # fmt: skip
    """Addresses that answered a discovery sweep and match no asset (by MAC, address or name)."""
    rows = crud.unaudited_devices(session=session, scope=scope, member_id=member_id, site_id=site_id)
    shown = rows[page.offset : page.offset + page.limit]
    return UnauditedDevices(data=[UnauditedDevice.model_validate(r, from_attributes=True) for r in shown],
                            count=len(rows))  # fmt: skip


@router.get("/audit/macs", response_model=UnknownMacs)
def unknown_macs(session: SessionDep, scope: ScopeDep, page: PageDep, member_id: int | None = None) -> UnknownMacs:
    """MAC addresses learned on switch access ports that belong to no asset."""
    rows = crud.unknown_macs(session=session, scope=scope, member_id=member_id)
    return UnknownMacs(data=rows[page.offset : page.offset + page.limit], count=len(rows))
