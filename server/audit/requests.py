"""Every change made through the API or the web pages goes into the audit chain.

``capture_body`` (a router dependency) keeps the request body; the request's session, once the
route has returned without error, appends who did what with which token and which body, in the
same transaction as the change itself. Secrets in bodies are masked; large uploads are recorded
by size and SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from fastapi import Request
from sqlmodel import Session

from .chain import append

CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# POSTs that compute an answer and change nothing.
READ_ONLY_ROUTES = {"/api/v1/allocation/{year}/compare"}
SECRET_FIELD = re.compile(r"password|secret|token|community|auth_key|priv_key|private|passphrase", re.IGNORECASE)
MAX_RECORDED_BODY = 64 * 1024
MASK = "***"


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def capture_body(request: Request) -> None:
    """Keep what a changing request sent (forms are parsed, and cached, by Starlette already)."""
    if request.method not in CHANGING_METHODS:
        return
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        form = await request.form()
        request.state.audit_form = masked({
            key: value if isinstance(value, str) else {"file": value.filename, "bytes": value.size}
            for key, value in form.multi_items()
        })  # fmt: skip
    else:
        request.state.audit_body = await request.body()


def masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if SECRET_FIELD.search(str(k)) and v else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def _body_details(body: bytes, content_type: str) -> Any:
    if not body:
        return None
    if len(body) <= MAX_RECORDED_BODY:
        try:
            if content_type.startswith("application/json"):
                return masked(json.loads(body))
        except (ValueError, RecursionError):  # not JSON, or nested past any real request: its digest
            pass
    return {"content_type": content_type, "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def _member_of(request: Request, body: Any) -> int | None:
    principal = request.state.principal
    if principal.member_id is not None:
        return principal.member_id
    candidate = body.get("member_id") if isinstance(body, dict) else None
    if candidate is None:
        candidate = request.path_params.get("member_id")
    try:
        return int(candidate) if candidate is not None else None
    except (TypeError, ValueError):
        return None


def path_template(request: Request) -> str:
    """``/api/v1/assets/{asset_id}`` for ``/api/v1/assets/12``. The route knows its own template
    (``/assets/{asset_id}``) but not the prefix of the routers it is included in: that prefix is
    what the URL has before the route's own segments."""
    route = request.scope.get("route")
    template = getattr(route, "path_format", None)
    if not template:
        return request.url.path
    own = template.strip("/").split("/")
    segments = request.url.path.rstrip("/").split("/")
    return "/".join(segments[: len(segments) - len(own)] + own)


def record_request(session: Session, request: Request) -> None:
    """Append the request that just succeeded, if it changed something on behalf of a person."""
    principal = getattr(request.state, "principal", None)
    if request.method not in CHANGING_METHODS or principal is None:
        return
    route = path_template(request)
    if route in READ_ONLY_ROUTES:
        return
    body = getattr(request.state, "audit_form", None) or _body_details(
        getattr(request.state, "audit_body", b""), request.headers.get("content-type", "")
    )
    details = {"path": request.url.path, "path_params": dict(request.path_params),
               "query": dict(request.query_params), "body": body}  # fmt: skip
    append(session.connection(), actor=principal.username, via=request.state.audit_via,
           action=f"{request.method} {route}", details=details, member_id=_member_of(request, body))  # fmt: skip
